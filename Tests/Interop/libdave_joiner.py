"""A libdave member joining a group that scream's DAVE.Session commits (driven by the Swift DAVETests).

The harness plays the voice gateway's external sender; the Swift side is the bot. JSON lines on
stdin/stdout:

  out: {"external_sender": hex, "proposals": hex}   opcode 25 and opcode 27 payloads (Add of libdave)
  in:  {"welcome": hex, "frames": [hex]}            the Welcome from the bot's opcode 28 and its frames
  out: {"roster": [user id], "epoch_authenticator": hex, "decrypted": [hex or null], "failures": [text]}
"""

from __future__ import annotations

import json
import sys

import dave

from mls_wire import ExternalSender, proposals_append

BOT_USER_ID = "1001"
LIBDAVE_USER_ID = "2002"
GROUP_ID = 1234567890123456789


def main() -> None:
    failures: list[tuple[str, str]] = []
    gateway = ExternalSender()
    session = dave.Session(lambda source, reason: failures.append((source, reason)))
    session.init(1, GROUP_ID, LIBDAVE_USER_ID, None)
    session.set_external_sender(gateway.package())
    add = gateway.add(GROUP_ID.to_bytes(8, "big"), 0, session.get_marshalled_key_package())
    print(json.dumps({"external_sender": gateway.package().hex(), "proposals": proposals_append([add]).hex()}), flush=True)

    request = json.loads(sys.stdin.readline())
    roster = session.process_welcome(bytes.fromhex(request["welcome"]), {BOT_USER_ID, LIBDAVE_USER_ID})
    decrypted: list[str | None] = []
    authenticator = ""
    if roster is not None:
        authenticator = session.get_last_epoch_authenticator().hex()
        decryptor = dave.Decryptor()
        decryptor.transition_to_key_ratchet(session.get_key_ratchet(BOT_USER_ID))
        for frame in request["frames"]:
            plain = decryptor.decrypt(dave.MediaType.audio, bytes.fromhex(frame))
            decrypted.append(plain.hex() if plain is not None else None)
    print(json.dumps({"roster": sorted(str(user) for user in roster) if roster is not None else [], "epoch_authenticator": authenticator,
                      "decrypted": decrypted, "failures": [f"{s}: {r}" for s, r in failures]}), flush=True)


if __name__ == "__main__":
    main()
