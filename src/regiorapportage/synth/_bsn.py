"""Synthetic BSNs and the pseudonyms made from them (SPEC DR-1).

Every synthetic person has a BSN that passes the elfproef, and ``persoon_id`` is the
register's own pseudonym of it (``register.pseudonym.persoon_id``: HMAC-SHA256) under
:data:`DEMO_PSEUDONIEMSLEUTEL`, so the register's extract of the generator's decisions gives
the same ``persoon_id`` as the generator's files (``docs/synthetic-data.md``).

Where the numbers come from (see ``docs/synthetic-data.md`` for the sources):

- first the block ``000000000``–``009999999`` (two leading zeros): a BSN, like the sofinummer
  before it, has eight or nine digits (eight-digit numbers are written with one leading zero),
  so a number below 10,000,000 has never been issued to anyone. It holds 10⁶ eight-digit
  prefixes, about 909,000 valid BSNs: enough for scale 2;
- a larger population continues in the block ``900000000``–``999899999`` (first digit 9). That
  it is not issued we could **not** confirm; it is only reached above scale ~2.3 (scale 10 is a
  stress test of the software, not data to keep);
- the block ``999900000``–``999999999`` holds the test BSNs of RvIG's test set (the BRP test
  environment). Persons never get one; the fault rows that need a persoon_id that is in no
  source (DQ-2) take the pseudonym of one, so they look like any other persoon_id.

Numbers are drawn as a seeded permutation of the eight-digit prefixes of a block (the same seed
gives the same BSNs, and the first ``n`` of a longer draw are the ``n`` of a shorter one); the
ninth digit follows from the elfproef, and a prefix whose check digit would be 10 (or whose
BSN would be all zeros or sum to 0) is skipped.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa

from regiorapportage.register.pseudonym import persoon_id
from regiorapportage.synth import _arrow as A

# The demo key of the pseudonym (DR-1) of the synthetic data. NOT a production key: it is in
# the repository. The register service takes its key from configuration.
DEMO_PSEUDONIEMSLEUTEL = b"regiorapportage-demo-sleutel-NIET-voor-productie!!"

# Blocks of eight-digit prefixes [lo, hi): the BSN is prefix × 10 + check digit.
NEVER_ISSUED = (0, 1_000_000)  # 000000000–009999999
NINES = (90_000_000, 99_990_000)  # 900000000–999899999 (not confirmed as unissued)
RVIG_TEST = (99_990_000, 100_000_000)  # 999900000–999999999: RvIG's test BSNs, for unknown ids
_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)
_POWERS = 10 ** np.arange(7, -1, -1, dtype=np.int64)


def _valid(prefixes: np.ndarray) -> np.ndarray:
    """The BSNs (as integers) of the prefixes that have one, in the prefixes' order."""
    total = np.zeros(len(prefixes), dtype=np.int64)
    for weight, power in zip(_WEIGHTS.tolist(), _POWERS.tolist()):
        total += weight * ((prefixes // power) % 10)
    check = total % 11
    ok = (check != 10) & (total >= 11)  # total < 11 would make the elfproef sum 0
    return prefixes[ok] * 10 + check[ok]


def _draw(rng: np.random.Generator, block: tuple[int, int]) -> np.ndarray:
    lo, hi = block
    return _valid(lo + rng.permutation(hi - lo).astype(np.int64))


def person_numbers(seed: int, n: int) -> np.ndarray:
    """``n`` distinct BSNs (integers) for the persons of a generation, by seed."""
    rng = np.random.default_rng([seed, 0xB5])
    parts, have = [], 0
    for block in (NEVER_ISSUED, NINES):
        if have >= n:
            break
        parts.append(_draw(rng, block))
        have += len(parts[-1])
    if have < n:  # pragma: no cover - ~10 million BSNs, far beyond scale 10
        raise ValueError(f"{n} synthetic persons: more than the {have} BSNs of the synthetic ranges")
    return np.concatenate(parts)[:n] if parts else np.zeros(0, dtype=np.int64)


def unknown_numbers(seed: int, n: int) -> np.ndarray:
    """``n`` distinct BSNs of the RvIG test block, which no synthetic person has."""
    out = _draw(np.random.default_rng([seed, 0xB5, 1]), RVIG_TEST)
    if n > len(out):  # pragma: no cover - a few hundred fault rows at most
        raise ValueError(f"{n} unknown persons: more than the {len(out)} test BSNs")
    return out[:n]


def texts(numbers: np.ndarray) -> np.ndarray:
    """BSNs as nine-digit text (object array)."""
    return np.array([f"{x:09d}" for x in np.asarray(numbers).tolist()], dtype=object)


def pseudonyms(bsns, key: bytes = DEMO_PSEUDONIEMSLEUTEL) -> np.ndarray:
    """``persoon_id`` of each BSN (text): the register's pseudonym (DR-1) under ``key``."""
    return np.array([persoon_id(b, key) for b in bsns], dtype=object)


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def pseudonym_array(numbers: np.ndarray, key: bytes = DEMO_PSEUDONIEMSLEUTEL) -> pa.Array:
    """``pseudonyms`` of BSNs given as numbers, as an Arrow string array, for millions of
    persons: the same HMAC-SHA256 (RFC 2104) with the key's inner and outer hash states
    computed once, and the hexadecimal text made in numpy (no Python string per person).
    Checked against ``register.pseudonym.persoon_id`` (which also checks the key)."""
    numbers = np.asarray(numbers, dtype=np.int64)
    n = len(numbers)
    if n == 0:
        return A.strings([])
    first = persoon_id(f"{int(numbers[0]):09d}", key)
    block = key if len(key) <= 64 else hashlib.sha256(key).digest()
    block = block.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
    digits = np.empty((n, 9), dtype=np.uint8)  # the nine digits as ASCII, one row per BSN
    rest = numbers.copy()
    for k in range(8, -1, -1):
        digits[:, k] = rest % 10 + ord("0")
        rest //= 10
    text = digits.tobytes()
    digests = bytearray(32 * n)
    for i in range(n):
        h = inner.copy()
        h.update(text[9 * i:9 * i + 9])
        o = outer.copy()
        o.update(h.digest())
        digests[32 * i:32 * i + 32] = o.digest()
    raw = np.frombuffer(digests, dtype=np.uint8)
    hexed = np.empty((len(raw), 2), dtype=np.uint8)
    hexed[:, 0] = _HEX[raw >> 4]
    hexed[:, 1] = _HEX[raw & 15]
    offsets = np.arange(n + 1, dtype=np.int64) * 64
    arr = pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(hexed)])
    assert arr[0].as_py() == first
    return arr
