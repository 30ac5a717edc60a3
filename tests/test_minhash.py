"""monitor/minhash.py against datasketch: the same signatures and band keys, bit for bit.

Stores written before datasketch was dropped hold band keys from datasketch's MinHash
(affine32, seed 20240611); a copy of a stored article must still find it. datasketch is a
test dependency only, for this comparison.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import numpy as np
import pytest

from monitor.dedup import BANDS, NUM_PERM, ROWS, SEED, NearDuplicates, shingles
from monitor.minhash import MinHasher

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def datasketch_signature(values: set[int]) -> np.ndarray:
    # Imported here, not at the top: datasketch pulls in scipy (1 s), which every xdist
    # worker would pay while collecting, though one worker runs these tests.
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, scheme="affine32")
    m.update_batch(values)
    return m.hashvalues


def datasketch_band_keys(values: set[int]) -> tuple[int, ...]:
    """The band keys as dedup.py computed them with datasketch (its code before the swap)."""
    if not values:
        return ()
    sig = np.ascontiguousarray(datasketch_signature(values), dtype=np.uint32)
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return tuple(out)


@pytest.mark.parametrize("size", [1, 2, 3, 17, 300, 4000])
def test_signatures_match_datasketch_on_random_sets(size: int) -> None:
    rng = random.Random(size)
    hasher = MinHasher(NUM_PERM, SEED)
    for _ in range(25):
        values = {rng.getrandbits(32) for _ in range(size)} | {0, 2**32 - 1}
        ours = hasher.signature(values)
        assert ours.dtype == np.uint32
        assert np.array_equal(ours, datasketch_signature(values))


def test_empty_set_signature_is_datasketchs_initial_value() -> None:
    assert np.array_equal(MinHasher(NUM_PERM, SEED).signature(set()), datasketch_signature(set()))


def test_band_keys_match_datasketch_on_the_seeds_and_their_pieces() -> None:
    near = NearDuplicates(jaccard=0.5, containment=0.8)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    pieces = [t[: len(t) // k] for t in texts for k in (2, 3, 7)] + ["كلمة", "two words"]
    assert len(texts) == 5
    for text in texts + pieces:
        values = shingles(text)
        assert near.band_keys(values) == datasketch_band_keys(values)
        assert len(near.band_keys(values)) == BANDS
