"""The request as code a customer's developer can run: StackOne's Python and TypeScript SDKs.

Two snippets beside "Copy as curl", each reproducing the editor's request with StackOne's own
client, the API key read from the ``STACKONE_API_KEY`` environment variable (never written):

* ``stackone-ai`` (Python, 2.10): the agent SDK. It finds the action as a tool over MCP
  (``fetch_tools``, filtered to this account and action) and runs it over ``/actions/rpc``
  with arguments in its ``flat_prefixed`` style (``path_id``, ``query_page_size``,
  ``headers_<name>``, ``body_<field>``), which it splits back into the RPC envelope.
* ``@stackone/stackone-client-ts`` (4.28): the generated client, ``actions.rpcAction`` with
  the envelope as its ``ActionsRpcRequestDto`` and ``x-account-id`` as a request header.

Neither SDK can send everything the explorer can: both drop ``defender_config`` (not in
their models), neither sets ``sync``/``debug``, and stackone-ai sends no
``x-connector-profile-id``. A snippet says so in a comment instead of sending something else
silently. The value of a secret-looking provider header is read from an environment variable
named after the header (``X-Api-Token`` -> ``X_API_TOKEN``), like the key; ``{{variables}}``
stay as written (a comment lists them), as in every export.
"""

from __future__ import annotations

import json
import re
from typing import Any

from explorer.core.request import DEFAULT_BASE_URL, RpcRequest
from explorer.core.secrets import is_secret_header, is_template
from explorer.core.variables import find_variables

KEY_VARIABLE = "STACKONE_API_KEY"
PYTHON_PACKAGE = "stackone-ai[mcp]"  # fetch_tools needs the MCP client
TYPESCRIPT_PACKAGE = "@stackone/stackone-client-ts"


class _EnvRead:
    """A value to read from the environment (``repr`` is the Python code for it)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:  # pprint writes this into the Python snippet
        return f"os.environ[{self.name!r}]"


def env_name(header: str) -> str:
    """The environment variable a secret header's value is read from: ``X_API_TOKEN``."""
    return re.sub(r"[^A-Z0-9]", "_", header.upper()).strip("_") or "SECRET_HEADER"


def _headers(request: RpcRequest) -> dict[str, Any]:
    """The provider headers, each secret one's literal value replaced by an environment read."""
    headers = request.headers if isinstance(request.headers, dict) else {}
    return {
        name: _EnvRead(env_name(name))
        if is_secret_header(name) and not is_template(value)
        else value
        for name, value in headers.items()
    }


def _caveats(request: RpcRequest, *, connector_profile: bool) -> list[str]:
    """What the SDK cannot send that this request has, and what the reader must provide."""
    notes = []
    if not request.defender.is_unset() or request.defender_enabled is not None:
        notes.append(
            "Defender settings (defender_config) are not part of the SDK's request: the "
            "project's defaults apply."
        )
    if request.sync or request.debug:
        flags = " and ".join(f"{f}=true" for f in ("sync", "debug") if getattr(request, f))
        notes.append(f"The SDK cannot send {flags}.")
    if connector_profile and request.connector_profile_id.strip():
        notes.append(
            f"The SDK sends no x-connector-profile-id ({request.connector_profile_id.strip()}): "
            "the account's default connector profile is used."
        )
    variables = sorted(find_variables(request))
    if variables:
        names = ", ".join("{{" + name + "}}" for name in variables)
        notes.append(f"Fill in {names} before running (left as written).")
    secret = [n for n, v in _headers(request).items() if isinstance(v, _EnvRead)]
    if secret:
        names = ", ".join(f"{env_name(n)} ({n})" for n in secret)
        notes.append(f"Set {names} in the environment too, like {KEY_VARIABLE}.")
    return notes


def _base_url(request: RpcRequest) -> str | None:
    url = request.base_url.strip().rstrip("/")
    return None if url in ("", DEFAULT_BASE_URL) else url


def to_python(request: RpcRequest) -> str:
    """The request as a ``stackone-ai`` script (runs as it is once the key is set)."""
    arguments: dict[str, Any] = {}
    for location in ("path", "query"):
        for name, value in (getattr(request, location) or {}).items():
            arguments[f"{location}_{name}"] = value
    for name, value in _headers(request).items():
        arguments[f"headers_{name}"] = value
    body = request.body if isinstance(request.body, dict) else {}
    for name, value in body.items():
        arguments[f"body_{name}"] = value
    action, account = request.action.strip(), request.account_id.strip()
    base_url = _base_url(request)
    toolset_args = f"base_url={base_url!r}" if base_url else ""
    lines = [
        f"# {action} with StackOne's Python SDK: pip install '{PYTHON_PACKAGE}'",
        f"# The API key is read from the {KEY_VARIABLE} environment variable.",
        *(f"# Note: {note}" for note in _caveats(request, connector_profile=True)),
        "import json",
        "import os",
        "",
        "from stackone_ai import StackOneToolSet",
        "",
        f"toolset = StackOneToolSet({toolset_args})",
        f"tools = toolset.fetch_tools(account_ids=[{account!r}], actions=[{action!r}])",
        f"tool = tools.get_tool({action!r})",
        "if tool is None:",
        f"    raise SystemExit({f'{action} is not available for account {account}'!r})",
        f"arguments = {_python_literal(arguments)}",
        "result = tool.execute(arguments)",
        "print(json.dumps(result, indent=2))",
        "",
    ]
    return "\n".join(lines)


def _python_literal(value: Any, level: int = 0) -> str:
    """Python source for JSON data, one entry a line (``pprint``'s layout is hard to read)."""
    pad, inner = "    " * level, "    " * (level + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{k!r}: {_python_literal(v, level + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value:
        items = [f"{inner}{_python_literal(v, level + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    return repr(value)


def to_typescript(request: RpcRequest) -> str:
    """The request as a script for ``@stackone/stackone-client-ts`` (ESM or CommonJS)."""
    envelope: dict[str, Any] = {"action": request.action.strip()}
    for location in ("path", "query"):
        value = getattr(request, location)
        if value:
            envelope[location] = value
    headers = _headers(request)
    if headers:
        envelope["headers"] = headers
    if request.body:
        envelope["body"] = request.body
    http_headers = {"x-account-id": request.account_id.strip()}
    if request.connector_profile_id.strip():
        http_headers["x-connector-profile-id"] = request.connector_profile_id.strip()
    base_url = _base_url(request)
    options = ['  security: { username: apiKey, password: "" },', "  httpClient,"]
    if base_url:
        options.insert(0, f"  serverURL: {json.dumps(base_url)},")
    lines = [
        f"// {request.action.strip()} with StackOne's TypeScript SDK: npm install "
        f"{TYPESCRIPT_PACKAGE}",
        f"// The API key is read from the {KEY_VARIABLE} environment variable.",
        *(f"// Note: {note}" for note in _caveats(request, connector_profile=False)),
        f'import {{ HTTPClient, StackOne }} from "{TYPESCRIPT_PACKAGE}";',
        "",
        f"const apiKey = process.env.{KEY_VARIABLE};",
        "if (!apiKey) {",
        f'  throw new Error("Set {KEY_VARIABLE} first");',
        "}",
        "// The SDK's models keep only the fields they declare, and an action's records declare",
        "// none: keep the body as StackOne sent it.",
        'let body = "";',
        "const httpClient = new HTTPClient();",
        'httpClient.addHook("response", async (res) => {',
        "  body = await res.clone().text();",
        "});",
        "const stackOne = new StackOne({",
        *options,
        "});",
        "",
        "async function main() {",
        "  const response = await stackOne.actions.rpcAction(",
        "    " + _js_literal(envelope, indent=4) + ",",
        "    " + _js_literal({"headers": http_headers}, indent=4) + ",",
        "  );",
        "  console.log(response.statusCode, body);",
        "}",
        "",
        "main().catch((error) => {",
        "  console.error(String(error), body);",
        "  process.exitCode = 1;",
        "});",
        "",
    ]
    return "\n".join(lines)


def _js_literal(value: Any, *, indent: int) -> str:
    """JSON is a JavaScript literal; environment reads become ``process.env.NAME ?? ""``."""
    reads: dict[str, str] = {}

    def encode(item: Any) -> Any:
        if isinstance(item, _EnvRead):
            token = f"\x00env{len(reads)}\x00"
            reads[token] = f'process.env.{item.name} ?? ""'
            return token
        raise TypeError(type(item).__name__)

    text = json.dumps(value, indent=2, ensure_ascii=False, default=encode)
    for token, code in reads.items():
        text = text.replace(json.dumps(token), code)
    return text.replace("\n", "\n" + " " * indent)
