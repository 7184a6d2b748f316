"""An MLS peer backed by dave.py (Discord's libdave on mlspp), driven over stdin/stdout.

Each request is one JSON object per line; each reply is one JSON object per line.
Byte strings travel as hex; the protocol is the same as davey_peer.py's. Used by the MLS
interop test; it holds no Swift logic.
"""
import dave
from jsonlines import serve

failures = []
session = dave.Session(lambda source, reason: failures.append(f"{source}: {reason}"))
recognized = set()


def authenticator():
    value = session.get_last_epoch_authenticator()
    return {"epoch_authenticator": value.hex() if value else None}


def handle(request):
    global recognized
    command = request["command"]
    if command == "init":
        recognized = {str(user) for user in request.get("recognized", [])}
        session.init(1, request["channel_id"], str(request["user_id"]), None)
        session.set_external_sender(bytes.fromhex(request["external_sender"]))
        return {"key_package": session.get_marshalled_key_package().hex()}
    if command == "welcome":
        if session.process_welcome(bytes.fromhex(request["welcome"]), recognized) is None:
            raise ValueError("welcome rejected: " + "; ".join(failures))
        return authenticator()
    if command == "proposals":
        result = session.process_proposals(bytes([0]) + bytes.fromhex(request["proposals"]), recognized)
        return {"commit_welcome": result.hex() if result else None}
    if command == "commit":
        result = session.process_commit(bytes.fromhex(request["commit"]))
        if isinstance(result, dave.RejectType):
            raise ValueError(f"commit rejected ({result}): " + "; ".join(failures))
        return authenticator()
    raise ValueError("unknown command " + command)


serve(handle)
