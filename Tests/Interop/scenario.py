"""Helpers shared by the interop tests: waiting for transitions and summarising frames."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from certs import TestPKI

from fake_discord import FakeDiscord
from participant import Participant

MARKER = b"\xfa\xfa"
SILENCE = b"\xf8\xff\xfe"


def run(scenario: Callable[[], Awaitable[None]], timeout: float = 60) -> None:
    """Runs one async scenario with an overall deadline."""
    asyncio.run(asyncio.wait_for(scenario(), timeout))


@asynccontextmanager
async def running_fake(pki: TestPKI) -> AsyncIterator[FakeDiscord]:
    """A started fake Discord, stopped again on the way out."""
    fake = FakeDiscord(pki)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


async def settled(fake: FakeDiscord, members: set[int], after: int = 0, timeout: float = 15) -> int:
    """Waits until the gateway executed a transition (beyond the first `after` ones) for exactly
    `members` and every in-process member executed it too; returns its transition id."""

    def done() -> bool:
        if fake.dave.transition is not None or len(fake.dave.executed) <= after:
            return False
        _, tid, version, group = fake.dave.executed[-1]
        if set(group) != members:
            return False
        return all(tid in link.participant.executed and (version == 0 or link.participant.in_group)
                   for uid, link in fake.links.items() if uid in members)

    await fake.dave.wait_for(done, timeout, f"an executed transition for {sorted(members)}")
    return fake.dave.executed[-1][1]


@dataclass
class Tally:
    sent: int
    decrypted: int
    decoded: int

    def __str__(self) -> str:
        return f"sent {self.sent} / decrypted {self.decrypted} / decoded {self.decoded}"


def is_protocol_frame(frame: bytes) -> bool:
    return len(frame) > 12 and frame.endswith(MARKER)


def speak(fake: FakeDiscord, speaker: Participant, count: int) -> list[bytes]:
    """`speaker` sends `count` frames through the SFU; returns the frames."""
    frames = []
    for _ in range(count):
        frame = speaker.speak()
        fake.deliver(speaker.user_id, frame)
        frames.append(frame)
    return frames


def tally(listener: Participant, sender: int, since: int = 0) -> Tally:
    frames = listener.media[sender].frames[since:]
    return Tally(len(frames), sum(1 for f in frames if f.plaintext is not None), sum(1 for f in frames if f.samples > 0))
