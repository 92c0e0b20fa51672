"""Header mapping: the office's header cells → the contract's column names.

A header cell is normalised (case, spaces and punctuation do not matter) and matched with a
column name or one of its synonyms: the kind's own (``expectations/<jenis>/sinonim.json``),
then those every kind shares (``expectations/sinonim_umum.json``).
"""

from __future__ import annotations

import functools
import json
import math

from etl.contract import COMMON_SYNONYMS, Kind, get_kind, normalise_header
from etl.stages.s2_extract.errors import Rejected


def _read(path) -> dict[str, list[str]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@functools.cache
def common_synonyms() -> dict[str, list[str]]:
    """Column → synonyms, for the columns several kinds share."""
    return _read(COMMON_SYNONYMS)


def synonym_sections(kind: Kind) -> list[dict[str, list[str]]]:
    """The kind's own synonyms, then the common ones: the order in which they count."""
    return [_read(kind.synonyms_path), common_synonyms()]


@functools.cache
def header_lookup(jenis: str) -> dict[str, str]:
    """Normalised header → column of ``jenis``: the column names, then its synonyms."""
    kind = get_kind(jenis)
    names = [c.nama for c in kind.columns]
    lookup = {n: n for n in names}
    for section in synonym_sections(kind):
        for column, alternatives in section.items():
            if column in names:
                for alt in alternatives:
                    lookup.setdefault(normalise_header(alt), column)
    return lookup


def _mapped(kind: Kind, cells: list[str | None]) -> set[str]:
    lookup = header_lookup(kind.jenis)
    return {lookup[n] for c in cells if c and (n := normalise_header(c)) in lookup}


def fit(kind: Kind, cells: list[str | None]) -> tuple[float, int]:
    """How well a row fits a kind as its header: (share of required columns, columns matched)."""
    found = _mapped(kind, cells)
    required = set(kind.required)
    return len(found & required) / len(required), len(found)


def qualifies(kind: Kind, cells: list[str | None]) -> bool:
    found = _mapped(kind, cells) & set(kind.required)
    return len(found) >= max(2, math.ceil(len(kind.required) / 2))


def renamed_columns(raw_header: list[str | None], header: list[str]) -> list[str]:
    """Columns read through a synonym, so the office can match the feedback's column names."""
    return [
        f"kolom '{raw}' dibaca sebagai {name}"
        for raw, name in zip(raw_header, header, strict=True)
        if name and normalise_header(raw) != name
    ]


def map_header(kind: Kind, raw_header: list[str | None]) -> tuple[list[str], list[str]]:
    """Header cells → contract column names ("" when unknown), and the required ones missing."""
    lookup = header_lookup(kind.jenis)
    header = [lookup.get(normalise_header(h), "") for h in raw_header]
    seen: dict[str, str] = {}
    for raw, name in zip(raw_header, header, strict=True):
        if name and name in seen:
            raise Rejected(
                f"kolom {name} muncul dua kali ('{seen[name]}' dan '{raw}'); hapus salah satunya"
            )
        if name:
            seen[name] = str(raw)
    return header, [c for c in kind.required if c not in header]


def unknown_columns(raw_header: list[str | None], header: list[str]) -> list[str]:
    return [
        f"kolom '{raw}' tidak dikenal dan diabaikan"
        for raw, name in zip(raw_header, header, strict=True)
        if raw and str(raw).strip() and not name
    ]
