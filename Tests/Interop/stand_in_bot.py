"""A Python stand-in for `scream play`, built on libdave, that exercises the same scenarios.

It logs in to the fake main gateway over TLS, joins the channel, connects to the voice
gateway with `NetworkVoiceClient`, waits until it is in an established group whose
transition has executed, plays `seconds` of 20 ms Opus frames through its DAVE encryptor
(passthrough at executed protocol version 0; frames made while no executed transition
gives it a sending key are dropped, never sent in the clear), sends five silence frames
and leaves. The scenario
tests run it alongside the real binary so the scenarios themselves are proven.
"""

from __future__ import annotations

import asyncio
import json
import time

from websockets.asyncio.client import connect

from certs import TestPKI
from fake_discord import FakeDiscord
from scenario import SILENCE
from voice_client import NetworkVoiceClient


class StandInBot:
    """Same surface as the tests' `Scream` runner: start, finish, kill, stderr."""

    def __init__(self, fake: FakeDiscord, pki: TestPKI, seconds: float, connect_timeout: float = 20) -> None:
        self.fake, self.pki, self.seconds, self.connect_timeout = fake, pki, seconds, connect_timeout
        self.task: asyncio.Task | None = None
        self.stderr = b""

    async def start(self) -> None:
        self.task = asyncio.create_task(self._play())

    async def finish(self, timeout: float = 60) -> int:
        assert self.task is not None
        try:
            await asyncio.wait_for(self.task, timeout)
            return 0
        except Exception as error:  # the runner reports failures as an exit status, like a process
            self.stderr = repr(error).encode()
            return 1

    def kill(self) -> None:
        if self.task and not self.task.done():
            self.task.cancel()

    async def _play(self) -> None:
        fake = self.fake
        async with connect(fake.gateway_url, ssl=self.pki.client_context(), compression=None) as main:
            assert json.loads(await main.recv())["op"] == 10
            await main.send(json.dumps({"op": 2, "d": {"token": fake.token, "intents": 129, "properties": {}}}))
            while json.loads(await main.recv()).get("t") != "GUILD_CREATE":
                pass
            await main.send(json.dumps({"op": 4, "d": {"guild_id": str(fake.guild_id),
                                                       "channel_id": str(fake.channel_id),
                                                       "self_mute": False, "self_deaf": True}}))
            endpoint = None
            while endpoint is None:
                event = json.loads(await main.recv())
                if event.get("t") == "VOICE_SERVER_UPDATE":
                    endpoint = event["d"]["endpoint"]
            voice = NetworkVoiceClient(self.pki, endpoint, fake.guild_id, fake.channel_id, fake.bot_user_id)
            await voice.connect()
            try:
                me = voice.participant
                deadline = time.monotonic() + self.connect_timeout
                while not (me.in_group and me.may_send):
                    if time.monotonic() > deadline:
                        raise TimeoutError("nobody joined the channel before the connect timeout")
                    await asyncio.sleep(0.01)
                start = time.monotonic()
                for index in range(int(self.seconds * 50)):
                    await asyncio.sleep(max(0.0, start + index * 0.02 - time.monotonic()))
                    frame = me.speak()
                    if me.may_send:
                        voice.send_frame(frame)
                for _ in range(5):
                    voice.send_frame(SILENCE)
            finally:
                await voice.close()
            await main.send(json.dumps({"op": 4, "d": {"guild_id": str(fake.guild_id), "channel_id": None,
                                                       "self_mute": False, "self_deaf": True}}))
            await asyncio.sleep(0.05)
