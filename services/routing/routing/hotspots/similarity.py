"""Text fingerprints (MinHash of shingles), LSH band keys, similarity and shared keywords.

The hash values are datasketch's "affine32" scheme: unsigned 32-bit integers, so they fit a
PostgreSQL bigint unchanged (no mapping needed). The scheme and seed are fixed here, so a
fingerprint is the same in every process and after every restart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from routing.hotspots.text import analyse

NUM_PERM = 128
BANDS = 64  # LSH bands of ROWS hash values each; tuned with the threshold (docs/hotspots.md)
ROWS = NUM_PERM // BANDS
_SEED = 1
_SCHEME = "affine32"
# Drawing the permutations costs more than hashing a complaint: draw them once.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations


@dataclass(frozen=True)
class TextPrint:
    terms: tuple[str, ...]
    hashvalues: tuple[int, ...]


def fingerprint(text: str) -> TextPrint:
    words, shingle_set = analyse(text)
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, permutations=_PERMUTATIONS)
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    return TextPrint(terms=words, hashvalues=tuple(int(v) for v in minhash.hashvalues))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the 64 output bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


_BAND_SEEDS = _mix(np.arange(BANDS, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15))


def band_keys(fp: TextPrint) -> list[int]:
    """One signed 64-bit key per band: the band's ROWS hash values mixed into a per-band seed,
    so equal keys mean equal rows in the same band (up to 64-bit collisions). An empty text
    has no keys: there is nothing to match on."""
    if not fp.terms:
        return []
    rows = np.asarray(fp.hashvalues, dtype=np.uint64).reshape(BANDS, ROWS)
    keys = _BAND_SEEDS
    for column in range(ROWS):
        keys = _mix(keys ^ rows[:, column])
    return keys.view(np.int64).tolist()


def text_similarity(a: TextPrint, b: TextPrint) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0 when either is empty)."""
    if not a.terms or not b.terms:
        return 0.0
    left, right = np.asarray(a.hashvalues), np.asarray(b.hashvalues)
    return float(np.count_nonzero(left == right)) / NUM_PERM


def keywords(prints: Sequence[TextPrint], limit: int = 5) -> list[str]:
    """Terms found in the most texts of the group (ties: longer, then first seen)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for fp in prints:
        for term in dict.fromkeys(fp.terms):
            counts[term] += 1
            first_seen.setdefault(term, len(first_seen))
    ranked = sorted(counts, key=lambda t: (-counts[t], -len(t), first_seen[t]))
    return ranked[:limit]
