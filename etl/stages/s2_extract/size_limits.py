"""What no reader should open: files above the size limits, empty files, the wrong bytes."""

from __future__ import annotations

import zipfile
from pathlib import Path

from etl.settings import get_settings
from etl.stages.s2_extract.errors import Rejected, library_guard

MIB = 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEETS = ("xlsx", "xls", "ods")
CORRUPT = {
    "xlsx": "berkas XLSX rusak atau bukan berkas Excel (.xlsx) yang sah",
    "xls": "berkas XLS rusak atau bukan berkas Excel 97-2003 (.xls) yang sah",
    "ods": "berkas ODS rusak atau bukan berkas LibreOffice Calc (.ods) yang sah",
}
SNIFF_BYTES = 4096
"""Bytes read to tell what a file is before any library opens it."""


def limits() -> dict[str, int]:
    """File size, inflated XLSX size and JSON size limits, in bytes (settings the ministry may
    raise: ``IKM_BATAS_BERKAS_MB``, ``IKM_BATAS_XLSX_MB``, ``IKM_BATAS_JSON_MB``).

    The inflated-size limit bounds every workbook: an XLSX or ODS unzipped, an XLS (which is
    not compressed) as it is."""
    settings = get_settings()
    return {
        "berkas": settings.batas_berkas_mb * MIB,
        "xlsx": settings.batas_xlsx_mb * MIB,
        "json": settings.batas_json_mb * MIB,
    }


def _too_big(what: str, size: int, limit: int, after: str = "") -> Rejected:
    return Rejected(
        f"berkas {what} terlalu besar{after} ({size / MIB:.1f} MiB, batasnya {limit // MIB} "
        "MiB); pecah menjadi beberapa berkas atau kirim sebagai CSV"
    )


def check_zip(path: Path, ext: str) -> list[zipfile.ZipInfo]:
    """Refuse a zipped workbook (XLSX, ODS) that would inflate past the limit or whose entries
    are encrypted, before its library opens it; its entries otherwise."""
    with library_guard(CORRUPT[ext]), zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise Rejected("berkas Excel dilindungi kata sandi; simpan ulang tanpa kata sandi")
    total, limit = sum(info.file_size for info in infos), limits()["xlsx"]
    if total > limit or len(infos) > 10_000:
        raise _too_big(ext.upper(), total, limit, " setelah dibuka")
    return infos


def check_bytes(path: Path, ext: str) -> None:
    """Refuse, by size and first bytes, what no reader should open."""
    from etl.stages.s2_extract.sniff import mislabelled

    size = path.stat().st_size
    limit = limits()["berkas"]
    if size > limit:
        raise Rejected(
            f"berkas terlalu besar ({size / MIB:.1f} MiB); batasnya {limit // MIB} MiB. "
            "Pecah menjadi beberapa berkas"
        )
    if size == 0:
        raise Rejected("berkas kosong: tidak ada baris judul kolom maupun data")
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if ext in SPREADSHEETS:
        reason = mislabelled(path, ext, head)
        if reason:
            raise Rejected(reason)
        if not head.startswith(OLE2_MAGIC if ext == "xls" else b"PK"):
            raise Rejected(CORRUPT[ext])
        if ext == "xls" and size > limits()["xlsx"]:
            raise _too_big("XLS", size, limits()["xlsx"])
        return
    if head.startswith(OLE2_MAGIC):
        raise Rejected(
            "berkas Excel dilindungi kata sandi (terenkripsi) atau berformat Excel lama (.xls); "
            "buka kata sandinya lalu simpan ulang sebagai .xlsx"
        )
    if head.startswith(ZIP_MAGIC):
        raise Rejected(f"berkas ini berformat Excel/ZIP, bukan .{ext}; kirim dengan akhiran .xlsx")
