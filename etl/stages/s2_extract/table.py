"""Finding the table in a file: its sheet, its header row (below any title rows), its kind.

Government forms put titles above the header, split a header over two rows of merged cells
("Tenaga Kerja" over "Laki-laki") and number the columns "(1) (2) (3)" below it; all three are
read as an office means them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from etl.contract import POLA_NAMA, Kind, get_kind
from etl.stages.s2_extract.errors import Rejected
from etl.stages.s2_extract.headers import fit as header_fit
from etl.stages.s2_extract.headers import qualifies
from etl.stages.s2_extract.sources import HEADER_SCAN_ROWS, Row, Sheet, Source


@dataclass
class Table:
    """The data table found in a sheet: its kind, header and the rows below it."""

    kind: Kind | None
    raw_header: list[str | None]
    header_row: int
    titles: list[str]
    rows: Iterator[Row]
    sheet: str | None
    fit: tuple[float, int]
    notes: list[str] = field(default_factory=list)
    data_start: int | None = None
    """Record number of the first row below the header (title and header rows above it)."""


def is_empty(cells: list[str | None]) -> bool:
    return all(c is None or not str(c).strip() for c in cells)


def _header_kind(cells: list[str | None], candidates: list[Kind]) -> Kind | None:
    """The kind whose header this row is (enough required columns), or None; a tie rejects."""
    fits = sorted((header_fit(k, cells), k.jenis) for k in candidates if qualifies(k, cells))
    if len(fits) > 1 and fits[-1][0] == fits[-2][0]:
        raise Rejected(
            "jenis berkas tidak dapat dipastikan: judul kolomnya cocok sama baiknya dengan "
            f"{fits[-1][1]} dan {fits[-2][1]}; beri nama berkas sesuai pola {POLA_NAMA}"
        )
    return get_kind(fits[-1][1]) if fits else None


def _combine(top: list[str | None], sub: list[str | None]) -> list[str | None]:
    """A two-row header of merged cells: "Tenaga Kerja" over "Laki-laki" → one header."""
    out: list[str | None] = []
    parent: str | None = None
    for j in range(max(len(top), len(sub))):
        upper = top[j] if j < len(top) else None
        lower = sub[j] if j < len(sub) else None
        if upper:
            parent = upper
        out.append(f"{parent} {lower}" if lower and parent else lower or upper)
    return out


_NUMBERING = re.compile(r"\(?[0-9]{1,2}\)?")


def _is_numbering(cells: list[str | None], header: list[str | None]) -> bool:
    """The "(1) (2) (3)" row that government forms put under the header."""
    filled = [str(c).strip() for c in cells if c and str(c).strip()]
    named = sum(1 for h in header if h)
    return len(filled) >= max(2, named // 2) and all(_NUMBERING.fullmatch(c) for c in filled)


def _scan(sheet: Sheet, candidates: list[Kind]) -> Table | None:
    """Find the header in the first rows: the first that maps enough columns of a kind."""
    buffer = list(itertools.islice(sheet.rows, HEADER_SCAN_ROWS + 2))
    filled = [(i, n, c) for i, (n, c) in enumerate(buffer) if not is_empty(c)]
    if not filled:
        return None
    chosen = None
    for i, n, c in filled[:HEADER_SCAN_ROWS]:
        try:
            kind = _header_kind(c, candidates)
        except Rejected as exc:  # a tie: the rows below this header are counted for the record
            rest = itertools.chain(buffer[i + 1 :], sheet.rows)
            exc.header_table = Table(None, c, n, [], rest, sheet.name, (0.0, 0))
            raise
        if kind:
            chosen = (i, n, c, kind)
            break
    if chosen is None:  # no header found: the first row, so the rejection names what is missing
        i, n, cells = filled[0]
        kind = candidates[0] if len(candidates) == 1 else None
        fit = header_fit(kind, cells) if kind else (0.0, 0)
        rest = itertools.chain(buffer[i + 1 :], sheet.rows)
        return Table(kind, cells, n, [], rest, sheet.name, (-1.0, fit[1]))
    i, n, header, kind = chosen
    titles = [str(c) for _, cells in buffer[:i] for c in cells if c]
    skip, notes = 1, []
    below = buffer[i + 1][1] if i + 1 < len(buffer) else []
    combined = _combine(header, below)
    if below and header_fit(kind, combined)[1] > header_fit(kind, header)[1]:
        header, skip = combined, 2
        notes.append(f"judul kolom dibaca dari dua baris (baris {n} dan {n + 1}, sel bergabung)")
    elif below and _is_numbering(below, header):
        skip = 2
        notes.append(f"baris {n + 1} berisi nomor kolom dan dilewati")
    rest = itertools.chain(buffer[i + skip :], sheet.rows)
    return Table(
        kind, header, n, titles, rest, sheet.name, header_fit(kind, header), notes, n + skip
    )


def locate_table(source: Source, candidates: list[Kind]) -> Table:
    """The table of the best-matching sheet (several sheets: the one that fits a kind)."""
    tables = [t for s in source.sheets if (t := _scan(s, candidates)) is not None]
    if not tables:
        raise Rejected("berkas kosong: tidak ada baris judul kolom maupun data")
    best = max(tables, key=lambda t: t.fit)
    if best.kind is None:
        exc = Rejected(
            f"nama berkas tidak sesuai pola {POLA_NAMA}, dan jenisnya tidak dapat dikenali dari "
            "judul kolom; gunakan judul kolom templat"
        )
        exc.header_table = best
        raise exc
    alike = [  # sheets with a real header of this kind (fit -1 means no header was found)
        t.sheet
        for t in tables
        if t.kind is not None and t.kind.jenis == best.kind.jenis and t.fit[0] >= 0
    ]
    if len(alike) > 1:
        # Which sheet is the period of the file? Guessing could load January as March.
        raise Rejected(
            f"berkas berisi {len(alike)} lembar data {best.kind.jenis} ("
            + ", ".join(f"'{name}'" for name in alike)
            + "); kirim satu lembar data per berkas, satu berkas per periode"
        )
    if best.sheet is not None:
        others = [s.name for s in source.sheets if s.name != best.sheet]
        note = f"data dibaca dari lembar '{best.sheet}'"
        if others:
            note += " (lembar lain diabaikan: " + ", ".join(f"'{o}'" for o in others) + ")"
        best.notes.insert(0, note)
    if best.titles:
        best.notes.append(f"baris {best.header_row} dipakai sebagai judul kolom")
    return best
