"""The kind and period of a file: from its name when it follows the contract's rule, otherwise
from its headers, its title rows, its name, or the dates in it — and a rejection that says so
when the period cannot be settled without guessing."""

from __future__ import annotations

import re
from pathlib import Path

from etl.contract import POLA_NAMA, FileName, Kind, kinds, normalise_header
from etl.stages.s2_extract.cells import BULAN
from etl.stages.s2_extract.errors import Rejected
from etl.stages.s2_extract.table import Table


def candidate_kinds(path: Path, name: FileName | None) -> tuple[list[Kind], bool]:
    """Kinds the file may be, and whether the file name settled it."""
    all_kinds = kinds()
    if name and name.jenis in all_kinds:
        return [all_kinds[name.jenis]], True
    stem = normalise_header(path.stem)
    named = [k for j, k in all_kinds.items() if j in stem]
    return (named or list(all_kinds.values())), False


def periods_in(text: str, kind: Kind) -> set[str]:
    """Periods a title or file name mentions ("TAHUN 2023", "Mei 2024", "2024-05")."""
    text = text.lower()
    if kind.pola_periode == "bulanan":
        found = {f"{y}-{m}" for y, m in re.findall(r"\b(20[0-9]{2})[-_/.](0[1-9]|1[0-2])\b", text)}
        found |= {f"{y}-{m}" for m, y in re.findall(r"\b(0[1-9]|1[0-2])[-_/.](20[0-9]{2})\b", text)}
        for month, year in re.findall(r"([a-z]+)[\s_-]+(20[0-9]{2})\b", text):
            if month in BULAN:
                found.add(f"{year}-{BULAN[month]:02d}")
        return found
    tahun = set(re.findall(r"tahun(?:\s+anggaran)?[\s_:]*((?:19|20)[0-9]{2})\b", text))
    return tahun or set(re.findall(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", text))


def date_column(kind: Kind) -> str | None:
    return next((c.nama for c in kind.columns if c.tipe == "tanggal" and c.wajib), None)


def period(kind: Kind, path: Path, name: FileName | None, table: Table) -> tuple[str | None, str]:
    """The period from the file name, else the title rows, else a loose name; and its source."""
    if name and name.jenis == kind.jenis:
        if not kind.period_is_valid(name.periode):
            raise Rejected(
                f"periode '{name.periode}' tidak sesuai untuk {kind.jenis} "
                f"({'TTTT' if kind.pola_periode == 'tahunan' else 'TTTT-BB'})"
            )
        return name.periode, "nama berkas"
    for source, text in (("baris judul", " ".join(table.titles)), ("nama berkas", path.stem)):
        found = periods_in(text, kind)
        if len(found) > 1:
            raise Rejected(
                f"periode tidak dapat dipastikan: {source} menyebut beberapa periode "
                f"({', '.join(sorted(found))}); beri nama berkas sesuai pola {POLA_NAMA}"
            )
        if found:
            return found.pop(), source
    return None, ""


def period_from_years(kind: Kind, years: set[int]) -> str:
    column = date_column(kind)
    if kind.pola_periode == "tahunan" and column and len(years) == 1:
        return str(years.pop())
    listed = ", ".join(map(str, sorted(years)))
    why = (
        f"tanggal pada kolom {column} mencakup beberapa tahun ({listed})"
        if column and len(years) > 1
        else "tidak ada baris judul atau kolom tanggal yang menyebut periodenya"
    )
    raise Rejected(
        f"periode berkas tidak dapat dipastikan: nama berkas tidak sesuai pola {POLA_NAMA} dan "
        f"{why}"
    )
