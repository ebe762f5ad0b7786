"""Everything that can go wrong between "Send" and a readable response.

The hierarchy: every class says what happened and what the user can do, in ``str(err)``, so a
caller that catches ``ExplorerError`` can show any of them as it is. Classes raised by one
module live in it (in brackets, relative to ``explorer/``), so that ``core`` never imports
``store`` or the runner::

    ExplorerError
    +-- InvalidRequest          the request cannot be sent as it is (validation issues)
    +-- CurlImportError         a curl command could not be read
    +-- PostmanImportError      the file is not a Postman collection    [core/postman.py]
    +-- UnresolvedVariables     {{names}} with no value; nothing sent   [core/variables.py]
    +-- SecretsNotKept          a history entry's secret is not there  [core/replay.py]
    +-- FilterError             a JSONPath/jq filter could not run      [core/filters.py]
    |   +-- FilterSyntaxError   not valid in its language (position)    [core/filters.py]
    |   +-- FilterEvaluationError  valid, failed on this document       [core/filters.py]
    |   +-- FilterInputError    the body is not JSON                    [core/filters.py]
    |   +-- FilterUnavailable   the language's engine is not installed  [core/filters.py]
    +-- CaptureError            a capture took no value from a response [core/captures.py]
    +-- CaseLeak                a secret survived into a case; not kept [core/case.py]
    +-- HelperStopped           a helper process's call was stopped     [core/helper_process.py]
    +-- HelperFailed            a helper process died mid-call          [core/helper_process.py]
    +-- Forgotten               the helper no longer holds a comparison [core/compare_pages.py]
    +-- DefenderError           a Defender check could not run          [core/defender.py]
    |   +-- DefenderUnavailable stackone-defender is not installed      [core/defender.py]
    |   +-- DefenderInputError  the body is empty or binary: no text    [core/defender_check.py]
    +-- TransportError          no HTTP response came back
    |   +-- ConnectFailed       refused / unreachable
    |   +-- DNSFailed           the host name does not resolve
    |   +-- TLSFailed           certificate or handshake problem
    |   +-- TimedOut            the exchange took longer than the request's timeout
    |   +-- ConnectionDropped   the server closed the connection mid-way
    |   +-- BadResponse         a response came but its body cannot be decoded (e.g. bad gzip)
    |   |   +-- BodyTooLarge    the body passes the size cap, or expands like a zip bomb
    |   +-- Cancelled           the user pressed Cancel
    +-- RemoteError             StackOne answered with an error status (see ``StackOneError``)
    +-- McpError                the MCP endpoint answered a JSON-RPC error [core/mcp.py]
    +-- StoreFileError          a store file cannot be read or written  [store/files.py]
    |   +-- StoreFileMissing    it does not exist (often: nothing saved) [store/files.py]
    |   +-- HistoryDatabaseDamaged  the history database is damaged  [store/history_db.py]
    +-- HistoryEntryMissing     the entry or its body file is gone      [store/history_read.py]
    +-- CollectionError         a collection operation was refused      [store/collections/model.py]
    +-- KeyringUnavailable      no usable, secure OS keyring            [store/credentials.py]
    +-- CredentialError         the keyring refused one operation       [store/credentials.py]
    +-- SetupError              a command-line run cannot start         [run/plan.py]

HTTP error statuses are *not* raised by ``RpcClient.send``: a 4xx/5xx is a normal response that
the user wants to read. ``RpcResponse.raise_for_error()`` turns it into ``RemoteError`` for
scripts such as the command-line runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.core.response import RpcResponse


class ExplorerError(Exception):
    """Base of every error the explorer reports to a person."""


@dataclass(frozen=True)
class Issue:
    """One validation problem, tied to the field the user must fix.

    ``line``/``column`` are 1-based positions inside a JSON editor when known.
    """

    field: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line}, column {self.column})" if self.line else ""
        return f"{self.field}: {self.message}{where}"


class InvalidRequest(ExplorerError):
    """The request has problems that must be fixed before it can be sent."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(i) for i in self.issues) or "invalid request")


class CurlImportError(ExplorerError):
    """A curl command could not be turned into an RPC request."""


class TransportError(ExplorerError):
    """No HTTP response came back. ``base_url`` names where we tried to go."""

    what = "The request failed before any response arrived."
    hint = "Check the base URL and your network, then try again."

    def __init__(self, base_url: str = "", detail: str = "") -> None:
        self.base_url = base_url
        self.detail = detail
        super().__init__(self.describe())

    def describe(self) -> str:
        where = f" ({self.base_url})" if self.base_url else ""
        text = f"{self.what}{where} {self.hint}"
        if self.detail:
            text += f" [{self.detail}]"
        return text


class ConnectFailed(TransportError):
    what = "Could not connect to the server: the connection was refused or the host is unreachable."
    hint = "Is the base URL right and the server running? Check proxies and firewalls."


class DNSFailed(TransportError):
    what = "The server's host name could not be resolved."
    hint = "Check the spelling of the base URL's host and your DNS/network connection."


class TLSFailed(TransportError):
    what = "The secure (TLS) connection failed: certificate or handshake problem."
    hint = "Check that the base URL uses the right scheme (https vs http) and that the certificate is trusted."  # noqa: E501


class TimedOut(TransportError):
    what = "The request timed out before the whole response arrived."
    hint = "The action may be slow: raise the request timeout, or retry later."


class ConnectionDropped(TransportError):
    what = "The server closed the connection before the response was complete."
    hint = "Retry; if it keeps happening, the server or a proxy on the way is cutting the response."


class BadResponse(TransportError):
    what = "The server's response could not be read: its body is corrupt or wrongly encoded."
    hint = "Retry; if it keeps happening, the server or a proxy on the way is mangling responses."


class BodyTooLarge(BadResponse):
    what = "The response body was refused: it is larger than the explorer accepts."
    hint = (
        "The body was not kept. If you expect one this large, raise the body size limit in "
        "Preferences; if not, the server (or a proxy) is sending far more than it should."
    )


class Cancelled(TransportError):
    what = "The request was cancelled."
    hint = "Send it again when you are ready."


class RemoteError(ExplorerError):
    """StackOne (or the provider behind it) answered with an error status."""

    def __init__(self, response: RpcResponse) -> None:
        self.response = response
        err = response.error
        message = err.message if err and err.message else response.reason
        super().__init__(f"HTTP {response.status}: {message}")
