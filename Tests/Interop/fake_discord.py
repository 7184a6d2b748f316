"""A fake Discord for DAVE interop: main gateway v10, voice gateway v8 and a UDP voice server.

Everything listens on 127.0.0.1 with TLS from a test CA, so the real `scream` binary reaches it
through SCREAM_GATEWAY_URL and SCREAM_CA_FILE. The voice gateway's DAVE side is a
`DaveGateway`; simulated people in the channel are libdave `Participant`s living in-process
(their gateway traffic is the same framed bytes a socket would carry). The UDP server
decrypts each packet's rtpsize transport AEAD and forwards the DAVE frame to every other
participant, like the SFU, which decrypts it with libdave and decodes it with libopus.
"""

from __future__ import annotations

import asyncio
import json
import os
import struct
import time
from dataclasses import dataclass, field

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from certs import TestPKI
from dave_gateway import DaveGateway, VoiceClient
from participant import OP_SESSION_DESCRIPTION, Participant
from rtp_transport import AES_MODE, XCHACHA_MODE, TransportError, open_packet

VOICE_TOKEN = "fake-voice-token"
BOT_VOICE_SESSION = "fake-bot-voice-session"


@dataclass
class MediaRecord:
    """One RTP packet the UDP server accepted."""

    at: float
    user_id: int
    sequence: int
    timestamp: int
    frame: bytes


@dataclass
class VoiceSession:
    user_id: int
    ssrc: int
    mode: str = ""
    key: bytes = b""


@dataclass
class Records:
    """What the fake saw, for assertions and reports."""

    identify: dict | None = None
    voice_identify: dict | None = None
    select_protocol: dict | None = None
    voice_identifies: list[dict] = field(default_factory=list)
    media: list[MediaRecord] = field(default_factory=list)
    rejected_packets: list[str] = field(default_factory=list)
    voice_joins: list[str | None] = field(default_factory=list)


class InProcessLink:
    """Carries one in-process participant's voice gateway traffic as framed messages."""

    def __init__(self, fake: "FakeDiscord", user_id: int) -> None:
        self.fake = fake
        self.queue: asyncio.Queue[str | bytes] = asyncio.Queue()
        self.client = VoiceClient(user_id, self.queue.put_nowait)
        self.participant = Participant(user_id, fake.channel_id, self._to_gateway)
        self.task = asyncio.create_task(self._pump())

    def _to_gateway(self, message: str | bytes) -> None:
        uid = self.client.user_id
        if isinstance(message, str):
            body = json.loads(message)
            self.fake.dave.on_json(uid, body["op"], body.get("d") or {})
        else:
            self.fake.dave.on_binary(uid, message[0], message[1:])

    async def _pump(self) -> None:
        while True:
            message = await self.queue.get()
            self.participant.handle(message)
            self.fake.dave.changed.set()


class FakeDiscord:
    """Main gateway, voice gateway, UDP server and the simulated people of one voice channel."""

    def __init__(self, pki: TestPKI, *, guild_id: int = 41771983423143937, channel_id: int = 41771983423143938,
                 bot_user_id: int = 41771983423143939, token: str = "fake-bot-token",
                 modes: tuple[str, ...] = (AES_MODE, XCHACHA_MODE), protocol_version: int = 1,
                 transition_timeout: float = 5.0) -> None:
        self.pki = pki
        self.guild_id = guild_id
        self.channel_id = channel_id
        self.bot_user_id = bot_user_id
        self.token = token
        self.modes = modes
        self.dave = DaveGateway(channel_id, protocol_version, transition_timeout)
        self.records = Records()
        self.links: dict[int, InProcessLink] = {}
        self.sessions: dict[int, VoiceSession] = {}
        self.left = asyncio.Event()
        self.voice_token = VOICE_TOKEN
        self.voice_server = 0  # which of the two voice listeners VOICE_SERVER_UPDATE names
        self._bot_voice_ws: ServerConnection | None = None
        self._main_ws: ServerConnection | None = None
        self._main_seq = 0
        self._next_ssrc = 1000
        self._servers: list = []
        self._udp: asyncio.DatagramTransport | None = None
        self.main_port = self.udp_port = 0
        self.voice_ports: list[int] = []

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        context = self.pki.server_context()
        main = await serve(self._main, "127.0.0.1", 0, ssl=context, compression=None)
        voices = [await serve(self._voice, "127.0.0.1", 0, ssl=context, compression=None) for _ in range(2)]
        self._servers = [main, *voices]
        self.main_port = main.sockets[0].getsockname()[1]
        self.voice_ports = [voice.sockets[0].getsockname()[1] for voice in voices]
        loop = asyncio.get_running_loop()
        self._udp, _ = await loop.create_datagram_endpoint(lambda: _UDPServer(self), local_addr=("127.0.0.1", 0))
        self.udp_port = self._udp.get_extra_info("sockname")[1]

    async def stop(self) -> None:
        for link in self.links.values():
            link.task.cancel()
        for server in self._servers:
            server.close()
            await server.wait_closed()
        if self._udp:
            self._udp.close()

    @property
    def gateway_url(self) -> str:
        return f"wss://127.0.0.1:{self.main_port}/?v=10&encoding=json"

    @property
    def voice_endpoint(self) -> str:
        return f"127.0.0.1:{self.voice_ports[self.voice_server]}"

    async def move_voice_server(self, close_first: bool = False) -> None:
        """Discord replaces the bot's voice server: VOICE_SERVER_UPDATE naming the other voice
        listener with a new token, and the old voice socket closes with 4014, in either order."""
        self.voice_server = 1 - self.voice_server
        self.voice_token = f"{VOICE_TOKEN}-{len(self.records.voice_identifies)}"
        update = {"token": self.voice_token, "guild_id": str(self.guild_id), "endpoint": self.voice_endpoint}
        old = self._bot_voice_ws

        async def announce() -> None:
            if self._main_ws is not None:
                await self._main_send(self._main_ws, 0, update, "VOICE_SERVER_UPDATE")

        async def close() -> None:
            if old is not None:
                await old.close(4014, "Disconnected.")

        first, second = (close, announce) if close_first else (announce, close)
        await first()
        await asyncio.sleep(0.05)
        await second()

    def reconnect_participant(self, user_id: int) -> None:
        """The participant's client reconnects at once: a fresh libdave session and key package
        while its old leaf is still in the group; nobody hears of a disconnect."""
        link = self.links[user_id]
        link.participant.reconnect()
        self.dave.send_external_sender(link.client)

    # -- simulated people ----------------------------------------------------------------
    def add_participant(self, user_id: int) -> Participant:
        """A libdave participant joins the channel and completes its voice handshake."""
        link = InProcessLink(self, user_id)
        self.links[user_id] = link
        self.dave.connect(link.client)
        self._new_session(user_id)
        link.client.send_json(OP_SESSION_DESCRIPTION, self._session_description(AES_MODE, bytes(32), 1))
        if self.dave.protocol_version > 0:
            self.dave.send_external_sender(link.client)
        self._dispatch_voice_state(user_id, self.channel_id)
        return link.participant

    def remove_participant(self, user_id: int) -> None:
        link = self.links.pop(user_id)
        link.task.cancel()
        self.dave.disconnect(user_id)
        self._dispatch_voice_state(user_id, None)

    def participants(self) -> list[Participant]:
        return [link.participant for link in self.links.values()]

    def deliver(self, sender: int, frame: bytes) -> None:
        """The SFU forwards one DAVE frame to everyone else in the channel."""
        for uid, link in self.links.items():
            if uid != sender:
                link.participant.receive(sender, frame)

    # -- main gateway --------------------------------------------------------------------
    async def _main_send(self, ws: ServerConnection, op: int, d: object, t: str | None = None) -> None:
        if op == 0:
            self._main_seq += 1
        await ws.send(json.dumps({"op": op, "d": d, "s": self._main_seq if op == 0 else None, "t": t}))

    def _dispatch_voice_state(self, user_id: int, channel_id: int | None) -> None:
        if self._main_ws is None or user_id == self.bot_user_id:
            return
        state = {"guild_id": str(self.guild_id), "channel_id": str(channel_id) if channel_id else None,
                 "user_id": str(user_id), "session_id": f"session-{user_id}", "deaf": False, "mute": False,
                 "self_deaf": False, "self_mute": False, "member": {"user": {"id": str(user_id), "bot": False}}}
        asyncio.create_task(self._main_send(self._main_ws, 0, state, "VOICE_STATE_UPDATE"))

    def _guild_create(self) -> dict:
        humans = list(self.links)
        return {
            "id": str(self.guild_id), "name": "Fake Guild", "unavailable": False,
            # As on Discord: @everyone (the role whose id is the guild's) may view, send, connect and speak.
            "roles": [{"id": str(self.guild_id), "name": "@everyone", "permissions": str(1024 | 2048 | 1 << 20 | 1 << 21)}],
            "channels": [{"id": str(self.channel_id), "type": 2, "name": "Screams", "guild_id": str(self.guild_id)}],
            "voice_states": [{"user_id": str(uid), "channel_id": str(self.channel_id), "session_id": f"session-{uid}",
                              "guild_id": str(self.guild_id)} for uid in humans],
            "members": [{"user": {"id": str(uid), "username": f"person{uid}", "bot": False}, "roles": []} for uid in humans]
            + [{"user": {"id": str(self.bot_user_id), "username": "scream", "bot": True}, "roles": []}],
        }

    async def _main(self, ws: ServerConnection) -> None:
        await self._main_send(ws, 10, {"heartbeat_interval": 41250})
        try:
            async for message in ws:
                body = json.loads(message)
                op, d = body.get("op"), body.get("d")
                if op == 1:
                    await self._main_send(ws, 11, None)
                elif op == 2:
                    self.records.identify = d
                    if d.get("token") != self.token:
                        await ws.close(4004, "Authentication failed.")
                        return
                    self._main_ws = ws
                    await self._main_send(ws, 0, {
                        "v": 10, "session_id": "fake-main-session", "resume_gateway_url": self.gateway_url,
                        "user": {"id": str(self.bot_user_id), "username": "scream", "bot": True},
                        "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                        "application": {"id": str(self.bot_user_id), "flags": 0}}, "READY")
                    await self._main_send(ws, 0, self._guild_create(), "GUILD_CREATE")
                elif op == 4:
                    # Record the join or leave before any reply: the bot may close the gateway
                    # right after leaving, and a failed send must not lose the record.
                    channel = d.get("channel_id")
                    self.records.voice_joins.append(channel)
                    if not channel:
                        self.left.set()
                    await self._main_send(ws, 0, {
                        "guild_id": str(self.guild_id), "channel_id": channel, "user_id": str(self.bot_user_id),
                        "session_id": BOT_VOICE_SESSION, "self_deaf": bool(d.get("self_deaf")),
                        "self_mute": bool(d.get("self_mute")), "deaf": False, "mute": False}, "VOICE_STATE_UPDATE")
                    if channel:
                        await self._main_send(ws, 0, {"token": self.voice_token, "guild_id": str(self.guild_id),
                                                      "endpoint": self.voice_endpoint}, "VOICE_SERVER_UPDATE")
                elif op == 6:
                    await self._main_send(ws, 0, {}, "RESUMED")
        except ConnectionClosed:
            pass
        finally:
            if self._main_ws is ws:
                self._main_ws = None

    # -- voice gateway -------------------------------------------------------------------
    def _new_session(self, user_id: int) -> VoiceSession:
        self._next_ssrc += 1
        session = VoiceSession(user_id, self._next_ssrc)
        self.sessions[session.ssrc] = session
        return session

    def _session_description(self, mode: str, key: bytes, max_version: int) -> dict:
        version = self.dave.protocol_version if max_version >= 1 else 0
        return {"mode": mode, "secret_key": list(key), "audio_codec": "opus", "media_session_id": "fake-media",
                "dave_protocol_version": version}

    async def _voice(self, ws: ServerConnection) -> None:
        queue: asyncio.Queue[str | bytes] = asyncio.Queue()
        writer = asyncio.create_task(_drain(ws, queue))
        client: VoiceClient | None = None
        session: VoiceSession | None = None
        max_version = 0
        queue.put_nowait(json.dumps({"op": 8, "d": {"v": 8, "heartbeat_interval": 13750}}))
        try:
            async for message in ws:
                if isinstance(message, bytes):
                    if client and message:
                        self.dave.on_binary(client.user_id, message[0], message[1:])
                    continue
                body = json.loads(message)
                op, d = body.get("op"), body.get("d") or {}
                if op == 0:
                    self.records.voice_identify = d
                    self.records.voice_identifies.append(d)
                    if d.get("token") != self.voice_token or d.get("server_id") != str(self.guild_id) \
                            or ws.local_address[1] != self.voice_ports[self.voice_server]:
                        await ws.close(4004, "Authentication failed.")
                        return
                    max_version = int(d.get("max_dave_protocol_version", 0))
                    client = VoiceClient(int(d["user_id"]), queue.put_nowait)
                    if client.user_id == self.bot_user_id:
                        self._bot_voice_ws = ws
                    session = self._new_session(client.user_id)
                    client.send_json(2, {"ssrc": session.ssrc, "ip": "127.0.0.1", "port": self.udp_port,
                                         "modes": list(self.modes), "experiments": []})
                    self.dave.connect(client)
                elif op == 1 and client and session:
                    self.records.select_protocol = d
                    session.mode = d["data"]["mode"]
                    session.key = os.urandom(32)
                    client.send_json(OP_SESSION_DESCRIPTION,
                                     self._session_description(session.mode, session.key, max_version))
                    if self.dave.protocol_version > 0 and max_version >= 1:
                        self.dave.send_external_sender(client)
                elif op == 3 and client:
                    client.send_json(6, {"t": d.get("t")})
                elif op == 7 and client:
                    client.send_json(9, None)
                elif client:
                    self.dave.on_json(client.user_id, op, d)
        except ConnectionClosed:
            pass
        finally:
            writer.cancel()
            # after a move the user's new connection may have identified first: it stays
            if client and self.dave.clients.get(client.user_id) is client:
                self.dave.disconnect(client.user_id)

    def _on_datagram(self, data: bytes, addr: tuple[str, int], transport: asyncio.DatagramTransport) -> None:
        if len(data) == 74 and data[:4] == b"\x00\x01\x00\x46":
            ssrc = int.from_bytes(data[4:8], "big")
            address = addr[0].encode().ljust(64, b"\x00")
            transport.sendto(struct.pack(">HHI", 2, 70, ssrc) + address + struct.pack(">H", addr[1]), addr)
            return
        if len(data) < 12:
            self.records.rejected_packets.append("short packet")
            return
        session = self.sessions.get(int.from_bytes(data[8:12], "big"))
        if session is None or not session.key:
            self.records.rejected_packets.append("unknown ssrc")
            return
        try:
            packet = open_packet(session.mode, session.key, data)
        except TransportError as error:
            self.records.rejected_packets.append(str(error))
            return
        self.records.media.append(MediaRecord(time.monotonic(), session.user_id, packet.sequence,
                                              packet.timestamp, packet.payload))
        self.deliver(session.user_id, packet.payload)


async def _drain(ws: ServerConnection, queue: asyncio.Queue) -> None:
    try:
        while True:
            await ws.send(await queue.get())
    except ConnectionClosed:
        pass


class _UDPServer(asyncio.DatagramProtocol):
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.fake._on_datagram(data, addr, self.transport)
