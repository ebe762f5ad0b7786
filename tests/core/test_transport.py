"""Connections over real loopback servers: kept alive for the command-line run
(``RpcClient(keep_alive=True)``: one connection for many requests, the deadline still holds),
and certificates still checked for ``https://`` now that the CA bundle is loaded only at the
first ``https://`` request (``core.transport.SchemeTransport``), against a TLS server with a
self-signed certificate."""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


def _serve(wrap: Callable[[_Server], socket.socket] | None = None) -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    if wrap is not None:
        httpd.socket = wrap(httpd)
    httpd.peers = []
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server() -> Iterator[_Server]:
    yield from _serve()


def _request(server: _Server, action: str = "acme_list_things", **changes: object) -> RpcRequest:
    scheme = "https" if isinstance(server.socket, ssl.SSLSocket) else "http"
    url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
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


def _self_signed(folder: Path) -> tuple[Path, Path]:
    # cryptography comes with keyring's SecretStorage on Linux; elsewhere the TLS tests skip.
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[_Server]:
    """The same server over TLS, with a certificate nobody trusts."""
    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    yield from _serve(lambda httpd: context.wrap_socket(httpd.socket, server_side=True))


def test_an_untrusted_certificate_is_refused_after_plain_http_requests(
    tls_server: _Server, server: _Server
) -> None:
    with RpcClient() as client:
        assert client.send(_request(server), "sk_tls").status == 200
        with pytest.raises(errors.TLSFailed) as caught:
            client.send(_request(tls_server), "sk_tls")
        assert "certificate" in str(caught.value).lower()
        assert client.send(_request(server), "sk_tls").status == 200


def test_without_verification_the_same_server_answers(tls_server: _Server) -> None:
    with RpcClient(verify=False) as client:
        assert client.send(_request(tls_server), "sk_tls").status == 200
