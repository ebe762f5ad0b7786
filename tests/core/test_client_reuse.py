"""One ``RpcClient`` serves every send of a window (every tab and profile), and the
command-line run keeps its connections: what one send leaves behind in it (its key, its
headers, a cookie its server set, a kept connection) must never reach another profile's send,
to the same server or another one. Real loopback servers read the bytes that arrive."""

from __future__ import annotations

import base64
import socket

import pytest

from explorer.core.client import RpcClient
from explorer.core.request import RpcRequest
from tests.core.conftest import RawServer, StartServer

KEY_A = "sk_profile_a_0123456789"
KEY_B = "sk_profile_b_9876543210"


def keep_alive_with_a_cookie(conn: socket.socket, server: RawServer) -> None:
    """Answer every request on the connection (kept open), each answer setting a cookie."""
    body = b'{"data": []}'
    while request := server.read_request(conn):
        del request
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Set-Cookie: session=set-for-profile-a; Path=/\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )


def basic(key: str) -> bytes:
    return b"Basic " + base64.b64encode(f"{key}:".encode())


def headers_of(raw: bytes) -> dict[bytes, bytes]:
    head = raw.partition(b"\r\n\r\n")[0]
    pairs = (line.partition(b":") for line in head.split(b"\r\n")[1:])
    return {name.strip().lower(): value.strip() for name, _, value in pairs}


@pytest.mark.parametrize("keep_alive", [False, True], ids=["window", "command-line run"])
def test_a_later_send_of_another_profile_carries_nothing_of_the_earlier_one(
    raw_server: StartServer, keep_alive: bool
) -> None:
    first_host = raw_server(keep_alive_with_a_cookie)
    other_host = raw_server(keep_alive_with_a_cookie)
    profile_a = RpcRequest(
        action="bamboohr_list_employees",
        account_id="acc_a",
        connector_profile_id="cp_a",
        base_url=first_host.url,
    )
    profile_b = RpcRequest(action="bamboohr_list_employees", account_id="acc_b")
    with RpcClient(keep_alive=keep_alive) as client:
        assert client.send(profile_a, KEY_A).status == 200
        assert client.send(profile_a, KEY_A).status == 200  # the cookie is offered back now
        # Another profile: the same server, then another one.
        assert client.send(profile_b.copy(base_url=first_host.url), KEY_B).status == 200
        assert client.send(profile_b.copy(base_url=other_host.url), KEY_B).status == 200

    sent = [r for r in first_host.requests + other_host.requests if r]
    assert len(sent) == 4
    for raw in sent[2:]:  # profile B's two sends
        headers = headers_of(raw)
        assert headers[b"authorization"] == basic(KEY_B)
        assert headers[b"x-account-id"] == b"acc_b"
        assert b"x-connector-profile-id" not in headers
        assert b"cookie" not in headers
        assert KEY_A.encode() not in raw and basic(KEY_A) not in raw
    # And profile A's own second send did not send back the cookie its server set either:
    # a key's session must never ride along on a request the user built by hand.
    assert b"cookie" not in headers_of(sent[1])
    assert headers_of(sent[1])[b"authorization"] == basic(KEY_A)
