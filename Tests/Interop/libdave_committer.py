"""libdave members commit a DAVE.Session (the bot) into their group (driven by the Swift DAVETests).

The harness plays the voice gateway's external sender. libdave member 2002 commits the bot's Add
with a Welcome (epoch 1), then the Add of libdave member 3003 (epoch 2), which the bot must
process as another member's commit. JSON lines on stdin/stdout:

  out: {"external_sender": hex}
  in:  {"key_package": hex}                           the bot's opcode 26 payload
  out: {"welcome": hex, "proposals": hex, "commit": hex, "plaintexts": [hex], "frames": [hex]}
        the bot's Welcome, the epoch-1 proposals and winning commit, and 2002's frames in epoch 2
  in:  {"frames": [hex]}                              the bot's frames in epoch 2
  out: {"decrypted_by_2002": [hex or null], "decrypted_by_3003": [hex or null], "epoch_authenticator": hex,
        "failures": [text]}
"""

from __future__ import annotations

import json
import sys

import dave

from libdave_judge import sample_packets
from mls_wire import ExternalSender, parse_commit, proposals_append

BOT = "1001"
FIRST = "2002"
SECOND = "3003"
RECOGNIZED = {BOT, FIRST, SECOND}
GROUP_ID = 1234567890123456789


def main() -> None:
    failures: list[str] = []
    gateway = ExternalSender()
    group_id = GROUP_ID.to_bytes(8, "big")

    def member(user_id: str) -> dave.Session:
        session = dave.Session(lambda source, reason: failures.append(f"{user_id} {source}: {reason}"))
        session.init(1, GROUP_ID, user_id, None)
        session.set_external_sender(gateway.package())
        return session

    def commit(committer: dave.Session, proposals: bytes) -> tuple[bytes, bytes]:
        payload = committer.process_proposals(proposals, RECOGNIZED)
        length = parse_commit(payload).length
        committer.process_commit(payload[:length])
        return payload[:length], payload[length:]

    first = member(FIRST)
    second = member(SECOND)
    print(json.dumps({"external_sender": gateway.package().hex()}), flush=True)

    bot_key_package = bytes.fromhex(json.loads(sys.stdin.readline())["key_package"])
    _, bot_welcome = commit(first, proposals_append([gateway.add(group_id, 0, bot_key_package)]))
    add_second = proposals_append([gateway.add(group_id, 1, second.get_marshalled_key_package())])
    second_commit, second_welcome = commit(first, add_second)
    if second.process_welcome(second_welcome, RECOGNIZED) is None:
        failures.append("3003 refused its Welcome")

    encryptor = dave.Encryptor()
    encryptor.set_key_ratchet(first.get_key_ratchet(FIRST))
    encryptor.assign_ssrc_to_codec(1, dave.Codec.opus)
    plaintexts = sample_packets(5)
    print(json.dumps({"welcome": bot_welcome.hex(), "proposals": add_second.hex(), "commit": second_commit.hex(),
                      "plaintexts": [p.hex() for p in plaintexts],
                      "frames": [encryptor.encrypt(dave.MediaType.audio, 1, p).hex() for p in plaintexts]}), flush=True)

    frames = [bytes.fromhex(f) for f in json.loads(sys.stdin.readline())["frames"]]
    verdict: dict[str, object] = {"epoch_authenticator": first.get_last_epoch_authenticator().hex()}
    for user_id, session in ((FIRST, first), (SECOND, second)):
        decryptor = dave.Decryptor()
        decryptor.transition_to_key_ratchet(session.get_key_ratchet(BOT))
        plain = [decryptor.decrypt(dave.MediaType.audio, frame) for frame in frames]
        verdict[f"decrypted_by_{user_id}"] = [p.hex() if p is not None else None for p in plain]
    verdict["failures"] = failures
    print(json.dumps(verdict), flush=True)


if __name__ == "__main__":
    main()
