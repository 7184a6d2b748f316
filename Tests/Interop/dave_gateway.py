"""The DAVE half of a fake Discord voice gateway: MLS delivery service and external sender.

One `DaveGateway` serves one voice channel. It speaks to each connected voice client through
a `VoiceClient`, which frames server messages exactly as the real voice gateway does (JSON
text with "seq"; binary `[seq u16 BE][opcode u8][payload]`). It follows the DAVE whitepaper:
external sender package (25), Add proposals for announced key packages (27), the first
valid commit per epoch announced (29) with per-member Welcomes (30), ready (23) / execute
(22) transitions with a timeout, Remove proposals on disconnect, sole member reset (24 +
21 with transition 0), recovery after invalid commit/welcome (31), and downgrade/upgrade.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Callable

from mls_wire import (ExternalSender, WireError, parse_commit, parse_key_package, proposal_ref,
                      proposals_append, proposals_revoke, welcome_for)

OP_CLIENTS_CONNECT = 11
OP_CLIENT_DISCONNECT = 13
OP_PREPARE_TRANSITION = 21
OP_EXECUTE_TRANSITION = 22
OP_READY_FOR_TRANSITION = 23
OP_PREPARE_EPOCH = 24
OP_EXTERNAL_SENDER = 25
OP_KEY_PACKAGE = 26
OP_PROPOSALS = 27
OP_COMMIT_WELCOME = 28
OP_ANNOUNCE_COMMIT = 29
OP_WELCOME = 30
OP_INVALID_COMMIT_WELCOME = 31


class VoiceClient:
    """The gateway's end of one voice connection; `sink` receives each framed message in order."""

    def __init__(self, user_id: int, sink: Callable[[str | bytes], None]) -> None:
        self.user_id = user_id
        self._sink = sink
        self.seq = 0

    def send_json(self, op: int, d: dict) -> None:
        self.seq += 1
        self._sink(json.dumps({"op": op, "d": d, "seq": self.seq}))

    def send_binary(self, op: int, payload: bytes) -> None:
        self.seq += 1
        self._sink((self.seq & 0xFFFF).to_bytes(2, "big") + bytes([op]) + payload)


@dataclass
class Proposal:
    """An external proposal the gateway signed in the current epoch."""

    message: bytes
    ref: bytes
    kind: str  # "add" or "remove"
    user_id: int


@dataclass
class Transition:
    transition_id: int
    protocol_version: int
    waiting: set[int]
    members: set[int]
    welcomed: set[int] = field(default_factory=set)


@dataclass
class Event:
    at: float
    text: str


class DaveGateway:
    """DAVE delivery service and external sender for one channel."""

    def __init__(self, channel_id: int, protocol_version: int = 1, transition_timeout: float = 5.0) -> None:
        self.channel_id = channel_id
        self.group_id = channel_id.to_bytes(8, "big")
        self.protocol_version = protocol_version
        self.transition_timeout = transition_timeout
        self.external = ExternalSender()
        self.clients: dict[int, VoiceClient] = {}
        self.key_packages: dict[int, bytes] = {}
        self.established = False
        self.epoch = 0
        self.leaves: list[int | None] = []
        self.stale: set[int] = set()  # members that reset their MLS state and wait to be re-added
        self.proposals: dict[int, list[Proposal]] = {}  # recipient -> proposals sent this epoch
        self.pending_adds: dict[int, Proposal] = {}  # unestablished group: one Add per pending member
        self.transition: Transition | None = None
        self.next_transition_id = 1
        self.executed: list[tuple[float, int, int, frozenset[int]]] = []  # (time, id, version, members)
        self.events: list[Event] = []
        self.changed = asyncio.Event()
        self._timeout: asyncio.TimerHandle | None = None
        self.corrupt_welcome_for: set[int] = set()  # test knob: damage the next Welcome for these users
        # test knob: a member's new key package gets its Add proposed before the Remove of its old
        # leaf, each in its own opcode 27, as a quick reconnect can make Discord do
        self.add_before_remove = False

    # -- bookkeeping ---------------------------------------------------------------------
    def log(self, text: str) -> None:
        self.events.append(Event(time.monotonic(), text))
        self.changed.set()

    def members(self) -> list[int]:
        return [uid for uid in self.leaves if uid is not None]

    def live_members(self) -> list[int]:
        """Connected members whose leaf is current (not awaiting removal after a reset)."""
        return [uid for uid in self.members() if uid in self.clients and uid not in self.stale]

    async def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Waits until `condition()` holds, re-checking after every gateway change."""
        deadline = time.monotonic() + timeout
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                tail = "\n".join(e.text for e in self.events[-15:])
                raise TimeoutError(f"timed out after {timeout}s waiting for {what}; last events:\n{tail}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), min(remaining, 0.5))
            except asyncio.TimeoutError:
                pass

    # -- connection lifecycle ------------------------------------------------------------
    def connect(self, client: VoiceClient) -> None:
        """A client identified: announce it to others and the others to it (opcode 11)."""
        others = [uid for uid in self.clients if uid != client.user_id]
        self.clients[client.user_id] = client
        if others:
            client.send_json(OP_CLIENTS_CONNECT, {"user_ids": [str(uid) for uid in others]})
        for uid in others:
            self.clients[uid].send_json(OP_CLIENTS_CONNECT, {"user_ids": [str(client.user_id)]})
        self.log(f"{client.user_id} connected")

    def session_description(self) -> dict:
        """The DAVE part of SESSION_DESCRIPTION (op 4)."""
        return {"dave_protocol_version": self.protocol_version}

    def send_external_sender(self, client: VoiceClient) -> None:
        client.send_binary(OP_EXTERNAL_SENDER, self.external.package())

    def disconnect(self, user_id: int) -> None:
        """A client left: opcode 13 to the others, then Remove or revoke as its state requires."""
        if self.clients.pop(user_id, None) is None:
            return
        self.log(f"{user_id} disconnected")
        for client in self.clients.values():
            client.send_json(OP_CLIENT_DISCONNECT, {"user_id": str(user_id)})
        self.key_packages.pop(user_id, None)
        self._revoke_adds_for(user_id)
        if self.transition:
            self.transition.waiting.discard(user_id)
            self.transition.members.discard(user_id)
        if user_id in self.members():
            self._propose_remove(user_id)
        self._maybe_execute()

    # -- client messages -----------------------------------------------------------------
    def on_json(self, user_id: int, op: int, d: dict) -> None:
        if op == OP_READY_FOR_TRANSITION:
            self._on_ready(user_id, int(d["transition_id"]))
        elif op == OP_INVALID_COMMIT_WELCOME:
            self._on_invalid(user_id, int(d["transition_id"]))

    def on_binary(self, user_id: int, op: int, payload: bytes) -> None:
        if op == OP_KEY_PACKAGE:
            self._on_key_package(user_id, payload)
        elif op == OP_COMMIT_WELCOME:
            self._on_commit_welcome(user_id, payload)
        else:
            self.log(f"{user_id} sent unexpected binary opcode {op}")

    def _on_key_package(self, user_id: int, key_package: bytes) -> None:
        try:
            info = parse_key_package(key_package)
        except WireError as error:
            self.log(f"{user_id} sent an unreadable key package: {error}")
            return
        if info.user_id != user_id or info.cipher_suite != 2 or (info.not_before, info.not_after) != (0, 2**64 - 1):
            self.log(f"{user_id} sent an invalid key package {info}")
            return
        self._revoke_adds_for(user_id)
        self.key_packages[user_id] = key_package
        self.log(f"{user_id} sent a key package")
        if self.established:
            rejoining = user_id in self.members()
            if rejoining:
                self.stale.add(user_id)
            if rejoining and not self.add_before_remove:
                self._propose_remove(user_id)
            self._propose_add(user_id)
            if rejoining and self.add_before_remove:
                self._propose_remove(user_id)
        else:
            self._propose_add_unestablished(user_id)

    def _send_proposals(self, recipient: int, proposals: list[Proposal]) -> None:
        self.proposals.setdefault(recipient, []).extend(proposals)
        self.clients[recipient].send_binary(OP_PROPOSALS, proposals_append([p.message for p in proposals]))

    def _propose_add(self, user_id: int) -> None:
        message = self.external.add(self.group_id, self.epoch, self.key_packages[user_id])
        proposal = Proposal(message, proposal_ref(message), "add", user_id)
        for member in self.live_members():
            self._send_proposals(member, [proposal])
        self.log(f"proposed Add {user_id} at epoch {self.epoch}")

    def _propose_remove(self, user_id: int) -> None:
        if any(p.kind == "remove" and p.user_id == user_id for sent in self.proposals.values() for p in sent):
            return
        remaining = [m for m in self.live_members() if m != user_id]
        if len(remaining) <= 1 and user_id not in self.clients:
            self._sole_member_reset(remaining)
            return
        message = self.external.remove(self.group_id, self.epoch, self.leaves.index(user_id))
        proposal = Proposal(message, proposal_ref(message), "remove", user_id)
        for member in remaining:
            self._send_proposals(member, [proposal])
        self.log(f"proposed Remove {user_id} (leaf {self.leaves.index(user_id)}) at epoch {self.epoch}")

    def _propose_add_unestablished(self, user_id: int) -> None:
        message = self.external.add(self.group_id, 0, self.key_packages[user_id])
        proposal = Proposal(message, proposal_ref(message), "add", user_id)
        self.pending_adds[user_id] = proposal
        for other in self.pending_adds:
            if other != user_id and other in self.clients:
                self._send_proposals(other, [proposal])
        earlier = [p for uid, p in self.pending_adds.items() if uid != user_id]
        if earlier:
            self._send_proposals(user_id, earlier)
        self.log(f"proposed Add {user_id} to pending groups")

    def propose_unannounced(self, user_id: int, key_package: bytes) -> None:
        """Test knob: an Add for a user no opcode 11 announced, which members must refuse."""
        self.key_packages[user_id] = key_package
        self._propose_add(user_id)

    def revoke_adds_for(self, user_id: int) -> None:
        """Revokes every Add proposed for `user_id` (opcode 27, revoke)."""
        self.key_packages.pop(user_id, None)
        self._revoke_adds_for(user_id)

    def _revoke_adds_for(self, user_id: int) -> None:
        for recipient, sent in self.proposals.items():
            stale = [p for p in sent if p.kind == "add" and p.user_id == user_id]
            if stale and recipient in self.clients:
                self.clients[recipient].send_binary(OP_PROPOSALS, proposals_revoke([p.ref for p in stale]))
            self.proposals[recipient] = [p for p in sent if p not in stale]
        self.pending_adds.pop(user_id, None)

    def _on_commit_welcome(self, committer: int, payload: bytes) -> None:
        try:
            commit = parse_commit(payload)
        except WireError as error:
            self.log(f"{committer} sent an unreadable commit: {error}")
            return
        if self.transition is not None and self.transition.protocol_version > 0 and commit.epoch < self.epoch:
            self.log(f"{committer} lost the race for epoch {commit.epoch}")
            return
        if commit.epoch != self.epoch or commit.group_id != self.group_id:
            self.log(f"{committer} committed for epoch {commit.epoch}, gateway is at {self.epoch}")
            return
        expected = {p.ref: p for p in self.proposals.get(committer, [])}
        if not commit.proposal_refs or set(commit.proposal_refs) != set(expected):
            self.log(f"{committer} sent a commit that does not reference exactly the proposals it was sent")
            return
        covered = [expected[ref] for ref in commit.proposal_refs]
        welcome = payload[commit.length:]
        adds = [p.user_id for p in covered if p.kind == "add"]
        if adds and not welcome:
            self.log(f"{committer} added members without a Welcome")
            return
        if self.established:
            old_members = set(self.live_members())
            if committer not in old_members or self.leaves.index(committer) != commit.sender_leaf:
                self.log(f"{committer} committed from leaf {commit.sender_leaf}, which is not theirs")
                return
            leaves = list(self.leaves)
            for p in covered:
                if p.kind == "remove":
                    leaves[leaves.index(p.user_id)] = None
                    self.stale.discard(p.user_id)
            while leaves and leaves[-1] is None:
                leaves.pop()
        else:
            old_members = {committer}
            leaves = [committer]
        for uid in adds:
            if None in leaves:
                leaves[leaves.index(None)] = uid
            else:
                leaves.append(uid)
        transition_id = self._new_transition_id()
        self.leaves = leaves
        self.established = True
        self.epoch = commit.epoch + 1
        self.proposals = {}
        self.pending_adds = {}
        members = set(self.members())
        self.transition = Transition(transition_id, self.protocol_version,
                                     waiting={m for m in members if m in self.clients}, members=members,
                                     welcomed=set(adds))
        self.log(f"accepted commit from {committer}: epoch {self.epoch}, leaves {leaves}, transition {transition_id}")
        announce = transition_id.to_bytes(2, "big") + payload[:commit.length]
        for uid in old_members & members:
            if uid in self.clients:
                self.clients[uid].send_binary(OP_ANNOUNCE_COMMIT, announce)
        for uid in adds:
            key_package = self.key_packages.pop(uid)
            if uid in self.clients:
                restricted = welcome_for(welcome, parse_key_package(key_package).ref)
                if uid in self.corrupt_welcome_for:
                    self.corrupt_welcome_for.discard(uid)
                    restricted = restricted[:-1] + bytes([restricted[-1] ^ 0x01])
                    self.log(f"corrupted the Welcome for {uid}")
                self.clients[uid].send_binary(OP_WELCOME, transition_id.to_bytes(2, "big") + restricted)
        self._arm_timeout(transition_id)
        for uid in list(self.key_packages):
            if uid in self.clients and uid not in members:
                self._propose_add(uid)

    def _on_ready(self, user_id: int, transition_id: int) -> None:
        self.log(f"{user_id} ready for transition {transition_id}")
        if self.transition and self.transition.transition_id == transition_id:
            self.transition.waiting.discard(user_id)
            self._maybe_execute()

    def _on_invalid(self, user_id: int, transition_id: int) -> None:
        self.log(f"{user_id} reported an invalid commit/welcome in transition {transition_id}")
        if self.transition:
            self.transition.waiting.discard(user_id)
        if user_id in self.members():
            self.stale.add(user_id)
            self._propose_remove(user_id)
        self._maybe_execute()

    # -- transitions ---------------------------------------------------------------------
    def _new_transition_id(self) -> int:
        transition_id = self.next_transition_id
        self.next_transition_id = self.next_transition_id % 0xFFFF + 1
        return transition_id

    def _arm_timeout(self, transition_id: int) -> None:
        if self._timeout:
            self._timeout.cancel()
        loop = asyncio.get_running_loop()
        self._timeout = loop.call_later(self.transition_timeout, self._expire, transition_id)

    def _expire(self, transition_id: int) -> None:
        if self.transition and self.transition.transition_id == transition_id:
            self.log(f"transition {transition_id} timed out waiting for {sorted(self.transition.waiting)}")
            self.transition.waiting.clear()
            self._maybe_execute()

    def _maybe_execute(self) -> None:
        t = self.transition
        if t is None or t.waiting:
            return
        if self._timeout:
            self._timeout.cancel()
        self.transition = None
        self.executed.append((time.monotonic(), t.transition_id, t.protocol_version, frozenset(t.members)))
        for uid in t.members:
            if uid in self.clients:
                self.clients[uid].send_json(OP_EXECUTE_TRANSITION, {"transition_id": t.transition_id})
        self.log(f"executed transition {t.transition_id} (protocol {t.protocol_version}) for {sorted(t.members)}")

    def _forget_group(self) -> None:
        """Back to an unestablished group at epoch 0 with no proposals in flight."""
        self.established = False
        self.epoch = 0
        self.leaves = []
        self.stale = set()
        self.proposals = {}
        self.pending_adds = {}

    def _sole_member_reset(self, remaining: list[int]) -> None:
        self._forget_group()
        self.transition = None
        for uid in remaining:
            self.clients[uid].send_json(OP_PREPARE_EPOCH, {"protocol_version": self.protocol_version, "epoch": 1})
            self.clients[uid].send_json(OP_PREPARE_TRANSITION,
                                        {"protocol_version": self.protocol_version, "transition_id": 0})
        self.log(f"sole member reset for {remaining}")

    def downgrade(self) -> None:
        """Moves the channel to protocol version 0 (transport encryption only)."""
        transition_id = self._new_transition_id()
        everyone = set(self.clients)
        self.protocol_version = 0
        self._forget_group()
        self.key_packages = {}
        self.transition = Transition(transition_id, 0, waiting=set(everyone), members=set(everyone))
        for client in self.clients.values():
            client.send_json(OP_PREPARE_TRANSITION, {"protocol_version": 0, "transition_id": transition_id})
        self._arm_timeout(transition_id)
        self.log(f"downgrade to protocol 0 as transition {transition_id}")

    def upgrade(self) -> None:
        """Moves the channel back to protocol version 1 by re-creating the group."""
        self.protocol_version = 1
        for client in self.clients.values():
            client.send_json(OP_PREPARE_EPOCH, {"protocol_version": 1, "epoch": 1})
        self.log("upgrade to protocol 1: group re-created from epoch 1")
