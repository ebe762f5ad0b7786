"""The pieces that keep bodies in bounded memory: capped decoding, the file, its display rows."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.core.body import BodyDecoder, BodyFile, BodySink, replace_in_file
from explorer.core.errors import BadResponse, BodyTooLarge
from explorer.core.limits import MB
from explorer.core.render import DISPLAY_WIDTH, FileLines


def decode(data: bytes, encoding: str, limit: int = 10 * MB, step: int = 7_000) -> bytes:
    decoder = BodyDecoder(encoding, body_limit=limit, base_url="http://x")
    out = b""
    for start in range(0, len(data), step):
        for piece in decoder.feed(data[start : start + step]):
            assert len(piece) <= 64 * 1024
            out += piece
    for piece in decoder.flush():
        out += piece
    return out


@given(st.binary(max_size=5_000), st.sampled_from(["gzip", "deflate", "raw-deflate", ""]))
def test_decoding_round_trips_whatever_the_chunking(data: bytes, encoding: str) -> None:
    if encoding == "gzip":
        wire = gzip.compress(data)
    elif encoding == "deflate":
        wire = zlib.compress(data)
    elif encoding == "raw-deflate":
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        wire, encoding = packer.compress(data) + packer.flush(), "deflate"
    else:
        wire = data
    assert decode(wire, encoding, step=97) == data


def test_concatenated_gzip_members_are_one_body() -> None:
    assert decode(gzip.compress(b"abc") + gzip.compress(b"def"), "gzip") == b"abcdef"


def test_garbage_or_an_expanding_bomb_is_refused() -> None:
    with pytest.raises(BadResponse):
        decode(b"\x1f\x8b not gzip at all", "gzip")
    with pytest.raises(BodyTooLarge, match="decompression bomb"):
        decode(gzip.compress(b"\0" * (4 * MB)), "gzip", limit=1 * MB)
    # Well compressible but not a bomb: 20x, over the limit, under the cap.
    text = b"".join(b"%08d some record text\n" % n for n in range(200_000))
    assert decode(gzip.compress(text), "gzip", limit=1 * MB) == text
    with pytest.raises(BodyTooLarge, match="the most the explorer accepts"):
        decode(text, "", limit=MB // 8)


def test_the_sink_spills_to_a_locked_file_and_deletes_it_when_discarded(tmp_path: Path) -> None:
    sink = BodySink(100, spool_dir=tmp_path)
    sink.write(b"a" * 60)
    sink.write(b"b" * 60)
    spooled = [p for p in tmp_path.iterdir()]
    assert len(spooled) == 1 and spooled[0].name.startswith(".response.")
    sink.discard()
    assert list(tmp_path.iterdir()) == []


def test_secrets_are_replaced_in_a_body_file_even_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "body"
    secret = "s3cr3t-value"
    data = ("x" * (1024 * 1024 - 5) + secret + "y" * 10 + secret).encode()
    path.write_bytes(data)
    scrubbed = replace_in_file(BodyFile(path), [secret], "<secret>")
    assert b"".join(scrubbed.chunks()) == data.replace(secret.encode(), b"<secret>")


def test_file_lines_cut_long_lines_without_splitting_characters(tmp_path: Path) -> None:
    path = tmp_path / "body.json"
    text = "first line\n" + "é" * 5_000 + "\n\nlast"
    path.write_text(text, encoding="utf-8")
    lines = FileLines.scan(BodyFile(path))
    rows = [lines.row(n) for n in range(lines.row_count)]
    assert rows[0] == "first line" and rows[-1] == "last" and rows[-2] == ""
    assert "".join(rows[1:-2]) == "é" * 5_000
    assert all("\ufffd" not in row and len(row.encode()) <= DISPLAY_WIDTH for row in rows)
    assert lines.find("é", 0) == -1  # find is off over the limit
    assert lines.span(0, 0) == "first line"
