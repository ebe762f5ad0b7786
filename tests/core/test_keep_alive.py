"""Kept connections (``RpcClient(keep_alive=True)``, the command-line run's client) over a real
loopback server: one connection for many requests, and the request's deadline still holds."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from explorer.core import errors
from explorer.core.client import RpcClient
from explorer.core.request import RpcRequest


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The client port of each request, in order: one port per connection.
    peers: list[int]
    release: threading.Event


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # connections stay open unless the client closes them

    def do_POST(self) -> None:
        rpc = json.loads(self.rfile.read(int(self.headers["content-length"])))
        self.server.peers.append(self.client_address[1])
        if rpc["action"] == "acme_hang_forever":
            self.server.release.wait(10)
        body = b'{"data": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.peers = []
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


def _request(server: _Server, action: str = "acme_list_things", **changes: object) -> RpcRequest:
    url = f"http://127.0.0.1:{server.server_address[1]}"
    return RpcRequest(action=action, account_id="acc_1", base_url=url).copy(**changes)


def test_a_kept_connection_carries_every_request(server: _Server) -> None:
    with RpcClient(keep_alive=True) as client:
        for _ in range(3):
            assert client.send(_request(server), "sk_keep").status == 200
    assert len(server.peers) == 3
    assert len(set(server.peers)) == 1


def test_by_default_each_request_has_its_own_connection(server: _Server) -> None:
    with RpcClient() as client:
        for _ in range(3):
            assert client.send(_request(server), "sk_keep").status == 200
    assert len(set(server.peers)) == 3


def test_the_deadline_holds_on_a_kept_connection(server: _Server) -> None:
    with RpcClient(keep_alive=True) as client:
        client.send(_request(server), "sk_keep")
        started = time.monotonic()
        with pytest.raises(errors.TimedOut):
            client.send(_request(server, "acme_hang_forever", timeout=0.5), "sk_keep")
        assert time.monotonic() - started < 5
    assert len(set(server.peers)) == 1  # the hanging request went on the kept connection
