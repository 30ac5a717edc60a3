"""Duplicate detection: an exact hash of the normalised body, then MinHash near-duplicates.

The exact hash is taken over normalised words, so a copy that differs only in diacritics,
letter forms, case, punctuation or line wrapping is the same article.

Near-duplicates (a republished copy with another site's header and footer, a paragraph
dropped, a truncated copy) are found with MinHash over normalised word 3-shingles (NOTES.md:
word shingles separate same-topic articles, Jaccard about 0.01, where character n-grams
leave a 0.15 floor). datasketch's in-memory LSH costs 3.6 GB per million documents and is
rebuilt at every start, so the LSH bands live in an indexed SQLite table written in the
article's own transaction: nothing to rebuild, and a crash never leaves an article without
its bands. Band hits are only candidates: each is verified exactly against the candidate's
stored text, by Jaccard (a copy) or containment (a truncated copy, whose Jaccard with the
full text is only its length ratio).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from monitor.text.normalize import words

if TYPE_CHECKING:
    import numpy as np

    from monitor.minhash import MinHasher
    from monitor.models import Article

# Returns the id of a stored article with this body hash, or None.
HashLookup = Callable[[str], int | None]
# Band keys -> (article id, stored body) of articles sharing at least one band, oldest first.
BandLookup = Callable[[Sequence[int]], list[tuple[int, str]]]

SHINGLE = 3  # words per shingle
NUM_PERM = 128
ROWS = 3  # signature values per band
BANDS = NUM_PERM // ROWS  # 42 bands of 3 rows; the last 2 signature values go unused
# P(candidate) = 1 - (1 - J**3)**42: 0.99 at J=0.5 (a copy cut to half), 4e-5 at J=0.01.
# Fixed, so a signature computed today matches one stored a year ago: datasketch 2.0's
# affine32 scheme with this seed, which monitor/minhash.py reproduces without datasketch.
SEED = 20240611


def body_hash(body: str) -> str:
    return hash_words(words(body))


def hash_words(tokens: Sequence[str]) -> str:
    """body_hash() of a body already split into its normalised words."""
    return hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()


def words_of(article: Article) -> Sequence[str]:
    """The article's normalised body words: those split when the body was made, or split
    now for an article made without them (a test, a tool)."""
    return article.words if article.words or not article.body else words(article.body)


def hash_of(article: Article) -> str:
    """The article's body hash: computed with its words, or now."""
    return article.body_hash or hash_words(words_of(article))


def _crc32(data: bytes) -> int:
    """Stable across processes and machines, unlike Python's hash() (salted per process)."""
    return zlib.crc32(data)


def shingles(body: str, size: int = SHINGLE) -> set[int]:
    """crc32 of each run of `size` normalised words; a shorter text is one shingle."""
    return shingles_of(words(body), size)


def shingles_of(tokens: Sequence[str], size: int = SHINGLE) -> set[int]:
    """shingles() of a text already split into its normalised words."""
    if len(tokens) < size:
        return {_crc32(" ".join(tokens).encode("utf-8"))} if tokens else set()
    if size == 3:  # the usual size, without a slice and a join per shingle (same strings)
        crc32 = zlib.crc32
        return {
            crc32(f"{a} {b} {c}".encode())
            for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)
        }
    return {
        _crc32(" ".join(tokens[i : i + size]).encode("utf-8"))
        for i in range(len(tokens) - size + 1)
    }


@dataclass(frozen=True)
class Verdict:
    """How a new text relates to one stored text, measured on exact shingle sets."""

    jaccard: float
    contained: float  # the larger of new-in-old and old-in-new containment

    def similarity(self, jaccard: float) -> float:
        """The score stored with a duplicate: Jaccard when that decided, else containment."""
        return self.jaccard if self.jaccard >= jaccard else self.contained


def compare(new: set[int], old: set[int]) -> Verdict:
    if not new or not old:
        return Verdict(0.0, 0.0)
    common = len(new & old)
    return Verdict(common / len(new | old), common / min(len(new), len(old)))


class NearDuplicates:
    """MinHash signatures, LSH band keys and verification, with fixed parameters.

    The permutations are drawn once, not per article (drawing them costs more than
    hashing a short article). numpy is imported on the first signature (or the warm-up),
    not with the module nor when the service is built: the store and the read commands
    use this module's hashes and shingles, not its signatures, and the daemon is
    watching its inbox before it needs one.
    """

    def __init__(self, jaccard: float, containment: float) -> None:
        self.jaccard = jaccard
        self.containment = containment

    @cached_property
    def _hasher(self) -> MinHasher:
        # Two threads may both draw them (the warm-up and the first article): the same
        # values from the same seed.
        from monitor.minhash import MinHasher

        return MinHasher(NUM_PERM, SEED)

    def warm_up(self) -> None:
        self.signature({0})

    def signature(self, shingle_set: set[int]) -> np.ndarray:
        """uint32 values; the shingles are crc32 ints already, hashed no further."""
        return self._hasher.signature(shingle_set)

    def band_keys(self, shingle_set: set[int]) -> tuple[int, ...]:
        """One signed 64-bit key per band (band number and its rows), ready for SQLite."""
        if not shingle_set:
            return ()
        values = self.signature(shingle_set)
        out = []
        for band in range(BANDS):
            chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
            digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
            out.append(int.from_bytes(digest, "little", signed=True))
        return tuple(out)

    def is_duplicate(self, verdict: Verdict) -> bool:
        return verdict.jaccard >= self.jaccard or verdict.contained >= self.containment

    def find(
        self, shingle_set: set[int], keys: Sequence[int], lookup: BandLookup
    ) -> tuple[int, float] | None:
        """The stored article this text is a near-duplicate of, with the similarity; the
        most similar when several qualify (an earlier one on ties)."""
        best: tuple[int, float] | None = None
        for article_id, text in lookup(keys):
            verdict = compare(shingle_set, shingles(text))
            if self.is_duplicate(verdict):
                score = verdict.similarity(self.jaccard)
                if best is None or score > best[1]:
                    best = (article_id, score)
        return best
