"""Sample files written as offices write them: CSV (UTF-8 or a `;` Windows-1252 one with
Indonesian numbers), JSON, and XLSX with text-formatted code columns and fixed timestamps, so
that the same seed gives the same bytes."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from etl.generators.samples.units import JENIS, KOLOM, Baris

# fmt: on
# XLSX cell formats: codes are text so that leading zeros and 16-digit NIKs survive Excel.
_KOLOM_TEKS = ("nib", "nik_pemilik", "no_telepon", "kode_kabkota", "kbli", "kode_sentra")


_FORMAT_SEL: dict[str, str] = {**dict.fromkeys(_KOLOM_TEKS, "@"), "tanggal_pendataan": "yyyy-mm-dd"}


# Fixed timestamps keep XLSX bytes stable across runs.
_WAKTU_TETAP = datetime(2024, 3, 1, 8, 0, 0)


_ZIP_WAKTU = (2024, 3, 1, 8, 0, 0)


# Column order of the templates (expectations/schemas/<jenis>.json).
KOLOM_TENAGA_KERJA: tuple[str, ...] = (
    "kode_kabkota", "kbli_golongan_pokok", "skala", "jumlah_unit", "tenaga_kerja_laki",
    "tenaga_kerja_perempuan",
)  # fmt: skip


KOLOM_REALISASI: tuple[str, ...] = (
    "kode_satker", "nama_satker", "kode_wilayah", "mekanisme", "fokus", "kegiatan", "pagu",
    "realisasi", "target_output", "capaian_output", "satuan_output",
)  # fmt: skip


KOLOM_PESERTA: tuple[str, ...] = (
    "kode_satker", "fokus", "kegiatan", "nib", "tanggal", "hasil", "nomor_sertifikat",
    "nilai_tkdn_persen", "bintang_ovop",
)  # fmt: skip


KOLOM_PER_JENIS: dict[str, tuple[str, ...]] = {
    JENIS: KOLOM,
    "tenaga_kerja": KOLOM_TENAGA_KERJA,
    "realisasi_program": KOLOM_REALISASI,
    "peserta_program": KOLOM_PESERTA,
}


FORMAT_PER_JENIS: dict[str, dict[str, str]] = {
    JENIS: _FORMAT_SEL,
    "tenaga_kerja": dict.fromkeys(("kode_kabkota", "kbli_golongan_pokok"), "@"),
    "realisasi_program": dict.fromkeys(("kode_satker", "kode_wilayah"), "@"),
    "peserta_program": {
        **dict.fromkeys(("kode_satker", "nib", "nomor_sertifikat"), "@"),
        "tanggal": "yyyy-mm-dd",
        "nilai_tkdn_persen": "0.00",
    },
}


def catat(out_dir: Path, tanggal: date, kode_wilayah: str, nama_file: str) -> tuple[Path, Path]:
    """(path relative to the landing root, absolute path with its folder made)."""
    relatif = Path(f"{tanggal:%Y-%m-%d}") / kode_wilayah / nama_file
    penuh = out_dir / relatif
    penuh.parent.mkdir(parents=True, exist_ok=True)
    return relatif, penuh


def _nilai_csv(nilai: Any) -> str:
    if nilai is None:
        return ""
    if isinstance(nilai, date):
        return nilai.isoformat()
    return str(nilai)


_RUPIAH = frozenset({"nilai_investasi", "nilai_produksi_setahun", "pagu", "realisasi"})


def _nilai_indonesia(kolom: str, nilai: Any) -> str:
    """A value as an Indonesian Excel shows it: 'Rp 1.250.000', '30/05/2023', 'Ya'/'TIDAK'."""
    if nilai is None:
        return ""
    if kolom in _RUPIAH:
        return "Rp " + f"{nilai:,}".replace(",", ".")
    if isinstance(nilai, date):
        return f"{nilai:%d/%m/%Y}"
    if nilai in ("ya", "tidak"):
        return "Ya" if nilai == "ya" else "TIDAK"
    return str(nilai)


def tulis_csv(
    path: Path,
    kolom: list[str],
    rows: list[Baris],
    *,
    pemisah: str = ",",
    encoding: str = "utf-8",
    akhir_baris: str = "\n",
    indonesia: bool = False,
) -> None:
    """CSV with the header in row 1; encoding errors raise, so a sample never loses characters."""
    teks: Callable[[str, Any], str] = _nilai_indonesia if indonesia else lambda _, v: _nilai_csv(v)
    with path.open("w", encoding=encoding, errors="strict", newline="") as f:
        writer = csv.writer(f, delimiter=pemisah, lineterminator=akhir_baris)
        writer.writerow(kolom)
        for baris in rows:
            writer.writerow([teks(k, baris[k]) for k in kolom])


def tulis_json(path: Path, kolom: list[str], rows: list[Baris]) -> None:
    """An array of objects keyed by the template's column names, as offices' own systems export."""
    data = [
        {k: (b[k].isoformat() if isinstance(b[k], date) else b[k]) for k in kolom} for b in rows
    ]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def tulis_xlsx(
    path: Path,
    kolom: list[str],
    rows: list[Baris],
    *,
    judul_sheet: str = JENIS,
    format_sel: dict[str, str] = _FORMAT_SEL,
    judul: str | None = None,
    header: list[str] | None = None,
) -> None:
    """One sheet, header in row 1; codes as text cells, dates as real Excel dates.

    With ``judul``, the sheet opens as offices' own workbooks do: a title row merged across the
    table, a blank row, then the header (``header``: the office's own wording) in row 3.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = judul_sheet
    if judul is not None:
        ws.append([judul])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(kolom))
        ws.cell(row=1, column=1).font = Font(bold=True)
        ws.append([None])
    baris_header = ws.max_row + 1 if judul is not None else 1
    ws.append(header or kolom)
    for baris in rows:
        ws.append([baris[k] for k in kolom])
    for nomor, nama in enumerate(kolom, start=1):
        if nama not in format_sel:
            continue
        for (sel,) in ws.iter_rows(min_row=baris_header + 1, min_col=nomor, max_col=nomor):
            sel.number_format = format_sel[nama]
    wb.properties.creator = "Dinas Perindustrian"
    wb.properties.created = wb.properties.modified = _WAKTU_TETAP
    _simpan_tetap(wb, path)


def _simpan_tetap(wb: Workbook, path: Path) -> None:
    """Save with fixed zip entry times and 'modified' stamp, which openpyxl sets to now."""
    buffer = BytesIO()
    wb.save(buffer)
    stempel = _WAKTU_TETAP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with ZipFile(buffer) as sumber, ZipFile(path, "w", ZIP_DEFLATED) as tujuan:
        for info in sumber.infolist():
            data = sumber.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stempel, data)
            entri = ZipInfo(info.filename, date_time=_ZIP_WAKTU)
            entri.compress_type = ZIP_DEFLATED
            tujuan.writestr(entri, data)


def tulis(path: Path, kolom: list[str], rows: list[Baris]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        tulis_xlsx(path, kolom, rows)
    else:
        tulis_csv(path, kolom, rows)
