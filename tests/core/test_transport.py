"""Certificates are still checked for ``https://`` now that the CA bundle is loaded only for the
first ``https://`` request (``core.transport.SchemeTransport``): against a real TLS server on
loopback with a self-signed certificate, and the same client to a plain ``http://`` one."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from explorer.core import errors
from explorer.core.client import RpcClient
from explorer.core.request import RpcRequest

x509 = pytest.importorskip("cryptography.x509")  # keyring's SecretStorage brings it on Linux
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        body = b'{"data": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def _self_signed(folder: Path) -> tuple[Path, Path]:
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


def _serve(httpd: ThreadingHTTPServer) -> Iterator[str]:
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    scheme = "https" if isinstance(httpd.socket, ssl.SSLSocket) else "http"
    yield f"{scheme}://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def tls_url(tmp_path: Path) -> Iterator[str]:
    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    yield from _serve(httpd)


@pytest.fixture
def plain_url() -> Iterator[str]:
    yield from _serve(ThreadingHTTPServer(("127.0.0.1", 0), _Handler))


def _rpc(url: str) -> RpcRequest:
    return RpcRequest(action="acme_list_things", account_id="acc_1", base_url=url, timeout=10)


def test_an_untrusted_certificate_is_refused_after_plain_http_requests(
    tls_url: str, plain_url: str
) -> None:
    with RpcClient() as client:
        assert client.send(_rpc(plain_url), "sk_tls").status == 200
        with pytest.raises(errors.TLSFailed) as caught:
            client.send(_rpc(tls_url), "sk_tls")
        assert "certificate" in str(caught.value).lower()
        assert client.send(_rpc(plain_url), "sk_tls").status == 200


def test_without_verification_the_same_server_answers(tls_url: str) -> None:
    with RpcClient(verify=False) as client:
        assert client.send(_rpc(tls_url), "sk_tls").status == 200
