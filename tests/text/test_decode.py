from __future__ import annotations

import os

import pytest

from monitor.models import Rejected
from monitor.text.decode import decode

ARABIC = (
    "فرضت الولايات المتحدة عقوبات جديدة على شركات نقل الأسلحة، وقال المتحدث إن القرار نهائي.\n" * 20
)
ENGLISH = "The ministry said on Tuesday that new sanctions would follow the arms shipment.\n" * 20


@pytest.mark.parametrize("encoding", ["cp1256", "iso-8859-6", "utf-16", "utf-8-sig", "utf-32"])
def test_arabic_in_common_encodings_reads_back(encoding: str) -> None:
    text = ARABIC.replace("،", ",") if encoding == "iso-8859-6" else ARABIC
    raw = text.encode(encoding)
    decoded, name = decode(raw)
    assert decoded.lstrip("\ufeff") == text
    assert name


@pytest.mark.parametrize("control", ["\x07", "\x1b[31m", "\x7f"])
def test_a_stray_control_character_does_not_hide_cp1256(control: str) -> None:
    # A short Arabic file with one control character pasted into its first line: the
    # encoding guess alone gives up on it; the text must still come back whole.
    text = f"عنوان{control} الخبر\n\n" + ARABIC[:300]
    decoded, name = decode(text.encode("cp1256"))
    assert decoded == text
    assert name.replace("_", "").lower() in ("cp1256", "windows1256")


def test_plain_utf8_is_utf8() -> None:
    assert decode(ENGLISH.encode()) == (ENGLISH, "utf-8")


def test_latin1_english_with_accents() -> None:
    text = "Le ministère a annoncé des sanctions économiques contre la société.\n" * 10
    decoded, _ = decode(text.encode("latin-1"))
    assert decoded == text


@pytest.mark.parametrize("raw", [b"", b"   \n\t\n"])
def test_empty_input_is_rejected(raw: bytes) -> None:
    with pytest.raises(Rejected, match="empty"):
        decode(raw)


@pytest.mark.parametrize(
    ("raw", "what"),
    [
        (b"%PDF-1.7\n" + os.urandom(2000), "PDF"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "PNG"),
        (b"PK\x03\x04" + os.urandom(2000), "ZIP"),
        (os.urandom(4000) + b"\x00", "NUL"),
    ],
)
def test_binary_input_is_rejected_and_named(raw: bytes, what: str) -> None:
    with pytest.raises(Rejected, match=what):
        decode(raw)


def test_random_bytes_without_nul_are_not_taken_for_text() -> None:
    raw = bytes(b for b in os.urandom(20000) if b not in (0, 9, 10, 13))
    with pytest.raises(Rejected):
        decode(raw)
