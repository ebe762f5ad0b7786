"""Splitting a pasted command line into words, as the shell it was written for would.

Commands arrive from StackOne's docs, browsers' "Copy as cURL" (bash, with ``$'...'``
strings, or Windows ``cmd``, with ``^`` escapes) and chat messages (CRLF line endings, stray
spaces after a line-continuing backslash). ``split_words`` reads each the way its shell does,
without expanding anything: no variables, globs or command substitution, so reading a command
can never run one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.core.errors import CurlImportError

_ANSI_C_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}

_HEX_DIGITS = {"u": r"[0-9A-Fa-f]{1,4}", "U": r"[0-9A-Fa-f]{1,8}"}


_CONTINUATION = re.compile(r"[\\`][ \t]*\r?\n")


@dataclass
class Word:
    """One word of the command line, quotes and escapes removed."""

    text: str
    quoted: bool  # any part of the word was quoted or escaped: never a shell operator


def _split_posix(command: str) -> list[Word]:  # noqa: C901 - a tokenizer reads best as one loop
    """Split like a POSIX shell (no expansion), plus bash's ``$'...'`` ANSI-C strings."""
    words: list[Word] = []
    buf: list[str] = []
    in_word = False
    quoted = False
    i, n = 0, len(command)

    def finish() -> None:
        nonlocal buf, in_word, quoted
        if in_word:
            words.append(Word("".join(buf), quoted))
        buf, in_word, quoted = [], False, False

    while i < n:
        c = command[i]
        continuation = _CONTINUATION.match(command, i) if c in "\\`" else None
        if continuation:
            # ``\`` (or PowerShell's backtick) at the end of a line, forgiving the CRLF
            # endings and stray trailing spaces that copying from web pages leaves behind.
            # Only an exact backslash-newline joins words, as in a POSIX shell.
            if continuation.group() not in ("\\\n", "\\\r\n"):
                finish()
            i = continuation.end()
            continue
        if c == "\\":
            if i + 1 < n:
                buf.append(command[i + 1])
                in_word = quoted = True
            i += 2
        elif c in " \t\r\n":
            finish()
            i += 1
        elif c == "'":
            end = command.find("'", i + 1)
            if end < 0:
                raise CurlImportError("Unbalanced quotes: a ' is never closed.")
            buf.append(command[i + 1 : end])
            in_word = quoted = True
            i = end + 1
        elif c == '"':
            i = _read_double_quoted(command, i + 1, buf)
            in_word = quoted = True
        elif c == "$" and command.startswith("'", i + 1):
            i = _read_ansi_c(command, i + 2, buf)
            in_word = quoted = True
        elif c == "#" and not in_word:
            end = command.find("\n", i)  # a comment runs to the end of the line
            i = n if end < 0 else end
        else:
            buf.append(c)
            in_word = True
            i += 1
    finish()
    return words


def _read_double_quoted(command: str, i: int, buf: list[str]) -> int:
    """Read up to the closing ``"``; backslash escapes only what POSIX says it escapes."""
    n = len(command)
    while i < n:
        c = command[i]
        if c == '"':
            return i + 1
        if c == "\\" and i + 1 < n and command[i + 1] in '$`"\\\n':
            if command[i + 1] != "\n":
                buf.append(command[i + 1])
            i += 2
            continue
        buf.append(c)
        i += 1
    raise CurlImportError('Unbalanced quotes: a " is never closed.')


def _read_ansi_c(command: str, i: int, buf: list[str]) -> int:
    """Read a bash ``$'...'`` string. ``\\xHH`` are bytes, so the result is decoded as UTF-8."""
    out = bytearray()
    n = len(command)
    while i < n:
        c = command[i]
        if c == "'":
            buf.append(out.decode("utf-8", errors="replace"))
            return i + 1
        if c == "\\" and i + 1 < n:
            i = _read_ansi_c_escape(command, i + 1, out)
        else:
            out += c.encode("utf-8", errors="surrogatepass")
            i += 1
    raise CurlImportError("Unbalanced quotes: a $' string is never closed.")


def _read_ansi_c_escape(command: str, i: int, out: bytearray) -> int:
    """Read the escape after a backslash at ``i`` into ``out``; returns where it ends. An
    escape bash does not know stays as written, backslash included."""
    e = command[i]
    i += 1
    if e in _ANSI_C_ESCAPES:
        out += _ANSI_C_ESCAPES[e].encode()
    elif e == "x":
        digits = re.match(r"[0-9A-Fa-f]{1,2}", command[i : i + 2])
        if digits:
            out.append(int(digits.group(), 16))
            return i + digits.end()
        out += b"\\x"
    elif e in "uU":
        digits = re.match(_HEX_DIGITS[e], command[i:])
        if digits:
            out += _code_point(int(digits.group(), 16))
            return i + digits.end()
        out += ("\\" + e).encode()
    elif e in "01234567":
        digits = re.match(r"[0-7]{0,2}", command[i:])
        assert digits is not None  # {0,2} always matches
        out.append(int(e + digits.group(), 8) & 0xFF)
        return i + digits.end()
    elif e == "c" and i < len(command):
        out.append(ord(command[i]) & 0x1F)
        return i + 1
    else:
        out += ("\\" + e).encode("utf-8", errors="surrogatepass")
    return i


def _code_point(value: int) -> bytes:
    try:
        return chr(value).encode("utf-8")
    except (ValueError, UnicodeEncodeError):  # out of range, or a lone surrogate
        return "\ufffd".encode()


def _split_cmd(command: str) -> list[Word]:  # noqa: C901 - a tokenizer reads best as one loop
    """Split a Windows ``cmd`` command line (``^`` escapes, ``"`` quotes, backslash rules of
    the Microsoft C runtime), as written by browsers' "Copy as cURL (cmd)"."""
    text = re.sub(r"\^\r?\n", "", command)
    words: list[Word] = []
    buf: list[str] = []
    in_word = quoted = in_quotes = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "^" and i + 1 < n:
            # cmd's escape: the next character is literal to cmd (the C runtime still sees it)
            c = text[i + 1]
            i += 1
            if c == '"':
                in_quotes = not in_quotes
                in_word = quoted = True
                i += 1
                continue
        if c == "\\":
            run = len(text[i:]) - len(text[i:].lstrip("\\"))
            after = text[i + run : i + run + 2]
            if after.startswith('"') or after.startswith('^"'):
                buf.append("\\" * (run // 2))
                i += run
                if run % 2:  # an odd run escapes the quote
                    buf.append('"')
                    i += 2 if after.startswith('^"') else 1
                    in_word = quoted = True
                continue
            buf.append("\\" * run)
            in_word = True
            i += run
            continue
        if c == '"':
            in_quotes = not in_quotes
            in_word = quoted = True
        elif c in " \t\r\n" and not in_quotes:
            if in_word:
                words.append(Word("".join(buf), quoted))
            buf, in_word, quoted = [], False, False
        else:
            buf.append(c)
            in_word = True
        i += 1
    if in_quotes:
        raise CurlImportError('Unbalanced quotes: a " is never closed.')
    if in_word:
        words.append(Word("".join(buf), quoted))
    return words


def _is_cmd_syntax(command: str) -> bool:
    """Windows commands continue lines with ``^``; POSIX ones with ``\\``."""
    return bool(re.search(r"\^\r?\n", command)) and not re.search(r"\\\r?\n", command)


def split_words(command: str) -> list[Word]:
    """The command's words: Windows ``cmd`` syntax when its lines continue with ``^``, else
    POSIX ``sh`` (plus bash's ``$'...'``).

    Raises:
        CurlImportError: a quote is never closed.
    """
    return _split_cmd(command) if _is_cmd_syntax(command) else _split_posix(command)
