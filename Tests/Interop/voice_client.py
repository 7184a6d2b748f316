"""A Python voice client over the real sockets: the harness's stand-in for the `scream` bot.

It walks the voice gateway v8 handshake over TLS (HELLO, IDENTIFY with
max_dave_protocol_version 1, READY, UDP IP discovery, SELECT_PROTOCOL, SESSION_DESCRIPTION),
hands every DAVE message to a libdave `Participant`, and sends its participant's frames as
rtpsize RTP over UDP. It proves the fake's network path the binary will use.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import struct

from websockets.asyncio.client import ClientConnection, connect

from fake_discord import VOICE_TOKEN
from participant import OP_SESSION_DESCRIPTION, Participant
from rtp_transport import AES_MODE, seal_packet


class _Discovery(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.replies: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.replies.put_nowait(data)


class NetworkVoiceClient:
    """One user's voice connection to the fake, with libdave for DAVE."""

    def __init__(self, tls: ssl.SSLContext, endpoint: str, guild_id: int, channel_id: int, user_id: int,
                 mode: str = AES_MODE, session_id: str | None = None, token: str = VOICE_TOKEN) -> None:
        self.tls = tls
        self.session_id = session_id or f"session-{user_id}"
        self.token = token
        self.endpoint = endpoint
        self.guild_id = guild_id
        self.user_id = user_id
        self.mode = mode
        self.participant = Participant(user_id, channel_id, self._send)
        self._ws: ClientConnection | None = None
        self._outbox: asyncio.Queue[str | bytes] = asyncio.Queue()
        self._tasks: list[asyncio.Task] = []
        self._udp: asyncio.DatagramTransport | None = None
        self._discovery = _Discovery()
        self.ssrc = 0
        self.key = b""
        self.sequence = 0
        self.timestamp = 0
        self.counter = 0
        self.described = asyncio.Event()

    def _send(self, message: str | bytes) -> None:
        self._outbox.put_nowait(message)

    async def connect(self, timeout: float = 10) -> None:
        self._ws = await connect(f"wss://{self.endpoint}/?v=8", ssl=self.tls, compression=None)
        hello = json.loads(await asyncio.wait_for(self._ws.recv(), timeout))
        assert hello["op"] == 8, hello
        await self._ws.send(json.dumps({"op": 0, "d": {
            "server_id": str(self.guild_id), "user_id": str(self.user_id), "session_id": self.session_id,
            "token": self.token, "max_dave_protocol_version": 1}}))
        ready = json.loads(await asyncio.wait_for(self._ws.recv(), timeout))
        assert ready["op"] == 2, ready
        self.ssrc = ready["d"]["ssrc"]
        loop = asyncio.get_running_loop()
        self._udp, _ = await loop.create_datagram_endpoint(
            lambda: self._discovery, remote_addr=(ready["d"]["ip"], ready["d"]["port"]))
        self._udp.sendto(struct.pack(">HHI", 1, 70, self.ssrc) + bytes(66))
        reply = await asyncio.wait_for(self._discovery.replies.get(), timeout)
        address = reply[8:72].split(b"\x00", 1)[0].decode()
        port = int.from_bytes(reply[72:74], "big")
        await self._ws.send(json.dumps({"op": 1, "d": {"protocol": "udp",
                                                       "data": {"address": address, "port": port, "mode": self.mode}}}))
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._write())]
        await asyncio.wait_for(self.described.wait(), timeout)

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if isinstance(message, str):
                body = json.loads(message)
                if body["op"] == OP_SESSION_DESCRIPTION:
                    self.key = bytes(body["d"]["secret_key"])
                    self.described.set()
            self.participant.handle(message)

    async def _write(self) -> None:
        assert self._ws is not None
        while True:
            await self._ws.send(await self._outbox.get())

    def send_frame(self, frame: bytes) -> None:
        """Sends one 20 ms frame (already DAVE-transformed) as an rtpsize RTP packet."""
        assert self._udp is not None
        self.sequence += 1
        self.timestamp += 960
        self.counter += 1
        self._udp.sendto(seal_packet(self.mode, self.key, self.sequence, self.timestamp, self.ssrc,
                                     self.counter, frame))

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._ws:
            await self._ws.close()
        if self._udp:
            self._udp.close()
