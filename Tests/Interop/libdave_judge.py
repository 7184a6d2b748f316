"""Lets libdave judge DAVE frames encrypted outside libdave, and hands out libdave's own frames.

The harness creates a DAVE group (mls_group.GroupCreator) and welcomes a libdave session into
it, so both know the epoch's exporter secret; libdave then derives the sender's key ratchet
itself. Run as a program it speaks JSON lines on stdin/stdout (used by the Swift DAVETests):

  out: {"sender_user_id", "base_secret", "plaintexts": [hex], "libdave_frames": [hex]}
  in:  {"frames": [hex]}
  out: {"decrypted": [hex or null]}
"""

from __future__ import annotations

import json
import sys

import dave

from mls_group import GroupCreator
from mls_wire import ExternalSender

SENDER_USER_ID = 1090123456789012345
GROUP_ID = 1234567890123456789


class LibdaveJudge:
    """A libdave member of a harness-made group, holding one sender's key ratchet."""

    def __init__(self, sender_user_id: int = SENDER_USER_ID) -> None:
        self.failures: list[tuple[str, str]] = []
        gateway = ExternalSender()
        self.session = dave.Session(lambda source, reason: self.failures.append((source, reason)))
        self.session.init(1, GROUP_ID, "2002", None)
        self.session.set_external_sender(gateway.package())
        creator = GroupCreator(1001, GROUP_ID, gateway.package())
        welcome = creator.welcome(self.session.get_marshalled_key_package())
        roster = self.session.process_welcome(welcome, {"1001", "2002"})
        if roster is None or creator.epoch_authenticator != self.session.get_last_epoch_authenticator():
            raise RuntimeError(f"libdave refused the harness Welcome: {self.failures}")
        self.sender_user_id = sender_user_id
        self.base_secret = creator.media_base_secret(sender_user_id)
        self.decryptor = dave.Decryptor()
        self.decryptor.transition_to_key_ratchet(self._ratchet())
        self.encryptor = dave.Encryptor()
        self.encryptor.set_key_ratchet(self._ratchet())
        self.encryptor.assign_ssrc_to_codec(1, dave.Codec.opus)

    def _ratchet(self) -> dave.IKeyRatchet:
        ratchet = self.session.get_key_ratchet(str(self.sender_user_id))
        if ratchet is None:
            raise RuntimeError("libdave has no key ratchet for the sender")
        return ratchet

    def decrypt(self, frame: bytes) -> bytes | None:
        return self.decryptor.decrypt(dave.MediaType.audio, frame)

    def encrypt(self, opus: bytes) -> bytes | None:
        return self.encryptor.encrypt(dave.MediaType.audio, 1, opus)


def sample_packets(count: int) -> list[bytes]:
    """Opus-shaped packets (CELT fullband 20 ms TOC 0xFC) of varying lengths."""
    return [bytes([0xFC]) + bytes((i * 7 + j) & 0xFF for j in range(20 + i * 3)) for i in range(count)]


def main() -> None:
    judge = LibdaveJudge()
    plaintexts = sample_packets(10)
    print(json.dumps({
        "sender_user_id": str(judge.sender_user_id),
        "base_secret": judge.base_secret.hex(),
        "plaintexts": [p.hex() for p in plaintexts],
        "libdave_frames": [judge.encrypt(p).hex() for p in plaintexts],
    }), flush=True)
    request = json.loads(sys.stdin.readline())
    decrypted = [judge.decrypt(bytes.fromhex(f)) for f in request["frames"]]
    print(json.dumps({"decrypted": [d.hex() if d is not None else None for d in decrypted]}), flush=True)


if __name__ == "__main__":
    main()
