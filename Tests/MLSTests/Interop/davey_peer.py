"""An MLS peer backed by davey (an independent Rust DAVE/MLS implementation), driven over stdin/stdout.

Each request is one JSON object per line; each reply is one JSON object per line.
The protocol is the same as libdave_peer.py's; a commit and its Welcome travel together as in op 28.
Byte strings travel as hex. Used by the MLS interop test; it holds no Swift logic.
"""
import davey
from jsonlines import serve

session = None


def authenticator():
    value = session.get_epoch_authenticator()
    return {"epoch": session.epoch, "epoch_authenticator": value.hex() if value else None}


def handle(request):
    global session
    command = request["command"]
    if command == "init":
        session = davey.DaveSession(1, request["user_id"], request["channel_id"])
        session.set_external_sender(bytes.fromhex(request["external_sender"]))
        return {"key_package": session.get_serialized_key_package().hex()}
    if command == "welcome":
        session.process_welcome(bytes.fromhex(request["welcome"]))
        return authenticator()
    if command == "proposals":
        result = session.process_proposals(davey.ProposalsOperationType.append,
                                           bytes.fromhex(request["proposals"]), request.get("expected_user_ids"))
        if result is None:
            return {"commit_welcome": None}
        return {"commit_welcome": (result.commit + (result.welcome or b"")).hex()}
    if command == "commit":
        session.process_commit(bytes.fromhex(request["commit"]))
        return authenticator()
    raise ValueError("unknown command " + command)


serve(handle)
