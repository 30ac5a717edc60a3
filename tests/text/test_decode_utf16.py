"""UTF-16 saved without a byte-order mark is text, not "binary data (NUL bytes)"."""

from __future__ import annotations

import gzip
import io
import os
import struct
import zlib

import pytest

from monitor.models import Rejected
from monitor.text.decode import decode

ARABIC = (
    "فرضت الولايات المتحدة عقوبات جديدة على شركات نقل الأسلحة، وقال المتحدث إن القرار نهائي.\n"
    "وأضاف أن المحادثات ستستمر الأسبوع المقبل في العاصمة بحضور الوفود.\n"
) * 10
ENGLISH = "The ministry said on Tuesday that new sanctions would follow the arms shipment.\n" * 20
MIXED = "Seoul, 12 March 2024 (Reuters) - كوريا الشمالية أطلقت صاروخين باليستيين.\n" * 15


@pytest.mark.parametrize("text", [ARABIC, ENGLISH, MIXED], ids=["arabic", "english", "mixed"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_reads_back(text: str, encoding: str) -> None:
    raw = text.encode(encoding)
    assert not raw.startswith((b"\xff\xfe", b"\xfe\xff"))  # truly no byte-order mark
    assert decode(raw) == (text, encoding)


def _png() -> bytes:
    rows = b"".join(b"\x00" + bytes(3 * 16) for _ in range(16))
    chunk = zlib.compress(rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
        + b"\0\0\0\0"
        + struct.pack(">I", len(chunk))
        + b"IDAT"
        + chunk
    )


def _gzip_of_utf16() -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as fh:
        fh.write(ENGLISH.encode("utf-16-le"))
    return buf.getvalue()


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        (b"%PDF-1.4\n" + ENGLISH.encode("utf-16-le"), "PDF"),
        (_png(), "PNG"),
        (_gzip_of_utf16(), "gzip"),
        # 16-bit samples (audio-like): NULs on one parity, but not letters.
        (b"".join(struct.pack("<h", (i * 37) % 200 - 100) for i in range(4000)), "binary"),
        (bytes(range(256)) * 64, "binary"),
        (os.urandom(4000) + b"\x00", "binary"),
    ],
    ids=["pdf", "png", "gzip", "int16-samples", "all-bytes", "random"],
)
def test_real_binaries_stay_rejected(raw: bytes, what: str) -> None:
    with pytest.raises(Rejected, match=what):
        decode(raw)
