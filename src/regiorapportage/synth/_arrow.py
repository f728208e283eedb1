"""Fast Arrow columns from numpy arrays, for the large banenafspraak sources.

Identifiers are built as fixed-width byte matrices (no Python string per row), amounts as
exact ``decimal128`` values from integer hundredths (no float round trip).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from regiorapportage.synth import _days as D


def fixed_ids(prefix: str, numbers: np.ndarray, digits: int, suffix: str = "", base: int = 10) -> pa.Array:
    """``prefix`` + ``numbers`` zero-padded to ``digits`` digits (decimal, or upper-case hex
    with ``base=16``) + ``suffix``, as an Arrow string array."""
    numbers = np.asarray(numbers, dtype=np.int64)
    n = len(numbers)
    pre, suf = prefix.encode(), suffix.encode()
    width = len(pre) + digits + len(suf)
    out = np.empty((n, width), dtype=np.uint8)
    out[:, : len(pre)] = np.frombuffer(pre, dtype=np.uint8)
    if suf:
        out[:, len(pre) + digits:] = np.frombuffer(suf, dtype=np.uint8)
    rest = numbers.copy()
    symbols = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)
    for k in range(digits - 1, -1, -1):
        out[:, len(pre) + k] = symbols[rest % base]
        rest //= base
    offsets = (np.arange(n + 1, dtype=np.int64) * width).astype(np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(out.tobytes())])


def strings(values) -> pa.Array:
    """A string array from Python strings (None = null), without pa.array() (which would import
    pandas to inspect the input)."""
    values = list(values)
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    encoded = [v.encode("utf-8") if v is not None else b"" for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    bitmap, nulls = _validity(valid)
    return pa.Array.from_buffers(pa.string(), len(values), [bitmap, pa.py_buffer(offsets.astype(np.int32)),
                                                             pa.py_buffer(b"".join(encoded))], null_count=nulls)


def _validity(valid: np.ndarray | None):
    if valid is None or valid.all():
        return None, 0
    return pa.py_buffer(np.packbits(valid, bitorder="little")), int((~valid).sum())


def numeric(values: np.ndarray, typ: pa.DataType, valid: np.ndarray | None = None) -> pa.Array:
    values = np.ascontiguousarray(values)
    bitmap, nulls = _validity(valid)
    return pa.Array.from_buffers(typ, len(values), [bitmap, pa.py_buffer(values)], null_count=nulls)


def dates(days) -> pa.Array:
    days = np.asarray(days, dtype=np.int64)
    valid = days != D.NULL
    return numeric(np.where(valid, days, 0).astype(np.int32), pa.date32(), valid)


def decimals(units, scale: int = 2, precision: int = 12) -> pa.Array:
    """Exact decimal128(precision, scale) from integers in units of 10^-scale (D.NULL = null)."""
    v = np.asarray(units, dtype=np.int64)
    valid = v != D.NULL
    v = np.where(valid, v, 0)
    words = np.empty((len(v), 2), dtype=np.int64)
    words[:, 0] = v
    words[:, 1] = np.where(v < 0, -1, 0)
    bitmap, nulls = _validity(valid)
    return pa.Array.from_buffers(pa.decimal128(precision, scale), len(v), [bitmap, pa.py_buffer(words)],
                                 null_count=nulls)


def bools(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Booleans; ``valid`` False = null."""
    values = np.asarray(values, dtype=bool)
    data = pa.py_buffer(np.packbits(values, bitorder="little"))
    bitmap, nulls = _validity(valid)
    return pa.Array.from_buffers(pa.bool_(), len(values), [bitmap, data], null_count=nulls)


def codes(labels: tuple[str, ...], index: np.ndarray) -> pa.Array:
    """``labels[index]`` as strings; a negative index is null."""
    index = np.asarray(index, dtype=np.int64)
    valid = index >= 0
    arr = strings(labels)
    taken = arr.take(numeric(np.where(valid, index, 0), pa.int64()))
    if valid.all():
        return taken
    bitmap, nulls = _validity(valid)
    return pa.Array.from_buffers(pa.string(), len(index), [bitmap] + taken.buffers()[1:], null_count=nulls)


def as_numpy(arr: pa.Array) -> np.ndarray:
    """Values of a null-free integer, date32 or boolean array as numpy (Array.to_numpy()
    would import pandas)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    buf = arr.buffers()[1]
    if pa.types.is_boolean(arr.type):
        bits = np.unpackbits(np.frombuffer(buf, dtype=np.uint8), bitorder="little")
        return bits[arr.offset:arr.offset + len(arr)].astype(bool)
    dtype = {pa.date32(): np.int32}.get(arr.type) or np.dtype(arr.type.to_pandas_dtype())
    return np.frombuffer(buf, dtype=dtype)[arr.offset:arr.offset + len(arr)]


def unique_sorted(x: np.ndarray) -> np.ndarray:
    """np.unique for large integer arrays by sorting (numpy 2's hash-based unique is slow)."""
    s = np.sort(np.asarray(x))
    if len(s) == 0:
        return s
    return s[np.concatenate([[True], s[1:] != s[:-1]])]


def not_in(x: np.ndarray, exclude: np.ndarray) -> np.ndarray:
    """Elements of ``x`` that are not in ``exclude`` (order kept)."""
    ex = unique_sorted(exclude)
    if len(ex) == 0:
        return x
    pos = np.clip(np.searchsorted(ex, x), 0, len(ex) - 1)
    return x[ex[pos] != x]
