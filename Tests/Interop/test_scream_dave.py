"""Issue 7's scenarios against the real `scream play` binary, passed as `--scream PATH` (or
SCREAM_BINARY), with libdave people in the fake call.

A probe run first checks that the binary takes part in DAVE (max_dave_protocol_version >= 1
in its voice IDENTIFY and a key package after the session description). In each scenario the
participants decrypt with libdave every frame the bot sent once its transition executed, and
every decrypted packet must decode with libopus.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import dave
import pytest

from certs import TestPKI
from fake_discord import FakeDiscord
from participant import Participant
from scenario import SILENCE, is_protocol_frame, run, running_fake, settled

A, B, C = 2001, 2002, 2003
GRACE = 0.5  # seconds after a joiner's execute during which old-epoch frames may still arrive
REPORT = os.environ.get("INTEROP_REPORT")


class Scream:
    """One `scream play` run of the binary at `command` against the fake."""

    def __init__(self, command: list[str], fake: FakeDiscord, pki: TestPKI, duration: str,
                 timeout: int = 20) -> None:
        self.command, self.fake, self.pki, self.duration, self.timeout = command, fake, pki, duration, timeout
        self.process: asyncio.subprocess.Process | None = None
        self.stderr = b""

    async def start(self) -> None:
        env = dict(os.environ, DISCORD_TOKEN=self.fake.token, SCREAM_GATEWAY_URL=self.fake.gateway_url,
                   SCREAM_CA_FILE=str(self.pki.ca_file))
        self.process = await asyncio.create_subprocess_exec(
            *self.command, "play", "--guild", str(self.fake.guild_id), "--channel", str(self.fake.channel_id),
            "--duration", self.duration, "--seed", "7", "--timeout", str(self.timeout), "-v",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=env)

    async def finish(self, timeout: float = 60) -> int:
        assert self.process is not None
        _, self.stderr = await asyncio.wait_for(self.process.communicate(), timeout)
        return self.process.returncode

    def kill(self) -> None:
        if self.process and self.process.returncode is None:
            self.process.kill()


async def _probe(command: list[str], pki: TestPKI) -> str | None:
    """None when the binary takes part in DAVE (announces version 1 and sends a key package after
    the session description), else what it did instead."""
    fake = FakeDiscord(pki)
    await fake.start()
    scream = Scream(command, fake, pki, "1s", timeout=3)
    bot_id = fake.bot_user_id
    try:
        await scream.start()
        try:
            await fake.dave.wait_for(lambda: fake.records.voice_identify is not None
                                     or scream.process.returncode is not None, 30, "the voice IDENTIFY")
        except TimeoutError:
            return "the binary did not reach the fake voice gateway within 30 s"
        identify = fake.records.voice_identify
        if identify is None:
            return "the binary exited before identifying to the voice gateway"
        version = int(identify.get("max_dave_protocol_version", 0))
        if version < 1:
            return f"the binary announces max_dave_protocol_version {version}"
        try:
            await fake.dave.wait_for(lambda: any(e.text == f"{bot_id} sent a key package" for e in fake.dave.events)
                                     or scream.process.returncode is not None, 15, "a key package")
        except TimeoutError:
            return "the binary announces DAVE but sent no key package within 15 s of connecting"
        if not any(e.text == f"{bot_id} sent a key package" for e in fake.dave.events):
            return "the binary announces DAVE but exited without sending a key package"
        return None
    finally:
        scream.kill()
        await fake.stop()


@pytest.fixture(scope="session")
def dave_scream(scream_binary: Path | None, pki: TestPKI) -> Path:
    if scream_binary is None:
        pytest.skip("no scream binary given (pass --scream PATH or set SCREAM_BINARY)")
    if not scream_binary.exists():
        pytest.skip(f"the scream binary {scream_binary} does not exist")
    reason = asyncio.run(_probe([str(scream_binary)], pki))
    assert reason is None, f"scream does not take part in DAVE: {reason}"
    return scream_binary


@pytest.fixture
def bot(dave_scream: Path, pki: TestPKI):
    """Makes the bot under test for a fake: `bot(fake, seconds)`."""
    return lambda fake, seconds, timeout=20: Scream([str(dave_scream)], fake, pki, f"{seconds}s", timeout)


@asynccontextmanager
async def playing(bot, pki: TestPKI, seconds: int) -> AsyncIterator[tuple[FakeDiscord, Scream]]:
    """A running fake and a bot made for it (not started yet), killed on the way out."""
    async with running_fake(pki) as fake:
        runner = bot(fake, seconds)
        try:
            yield fake, runner
        finally:
            runner.kill()


def bot_frames_heard(fake: FakeDiscord, listener: Participant, since: float) -> tuple[int, int, int]:
    """(sent, decrypted, decoded) for the bot's frames that reached `listener` after `since`."""
    frames = [f for f in listener.media.get(fake.bot_user_id, None).frames if f.at >= since] \
        if fake.bot_user_id in listener.media else []
    return (len(frames), sum(1 for f in frames if f.plaintext is not None), sum(1 for f in frames if f.samples > 0))


def report(name: str, fake: FakeDiscord, lines: list[str]) -> None:
    text = f"scenario {name}: bot sent {len(fake.records.media)} frames; " + "; ".join(lines)
    print(text)
    if REPORT:
        with open(REPORT, "a") as handle:
            handle.write(text + "\n")


def assert_heard_everything(fake: FakeDiscord, listener: Participant, since: float, label: str,
                            grace: float = 0.0) -> str:
    """Every bot frame `listener` got after `since` (+ `grace` for frames in flight when a new
    member's transition executed) decrypted and decoded."""
    sent, decrypted, decoded = bot_frames_heard(fake, listener, since + grace)
    assert sent > 0, f"{label} heard nothing from the bot"
    assert decrypted == sent and decoded == sent, f"{label}: sent {sent}, decrypted {decrypted}, decoded {decoded}"
    return f"{label} sent {sent} / decrypted {decrypted} / decoded {decoded}"


def assert_no_audio_before(fake: FakeDiscord, executed_at: float) -> None:
    early = [m for m in fake.records.media if m.at < executed_at and m.frame != SILENCE]
    assert early == [], f"{len(early)} audio frames arrived before the bot's first transition executed"


def first_execute_with(fake: FakeDiscord, members: set[int]) -> float:
    return next(at for at, _, version, group in fake.dave.executed if version > 0 and members <= group)


async def playing_to_one_listener(fake: FakeDiscord, scream: Scream) -> Participant:
    """Participant A joins, the bot starts, they form a group and half a second of audio flows."""
    listener = fake.add_participant(A)
    await scream.start()
    await settled(fake, {A, fake.bot_user_id}, timeout=30)
    await fake.dave.wait_for(lambda: len(fake.records.media) >= 25, 20, "half a second of audio")
    return listener


async def _finish(scream: Scream, fake: FakeDiscord) -> None:
    code = await scream.finish()
    assert code == 0, scream.stderr.decode(errors="replace")[-2000:]
    assert fake.left.is_set(), "the bot never left the voice channel"


def test_a_bot_is_welcomed_into_an_established_group_and_plays(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 3) as (fake, scream):
            a, b = fake.add_participant(A), fake.add_participant(B)
            await settled(fake, {A, B})
            await scream.start()
            await settled(fake, {A, B, fake.bot_user_id}, after=len(fake.dave.executed), timeout=30)
            await _finish(scream, fake)
            joined = first_execute_with(fake, {fake.bot_user_id})
            assert_no_audio_before(fake, joined)
            report("a", fake, [assert_heard_everything(fake, p, joined, f"participant {p.user_id}") for p in (a, b)])

    run(scenario, 120)


def test_b_bot_waits_alone_commits_each_joiner_and_plays(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 4) as (fake, scream):
            bot_id = fake.bot_user_id
            await scream.start()
            await fake.dave.wait_for(lambda: bot_id in fake.dave.key_packages, 30, "the bot's key package")
            a = fake.add_participant(A)
            a.commits = False
            await settled(fake, {A, bot_id}, timeout=30)
            await fake.dave.wait_for(lambda: len(fake.records.media) >= 25, 20, "half a second of audio")
            b = fake.add_participant(B)
            b.commits = False
            await settled(fake, {A, B, bot_id}, after=len(fake.dave.executed), timeout=20)
            await _finish(scream, fake)
            commits = [e.text for e in fake.dave.events if e.text.startswith("accepted commit")]
            assert all(f"from {bot_id}:" in text for text in commits), commits
            first, second = first_execute_with(fake, {bot_id, A}), first_execute_with(fake, {bot_id, A, B})
            assert_no_audio_before(fake, first)
            report("b", fake, [assert_heard_everything(fake, a, first, "first joiner"),
                               assert_heard_everything(fake, b, second, "mid-play joiner", GRACE)])

    run(scenario, 120)


def test_c_participant_leaves_mid_play_and_bot_keeps_playing(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 4) as (fake, scream):
            bot_id = fake.bot_user_id
            a = fake.add_participant(A)
            fake.add_participant(B)
            a.commits = False  # B commits the bot's Add; after B leaves only the bot can commit
            await settled(fake, {A, B})
            await scream.start()
            await settled(fake, {A, B, bot_id}, after=len(fake.dave.executed), timeout=30)
            await fake.dave.wait_for(lambda: len(fake.records.media) >= 50, 20, "a second of audio")
            executed = len(fake.dave.executed)
            fake.remove_participant(B)
            await settled(fake, {A, bot_id}, after=executed, timeout=20)
            last_commit = [e.text for e in fake.dave.events if e.text.startswith("accepted commit")][-1]
            assert f"from {bot_id}:" in last_commit, last_commit
            heard_before_leave = len(fake.records.media)
            await _finish(scream, fake)
            assert len(fake.records.media) > heard_before_leave + 25, "the bot stopped playing after the Remove"
            joined = first_execute_with(fake, {bot_id})
            report("c", fake, [assert_heard_everything(fake, a, joined, "remaining participant")])

    run(scenario, 120)


def test_d_two_participants_join_at_once(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 3) as (fake, scream):
            bot_id = fake.bot_user_id
            await scream.start()
            await fake.dave.wait_for(lambda: bot_id in fake.dave.key_packages, 30, "the bot's key package")
            a, b = fake.add_participant(A), fake.add_participant(B)
            await fake.dave.wait_for(lambda: set(fake.dave.members()) == {A, B, bot_id}, 30, "one group of three")
            await settled(fake, {A, B, bot_id}, timeout=30)
            await _finish(scream, fake)
            joined = first_execute_with(fake, {bot_id, A, B})
            report("d", fake, [assert_heard_everything(fake, p, joined, f"participant {p.user_id}") for p in (a, b)])

    run(scenario, 120)


def test_e_downgrade_to_version_0_and_upgrade_back(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 6) as (fake, scream):
            bot_id = fake.bot_user_id
            a = await playing_to_one_listener(fake, scream)
            executed = len(fake.dave.executed)
            fake.dave.downgrade()
            await fake.dave.wait_for(lambda: len(fake.dave.executed) > executed, 20, "the downgrade to execute")
            downgraded_at = fake.dave.executed[-1][0]
            await asyncio.sleep(1.0)
            executed = len(fake.dave.executed)
            fake.dave.upgrade()
            await settled(fake, {A, bot_id}, after=executed, timeout=20)
            upgraded_at = fake.dave.executed[-1][0]
            await _finish(scream, fake)
            plain = [m for m in fake.records.media if downgraded_at + GRACE <= m.at < upgraded_at]
            assert plain and not any(is_protocol_frame(m.frame) for m in plain), "frames stayed encrypted at version 0"
            after = [m for m in fake.records.media if m.at >= upgraded_at + GRACE and m.frame != SILENCE]
            assert after and all(is_protocol_frame(m.frame) for m in after), "frames were not re-encrypted"
            joined = first_execute_with(fake, {bot_id})
            report("e", fake, [assert_heard_everything(fake, a, joined, "participant"),
                               f"{len(plain)} passthrough frames at version 0"])

    run(scenario, 120)


def assert_never_in_the_clear(fake: FakeDiscord) -> None:
    clear = [m for m in fake.records.media if m.frame != SILENCE and not is_protocol_frame(m.frame)]
    assert clear == [], f"{len(clear)} audio frames left the bot unencrypted at protocol version 1"


def test_f_last_listener_leaves_then_a_newcomer_gets_a_fresh_group(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 5) as (fake, scream):
            bot_id = fake.bot_user_id
            a = await playing_to_one_listener(fake, scream)
            fake.remove_participant(A)
            await fake.dave.wait_for(lambda: bot_id in fake.dave.key_packages and not fake.dave.established, 10,
                                     "the bot's key package after the sole member reset")
            executed = len(fake.dave.executed)
            b = fake.add_participant(B)
            await settled(fake, {B, bot_id}, after=executed, timeout=20)
            await _finish(scream, fake)
            assert_never_in_the_clear(fake)
            report("f", fake, [assert_heard_everything(fake, a, first_execute_with(fake, {A, bot_id}), "leaver"),
                               assert_heard_everything(fake, b, first_execute_with(fake, {B, bot_id}), "newcomer")])

    run(scenario, 120)


def test_g_bot_recovers_from_an_unprocessable_welcome(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 3) as (fake, scream):
            bot_id = fake.bot_user_id
            a, b = fake.add_participant(A), fake.add_participant(B)
            await settled(fake, {A, B})
            fake.dave.corrupt_welcome_for.add(bot_id)
            await scream.start()
            await fake.dave.wait_for(lambda: any(e.text.startswith(f"{bot_id} reported an invalid")
                                                 for e in fake.dave.events), 30, "the bot's invalid-welcome report")
            await fake.dave.wait_for(lambda: sum(e.text == f"{bot_id} sent a key package"
                                                 for e in fake.dave.events) >= 2, 10, "the bot's fresh key package")
            await fake.dave.wait_for(lambda: any(bot_id in group for _, _, _, group in fake.dave.executed), 20,
                                     "the bot's second welcome to execute")
            await _finish(scream, fake)
            assert_never_in_the_clear(fake)
            joined = first_execute_with(fake, {A, B, bot_id})
            assert_no_audio_before(fake, joined)
            report("g", fake, [assert_heard_everything(fake, p, joined, f"participant {p.user_id}") for p in (a, b)])

    run(scenario, 120)


def test_h_add_for_an_unannounced_user_is_never_committed(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 4) as (fake, scream):
            bot_id = fake.bot_user_id
            a = await playing_to_one_listener(fake, scream)
            a.commits = False
            stranger = dave.Session()
            stranger.init(1, fake.channel_id, str(C), None)
            commits_before = len(fake.dave.executed)
            fake.dave.propose_unannounced(C, stranger.get_marshalled_key_package())
            await asyncio.sleep(1.0)
            assert C not in fake.dave.members() and len(fake.dave.executed) == commits_before, \
                "the bot committed an Add for a user it was never told about"
            fake.dave.revoke_adds_for(C)
            await _finish(scream, fake)
            assert_never_in_the_clear(fake)
            report("h", fake, [assert_heard_everything(fake, a, first_execute_with(fake, {A, bot_id}), "participant")])

    run(scenario, 120)


def test_i_alone_until_the_timeout_exits_non_zero_without_playing(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with running_fake(pki) as fake:
            scream = bot(fake, 2, timeout=3)
            try:
                await scream.start()
                code = await scream.finish()
            finally:
                scream.kill()
            stderr = scream.stderr.decode(errors="replace")
            assert code != 0, stderr[-2000:]
            assert "Nobody joined the voice channel within 3 s to hear the scream" in stderr, stderr[-2000:]
            audio = [m for m in fake.records.media if m.frame != SILENCE]
            assert audio == [], f"{len(audio)} audio frames left a bot nobody could hear"
            assert fake.left.is_set(), "the bot never left the voice channel"
            report("i", fake, [f"exit status {code}"])

    run(scenario, 60)


def test_j_a_quick_reconnect_whose_add_comes_before_its_remove_costs_no_rekey(bot, pki: TestPKI) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 5) as (fake, scream):
            bot_id = fake.bot_user_id
            a, b = fake.add_participant(A), fake.add_participant(B)
            await settled(fake, {A, B})
            await scream.start()
            await settled(fake, {A, B, bot_id}, after=len(fake.dave.executed), timeout=30)
            await fake.dave.wait_for(lambda: len(fake.records.media) >= 25, 20, "half a second of audio")
            fake.dave.add_before_remove = True
            executed = len(fake.dave.executed)
            fake.reconnect_participant(A)
            await settled(fake, {A, B, bot_id}, after=executed, timeout=20)
            rejoined = fake.dave.executed[-1][0]
            await _finish(scream, fake)
            reports = [e.text for e in fake.dave.events if e.text.startswith(f"{bot_id} reported an invalid")]
            assert reports == [], f"the bot refused the reconnect: {reports}"
            assert fake.dave.members().count(A) == 1
            assert_never_in_the_clear(fake)
            report("j", fake, [assert_heard_everything(fake, a, rejoined, "reconnected participant", GRACE),
                               assert_heard_everything(fake, b, first_execute_with(fake, {A, B, bot_id}),
                                                       "other participant")])

    run(scenario, 120)


@pytest.mark.parametrize("close_first", [False, True], ids=["gateway-first", "close-first"])
def test_k_voice_server_move_mid_scream_every_frame_still_decrypts(bot, pki: TestPKI, close_first: bool) -> None:
    async def scenario() -> None:
        async with playing(bot, pki, 5) as (fake, scream):
            bot_id = fake.bot_user_id
            a = await playing_to_one_listener(fake, scream)
            joined = first_execute_with(fake, {A, bot_id})
            executed = len(fake.dave.executed)
            await fake.move_voice_server(close_first)
            await settled(fake, {A, bot_id}, after=executed, timeout=30)
            await _finish(scream, fake)
            identifies = [d for d in fake.records.voice_identifies if d.get("user_id") == str(bot_id)]
            assert len(identifies) == 2, identifies
            assert identifies[1]["session_id"] == identifies[0]["session_id"]
            assert identifies[1]["token"] == fake.voice_token != identifies[0]["token"]
            assert_never_in_the_clear(fake)
            played = re.search(r"played (\d+) frames", scream.stderr.decode(errors="replace"))
            audio = [m for m in fake.records.media if m.frame != SILENCE]
            assert played and len(audio) == int(played[1]), f"{len(audio)} audio frames arrived, the bot {played}"
            report("k", fake, [assert_heard_everything(fake, a, joined, "listener across the move")])

    run(scenario, 120)
