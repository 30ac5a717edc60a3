"""MinHash signatures in a few lines of numpy, identical to datasketch 2.0's "affine32".

Why not datasketch itself: `import datasketch` imports all its LSH classes and with them
scipy, 0.4-0.55 s in every process that deduplicates (the daemon, each extract worker,
`monitor ingest`), and we use none of them: our LSH bands live in SQLite (dedup.py).
Stored band keys must keep matching new ones, so this reproduces datasketch's affine32
scheme bit for bit, checked against datasketch on many inputs in tests/test_minhash.py
(datasketch stays a test dependency for that): the permutation parameters are drawn from
numpy's RandomState(seed) in datasketch's order, each input hash is pre-mixed with the
32-bit MurmurHash3 finalizer, then permuted as a*h + b mod 2^32 (uint32 arithmetic wraps).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

_EMPTY = np.uint32(0xFFFFFFFF)  # datasketch's initial value: the signature of no input


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of each permutation h -> a*h + b mod 2^32; `a` odd, so each is a bijection."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer: spreads structured inputs (crc32 of similar shingles)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


class MinHasher:
    """Signatures of sets of 32-bit ints (already hashed: crc32 shingles), fixed seed."""

    def __init__(self, num_perm: int, seed: int) -> None:
        self.num_perm = num_perm
        self._a, self._b = permutations(num_perm, seed)

    def signature(self, values: Collection[int]) -> np.ndarray:
        """The minimum of each permutation over the values, as uint32 (num_perm of them)."""
        if not values:
            return np.full(self.num_perm, _EMPTY, dtype=np.uint32)
        h = np.fromiter(values, dtype=np.uint32, count=len(values)).reshape(-1, 1)
        return (_fmix32(h) * self._a + self._b).min(axis=0)
