"""Byte-level steps over an arrow string column: shape check, digits, lengths.

Cells the fast path takes are pure ASCII, so working on the UTF-8 bytes of the
whole column at once (numpy over arrow's offsets and data buffers) is exact,
and 10-20x cheaper than a regex pass. A multi-byte character has every byte
>= 0x80, so it can never pass for a digit or a separator here.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from batchcall.text import buffers

# Bytes a "plain" cell may contain: ASCII digits, space, ( ) . - and one '+'.
_ALLOWED = np.zeros(256, dtype=bool)
_ALLOWED[list(b"0123456789 ().-+")] = True
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[list(b"0123456789")] = True
_LEAD = np.zeros(256, dtype=bool)  # what may stand before the '+'
_LEAD[list(b" (")] = True
_PLUS = ord("+")


def byte_lengths(texts: pa.Array) -> np.ndarray:
    """Bytes per value (= characters for the ASCII values the fast path keeps)."""
    offsets, _ = buffers(texts)
    return np.diff(offsets)


def _running(flags: np.ndarray) -> np.ndarray:
    """0, then the running count of ``flags``: int32 while it fits (half the pages to fault)."""
    kind = np.int32 if len(flags) < 2**31 else np.int64
    running = np.empty(len(flags) + 1, dtype=kind)
    running[0] = 0
    np.cumsum(flags, dtype=kind, out=running[1:])
    return running


def _owners(offsets: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The value each byte position belongs to."""
    return np.searchsorted(offsets, positions, side="right") - 1


def _string_array(size: int, offsets: np.ndarray, data: np.ndarray, valid: object) -> pa.Array:
    """An arrow string array (large_string past 2 GiB) from numpy offsets and bytes."""
    wide = offsets.dtype == np.int64
    return pa.Array.from_buffers(
        pa.large_string() if wide else pa.string(),
        size,
        [valid, pa.py_buffer(offsets), pa.py_buffer(data.tobytes())],
    )


def byte_counts(texts: pa.Array, byte: int) -> np.ndarray:
    """How many times ``byte`` occurs in each value (found where it is: it is rare)."""
    offsets, data = buffers(texts)
    positions = np.flatnonzero(data[offsets[0] :] == byte) + offsets[0]
    return np.bincount(_owners(offsets, positions), minlength=len(texts))


def plain_shape(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(plain, has_plus) per value.

    Plain: only bytes of ``_ALLOWED``, at most one '+', and nothing but spaces
    and '(' before it: the regex ``^[ (]*\\+?[0-9 ().\\-]*$``. Nulls are not plain.
    Disallowed bytes and '+' are found where they are (a phone column has few),
    not summed over every byte.
    """
    offsets, data = buffers(texts)
    start = offsets[0]
    window = data[start:]
    local = offsets - start
    plain = np.ones(len(texts), dtype=bool)
    plain[_owners(local, np.flatnonzero(~_ALLOWED[window]))] = False
    positions = np.flatnonzero(window == _PLUS)
    owner = _owners(local, positions)
    pluses = np.bincount(owner, minlength=len(texts))
    plain &= pluses <= 1
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
    return _string_array(len(texts), _running(keep)[offsets - start], window[keep], None)


def squeeze_digits(texts: pa.Array, low: str = "2", high: str = "9") -> pa.Array:
    """Each value with every run of the digits ``low``..``high`` written as one ``low``.

    (``batchcall.insight.profile`` classifies these *shapes*: far fewer than the values.)
    """
    offsets, data = buffers(texts)
    start = offsets[0]
    window = data[start : offsets[-1]]
    run = (window >= ord(low)) & (window <= ord(high))
    follows = np.zeros(len(window), dtype=bool)
    follows[1:] = run[1:] & run[:-1]
    follows[offsets[:-1][offsets[:-1] < offsets[-1]] - start] = False  # a value's first byte
    keep = ~follows
    squeezed = np.where(run, np.uint8(ord(low)), window)[keep]
    valid = texts.is_valid().buffers()[1] if texts.null_count else None
    return _string_array(len(texts), _running(keep)[offsets - start], squeezed, valid)
