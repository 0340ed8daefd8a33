"""Byte-level steps over an arrow string column: shape check, digits, lengths.

Cells the fast path takes are pure ASCII, so working on the UTF-8 bytes of the
whole column at once (numpy over arrow's offsets and data buffers) is exact,
and 10-20x cheaper than a regex pass. A multi-byte character has every byte
>= 0x80, so it can never pass for a digit or a separator here.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

# Bytes a "plain" cell may contain: ASCII digits, space, ( ) . - and one '+'.
_ALLOWED = np.zeros(256, dtype=bool)
_ALLOWED[list(b"0123456789 ().-+")] = True
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[list(b"0123456789")] = True
_LEAD = np.zeros(256, dtype=bool)  # what may stand before the '+'
_LEAD[list(b" (")] = True
_PLUS = ord("+")


def buffers(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, data) of a string / large_string array, offsets relative to ``data``."""
    wide = pa.types.is_large_string(texts.type)
    _, offsets_buffer, data_buffer = texts.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64 if wide else np.int32)
    offsets = offsets[texts.offset : texts.offset + len(texts) + 1].astype(np.int64)
    if data_buffer is None or len(texts) == 0:
        return offsets, np.zeros(0, dtype=np.uint8)
    return offsets, np.frombuffer(data_buffer, dtype=np.uint8)[: offsets[-1]]


def byte_lengths(texts: pa.Array) -> np.ndarray:
    """Bytes per value (= characters for the ASCII values the fast path keeps)."""
    offsets, _ = buffers(texts)
    return np.diff(offsets)


def _per_value(offsets: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """Sum of ``flags`` over each value's bytes."""
    running = np.concatenate(([0], np.cumsum(flags, dtype=np.int64)))
    return running[offsets[1:]] - running[offsets[:-1]]


def byte_counts(texts: pa.Array, byte: int) -> np.ndarray:
    """How many times ``byte`` occurs in each value."""
    offsets, data = buffers(texts)
    start = offsets[0]
    return _per_value(offsets - start, data[start:] == byte)


def plain_shape(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(plain, has_plus) per value.

    Plain: only bytes of ``_ALLOWED``, at most one '+', and nothing but spaces
    and '(' before it: the regex ``^[ (]*\\+?[0-9 ().\\-]*$``. Nulls are not plain.
    """
    offsets, data = buffers(texts)
    start = offsets[0]
    window = data[start:]
    local = offsets - start
    plus_bytes = window == _PLUS
    # One running sum counts both: disallowed bytes in the low 32 bits, '+' above.
    weights = (~_ALLOWED[window]).astype(np.int64) + (plus_bytes.astype(np.int64) << 32)
    counts = _per_value(local, weights)
    pluses = counts >> 32
    plain = ((counts & 0xFFFFFFFF) == 0) & (pluses <= 1)
    positions = np.flatnonzero(plus_bytes)
    if len(positions):
        owner = np.searchsorted(local, positions, side="right") - 1
        inner = positions != local[owner]  # '+' not the first byte: check what precedes it
        for position, value in zip(positions[inner], owner[inner], strict=True):
            if not _LEAD[window[local[value] : position]].all():
                plain[value] = False
    if texts.null_count:
        plain &= np.asarray(texts.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    return plain, pluses == 1


def digits_only(texts: pa.Array) -> pa.Array:
    """Each value with everything but ASCII digits removed (``normalize_digits_only``
    for the plain values)."""
    offsets, data = buffers(texts)
    start = offsets[0]
    window = data[start : offsets[-1]]
    keep = _DIGIT[window]
    running = np.concatenate(([0], np.cumsum(keep, dtype=np.int64)))
    new_offsets = running[offsets - start]
    kept = window[keep]
    if new_offsets[-1] < 2**31 - 1:
        offsets_out, kind = new_offsets.astype(np.int32), pa.string()
    else:
        offsets_out, kind = new_offsets, pa.large_string()
    return pa.Array.from_buffers(
        kind, len(texts), [None, pa.py_buffer(offsets_out), pa.py_buffer(kept.tobytes())]
    )
