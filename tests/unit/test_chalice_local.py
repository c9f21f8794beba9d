"""The local stack's HTTP server (infra/chalice_local.py) reads chunked request bodies (RFC 9112 §7.1): before, the
last-chunk stayed in the connection and broke it for the next request, which the fuzzing of the API met."""

from __future__ import annotations

import http.client
import io
import json
import threading
from collections.abc import Iterator

import pytest
from chalice import Chalice
from chalice.config import Config
from chalice.local import ChaliceRequestHandler, LocalDevServer

from infra import chalice_local
from infra.chalice_local import BodyTooLarge, read_chunked


@pytest.mark.parametrize(
    ("wire", "body"),
    [
        (b"0\r\n\r\n", b""),
        (b"5\r\nhello\r\n0\r\n\r\n", b"hello"),
        (b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n", b"hello world"),
        (b"A\r\n0123456789\r\n0\r\n\r\n", b"0123456789"),
    ],
    ids=["empty", "one chunk", "extensions and trailer", "hex size"],
)
def test_a_chunked_body_is_read_whole(wire: bytes, body: bytes) -> None:
    stream = io.BytesIO(wire + b"GET /next HTTP/1.1\r\n")
    assert read_chunked(stream) == body
    assert stream.read() == b"GET /next HTTP/1.1\r\n"  # the next request starts where the body ended


def test_a_malformed_or_oversized_chunked_body_is_refused() -> None:
    with pytest.raises(ValueError):
        read_chunked(io.BytesIO(b"zz\r\nhello\r\n0\r\n\r\n"))
    with pytest.raises(BodyTooLarge):
        read_chunked(io.BytesIO(b"5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"), limit=8)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    for name in ("_parse_payload", *chalice_local._METHODS):  # restored after the test
        monkeypatch.setattr(ChaliceRequestHandler, name, getattr(ChaliceRequestHandler, name))
    chalice_local._accept_chunked_bodies()
    app = Chalice("chunked")

    @app.route("/echo", methods=["POST"], content_types=["text/plain"])
    def echo() -> dict[str, int]:
        return {"length": len(app.current_request.raw_body or b"")}

    local = LocalDevServer(app, Config(), "127.0.0.1", 0)
    thread = threading.Thread(target=local.server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", local.server.server_address[1]
    local.shutdown()


def test_a_chunked_request_and_the_next_one_on_the_same_connection_are_both_answered(
    server: tuple[str, int],
) -> None:
    connection = http.client.HTTPConnection(*server, timeout=10)
    connection.request("POST", "/echo", body=iter([b"hello ", b"world"]), headers={"Content-Type": "text/plain"})
    first = connection.getresponse()
    assert (first.status, json.loads(first.read())) == (200, {"length": 11})
    connection.request("POST", "/echo", body=b"again", headers={"Content-Type": "text/plain"})
    second = connection.getresponse()
    assert (second.status, json.loads(second.read())) == (200, {"length": 5})


def test_a_malformed_chunked_body_gets_a_400_in_the_api_error_shape(server: tuple[str, int]) -> None:
    connection = http.client.HTTPConnection(*server, timeout=10)
    connection.putrequest("POST", "/echo")
    connection.putheader("Content-Type", "text/plain")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders(b"zz\r\nhello\r\n0\r\n\r\n")
    answer = connection.getresponse()
    assert answer.status == 400 and answer.getheader("Connection") == "close"
    assert json.loads(answer.read())["error"]["code"] == "bad_request"
