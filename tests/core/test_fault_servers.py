"""Servers that misbehave, over real loopback sockets: time, cancel and memory stay bounded.

Issue 9 items 2-4 and 9, issue 11 item 7. Each server here does one bad thing the way a real
one does it: trickles its headers or body a byte at a time, accepts the connection late (a
full accept queue drops SYNs, as a blackholing firewall does), sends a gzip bomb, a body over
the body limit, or JSON nested 100,000 deep. The explorer must time out at the configured
total, return from a cancel at once in every phase (and really abort: a late accept receives
nothing), refuse the bomb with a typed error, and stream the big body to a file.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from explorer.core import errors
from explorer.core.client import CancelToken, RpcClient
from explorer.core.limits import MB
from explorer.core.request import RpcRequest
from explorer.core.response import RpcResponse
from tests.core.conftest import RawServer, StartServer

KEY = "sk_fault_servers"
# What "at once" means for a cancel, from the issue.
CANCEL_BOUND_S = 0.5


def rpc(url: str, timeout: float = 20.0) -> RpcRequest:
    return RpcRequest(
        action="hris_list_employees", account_id="acct", base_url=url, timeout=timeout
    )


def head(status: int = 200, **headers: str | int) -> bytes:
    lines = [f"HTTP/1.1 {status} X", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def trickle(conn: socket.socket, data: bytes, release: threading.Event, every: float) -> None:
    for index in range(len(data)):
        if release.wait(every):
            return
        conn.sendall(data[index : index + 1])


def send_in_thread(
    client: RpcClient, request: RpcRequest, token: CancelToken
) -> tuple[threading.Thread, list[object]]:
    """``client.send`` on a thread; the outcome (response or exception) lands in the list."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(client.send(request, KEY, cancel=token))
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def cancel_and_time(thread: threading.Thread, token: CancelToken) -> float:
    started = time.monotonic()
    token.cancel()
    thread.join(timeout=10)
    return time.monotonic() - started


# -- time: the timeout bounds the whole exchange ---------------------------------------------


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_trickling_server_times_out_at_the_configured_total(
    raw_server: StartServer, part: str
) -> None:
    """A byte every 50 ms never trips a per-read timeout; the total of 1 s must end it."""

    def handler(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        if part == "headers":
            trickle(conn, head(200, X_Padding="y" * 10_000), server.release, 0.05)
        else:
            conn.sendall(head(200, Content_Type="application/json", Content_Length=10_000))
            trickle(conn, b"[" + b"1," * 5_000, server.release, 0.05)

    server = raw_server(handler)
    started = time.monotonic()
    with RpcClient() as client, pytest.raises(errors.TimedOut) as caught:
        client.send(rpc(server.url, timeout=1.0), KEY)
    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 3.0  # the total, not never (before: only Cancel ended it)
    expected_phase = "waiting for the response" if part == "headers" else "reading the body"
    assert expected_phase in str(caught.value) and "within 1 s" in str(caught.value)


# -- cancel: at once, in every phase, and for real ---------------------------------------------


@pytest.fixture
def late_acceptor() -> Iterator[tuple[socket.socket, str]]:
    """A listener whose accept queue is full: new connections hang in the SYN phase, as
    with a host that drops SYNs, until the test accepts the one filling the queue."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname(), timeout=2)
    host, port = listener.getsockname()
    yield listener, f"http://{host}:{port}"
    filler.close()
    listener.close()


def test_cancel_while_connecting_returns_at_once_and_nothing_is_ever_sent(
    late_acceptor: tuple[socket.socket, str],
) -> None:
    listener, url = late_acceptor
    token = CancelToken()
    with RpcClient() as client:
        thread, outcome = send_in_thread(client, rpc(url, timeout=20.0), token)
        time.sleep(0.3)  # the SYN is now waiting in vain
        assert thread.is_alive()
        assert cancel_and_time(thread, token) < CANCEL_BOUND_S
        assert isinstance(outcome[0], errors.Cancelled)

        # Now the server accepts late: the filler, then (after the kernel retransmits the
        # SYN, about a second later) the explorer's connection. It must carry no request.
        listener.settimeout(10)
        filler, _ = listener.accept()
        filler.close()
        late, _ = listener.accept()
        late.settimeout(5)
        received = b""
        try:
            while chunk := late.recv(65536):
                received += chunk
        except (TimeoutError, ConnectionResetError):
            pass
        late.close()
    assert received == b"", f"the server received a request after cancel: {received[:80]!r}"


def test_a_deadline_while_connecting_is_the_total_timeout(
    late_acceptor: tuple[socket.socket, str],
) -> None:
    _listener, url = late_acceptor
    started = time.monotonic()
    with RpcClient() as client, pytest.raises(errors.TimedOut) as caught:
        client.send(rpc(url, timeout=0.5), KEY)
    assert time.monotonic() - started < 2.5
    assert "while connecting" in str(caught.value)


@pytest.mark.parametrize("phase", ["waiting", "reading"])
def test_cancel_returns_at_once_while_waiting_or_reading(
    raw_server: StartServer, phase: str
) -> None:
    def handler(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        if phase == "reading":
            conn.sendall(head(200, Content_Type="application/json", Content_Length=10_000))
            trickle(conn, b"[" + b"1," * 5_000, server.release, 0.05)
        else:
            server.release.wait(30)

    server = raw_server(handler)
    token = CancelToken()
    with RpcClient() as client:
        thread, outcome = send_in_thread(client, rpc(server.url), token)
        assert server.received.wait(5)
        time.sleep(0.3)
        assert cancel_and_time(thread, token) < CANCEL_BOUND_S
    assert isinstance(outcome[0], errors.Cancelled)


# -- memory: capped decoding, big bodies to a file -------------------------------------------


def serve(body: bytes, **headers: str | int) -> Callable[[socket.socket, RawServer], None]:
    def handler(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        conn.sendall(head(200, Content_Length=len(body), **headers) + body)

    return handler


def gzip_of_zeros(size: int) -> bytes:
    """A gzip bomb: ``size`` zero bytes, compressed about 1,000 times."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * MB
    parts = [compressor.compress(block) for _ in range(size // MB)]
    return b"".join(parts) + compressor.flush()


def spooled_files(directory: Path) -> list[str]:
    return [name for name in os.listdir(directory) if name.startswith(".response.")]


def test_the_explorer_asks_for_gzip_and_shows_wire_and_decoded_sizes(
    raw_server: StartServer,
) -> None:
    document = json.dumps({"data": [{"id": f"e{n}", "name": "Ada"} for n in range(2_000)]})
    compressed = gzip.compress(document.encode())
    server = raw_server(serve(compressed, Content_Type="application/json", Content_Encoding="gzip"))
    with RpcClient() as client:
        response = client.send(rpc(server.url), KEY)
    request_head = server.requests[0].split(b"\r\n\r\n")[0].lower()
    assert b"\r\naccept-encoding: gzip, deflate\r\n" in request_head + b"\r\n"
    assert response.kind == "json" and len(response.json["data"]) == 2_000
    assert response.size == len(document.encode())
    assert response.wire_size == len(compressed) < response.size


def test_a_gzip_bomb_is_a_typed_error_not_memory(raw_server: StartServer, tmp_path: Path) -> None:
    bomb = gzip_of_zeros(200 * MB)
    assert len(bomb) < 300_000  # 200 MB once decoded
    server = raw_server(serve(bomb, Content_Type="application/json", Content_Encoding="gzip"))
    with RpcClient(spool_dir=tmp_path) as client, pytest.raises(errors.BodyTooLarge) as caught:
        client.send(rpc(server.url), KEY)
    assert "decompression bomb" in str(caught.value)
    assert spooled_files(tmp_path) == []  # what was decoded before the refusal is gone


def test_a_corrupt_gzip_body_is_a_bad_response(raw_server: StartServer) -> None:
    body = gzip.compress(b'{"data": []}')[:-12] + b"garbage!" * 4
    server = raw_server(serve(body, Content_Type="application/json", Content_Encoding="gzip"))
    with RpcClient() as client, pytest.raises(errors.BadResponse) as caught:
        client.send(rpc(server.url), KEY)
    assert "corrupt" in str(caught.value)


@pytest.mark.parametrize("encoding", [None, "gzip", "deflate"])
def test_a_body_over_the_limit_streams_to_a_file(
    raw_server: StartServer, tmp_path: Path, encoding: str | None
) -> None:
    document = json.dumps([{"id": n, "text": "x" * (n % 50)} for n in range(60_000)]).encode()
    assert len(document) > 2 * MB
    if encoding == "gzip":
        body = gzip.compress(document)
    elif encoding == "deflate":
        body = zlib.compress(document)
    else:
        body = document
    extra = {"Content_Encoding": encoding} if encoding else {}
    server = raw_server(serve(body, Content_Type="application/json", **extra))
    with RpcClient(body_limit=1 * MB, spool_dir=tmp_path) as client:
        response: RpcResponse | None = client.send(rpc(server.url), KEY)
    assert response is not None and response.over_limit and response.body_file is not None
    assert response.body == b"" and response.size == len(document)
    assert b"".join(response.body_file.chunks()) == document
    assert response.json is None and response.kind == "text"  # never parsed whole
    spool = response.body_file.path
    assert spool.parent == tmp_path and spool.exists()
    response = None  # the spool file goes with the last reference to the response
    assert not spool.exists()


def test_cancel_while_streaming_to_a_file_deletes_it(
    raw_server: StartServer, tmp_path: Path
) -> None:
    def handler(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        conn.sendall(head(200, Content_Type="text/plain", Content_Length=15 * MB))
        for _ in range(5):  # over the limit (spooling), under the cap; the rest never comes
            conn.sendall(b"x" * MB)
        server.release.wait(30)

    server = raw_server(handler)
    token = CancelToken()
    with RpcClient(body_limit=1 * MB, spool_dir=tmp_path) as client:
        thread, outcome = send_in_thread(client, rpc(server.url), token)
        deadline = time.monotonic() + 10
        while not spooled_files(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert cancel_and_time(thread, token) < CANCEL_BOUND_S
        assert isinstance(outcome[0], errors.Cancelled)
        deadline = time.monotonic() + 5
        while spooled_files(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.02)
    assert spooled_files(tmp_path) == []


def test_a_discovery_answer_over_the_limit_is_refused_not_spooled(
    raw_server: StartServer,
) -> None:
    import httpx

    server = raw_server(serve(b"[" + b"1," * MB + b"1]", Content_Type="application/json"))
    with RpcClient(body_limit=1 * MB) as client, pytest.raises(errors.BodyTooLarge):
        client.send_http(
            httpx.Request("GET", server.url + "/accounts"), base_url=server.url, timeout=5
        )


def test_json_nested_100000_deep_is_shown_as_text_with_the_reason(
    raw_server: StartServer,
) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    server = raw_server(serve(body, Content_Type="application/json"))
    with RpcClient() as client:
        response = client.send(rpc(server.url), KEY)
    assert response.kind == "text" and response.body == body
    assert response.json_problem is not None and "nested deeper" in response.json_problem


def test_cancel_while_the_name_is_resolving_returns_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No test may use the network, so name resolution that hangs (a dead DNS server) is
    played by a resolver that waits for the test; everything else is the real stack."""
    release = threading.Event()
    real = socket.getaddrinfo

    def stuck_resolver(
        host: bytes | str | None, port: bytes | str | int | None, *args: int, **kwargs: int
    ) -> object:
        if host == "dns-that-hangs.invalid":
            release.wait(30)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", stuck_resolver)
    token = CancelToken()
    try:
        with RpcClient() as client:
            thread, outcome = send_in_thread(
                client, rpc("http://dns-that-hangs.invalid", timeout=20), token
            )
            time.sleep(0.3)
            assert thread.is_alive()
            assert cancel_and_time(thread, token) < CANCEL_BOUND_S
        assert isinstance(outcome[0], errors.Cancelled)
    finally:
        release.set()
