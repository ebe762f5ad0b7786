"""The send pipeline: request shapes through ``httpx.MockTransport``, and every transport
failure produced for real over loopback sockets (never the internet, never a real DNS lookup)."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from explorer.core import errors
from explorer.core.client import CancelToken, RpcClient
from explorer.core.request import RpcRequest
from explorer.core.secrets import REDACTED
from explorer.core.wire import SentRequest
from tests.core.conftest import RawServer, StartServer

KEY = "sk_test_123"


def rpc(base_url: str = "https://api.stackone.com", **changes: object) -> RpcRequest:
    return RpcRequest(action="bamboohr_list_employees", account_id="acc_1", base_url=base_url).copy(
        **changes
    )


# -- shapes, through MockTransport ------------------------------------------------------------


def test_sends_the_wire_request_and_reads_the_result() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={"data": [{"id": "e1"}], "next": "c2"},
            headers={"x-request-id": "req_9"},
        )

    with RpcClient(transport=httpx.MockTransport(handler)) as client:
        response = client.send(rpc(sync=True, query={"page_size": 1}), KEY)

    (request,) = seen
    assert str(request.url) == "https://api.stackone.com/actions/rpc?sync=true"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"sk_test_123:").decode()
    assert request.headers["x-account-id"] == "acc_1"
    assert json.loads(request.content) == {
        "action": "bamboohr_list_employees",
        "query": {"page_size": 1},
    }
    assert response.status == 200
    assert response.result is not None and response.result.next_cursor == "c2"
    assert response.request_id == "req_9"
    assert response.timing.total_ms >= response.timing.ttfb_ms >= 0


def test_error_statuses_are_responses_not_exceptions() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            401, json={"statusCode": 401, "message": "Unauthorized", "timestamp": "t"}
        )

    with RpcClient(transport=httpx.MockTransport(handler)) as client:
        response = client.send(rpc(), KEY)
    assert response.status == 401 and response.error is not None
    assert response.error.message == "Unauthorized"


def test_a_file_comes_back_byte_for_byte() -> None:
    payload = bytes(range(256)) * 1000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=payload,
            headers={
                "content-type": "application/octet-stream",
                "content-disposition": 'attachment; filename="dump.bin"',
            },
        )

    with RpcClient(transport=httpx.MockTransport(handler)) as client:
        response = client.send(rpc(action="documents_download_file"), KEY)
    assert response.kind == "binary" and response.filename == "dump.bin"
    assert response.body == payload


def test_on_sent_shows_the_redacted_wire_request_before_the_answer() -> None:
    order: list[str] = []
    sent: list[SentRequest] = []

    def handler(request: httpx.Request) -> httpx.Response:
        order.append("server")
        return httpx.Response(200, json={"data": []})

    def on_sent(record: SentRequest) -> None:
        order.append("on_sent")
        sent.append(record)

    with RpcClient(transport=httpx.MockTransport(handler)) as client:
        client.send(rpc(), KEY, on_sent=on_sent)
    assert order == ["on_sent", "server"]
    assert {k.lower(): v for k, v in sent[0].headers}["authorization"] == REDACTED
    assert KEY not in sent[0].text()


def test_an_invalid_request_is_refused_before_anything_is_sent() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200)

    with RpcClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(errors.InvalidRequest, match="account_id"):
            client.send(rpc(account_id=""), KEY)
        with pytest.raises(errors.InvalidRequest):
            client.exchange(rpc(account_id=""), KEY)
    assert calls == []


def test_a_request_cancelled_before_sending_never_leaves() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200)

    token = CancelToken()
    token.cancel()
    transport = httpx.MockTransport(handler)
    with RpcClient(transport=transport) as client, pytest.raises(errors.Cancelled):
        client.send(rpc(), KEY, cancel=token)
    assert calls == []


def test_dns_failure_is_named_as_such() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        cause = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        raise httpx.ConnectError("[Errno -2] Name or service not known") from cause

    transport = httpx.MockTransport(handler)
    with RpcClient(transport=transport) as client, pytest.raises(errors.DNSFailed) as caught:
        client.send(rpc("https://api.stackone.invalid"), KEY)
    message = str(caught.value)
    assert "host name could not be resolved" in message
    assert "(https://api.stackone.invalid)" in message


def test_exchange_records_request_sent_and_response() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"id": "e1"}})

    original = rpc(path={"id": "e1"})
    with RpcClient(transport=httpx.MockTransport(handler)) as client:
        record = client.exchange(original, KEY, profile="Sandbox")
    assert record.request == original and record.request is not original
    assert record.sent is not None and record.sent.url.endswith("/actions/rpc")
    assert record.response is not None and record.failure is None
    assert record.profile == "Sandbox" and record.status_class == "2xx"


# -- transport failures, for real over loopback -----------------------------------------------


def test_connection_refused(closed_port: int) -> None:
    with RpcClient() as client, pytest.raises(errors.ConnectFailed) as caught:
        client.send(rpc(f"http://127.0.0.1:{closed_port}", timeout=5), KEY)
    assert "connection was refused" in str(caught.value)
    assert f"127.0.0.1:{closed_port}" in str(caught.value)


def test_exchange_turns_a_transport_failure_into_a_failure_record(closed_port: int) -> None:
    with RpcClient() as client:
        record = client.exchange(rpc(f"http://127.0.0.1:{closed_port}", timeout=5), KEY)
    assert record.response is None and record.status_class == "none"
    assert record.failure is not None and record.failure.kind == "ConnectFailed"
    assert "Is the base URL right" in record.failure.message
    assert record.sent is not None  # the user can still see what was attempted


def test_https_to_a_plain_http_server_is_a_tls_failure(raw_server: StartServer) -> None:
    def plain_http(conn: socket.socket, server: RawServer) -> None:
        conn.recv(65536)  # the TLS ClientHello, which a plain HTTP server cannot read
        server.reply(conn, 400, b"<h1>Bad Request</h1>", "text/html")
        # Wait for the client to hang up, so closing never resets the connection before the
        # client has read the reply (that would look like a refused connection instead).
        conn.settimeout(5)
        while conn.recv(65536):
            pass

    server = raw_server(plain_http)
    https_url = server.url.replace("http://", "https://")
    with RpcClient() as client, pytest.raises(errors.TLSFailed) as caught:
        client.send(rpc(https_url, timeout=5), KEY)
    assert "https vs http" in str(caught.value)


def test_a_server_that_never_answers_times_out(raw_server: StartServer) -> None:
    def silent(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.release.wait(30)  # hold the connection open without answering

    server = raw_server(silent)
    with RpcClient() as client, pytest.raises(errors.TimedOut) as caught:
        client.send(rpc(server.url, timeout=0.3), KEY)
    assert "raise the request timeout" in str(caught.value)
    assert "while waiting for the response" in str(caught.value)


def test_a_connection_dropped_mid_body(raw_server: StartServer) -> None:
    def drop(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n"
            b'{"data": ['
        )
        conn.shutdown(socket.SHUT_RDWR)

    server = raw_server(drop)
    with RpcClient() as client:
        record = client.exchange(rpc(server.url, timeout=5), KEY)
    assert record.failure is not None and record.failure.kind == "ConnectionDropped"
    assert "closed the connection before the response was complete" in record.failure.message


def test_a_complete_answer_over_a_real_socket(raw_server: StartServer) -> None:
    def answer(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.reply(conn, 200, b'{"data": [], "next": null}')

    server = raw_server(answer)
    with RpcClient() as client:
        response = client.send(rpc(server.url, timeout=5), KEY)
    assert response.ok and response.result is not None and response.result.data == []
    head = server.requests[0].split(b"\r\n\r\n", 1)[0].decode().lower()
    assert head.startswith("post /actions/rpc http/1.1")
    assert "user-agent: stackone-explorer/" in head


def test_cancel_from_another_thread_stops_a_waiting_request(raw_server: StartServer) -> None:
    server_delay = 20.0

    def slow(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        if not server.release.wait(server_delay):
            server.reply(conn, 200, b'{"data": []}')

    server = raw_server(slow)
    token = CancelToken()
    outcome: list[BaseException | object] = []

    def send() -> None:
        with RpcClient() as client:
            try:
                outcome.append(client.send(rpc(server.url, timeout=60), KEY, cancel=token))
            except BaseException as exc:
                outcome.append(exc)

    worker = threading.Thread(target=send, daemon=True)
    worker.start()
    assert server.received.wait(10), "the request never reached the server"
    cancelled_at = time.monotonic()
    token.cancel()
    worker.join(server_delay)
    elapsed = time.monotonic() - cancelled_at

    assert not worker.is_alive()
    (result,) = outcome
    assert isinstance(result, errors.Cancelled)
    assert "cancelled" in str(result)
    # Cancel must not wait for the server: it returned in a small fraction of its delay.
    assert elapsed < server_delay / 4


def test_a_corrupt_compressed_body_is_a_failure_not_a_crash(raw_server: StartServer) -> None:
    def corrupt(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        body = b"this is not gzip"
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )

    server = raw_server(corrupt)
    with RpcClient() as client:
        record = client.exchange(rpc(server.url, timeout=5), KEY)
    assert record.failure is not None and record.failure.kind == "BadResponse"
    assert "could not be read" in record.failure.message


def test_importing_the_send_pipeline_leaves_httpx_for_the_first_request() -> None:
    """The window imports the client, wire format and discovery before its first paint but
    sends nothing then: httpx (~20-40 ms with what it loads) waits for the first request."""
    code = (
        "import sys\n"
        "import explorer.core.client, explorer.core.discovery, explorer.core.wire\n"
        "client = explorer.core.client.RpcClient()\n"
        "before = 'httpx' in sys.modules\n"
        "explorer.core.wire.build_http_request(\n"
        "    explorer.core.request.RpcRequest(action='a_b', account_id='acc'), 'key')\n"
        "print(before, 'httpx' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False True"
