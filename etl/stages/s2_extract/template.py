"""Workbooks made from the portal's template (:mod:`etl.contract.template`), recognised by their
``_metadata`` sheet: read by the template's layout, not guessed.

Only the sheet ``Data`` is data (``Petunjuk``, ``_daftar`` and ``_metadata`` never are), its
row 1 is the header, and its headers must be the contract's own: the office was given them, so a
header that differs was changed, and is named as such instead of being read through a synonym.
The metadata gives the kind and period when the file name does not; when both give them they
must agree, since loading January's template as March would be a silent error.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from etl.contract import POLA_NAMA, FileName, Kind, kinds
from etl.contract.template import (
    DATA_SHEET,
    METADATA_KEYS,
    METADATA_SHEET,
    template_version,
)
from etl.stages.s2_extract.errors import Rejected
from etl.stages.s2_extract.headers import fit as header_fit
from etl.stages.s2_extract.sources import Row, Source
from etl.stages.s2_extract.table import Table, is_empty

METADATA_ROWS = 100
"""Rows of ``_metadata`` read at most (it holds a handful)."""
FROM_METADATA = f"lembar {METADATA_SHEET} templat"
"""Where a kind or period came from, as the notes and messages name it."""


def _find(names: list[str], wanted: str) -> str | None:
    """The sheet called ``wanted`` (case and surrounding spaces aside), or None."""
    return next((n for n in names if n.strip().lower() == wanted.lower()), None)


def read_metadata(rows: Iterator[Row]) -> dict[str, str]:
    """Key in column A, value in column B: the template's known keys, as text."""
    found: dict[str, str] = {}
    for _, cells in itertools.islice(rows, METADATA_ROWS):
        key = str(cells[0] or "").strip().lower() if cells else ""
        value = str(cells[1] or "").strip() if len(cells) > 1 else ""
        if key in METADATA_KEYS and value and key not in found:
            found[key] = value
    return found


def template_sheets(
    names: list[str], rows_of: Callable[[str], Iterator[Row]]
) -> tuple[list[str], dict[str, str] | None]:
    """The sheets to read as data, and the template's metadata (None: not a template)."""
    metadata_sheet = _find(names, METADATA_SHEET)
    if metadata_sheet is None:
        return names, None
    rows = rows_of(metadata_sheet)
    try:
        metadata = read_metadata(rows)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    data = _find(names, DATA_SHEET)
    if data is None:
        exc = Rejected(
            f"berkas dibuat dari templat (ada lembar {METADATA_SHEET}), tetapi lembar "
            f"'{DATA_SHEET}' tidak ada; isi data di lembar '{DATA_SHEET}' templat tanpa "
            "mengganti namanya, lalu kirim ulang"
        )
        exc.versi_templat = metadata.get("versi_templat")
        raise exc
    return [data], metadata


def _known_kind(jenis: str) -> Kind:
    kind = kinds().get(jenis)
    if kind is None:
        raise Rejected(
            f"{FROM_METADATA} menyebut jenis '{jenis}' yang tidak dikenal; unduh ulang templat "
            "dari portal"
        )
    return kind


def settle(name: FileName | None, metadata: dict[str, str]) -> tuple[Kind, str | None, str]:
    """The kind, period (None: not given) and where the period came from, of a template
    workbook: the file name's when it follows the rule, else the metadata's. A name that
    names another kind or period than the metadata rejects the file, naming both."""
    jenis, periode = metadata.get("jenis"), metadata.get("periode")
    if name is not None:
        if jenis and jenis != name.jenis:
            raise Rejected(
                f"nama berkas menyebut jenis {name.jenis}, tetapi berkas dibuat dari templat "
                f"{jenis} ({FROM_METADATA}); isi templat {name.jenis} dari portal, atau beri "
                f"nama berkas sesuai templatnya ({jenis}_<periode>)"
            )
        if periode and periode != name.periode:
            raise Rejected(
                f"nama berkas menyebut periode {name.periode}, tetapi templatnya untuk periode "
                f"{periode} ({FROM_METADATA}); perbaiki nama berkas, atau isi templat periode "
                f"{name.periode}"
            )
        kind, periode, source = kinds()[name.jenis], name.periode, "nama berkas"
    elif jenis:
        kind, source = _known_kind(jenis), FROM_METADATA
    else:
        raise Rejected(
            f"berkas dibuat dari templat, tetapi jenisnya tidak tertulis di {FROM_METADATA} "
            f"dan nama berkas tidak sesuai pola {POLA_NAMA}; beri nama berkas sesuai pola itu"
        )
    if periode and not kind.period_is_valid(periode):
        raise Rejected(
            f"periode '{periode}' ({source}) tidak sesuai untuk {kind.jenis} "
            f"({'TTTT' if kind.pola_periode == 'tahunan' else 'TTTT-BB'})"
        )
    return kind, periode or None, source


def template_table(source: Source, kind: Kind) -> Table:
    """The ``Data`` sheet's table: row 1 is the header, with the contract's column names."""
    sheet = source.sheets[0]
    rows = iter(sheet.rows)
    first = next(rows, None)
    if first is None or is_empty(first[1]):
        raise Rejected(
            f"lembar '{sheet.name}' templat tidak berisi judul kolom di baris 1; salin baris 1 "
            "dari templat yang baru diunduh, lalu kirim ulang"
        )
    number, cells = first
    if number != 1:
        raise Rejected(
            f"lembar '{sheet.name}' templat harus berisi judul kolom di baris 1 (judul "
            f"ditemukan di baris {number}); jangan menyisipkan baris di atasnya"
        )
    header = [str(c).strip() if c is not None and str(c).strip() else None for c in cells]
    table = Table(kind, header, 1, [], rows, sheet.name, header_fit(kind, header), [], data_start=2)
    names = {c.nama for c in kind.columns}
    changed = [h for h in header if h and h not in names]
    missing = [c for c in kind.required if c not in header]
    if changed or missing:
        parts = []
        if changed:
            parts.append(
                ", ".join(f"'{h}'" for h in changed) + f" bukan judul kolom templat {kind.jenis}"
            )
        if missing:
            parts.append("kolom wajib tidak ada: " + ", ".join(missing))
        exc = Rejected(
            f"judul kolom lembar '{sheet.name}' diubah dari templat: " + "; ".join(parts) + ". "
            "Jangan mengubah baris 1; salin judul kolom dari templat yang baru diunduh"
        )
        exc.header_table = table
        raise exc
    return table


def template_notes(metadata: dict[str, str], kind: Kind, kantor: str | None) -> list[str]:
    """What the office should know of its template: its version, and whether it was made for
    another office (the rows are still checked against the office that sent it)."""
    versi = metadata.get("versi_templat")
    notes = [
        f"berkas dibuat dari templat portal (versi {versi or 'tidak tertulis'}): data dibaca "
        f"dari lembar '{DATA_SHEET}' dengan judul kolom di baris 1"
    ]
    current = template_version(kind)
    if versi and versi != current:
        notes.append(
            f"templat versi {versi} sudah tidak terbaru (versi sekarang {current}); unduh "
            "templat terbaru dari portal untuk pengiriman berikutnya"
        )
    made_for = metadata.get("kode_wilayah")
    if kantor and made_for and made_for != kantor:
        notes.append(
            f"templat ini dibuat untuk kantor {made_for} ({FROM_METADATA}), tetapi dikirim oleh "
            f"kantor {kantor}; baris tetap diperiksa sebagai kiriman kantor {kantor}"
        )
    return notes
