"""Speaks the start of an LSP session with a language server over stdio:
`initialize`, `initialized`, `shutdown`, `exit`. Prints the server's name and
version from the answer, and exits non-zero if the server does not answer
as a language server should (capabilities, a clean exit).

Usage: python3 scripts/lsp-initialize.py COMMAND [ARG ...]
"""

import json
import subprocess
import sys


def send(stream, message):
    body = json.dumps(message).encode()
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


def receive(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("lsp-initialize: the server closed its output mid-session")
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    if length is None:
        raise SystemExit("lsp-initialize: a message without Content-Length")
    return json.loads(stream.read(length))


def answer_to(stream, request_id):
    """The response to `request_id`, skipping notifications (logs) before it."""
    while True:
        message = receive(stream)
        if message.get("id") == request_id and "method" not in message:
            return message


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    server = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        send(server.stdin, {
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        })
        reply = answer_to(server.stdout, 1)
        if "error" in reply:
            raise SystemExit(f"lsp-initialize: initialize failed: {reply['error']}")
        result = reply["result"]
        capabilities = result.get("capabilities", {})
        if "textDocumentSync" not in capabilities:
            raise SystemExit(f"lsp-initialize: no textDocumentSync in {capabilities}")
        info = result.get("serverInfo", {})
        send(server.stdin, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send(server.stdin, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        answer_to(server.stdout, 2)
        send(server.stdin, {"jsonrpc": "2.0", "method": "exit"})
        server.stdin.close()
        code = server.wait(timeout=10)
        if code != 0:
            raise SystemExit(f"lsp-initialize: the server exited {code} after exit")
        print(f"initialize answered by {info.get('name', '?')} {info.get('version', '?')}, "
              f"{len(capabilities)} capabilities; clean shutdown")
    finally:
        if server.poll() is None:
            server.kill()


if __name__ == "__main__":
    main()
