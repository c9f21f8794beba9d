"""`chalice local` as the local stack runs it: the same arguments, two fixes to its HTTP server.

- A listen backlog fit for bursts: Python's socketserver default of 5 pending connections resets most of 200
  simultaneous RSVP answers before chalice sees them (the RSVP concurrency test, tests/e2e/test_rsvp_concurrency.py).
- Request bodies sent with `Transfer-Encoding: chunked` (RFC 9112 §7.1, which every HTTP/1.1 server must read):
  chalice's handler reads a body by Content-Length only, so a chunked one stayed in the connection and its
  last-chunk (`0`) was read as the next request, which broke that keep-alive connection for the client after it.
  The body is now read whole, up to API Gateway's 10 MB payload quota, and handed on with its length.

Used by infra/local_stack.py.
"""

from __future__ import annotations

import json
import socketserver
import sys
from typing import IO, Any

BACKLOG = 256
MAX_BODY = 10 * 1024 * 1024  # API Gateway's payload quota for a REST API


class BodyTooLarge(Exception):
    pass


def read_chunked(stream: IO[bytes], limit: int = MAX_BODY) -> bytes:
    """The body of a chunked request (RFC 9112 §7.1), trailers read and dropped; BodyTooLarge past `limit`, and
    ValueError on a malformed chunk size."""
    body = bytearray()
    while True:
        size_line = stream.readline(1024)
        size = int(size_line.split(b";", 1)[0].strip() or b"x", 16)
        if size == 0:
            while stream.readline(1024) not in (b"\r\n", b"\n", b""):
                pass  # trailer fields
            return bytes(body)
        if len(body) + size > limit:
            raise BodyTooLarge
        body += stream.read(size)
        stream.readline(1024)  # the CRLF after the chunk's data


def _accept_chunked_bodies() -> None:
    from chalice.local import ChaliceRequestHandler

    handle, parse_payload = ChaliceRequestHandler._generic_handle, ChaliceRequestHandler._parse_payload

    def generic_handle(self: Any) -> None:
        self.dechunked = None
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            try:
                self.dechunked = read_chunked(self.rfile)
            except (BodyTooLarge, ValueError) as exc:
                self.close_connection = True  # what is left of the body cannot be told from a next request
                _refuse(self, *(_TOO_LARGE if isinstance(exc, BodyTooLarge) else _MALFORMED))
                return
            del self.headers["Transfer-Encoding"]
            self.headers["Content-Length"] = str(len(self.dechunked))
        handle(self)

    def parse(self: Any) -> tuple[dict[str, str], bytes | None]:
        if self.dechunked is None:
            return parse_payload(self)  # type: ignore[no-any-return]
        return dict(self.headers), self.dechunked or None

    ChaliceRequestHandler._parse_payload = parse  # type: ignore[method-assign]
    for name in _METHODS:  # the class binds every do_<METHOD> to _generic_handle itself
        setattr(ChaliceRequestHandler, name, generic_handle)


_METHODS = ("do_GET", "do_PUT", "do_POST", "do_HEAD", "do_DELETE", "do_PATCH", "do_OPTIONS")


# The answers of the API's error shape (chalicelib/errors.py) to a body that cannot be read.
_TOO_LARGE = (413, "payload_too_large", "La requête dépasse la taille maximale acceptée (10 Mo).")
_MALFORMED = (400, "bad_request", "Le corps de la requête est mal formé.")


def _refuse(handler: Any, status: int, code: str, message: str) -> None:
    payload = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(payload)))
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(payload)


def main() -> int:
    socketserver.TCPServer.request_queue_size = BACKLOG
    _accept_chunked_bodies()
    from chalice.cli import main as chalice_main

    sys.argv = ["chalice", "local", *sys.argv[1:]]
    return int(chalice_main() or 0)


if __name__ == "__main__":
    sys.exit(main())
