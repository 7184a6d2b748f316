"""A simulated voice participant whose DAVE side is Discord's libdave (module `dave`).

It reacts to voice gateway messages as a real client does: key package after a session
description or prepare_epoch(epoch 1), commit for every proposals batch, ready after each
commit/welcome it processes, invalid_commit_welcome plus a fresh key package when libdave
refuses one, passthrough on downgrade, and it switches its own sending ratchet on execute.
Incoming media frames are decrypted with libdave and then decoded with libopus.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Callable

import dave

from dave_gateway import (OP_ANNOUNCE_COMMIT, OP_CLIENT_DISCONNECT, OP_CLIENTS_CONNECT, OP_COMMIT_WELCOME,
                          OP_EXECUTE_TRANSITION, OP_EXTERNAL_SENDER, OP_INVALID_COMMIT_WELCOME, OP_KEY_PACKAGE,
                          OP_PREPARE_EPOCH, OP_PREPARE_TRANSITION, OP_PROPOSALS, OP_READY_FOR_TRANSITION,
                          OP_WELCOME)
from opus_check import OpusDecoder, OpusEncoder

OP_SESSION_DESCRIPTION = 4
SSRC = 1


@dataclass
class Received:
    """One media frame from one sender, as this participant saw it."""

    at: float
    frame: bytes
    plaintext: bytes | None
    samples: int


@dataclass
class MediaLog:
    frames: list[Received] = field(default_factory=list)

    @property
    def decrypted(self) -> int:
        return sum(1 for r in self.frames if r.plaintext is not None)

    @property
    def decoded(self) -> int:
        return sum(1 for r in self.frames if r.samples > 0)


class Participant:
    """A libdave-backed voice client; `send` delivers its client messages to the gateway."""

    def __init__(self, user_id: int, channel_id: int, send: Callable[[str | bytes], None]) -> None:
        self.user_id = user_id
        self.channel_id = channel_id
        self._send = send
        self.failures: list[tuple[str, str]] = []
        self.session = dave.Session(lambda source, reason: self.failures.append((source, reason)))
        self.protocol_version = 0
        self.recognized: set[str] = {str(user_id)}
        self.roster: set[int] = set()
        self.pending_transitions: dict[int, int] = {}
        self.executed: list[int] = []
        self.media_version: int | None = None  # protocol version of the last executed transition
        self.encryptor = dave.Encryptor()
        self.encryptor.assign_ssrc_to_codec(SSRC, dave.Codec.opus)
        self.encryptor.set_passthrough_mode(True)
        self.decryptors: dict[int, dave.Decryptor] = {}
        self.opus: dict[int, OpusDecoder] = {}
        self.media: dict[int, MediaLog] = {}
        self.speaker = OpusEncoder()
        self.commits = True  # False: processes proposals but leaves committing to others

    # -- gateway messages ----------------------------------------------------------------
    def handle(self, message: str | bytes) -> None:
        if isinstance(message, str):
            body = json.loads(message)
            self._on_json(body["op"], body.get("d") or {})
        else:
            self._on_binary(message[2], message[3:])

    def _on_json(self, op: int, d: dict) -> None:
        if op == OP_SESSION_DESCRIPTION:
            self.protocol_version = int(d.get("dave_protocol_version", 0))
            if self.protocol_version > 0:
                self._start_session()
        elif op == OP_CLIENTS_CONNECT:
            self.recognized.update(d["user_ids"])
        elif op == OP_CLIENT_DISCONNECT:
            self.recognized.discard(d["user_id"])
        elif op == OP_PREPARE_TRANSITION:
            self._prepare_transition(int(d["transition_id"]), int(d["protocol_version"]))
        elif op == OP_EXECUTE_TRANSITION:
            self._execute(int(d["transition_id"]))
        elif op == OP_PREPARE_EPOCH:
            if int(d["epoch"]) == 1:
                self.protocol_version = int(d["protocol_version"])
                self._start_session()

    def _on_binary(self, op: int, payload: bytes) -> None:
        if op == OP_EXTERNAL_SENDER:
            self.session.set_external_sender(payload)
        elif op == OP_PROPOSALS:
            commit_welcome = self.session.process_proposals(payload, self.recognized)
            if commit_welcome and self.commits:
                self._send(bytes([OP_COMMIT_WELCOME]) + commit_welcome)
        elif op == OP_ANNOUNCE_COMMIT:
            transition_id = int.from_bytes(payload[:2], "big")
            result = self.session.process_commit(payload[2:])
            if isinstance(result, dave.RejectType):
                if result == dave.RejectType.failed:
                    self._recover(transition_id)
                return
            self._joined(transition_id, result)
        elif op == OP_WELCOME:
            transition_id = int.from_bytes(payload[:2], "big")
            roster = self.session.process_welcome(payload[2:], self.recognized)
            if roster is None:
                self._recover(transition_id)
                return
            self._joined(transition_id, roster)

    def _start_session(self) -> None:
        self.session.reset()
        self.session.init(self.protocol_version, self.channel_id, str(self.user_id), None)
        self.roster = set()
        self._send(bytes([OP_KEY_PACKAGE]) + self.session.get_marshalled_key_package())

    def reconnect(self) -> None:
        """A new connection of the same person: fresh libdave session (a reset one would report
        only its own leaf as changed in the next roster), encryptor and decryptors (the media logs
        go on), and a new key package; the gateway must send the external sender again."""
        self.session = dave.Session(lambda source, reason: self.failures.append((source, reason)))
        self.roster = set()
        self.encryptor = dave.Encryptor()
        self.encryptor.assign_ssrc_to_codec(SSRC, dave.Codec.opus)
        self.encryptor.set_passthrough_mode(True)
        self.decryptors = {}
        self.opus = {}
        self.pending_transitions = {}
        self._start_session()

    def _recover(self, transition_id: int) -> None:
        self._send(json.dumps({"op": OP_INVALID_COMMIT_WELCOME, "d": {"transition_id": transition_id}}))
        self._start_session()

    def _joined(self, transition_id: int, changes: dict[int, list[int]]) -> None:
        for uid, key in changes.items():
            if key:
                self.roster.add(uid)
            else:
                self.roster.discard(uid)
        for uid in self.roster - {self.user_id}:
            ratchet = self.session.get_key_ratchet(str(uid))
            decryptor = self.decryptors.setdefault(uid, dave.Decryptor())
            decryptor.transition_to_key_ratchet(ratchet)
            decryptor.transition_to_passthrough_mode(False)
        self.pending_transitions[transition_id] = self.protocol_version
        if transition_id == 0:
            self._execute(0)
        else:
            self._send(json.dumps({"op": OP_READY_FOR_TRANSITION, "d": {"transition_id": transition_id}}))

    def _prepare_transition(self, transition_id: int, version: int) -> None:
        self.pending_transitions[transition_id] = version
        if version == 0:
            for decryptor in self.decryptors.values():
                decryptor.transition_to_passthrough_mode(True)
        if transition_id == 0:
            self._execute(0)
        else:
            self._send(json.dumps({"op": OP_READY_FOR_TRANSITION, "d": {"transition_id": transition_id}}))

    def _execute(self, transition_id: int) -> None:
        version = self.pending_transitions.pop(transition_id, self.protocol_version)
        self.protocol_version = version
        self.media_version = version
        self.executed.append(transition_id)
        if version == 0:
            self.encryptor.set_passthrough_mode(True)
            return
        ratchet = self.session.get_key_ratchet(str(self.user_id)) if self.session.has_established_group() else None
        self.encryptor.set_key_ratchet(ratchet)
        self.encryptor.set_passthrough_mode(ratchet is None)

    # -- media ---------------------------------------------------------------------------
    @property
    def in_group(self) -> bool:
        return self.session.has_established_group() and self.protocol_version > 0

    @property
    def may_send(self) -> bool:
        """Whether audio sent now could only be heard by group members: at an executed protocol
        version 0, or encrypted under the key ratchet of an executed transition."""
        if self.media_version == 0:
            return True
        return self.encryptor.has_key_ratchet() and not self.encryptor.is_passthrough_mode()

    def speak(self) -> bytes:
        """The next 20 ms of this participant's own audio, as its DAVE sender transforms it."""
        frame = self.encryptor.encrypt(dave.MediaType.audio, SSRC, self.speaker.tone())
        if frame is None:
            raise RuntimeError(f"libdave refused to encrypt for {self.user_id}")
        return frame

    def receive(self, sender: int, frame: bytes) -> Received:
        """Decrypts (libdave) and decodes (libopus) one frame from `sender`, and logs it."""
        decryptor = self.decryptors.setdefault(sender, dave.Decryptor())
        plaintext = decryptor.decrypt(dave.MediaType.audio, frame)
        samples = self.opus.setdefault(sender, OpusDecoder()).decode(plaintext) if plaintext else -1
        record = Received(time.monotonic(), frame, plaintext, samples)
        self.media.setdefault(sender, MediaLog()).frames.append(record)
        return record
