"""Pasted command lines split into words as their shell would, never expanding anything."""

from __future__ import annotations

import pytest

from explorer.core.errors import CurlImportError
from explorer.core.shell_words import split_words


def _texts(command: str) -> list[str]:
    return [word.text for word in split_words(command)]


def test_posix_quotes_escapes_continuations_and_comments() -> None:
    command = (
        'curl \'a b\' "c \\"d\\" $HOME" e\\ f \\\r\n'  # CRLF after the backslash: next word
        "  -d x  # a comment: not a word\n"
        "  $(rm -rf ~) `id`"
    )
    assert _texts(command) == [
        "curl",
        "a b",
        'c "d" $HOME',
        "e f",
        "-d",
        "x",
        "$(rm",
        "-rf",
        "~)",
        "`id`",
    ]


def test_bash_ansi_c_strings_decode_bytes_as_utf8() -> None:
    assert _texts("curl $'\\xc3\\xa9\\u00e9\\n\\101\\q'") == ["curl", "éé\nA\\q"]


def test_windows_cmd_lines_continue_with_a_caret() -> None:
    command = 'curl ^"https://x/actions/rpc^" ^\r\n  -H ^"x-account-id: a^" -d "{\\"a\\":1}"'
    assert _texts(command) == [
        "curl",
        "https://x/actions/rpc",
        "-H",
        "x-account-id: a",
        "-d",
        '{"a":1}',
    ]


def test_quoted_words_are_never_shell_operators() -> None:
    words = split_words("curl x '|' | less")
    assert [(w.text, w.quoted) for w in words] == [
        ("curl", False), ("x", False), ("|", True), ("|", False), ("less", False)
    ]  # fmt: skip


@pytest.mark.parametrize("command", ["curl 'open", 'curl "open', "curl $'open"])
def test_an_unclosed_quote_is_an_error(command: str) -> None:
    with pytest.raises(CurlImportError, match="never closed"):
        split_words(command)
