"""What travels: gzip when asked for it, and the RPC envelope as StackOne's SDKs send it."""

from __future__ import annotations

import gzip
import json
import socket

import pytest

from explorer.demo import DEMO_API_KEY, DemoServer
from explorer.demo.server.handler import accepts_gzip
from tests.demo.rpc_calls import Rpc

AUTH = "Basic ZGVtb19saXZlX2tleV8wMTIzNDU2Nzg5Og=="  # demo_live_key_0123456789:


def raw_exchange(server: DemoServer, head: str, body: bytes = b"") -> tuple[str, bytes]:
    """One request over a bare socket: the headers and the body exactly as sent."""
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    header, _, payload = raw.partition(b"\r\n\r\n")
    return header.decode(), payload


def rpc_head(body: bytes, accept_encoding: str | None) -> str:
    lines = [
        "POST /actions/rpc HTTP/1.1",
        "Host: demo",
        f"Authorization: {AUTH}",
        "User-Agent: wire-test/1",
        "x-account-id: acct_bamboohr_demo",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: close",
    ]
    if accept_encoding is not None:
        lines.append(f"Accept-Encoding: {accept_encoding}")
    return "\r\n".join(lines) + "\r\n\r\n"


LIST = json.dumps({"action": "bamboohr_list_employees", "query": {"page_size": 20}}).encode()


def test_a_large_answer_is_gzipped_when_the_client_accepts_gzip(demo_server: DemoServer) -> None:
    head, payload = raw_exchange(demo_server, rpc_head(LIST, "gzip, deflate"), LIST)
    assert "\r\nContent-Encoding: gzip" in head
    assert "\r\nVary: Accept-Encoding" in head
    length = int(head.split("Content-Length: ")[1].split("\r\n")[0])
    assert length == len(payload)
    decoded = gzip.decompress(payload)
    assert len(decoded) > 3 * len(payload)  # JSON compresses well: worth asking for
    assert len(json.loads(decoded)["data"]) == 20


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br"])
def test_no_gzip_unless_asked_for(demo_server: DemoServer, accept: str | None) -> None:
    head, payload = raw_exchange(demo_server, rpc_head(LIST, accept), LIST)
    assert "Content-Encoding" not in head
    assert len(json.loads(payload)["data"]) == 20


def test_small_answers_are_sent_as_they_are(demo_server: DemoServer) -> None:
    body = json.dumps({"action": "bamboohr_get_employee", "path": {"id": "40001"}}).encode()
    head, payload = raw_exchange(demo_server, rpc_head(body, "gzip"), body)
    assert "Content-Encoding" not in head
    assert json.loads(payload)["data"]["id"] == "40001"


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("GZIP;q=0.5", True),
        ("deflate, *", True),
        ("x-gzip", True),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
        ("br, zstd", False),
        ("gzip;q=oops", False),
        ("", False),
    ],
)
def test_accept_encoding_is_read_with_its_q_values(header: str, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted


def test_the_envelope_stackone_ai_sends_is_accepted(rpc: Rpc) -> None:
    # stackone-ai repeats x-account-id inside the envelope's headers and always sends a body.
    response = rpc(
        {
            "action": "bamboohr_get_employee",
            "body": {},
            "headers": {"x-account-id": "acct_bamboohr_demo"},
            "path": {"id": "40002"},
        },
        headers={"Accept-Encoding": "gzip, deflate"},
    )
    assert response.status_code == 200
    assert response.json()["data"]["first_name"] == "Lukas"


def test_the_api_key_is_the_demos(demo_server: DemoServer) -> None:
    assert demo_server.api_key == DEMO_API_KEY
