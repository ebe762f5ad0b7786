"""httpx's own transport, with the certificate authorities loaded only when they are needed.

``httpx.Client`` builds its TLS context when it is made: it loads the CA bundle, 20-60 ms of
a process that may only ever talk to ``http://`` servers (the demo, a local stub in CI).
``SchemeTransport`` keeps one ``httpx.HTTPTransport`` per scheme and makes the ``https://``
one, with certificate checks as configured, at the first ``https://`` request. Everything
else (connection pooling, limits, the request extensions the client uses) is httpx's.

Imported only where a request is sent: it imports httpx.
"""

from __future__ import annotations

import threading

import httpx


class SchemeTransport(httpx.BaseTransport):
    """``http://`` requests on a transport without TLS setup; ``https://`` ones on a
    verifying transport made when the first one is sent."""

    def __init__(self, *, verify: bool, limits: httpx.Limits) -> None:
        self._verify = verify
        self._limits = limits
        self._lock = threading.Lock()
        self._plain: httpx.HTTPTransport | None = None
        self._tls: httpx.HTTPTransport | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._for(request.url.scheme).handle_request(request)

    def close(self) -> None:
        with self._lock:
            transports = [t for t in (self._plain, self._tls) if t is not None]
        for transport in transports:
            transport.close()

    def _for(self, scheme: str) -> httpx.HTTPTransport:
        with self._lock:
            if scheme == "http":
                if self._plain is None:
                    # Never used for TLS: an unverifying context is cheap and never consulted.
                    self._plain = httpx.HTTPTransport(verify=False, limits=self._limits)
                return self._plain
            if self._tls is None:
                self._tls = httpx.HTTPTransport(verify=self._verify, limits=self._limits)
            return self._tls
