"""Canary secrets and a scanner that looks for them in everything an output wrote.

A canary is a value no output may contain. ``SHORT`` is as short as a secret hidden inside free
text can be (``core.secrets.MIN_TEXT_LENGTH``), ``LONG`` is key-sized; neither occurs by chance
in ids, base64 or JSON punctuation. The scanner reads every byte: files in a folder, members of
a zip, and the base64 bodies of a HAR file decoded, in every encoding a value can take there
(raw, JSON-escaped, XML-escaped, percent-encoded).
"""

from __future__ import annotations

import base64
import html
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

SHORT = "Q~z"
LONG = "sk_CANARY_0123456789abcdefghijKLMNOPQRST"
assert len(SHORT) == 3 and len(LONG) == 40


def forms(value: str) -> set[bytes]:
    """Every way ``value`` can be written into a file by our outputs."""
    texts = {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        html.escape(value),
        quote(value, safe=""),
    }
    return {t.encode("utf-8") for t in texts}


def leaks(blob: bytes, canaries: Iterable[str]) -> list[str]:
    """The canaries ``blob`` contains, in any form."""
    return sorted(c for c in canaries if any(f in blob for f in forms(c)))


def blobs(path: Path) -> list[tuple[str, bytes]]:
    """Every byte written under ``path`` (a file or a folder): each file, each member of a zip,
    and each base64 body of a HAR file decoded, named for the failure message."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    found: list[tuple[str, bytes]] = []
    for file in files:
        found += _expand(str(file), file.read_bytes())
    return found


def _expand(name: str, data: bytes) -> list[tuple[str, bytes]]:
    out = [(name, data)]
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                out += _expand(f"{name}!{member}", archive.read(member))
    if name.endswith(".har"):
        for entry in json.loads(data)["log"]["entries"]:
            for part in (entry["response"].get("content", {}), entry["request"].get("postData")):
                if part and part.get("encoding") == "base64" and part.get("text"):
                    out.append((f"{name} (base64 body)", base64.b64decode(part["text"])))
    return out


def assert_no_canary(path: Path, canaries: Iterable[str] = (SHORT, LONG)) -> None:
    """Fail naming the file and the canary when any written byte holds one."""
    wanted = list(canaries)
    found = [(name, leaks(data, wanted)) for name, data in blobs(path)]
    assert [hit for hit in found if hit[1]] == []
