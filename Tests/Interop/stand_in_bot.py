"""A Python stand-in for `scream play`, built on libdave, that exercises the same scenarios.

It logs in to the main gateway over TLS, joins the channel, connects to the voice gateway
with `NetworkVoiceClient`, waits until it is in an established group whose transition has
executed, plays `seconds` of 20 ms Opus frames through its DAVE encryptor (passthrough at
an executed protocol version 0; frames made while no executed transition gives it a sending
key are dropped, never sent in the clear), sends five silence frames and leaves.

The scenario tests run it in-process, and as a program with scream's own command line and
environment (`play --guild G --channel C --duration Ns`, DISCORD_TOKEN, SCREAM_GATEWAY_URL,
SCREAM_CA_FILE), so the scenarios and the binary runner are proven before scream speaks DAVE.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import ssl
import sys
import time

from websockets.asyncio.client import connect

from scenario import SILENCE
from voice_client import NetworkVoiceClient


class StandInBot:
    """Same surface as the tests' `Scream` runner: start, finish, kill, stderr."""

    def __init__(self, gateway_url: str, tls: ssl.SSLContext, token: str, guild_id: int, channel_id: int,
                 seconds: float, connect_timeout: float = 20) -> None:
        self.gateway_url, self.tls, self.token = gateway_url, tls, token
        self.guild_id, self.channel_id = guild_id, channel_id
        self.seconds, self.connect_timeout = seconds, connect_timeout
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
        async with connect(self.gateway_url, ssl=self.tls, compression=None) as main:
            assert json.loads(await main.recv())["op"] == 10
            await main.send(json.dumps({"op": 2, "d": {"token": self.token, "intents": 129, "properties": {}}}))
            user_id = None
            while True:
                event = json.loads(await main.recv())
                if event.get("t") == "READY":
                    user_id = int(event["d"]["user"]["id"])
                if event.get("t") == "GUILD_CREATE":
                    break
            await main.send(json.dumps({"op": 4, "d": {"guild_id": str(self.guild_id),
                                                       "channel_id": str(self.channel_id),
                                                       "self_mute": False, "self_deaf": True}}))
            session_id = endpoint = voice_token = None
            while endpoint is None or session_id is None:
                event = json.loads(await main.recv())
                if event.get("t") == "VOICE_SERVER_UPDATE":
                    endpoint, voice_token = event["d"]["endpoint"], event["d"]["token"]
                elif event.get("t") == "VOICE_STATE_UPDATE" and event["d"]["user_id"] == str(user_id):
                    session_id = event["d"]["session_id"]
            voice = NetworkVoiceClient(self.tls, endpoint, self.guild_id, self.channel_id, user_id,
                                       session_id=session_id, token=voice_token)
            await voice.connect()
            try:
                await self._stream(voice)
            finally:
                await voice.close()
            await main.send(json.dumps({"op": 4, "d": {"guild_id": str(self.guild_id), "channel_id": None,
                                                       "self_mute": False, "self_deaf": True}}))
            await asyncio.sleep(0.05)

    async def _stream(self, voice: NetworkVoiceClient) -> None:
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


def main() -> int:
    """`play --guild G --channel C --duration Ns [--seed N] [--timeout S] [-v]`, as scream takes it."""
    parser = argparse.ArgumentParser(prog="stand_in_bot")
    parser.add_argument("command", choices=["play"])
    parser.add_argument("--guild", type=int, required=True)
    parser.add_argument("--channel", type=int, required=True)
    parser.add_argument("--duration", default="3s")
    parser.add_argument("--seed")
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("-v", action="store_true")
    args = parser.parse_args()
    tls = ssl.create_default_context(cafile=os.environ.get("SCREAM_CA_FILE"))
    bot = StandInBot(os.environ["SCREAM_GATEWAY_URL"], tls, os.environ["DISCORD_TOKEN"], args.guild, args.channel,
                     float(args.duration.rstrip("s")), args.timeout)

    async def run() -> int:
        await bot.start()
        return await bot.finish(args.timeout + 120)

    code = asyncio.run(run())
    if code:
        print(bot.stderr.decode(), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
