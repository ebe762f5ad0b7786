"""curl export and import: what a user copies out must come back in, and real-world pastes work."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from explorer.core.curl import from_curl, to_curl
from explorer.core.errors import CurlImportError
from explorer.core.request import DefenderConfig, RpcRequest
from tests.core.conftest import RawServer, StartServer

KEY = "v1.eu1.s3cr3t-key"
RPC = "https://api.stackone.com/actions/rpc"
BODY = '{"action": "bamboohr_list_employees"}'


def basic(key: str) -> str:
    return base64.b64encode(f"{key}:".encode()).decode()


FULL = RpcRequest(
    action="greenhouse_create_candidate",
    account_id="acc 'quoted' 1",
    connector_profile_id="cp_2",
    path={"id": "c1"},
    query={"filter": "name = 'O\\'Brien' & $HOME `id`"},
    headers={"X-Trace": "t1"},
    body={"first_name": "Zoë", "notes": "line one\nline two\ttab", "tags": ["日本", "!x"]},
    defender=DefenderConfig(True, None, False, None),
    defender_enabled=False,
    sync=True,
    debug=True,
    base_url="http://127.0.0.1:8080/v1",
    timeout=12.5,
)


# -- export ------------------------------------------------------------------------------------


def test_export_is_readable_multi_line_curl() -> None:
    request = RpcRequest(action="bamboohr_get_employee", account_id="acc_1", path={"id": "e1"})
    assert to_curl(request) == (
        "curl -X POST https://api.stackone.com/actions/rpc \\\n"
        '  -u "$STACKONE_API_KEY:" \\\n'
        "  --compressed \\\n"
        "  -H 'x-account-id: acc_1' \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        "  --data-raw '{\n"
        '  "action": "bamboohr_get_employee",\n'
        '  "path": {\n'
        '    "id": "e1"\n'
        "  }\n"
        "}'"
    )


def test_export_names_the_key_variable_and_never_the_key_unless_revealed() -> None:
    hidden = to_curl(FULL, KEY)
    assert '-u "$STACKONE_API_KEY:"' in hidden
    assert KEY not in hidden and basic(KEY) not in hidden
    revealed = to_curl(FULL, KEY, reveal_key=True)
    assert f"-u {KEY}: " in revealed and "STACKONE_API_KEY" not in revealed


def test_reveal_without_a_key_still_uses_the_variable() -> None:
    assert '-u "$STACKONE_API_KEY:"' in to_curl(FULL, None, reveal_key=True)


def test_export_leaves_authorization_and_user_agent_to_curl() -> None:
    text = to_curl(FULL, KEY).lower()
    assert "authorization:" not in text and "user-agent" not in text
    assert "-h 'x-connector-profile-id: cp_2'" in text


def test_export_includes_sync_debug_and_a_non_default_timeout() -> None:
    text = to_curl(FULL)
    assert "'http://127.0.0.1:8080/v1/actions/rpc?sync=true&debug=true'" in text
    assert "--max-time 12.5" in text
    assert "--max-time" not in to_curl(RpcRequest(action="a", account_id="b"))


@pytest.mark.parametrize(
    "request_",
    [
        RpcRequest(action="bamboohr_list_employees", account_id="acc_1"),
        FULL,
        RpcRequest(
            action="x_y", account_id="a", defender=DefenderConfig(False, False, False, False)
        ),
        RpcRequest(action="x_y", account_id="", body={}, base_url="https://api.eu1.stackone.com"),
    ],
    ids=["minimal", "everything", "defender-off", "incomplete"],
)
def test_export_then_import_gives_the_same_request(request_: RpcRequest) -> None:
    imported = from_curl(to_curl(request_, KEY))
    assert imported.request == request_
    assert imported.api_key is None
    assert imported.warnings == []


def test_revealed_export_imports_with_its_key() -> None:
    imported = from_curl(to_curl(FULL, "it's-a-key", reveal_key=True))
    assert imported.api_key == "it's-a-key"
    assert imported.request == FULL


@pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("sh") is None, reason="needs curl and sh"
)
def test_the_exported_command_really_runs_in_a_shell(
    raw_server: StartServer, tmp_path: Path
) -> None:
    def answer(conn: socket.socket, server: RawServer) -> None:
        server.read_request(conn)
        server.reply(conn, 200, b'{"data": []}')

    server = raw_server(answer)
    request = FULL.copy(base_url=server.url + "/v1")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "STACKONE_API_KEY": KEY}
    done = subprocess.run(
        ["sh", "-c", to_curl(request) + " --silent --show-error"],
        env=env,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"data": []}
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "POST /v1/actions/rpc?sync=true&debug=true HTTP/1.1"
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert headers["authorization"] == f"Basic {basic(KEY)}"
    assert headers["x-account-id"] == FULL.account_id
    assert headers["x-connector-profile-id"] == "cp_2"
    assert json.loads(body) == FULL.rpc_body()


# -- import: quoting and line continuations ----------------------------------------------------


def test_double_quoted_body_with_escapes() -> None:
    command = f'curl -X POST "{RPC}" -H "x-account-id: a1" -d "{{\\"action\\": \\"x_list\\"}}"'
    imported = from_curl(command)
    assert imported.request.action == "x_list"
    assert imported.request.account_id == "a1"


def test_bash_ansi_c_strings_from_browsers() -> None:
    command = (
        f"curl '{RPC}' -H 'x-account-id: a1' --data-raw "
        '$\'{"action":"x_list","body":{"name":"caf\\u00e9 \\xc3\\xa9",'
        '"q":"it\\\'s\\\\ttab\\\\nline"}}\''
    )
    assert from_curl(command).request.body == {"name": "café é", "q": "it's\ttab\nline"}


def test_backslash_line_continuations_including_crlf() -> None:
    command = f"curl -X POST {RPC} \\\r\n  -H 'x-account-id: a1' \\\n  -d '{BODY}'"
    imported = from_curl(command)
    assert imported.request.account_id == "a1"
    assert imported.request.action == "bamboohr_list_employees"


def test_stray_spaces_after_a_continuation_and_powershell_backticks() -> None:
    command = f"curl.exe -X POST {RPC} \\  \n  -H 'x-account-id: a1' `\r\n  -d '{BODY}'"
    imported = from_curl(command)
    assert imported.request.account_id == "a1"
    assert imported.request.action == "bamboohr_list_employees"


def test_a_continuation_inside_a_word_joins_it_as_a_shell_does() -> None:
    command = f"curl https://api.stackone.com/actions\\\n/rpc -d '{BODY}'"
    assert from_curl(command).request.base_url == "https://api.stackone.com"


def test_windows_cmd_with_caret_continuations() -> None:
    command = (
        f'curl -X POST "{RPC}" ^\n'
        "  -u %STACKONE_API_KEY%: ^\n"
        '  -H "x-account-id: a1" ^\n'
        '  -d "{\\"action\\": \\"x_list\\", \\"query\\": {\\"q\\": \\"a b\\"}}"'
    )
    imported = from_curl(command)
    assert imported.request.action == "x_list"
    assert imported.request.query == {"q": "a b"}
    assert imported.api_key is None


def test_browser_copy_as_curl_cmd() -> None:
    command = (
        f'curl ^"{RPC}^" ^\r\n'
        f'  -H ^"authorization: Basic {basic(KEY)}^" ^\r\n'
        '  -H ^"x-account-id: a1^" ^\r\n'
        '  --data-raw ^"^{^\\^"action^\\^":^\\^"x_list^\\^",^\\^"body^\\^":^{^\\^"a^\\^":'
        '^\\^"1 ^& 2^\\^"^}^}^"'
    )
    imported = from_curl(command)
    assert imported.request.action == "x_list"
    assert imported.request.body == {"a": "1 & 2"}
    assert imported.api_key == KEY


# -- import: options ---------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["-d", "--data", "--data-raw", "--data-binary", "--json"])
def test_every_data_option_carries_the_body(option: str) -> None:
    command = f"curl {RPC} -H 'x-account-id: a1' {option} '{BODY}'"
    assert from_curl(command).request.action == "bamboohr_list_employees"


def test_short_options_with_attached_values_and_bundles() -> None:
    command = f"curl -sSXPOST {RPC} '-Hx-account-id: a1' -d'{BODY}'"
    imported = from_curl(command)
    assert imported.request.account_id == "a1"
    assert imported.warnings == []


@pytest.mark.parametrize("method", ["-X POST", "--request POST", "-X post", ""])
def test_the_method_may_be_given_or_implied(method: str) -> None:
    command = f"curl {method} {RPC} -H 'x-account-id: a1' -d '{BODY}'"
    assert from_curl(command).request.action == "bamboohr_list_employees"


def test_headers_map_onto_the_request_fields() -> None:
    command = (
        f"curl {RPC} --header 'X-Account-Id: acc_9' -H 'x-connector-profile-id:cp_3' "
        f"-H 'Content-Type: application/json' -H 'User-Agent: docs' -H 'Accept: */*' -d '{BODY}'"
    )
    imported = from_curl(command)
    assert imported.request.account_id == "acc_9"
    assert imported.request.connector_profile_id == "cp_3"
    assert imported.warnings == []


@pytest.mark.parametrize("user", ["-u", "--user"])
def test_the_key_in_user_is_returned_separately(user: str) -> None:
    imported = from_curl(f"curl {RPC} {user} '{KEY}:' -H 'x-account-id: a' -d '{BODY}'")
    assert imported.api_key == KEY
    assert KEY not in json.dumps(imported.request.to_dict())


@pytest.mark.parametrize(
    "user",
    [
        '"$STACKONE_API_KEY:"',
        '"${STACKONE_API_KEY}:"',
        "$API_KEY:",
        "%STACKONE_API_KEY%:",
        "'$env:STACKONE_API_KEY:'",
        "'<YOUR_API_KEY>:'",
        "'{{api_key}}:'",
        "YOUR_API_KEY:",
    ],
)
def test_key_placeholders_mean_no_key(user: str) -> None:
    imported = from_curl(f"curl {RPC} -u {user} -H 'x-account-id: a' -d '{BODY}'")
    assert imported.api_key is None


def test_a_key_in_the_url_is_read_like_user_and_kept_out_of_the_base_url() -> None:
    # curl takes ``https://user:password@host`` as credentials; the base URL is saved in
    # history, so they must not stay in it.
    imported = from_curl(f"curl https://{KEY}:@api.stackone.com/actions/rpc -d '{BODY}'")
    assert imported.api_key == KEY
    assert imported.request.base_url == "https://api.stackone.com"
    assert KEY not in json.dumps(imported.request.to_dict())
    assert KEY not in " ".join(imported.warnings)


def test_user_wins_over_credentials_in_the_url() -> None:
    url = "https://other%3Akey:@127.0.0.1:8080/actions/rpc"
    imported = from_curl(f"curl -u '{KEY}:' {url} -d '{BODY}'")
    assert imported.api_key == KEY
    assert imported.request.base_url == "https://127.0.0.1:8080"


def test_a_password_in_user_is_ignored_with_a_warning() -> None:
    imported = from_curl(f"curl {RPC} -u '{KEY}:pw' -H 'x-account-id: a' -d '{BODY}'")
    assert imported.api_key == KEY
    assert imported.warnings == ["Ignored the password in -u: StackOne keys use an empty password."]


def test_a_basic_authorization_header_is_decoded() -> None:
    command = f"curl {RPC} -H 'Authorization: Basic {basic(KEY)}' -H 'x-account-id: a' -d '{BODY}'"
    assert from_curl(command).api_key == KEY


def test_an_explicit_authorization_header_beats_user_as_in_curl() -> None:
    command = (
        f"curl {RPC} -u other: -H 'authorization: Basic {basic(KEY)}' "
        f"-H 'x-account-id: a' -d '{BODY}'"
    )
    assert from_curl(command).api_key == KEY


@pytest.mark.parametrize(
    ("header", "warning"),
    [
        ("Bearer abc", "not Bearer"),
        ("Basic !!!notbase64", "not base64"),
    ],
)
def test_unusable_authorization_headers_are_reported(header: str, warning: str) -> None:
    command = f"curl {RPC} -H 'Authorization: {header}' -H 'x-account-id: a' -d '{BODY}'"
    imported = from_curl(command)
    assert imported.api_key is None
    assert warning in imported.warnings[0]


def test_data_from_a_file_relative_to_base_dir(tmp_path: Path) -> None:
    (tmp_path / "bodies").mkdir()
    (tmp_path / "bodies" / "get.json").write_text(
        '{"action": "bamboohr_get_employee", "path": {"id": "é1"}}', encoding="utf-8"
    )
    command = f"curl {RPC} -H 'x-account-id: a' --data @bodies/get.json"
    request = from_curl(command, base_dir=tmp_path).request
    assert request.action == "bamboohr_get_employee" and request.path == {"id": "é1"}


def test_data_from_an_absolute_file_path(tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_text(BODY, encoding="utf-8")
    command = f"curl {RPC} -H 'x-account-id: a' --data-binary '@{body}'"
    assert from_curl(command).request.action == "bamboohr_list_employees"


def test_data_raw_never_reads_a_file(tmp_path: Path) -> None:
    (tmp_path / "body.json").write_text(BODY, encoding="utf-8")
    with pytest.raises(CurlImportError, match="not valid JSON"):
        from_curl(f"curl {RPC} --data-raw @body.json", base_dir=tmp_path)


def test_url_option_and_sync_debug_parameters() -> None:
    command = f"curl --url '{RPC}?sync=true&debug=true' -H 'x-account-id: a' -d '{BODY}'"
    request = from_curl(command).request
    assert (request.base_url, request.sync, request.debug) == (
        "https://api.stackone.com",
        True,
        True,
    )


@pytest.mark.parametrize(
    ("url", "base_url"),
    [
        ("https://api.eu1.stackone.com/actions/rpc", "https://api.eu1.stackone.com"),
        ("http://localhost:8080/v1/actions/rpc/", "http://localhost:8080/v1"),
        ("https://api.stackone.com/actions/rpc?sync=false", "https://api.stackone.com"),
    ],
)
def test_the_base_url_is_everything_before_actions_rpc(url: str, base_url: str) -> None:
    request = from_curl(f"curl '{url}' -d '{BODY}'").request
    assert request.base_url == base_url and request.sync is False


def test_a_url_without_scheme_is_assumed_https_with_a_warning() -> None:
    imported = from_curl(f"curl api.stackone.com/actions/rpc -d '{BODY}'")
    assert imported.request.base_url == "https://api.stackone.com"
    assert "assumed https://" in imported.warnings[0]


def test_output_options_are_ignored_silently() -> None:
    command = f"curl -s -S -v -i --compressed --silent {RPC} -H 'x-account-id: a' -d '{BODY}'"
    assert from_curl(command).warnings == []


def test_options_the_explorer_does_not_reproduce_are_reported() -> None:
    command = f"curl -k -L -o out.json {RPC} -H 'X-Custom: 1' -d '{BODY}'"
    warnings = from_curl(command).warnings
    assert warnings == [
        "Ignored --insecure: certificate checks stay on in the explorer.",
        "Ignored --location: the explorer does not follow redirects.",
        "Ignored --output out.json: it does not change the RPC request.",
        "Ignored the header 'X-Custom': /actions/rpc reads only x-account-id and "
        'x-connector-profile-id (headers for the provider go in the body\'s "headers" object).',
    ]


@pytest.mark.parametrize(
    ("header", "field"),
    [("x-account-id", "account_id"), ("X-Connector-Profile-Id", "connector_profile_id")],
)
def test_an_id_header_given_twice_keeps_the_last_and_names_both(header: str, field: str) -> None:
    # curl would send both headers; which one StackOne reads is not something to guess
    # silently, since it decides whose data the call touches.
    command = f"curl {RPC} -H '{header}: acc_old' -H '{header.upper()}: acc_new' -d '{BODY}'"
    imported = from_curl(command)
    assert getattr(imported.request, field) == "acc_new"
    assert imported.warnings == [
        f"The header {header.lower()} is given twice, 'acc_old' and then 'acc_new'; "
        "the explorer uses the last one, 'acc_new': check it is the one you meant."
    ]


def test_an_id_header_repeated_with_the_same_value_is_not_worth_a_warning() -> None:
    command = f"curl {RPC} -H 'x-account-id: acc_1' -H 'x-account-id: acc_1' -d '{BODY}'"
    assert from_curl(command).warnings == []


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("-b", "session=s3cret-cookie"),
        ("--cookie", "session=s3cret-cookie"),
        ("-x", "http://me:s3cret@proxy.example:3128"),
        ("-E", "client.pem:s3cret-passphrase"),
    ],
)
def test_ignored_options_that_may_hold_a_secret_are_reported_without_it(
    option: str, value: str
) -> None:
    # Warnings are shown and may be copied into a ticket: they must not carry credentials.
    warnings = from_curl(f"curl {option} '{value}' {RPC} -d '{BODY}'").warnings
    assert len(warnings) == 1 and "s3cret" not in warnings[0]
    assert "it does not change the RPC request" in warnings[0]


def test_max_time_becomes_the_request_timeout() -> None:
    assert from_curl(f"curl -m 7 {RPC} -d '{BODY}'").request.timeout == 7.0
    assert from_curl(f"curl --max-time 2.5 {RPC} -d '{BODY}'").request.timeout == 2.5


def test_a_pasted_prompt_and_a_pipe_are_tolerated() -> None:
    imported = from_curl(f"$ curl {RPC} -H 'x-account-id: a' -d '{BODY}' | jq .data")
    assert imported.request.action == "bamboohr_list_employees"
    assert imported.warnings == ["Ignored what follows the curl command: | jq .data"]


def test_unknown_body_fields_are_reported() -> None:
    body = '{"action": "x_list", "actionn": "typo"}'
    assert from_curl(f"curl {RPC} -d '{body}'").warnings == [
        'Ignored the body field "actionn": it is not part of an RPC request.'
    ]


# -- import: what cannot be read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("", "not a curl command"),
        (f"wget {RPC}", "not a curl command"),
        (f"curl https://api.stackone.com/accounts -d '{BODY}'", "does not call /actions/rpc"),
        (f"curl ftp://api.stackone.com/actions/rpc -d '{BODY}'", "not an http:// or https://"),
        (f"curl -d '{BODY}'", "has no URL"),
        (f"curl {RPC} {RPC} -d '{BODY}'", "more than one URL"),
        (f"curl {RPC}", "has no body"),
        (
            f"curl {RPC} -d '{{\"action\": }}'",
            "not valid JSON: Expecting value (line 1, column 12)",
        ),
        (
            f'curl {RPC} -d \'{{"action": "x", "body": {{"n": NaN}}}}\'',
            "not valid JSON: NaN is not a JSON number; use null or a string such as "
            '"NaN" (line 1, column 31)',
        ),
        (f"curl {RPC} -d '[1]'", "must be a JSON object with an action"),
        (f"curl {RPC} -d '{{\"path\": {{}}}}'", 'no "action"'),
        (f"curl {RPC} -d '{{\"action\": 3}}'", 'no "action"'),
        (f'curl {RPC} -d \'{{"action": "x", "path": [1]}}\'', '"path" must be a JSON object'),
        (
            f'curl {RPC} -d \'{{"action": "x", "defender_config": true}}\'',
            '"defender_config" must be a JSON object',
        ),
        (f"curl {RPC} -d '{BODY}' -d '{BODY}'", "more than one data option"),
        (f"curl -X GET {RPC} -d '{BODY}'", "only takes POST"),
        (f"curl --frobnicate yes {RPC} -d '{BODY}'", "Unknown curl option --frobnicate"),
        (f"curl -Z {RPC} -d '{BODY}'", "Unknown curl option -Z"),
        (f"curl {RPC} -d '{BODY}' -H", "-H needs a value"),
        (f"curl {RPC} -d '{BODY}' --header", "--header needs a value"),
        (f"curl {RPC} -F 'file=@a.pdf'", "multipart form"),
        (f"curl -G {RPC} -d '{BODY}'", "--get"),
        (f"curl {RPC} --data-urlencode 'a=b'", "URL-encodes"),
        (f"curl -m soon {RPC} -d '{BODY}'", "not a number of seconds"),
        (f"curl {RPC} -d '{BODY}", "a ' is never closed"),
        (f'curl "{RPC} -d x', 'a " is never closed'),
        (f'curl {RPC} -d $\'{{"action": "x"}}', "a $' string is never closed"),
        (f'curl "{RPC}" ^\n -d "{{}}', 'a " is never closed'),
        (f"curl {RPC} --data @-", "standard input"),
    ],
)
def test_unreadable_commands_say_why(command: str, message: str) -> None:
    with pytest.raises(CurlImportError) as caught:
        from_curl(command)
    assert message in str(caught.value)


def test_a_relative_body_file_without_base_dir_is_explained() -> None:
    with pytest.raises(CurlImportError, match="not known which folder"):
        from_curl(f"curl {RPC} --data @body.json")


def test_a_missing_body_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CurlImportError, match=r"body file .*missing\.json.* does not exist"):
        from_curl(f"curl {RPC} --data @missing.json", base_dir=tmp_path)


def test_provider_credentials_in_the_body_are_redacted_unless_revealed() -> None:
    """A BambooHR token passed through in ``headers`` must not leak with a shared command."""
    request = RpcRequest(
        action="bamboohr_list_employees",
        account_id="acc_1",
        headers={"X-Api-Token": "bhr_SECRET_1", "X-Trace": "t1", "X-Auth": "{{token}}"},
    )
    hidden = to_curl(request, KEY)
    assert "bhr_SECRET_1" not in hidden
    comment, command = hidden.split("\n", 1)
    assert comment.startswith("# ") and "X-Api-Token" in comment and "<redacted>" in comment
    assert command.startswith("curl ")
    imported = from_curl(hidden).request
    # Harmless values and variable names stay; only the credential is replaced.
    assert imported.headers == {"X-Api-Token": "<redacted>", "X-Trace": "t1", "X-Auth": "{{token}}"}

    revealed = to_curl(request, KEY, reveal_key=True)
    assert revealed.startswith("curl ") and from_curl(revealed).request == request


def test_no_comment_when_nothing_is_hidden() -> None:
    assert to_curl(FULL).startswith("curl -X POST ")
