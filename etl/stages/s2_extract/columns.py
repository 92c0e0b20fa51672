"""Cell conversion by column: a column of text cells (Arrow) → typed values plus, per cell, a
rule code and an Indonesian reason where the value did not convert (by :mod:`.cells`' rules).

Plain digit strings are cast in Arrow; everything else is converted once per distinct value,
since values repeat (dates, flags, codes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from etl.stages.s2_extract.cells import CONVERTERS, Galat, to_kode


@dataclass
class Kolom:
    """One converted column: typed values, and per cell a rule code and reason (null when ok)."""

    values: pa.Array
    kode: pa.Array
    alasan: pa.Array


FAST_PATTERNS = {
    "bilangan": (r"^-?[0-9]{1,18}$", pa.int64()),
    "rupiah": (r"^-?[0-9]{1,18}$", pa.int64()),
    "desimal": (r"^-?[0-9]{1,15}$", pa.float64()),
}
"""Plain digits convert the same under every rule: cast them in Arrow, parse the rest in Python."""


def _map_unique(text: pa.Array, fn: Callable[[str], object], out: pa.DataType) -> Kolom:
    """Apply ``fn`` once per distinct value of ``text`` (values repeat: dates, flags, codes)."""
    encoded = pc.dictionary_encode(text)
    results = [fn(v) for v in encoded.dictionary.to_pylist()]
    values = pa.array([None if isinstance(r, Galat) else r for r in results], out)
    kode = pa.array([r.kode if isinstance(r, Galat) else None for r in results], pa.string())
    alasan = pa.array([r.alasan if isinstance(r, Galat) else None for r in results], pa.string())
    return Kolom(*(pc.take(a, encoded.indices) for a in (values, kode, alasan)))


def _null_string(n: int) -> pa.Array:
    return pa.nulls(n, pa.string())


def _merge(a: Kolom, b: Kolom, use_b: pa.Array) -> Kolom:
    return Kolom(
        pc.if_else(use_b, b.values, a.values),
        pc.if_else(use_b, b.kode, a.kode),
        pc.if_else(use_b, b.alasan, a.alasan),
    )


def convert(
    text: pa.Array,
    tipe: str,
    numeric: pa.Array,
    scientific: pa.Array,
    panjang: int | None = None,
) -> Kolom:
    """Text column of one type → :class:`Kolom` (``numeric``: cells stored as numbers)."""
    n = len(text)
    if tipe in ("teks",):
        return Kolom(text, _null_string(n), _null_string(n))
    if tipe == "pilihan":
        return Kolom(pc.utf8_lower(text), _null_string(n), _null_string(n))
    if tipe == "kode":
        return _convert_kode(text, numeric, scientific, panjang)
    fn = CONVERTERS[tipe]
    out = pa.date32() if tipe == "tanggal" else pa.string() if tipe == "ya_tidak" else None
    out = out or (pa.float64() if tipe == "desimal" else pa.int64())
    as_text = _map_unique(
        pc.if_else(numeric, pa.scalar(None, pa.string()), text), lambda v: fn(v, False), out
    )
    if pc.any(numeric).as_py():
        as_number = _map_unique(
            pc.if_else(numeric, text, pa.scalar(None, pa.string())), lambda v: fn(v, True), out
        )
        return _merge(as_text, as_number, numeric)
    return as_text


def convert_fast(
    text: pa.Array,
    tipe: str,
    numeric: pa.Array,
    scientific: pa.Array,
    panjang: int | None = None,
) -> Kolom:
    """:func:`convert`, with plain digit strings cast in Arrow first (the common, clean case)."""
    if tipe not in FAST_PATTERNS:
        return convert(text, tipe, numeric, scientific, panjang)
    pattern, out = FAST_PATTERNS[tipe]
    plain = pc.fill_null(pc.match_substring_regex(text, pattern), False)
    if pc.all(pc.or_(plain, pc.is_null(text))).as_py():
        n = len(text)
        return Kolom(pc.cast(text, out), _null_string(n), _null_string(n))
    none = pa.scalar(None, pa.string())
    rest = convert(pc.if_else(plain, none, text), tipe, numeric, scientific)
    fast = pc.cast(pc.if_else(plain, text, none), out)
    return Kolom(pc.if_else(plain, fast, rest.values), rest.kode, rest.alasan)


def _convert_kode(
    text: pa.Array, numeric: pa.Array, scientific: pa.Array, panjang: int | None
) -> Kolom:
    """Codes stay text; cells stored as numbers or written in exponent form are checked."""
    n = len(text)
    exponent = pc.fill_null(pc.match_substring_regex(text, r"[eE][+-]?[0-9]+\s*$"), False)
    suspect = pc.or_(pc.or_(numeric, scientific), exponent)
    if not pc.any(suspect).as_py():
        return Kolom(text, _null_string(n), _null_string(n))
    idx = pc.indices_nonzero(suspect)
    cells = zip(
        pc.take(text, idx).to_pylist(),
        pc.take(numeric, idx).to_pylist(),
        pc.take(scientific, idx).to_pylist(),
        strict=True,
    )
    results = [to_kode(v, num, panjang, sci) for v, num, sci in cells]
    bad = [r for r in results if isinstance(r, Galat)]
    values = [None if isinstance(r, Galat) else r for r in results]
    return Kolom(
        pc.replace_with_mask(text, suspect, pa.array(values, pa.string())),
        _scatter(n, suspect, [r.kode if isinstance(r, Galat) else None for r in results]),
        _scatter(n, suspect, [r.alasan if isinstance(r, Galat) else None for r in results])
        if bad
        else _null_string(n),
    )


def _scatter(n: int, mask: pa.Array, values: list[str | None]) -> pa.Array:
    """A string column of ``n`` nulls with ``values`` put, in order, where ``mask`` is true."""
    return pc.replace_with_mask(_null_string(n), mask, pa.array(values, pa.string()))
