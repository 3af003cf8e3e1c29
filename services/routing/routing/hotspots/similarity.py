"""Text fingerprints (MinHash of shingles), LSH band keys, similarity and shared keywords.

The hash values are datasketch's "affine32" scheme: unsigned 32-bit integers, kept as one
uint32 array and stored packed (`packed`: NUM_PERM × 4 bytes, big-endian, a bytea): a
candidate is read and compared without a Python int per value. The scheme and seed are
fixed here, so a fingerprint is the same in every process and after every restart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32
from datasketch.minhash import _fmix

from routing.hotspots.text import analyse

NUM_PERM = 128
# LSH: BANDS bands of ROWS hash values each, from the first BANDS × ROWS values; tuned with
# the threshold (docs/hotspots.md). One value per band: the keys are scoped to a category
# and a neighbourhood (lsh_keys), so loose bands cost little and miss almost nothing.
BANDS = 16
ROWS = 1
_SEED = 1
_SCHEME = "affine32"
# datasketch's affine32 permutations (a odd, b), drawn once per process: drawing them costs
# more than hashing a complaint.
_A, _B = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations
_UINT32_MAX = np.iinfo(np.uint32).max
_EMPTY = np.full(NUM_PERM, _UINT32_MAX, dtype=np.uint32)
_EMPTY.flags.writeable = False  # shared by every empty print


_PACKED = np.dtype(">u4")  # network byte order, as PostgreSQL's own binary formats
PACKED_SIZE = NUM_PERM * _PACKED.itemsize


@dataclass(frozen=True, eq=False)
class TextPrint:
    """A text's terms and its NUM_PERM MinHash values (one read-only uint32 array: a
    complaint is compared with many candidates). Compared by identity: use `hashvalues` for
    the values."""

    terms: tuple[str, ...]
    values: np.ndarray

    @classmethod
    def of(cls, terms: Sequence[str], hashvalues: Sequence[int]) -> TextPrint:
        values = np.asarray(hashvalues, dtype=np.int64)
        if values.shape != (NUM_PERM,) or values.min() < 0 or values.max() > _UINT32_MAX:
            raise ValueError(f"a fingerprint is {NUM_PERM} unsigned 32-bit hash values")
        return cls(tuple(terms), _frozen(values.astype(np.uint32)))

    @classmethod
    def unpack(cls, terms: Sequence[str], packed: bytes) -> TextPrint:
        """From its stored form (`packed`); the array is a read-only view of the bytes."""
        if len(packed) != PACKED_SIZE:
            raise ValueError(f"a packed fingerprint is {PACKED_SIZE} bytes, not {len(packed)}")
        return cls(tuple(terms), np.frombuffer(packed, dtype=_PACKED))

    @property
    def hashvalues(self) -> tuple[int, ...]:
        return tuple(self.values.tolist())

    def packed(self) -> bytes:
        return self.values.astype(_PACKED, copy=False).tobytes()


def fingerprint(text: str) -> TextPrint:
    """datasketch's MinHash(NUM_PERM, seed, "affine32") of the shingles, value for value, but
    computed directly: building a MinHash object per complaint cost as much as the hashing."""
    words, shingle_set = analyse(text)
    if not shingle_set:
        return TextPrint(terms=words, values=_EMPTY)
    hv = np.array([_shingle_hash(s) for s in shingle_set], dtype=np.uint32).reshape(-1, 1)
    values = (_fmix(hv, 32) * _A + _B).min(axis=0)
    return TextPrint(terms=words, values=_frozen(values.astype(np.uint32)))


def _frozen(values: np.ndarray) -> np.ndarray:
    values.flags.writeable = False
    return values


# Shingles repeat across complaints (every concept's 16 copies, common words and bigrams):
# remembering their SHA-1 halves the hashing.
@lru_cache(maxsize=1 << 16)
def _shingle_hash(shingle: str) -> int:
    return int(sha1_hash32(shingle.encode("utf-8")))


def mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the 64 output bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


_BAND_SEEDS = mix(np.arange(BANDS, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15))


def band_keys(fp: TextPrint) -> list[int]:
    """One signed 64-bit key per band: the band's ROWS hash values mixed into a per-band seed,
    so equal keys mean equal rows in the same band (up to 64-bit collisions). An empty text
    has no keys: there is nothing to match on."""
    if not fp.terms:
        return []
    rows = fp.values[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
    keys = _BAND_SEEDS
    for column in range(ROWS):
        keys = mix(keys ^ rows[:, column])
    return keys.view(np.int64).tolist()


def text_similarity(a: TextPrint, b: TextPrint) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0 when either is empty)."""
    if not a.terms or not b.terms:
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / NUM_PERM


def keywords(texts: Sequence[Sequence[str]], limit: int = 5) -> list[str]:
    """Terms found in the most texts of the group, given each text's terms (ties: longer, then
    first seen)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for terms in texts:
        for term in dict.fromkeys(terms):
            counts[term] += 1
            first_seen.setdefault(term, len(first_seen))
    ranked = sorted(counts, key=lambda t: (-counts[t], -len(t), first_seen[t]))
    return ranked[:limit]
