"""Bytes -> str, for input whose encoding nobody declared.

Order matters: a byte-order mark is proof, strict UTF-8 is nearly proof (random bytes of
another encoding almost never decode as UTF-8), and only then do we guess. UTF-16 saved
without a byte-order mark (some Windows tools) is full of NUL bytes, so it is looked for
before NUL bytes condemn a file as binary: its NULs sit on one parity of offsets (the
high byte of every ASCII character), and it must decode strictly to mostly letters. Arabic sites
still save cp1256 and ISO-8859-6, which charset-normalizer tells apart by letter
frequencies; we add a check that the guess is mostly letters, because a confident guess
over binary data would store garbage as an article.
"""

from __future__ import annotations

import codecs
import unicodedata

from monitor.models import Rejected
from monitor.text.mojibake import repair

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Byte signatures of formats users drop by mistake; named in the error so they know why.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.xlsx/.epub file)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "a program (ELF binary)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
}
_SAMPLE = 64 * 1024
# C0 control bytes other than tab, newlines and form feed, and DEL: one stray control
# character (a BEL or an ESC pasted into a title) makes charset-normalizer give up on a
# short cp1256 file, so a failed guess is retried without them. They mean the same in
# every ASCII-compatible encoding, so the guess still decodes the file as it is.
_CONTROL_BYTES = bytes([*range(1, 9), 11, *range(14, 32), 127])


# A NUL share on one parity this much larger than on the other; charset-normalizer does
# not try BOM-less UTF-16 on such input (it stops at the NULs), hence our own check.
_PARITY_RATIO = 20
_MIN_LETTER_SHARE = 0.6  # of the characters that are not white space


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """(text, encoding) for UTF-16 LE or BE without a byte-order mark, else None."""
    sample = raw[:_SAMPLE]
    if len(raw) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= max(1, _PARITY_RATIO * even):
        encoding = "utf-16-le"  # "a\0b\0": the high bytes, at odd offsets, are NUL
    elif even >= max(1, _PARITY_RATIO * odd):
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None  # lone surrogates: not UTF-16 after all
    if not _mostly_text(text) or "\x00" in text[:_SAMPLE]:
        return None
    visible = [ch for ch in text[:_SAMPLE] if not ch.isspace()]
    letters = sum(1 for ch in visible if unicodedata.category(ch)[0] in "LM")
    if not visible or letters / len(visible) < _MIN_LETTER_SHARE:
        return None
    return text, encoding


def _binary_kind(raw: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            return what
    if b"\x00" in raw[:_SAMPLE]:
        return "binary data (it contains NUL bytes)"
    return None


def _mostly_text(text: str) -> bool:
    """Reject decodings that are mostly control characters or unassigned code points."""
    sample = text[:_SAMPLE]
    if not sample:
        return True
    bad = sum(
        1
        for ch in sample
        if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\t\n\r\f"
    )
    return bad / len(sample) < 0.01


def decode(raw: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise Rejected with a reason a user can act on."""
    if not raw.strip():
        raise Rejected("empty file: nothing to read (0 bytes or only white space)")
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as exc:
                raise Rejected(
                    f"starts with a {name} byte-order mark but is not {name}: {exc}"
                ) from exc
    if raw.startswith(tuple(_MAGIC)):
        kind = _binary_kind(raw)
        raise Rejected(f"not text: looks like {kind}; monitor reads plain text and HTML files")
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return utf16
    kind = _binary_kind(raw)
    if kind:
        raise Rejected(f"not text: looks like {kind}; monitor reads plain text and HTML files")
    try:
        # valid UTF-8 can still hold text once mis-decoded as Latin-1 (mojibake.py)
        return repair(raw.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for bytes that are not UTF-8

    sample = raw[: 4 * _SAMPLE]
    best = from_bytes(sample).best()
    if best is None and (stripped := sample.translate(None, _CONTROL_BYTES)) != sample:
        best = from_bytes(stripped).best()
    if best is None:
        raise Rejected("cannot tell the text encoding; save the file as UTF-8 and drop it in again")
    encoding = best.encoding
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise Rejected(f"guessed encoding {encoding} does not fit the whole file: {exc}") from exc
    if not _mostly_text(text):
        raise Rejected(f"not text: decoding as {encoding} gives mostly control characters")
    return text, encoding
