"""The JSON-lines loop shared by the interop peer scripts."""
import json
import sys


def serve(handle):
    """Answers each request line on stdin with one reply line on stdout; errors become {"error": ...}."""
    for line in sys.stdin:
        try:
            reply = handle(json.loads(line))
        except Exception as error:  # reported to the Swift side, which fails the test
            reply = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
