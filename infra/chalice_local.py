"""`chalice local` with a listen backlog fit for bursts: Python's socketserver default of 5 pending connections resets
most of 200 simultaneous RSVP answers before chalice sees them (the RSVP concurrency test,
tests/e2e/test_rsvp_concurrency.py). Same arguments as `chalice local`; used by infra/local_stack.py."""

from __future__ import annotations

import socketserver
import sys

BACKLOG = 256


def main() -> int:
    socketserver.TCPServer.request_queue_size = BACKLOG
    from chalice.cli import main as chalice_main

    sys.argv = ["chalice", "local", *sys.argv[1:]]
    return int(chalice_main() or 0)


if __name__ == "__main__":
    sys.exit(main())
