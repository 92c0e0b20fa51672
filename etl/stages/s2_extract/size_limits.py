"""What no reader should open: files above the size limits, empty files, the wrong bytes."""

from __future__ import annotations

from pathlib import Path

from etl.settings import get_settings
from etl.stages.s2_extract.errors import Rejected

MIB = 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def limits() -> dict[str, int]:
    """File size, inflated XLSX size and JSON size limits, in bytes (settings the ministry may
    raise: ``IKM_BATAS_BERKAS_MB``, ``IKM_BATAS_XLSX_MB``, ``IKM_BATAS_JSON_MB``)."""
    settings = get_settings()
    return {
        "berkas": settings.batas_berkas_mb * MIB,
        "xlsx": settings.batas_xlsx_mb * MIB,
        "json": settings.batas_json_mb * MIB,
    }


def check_bytes(path: Path, ext: str) -> None:
    """Refuse, by size and first bytes, what no reader should open."""
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
        head = fh.read(8)
    if head.startswith(OLE2_MAGIC):
        raise Rejected(
            "berkas Excel dilindungi kata sandi (terenkripsi) atau berformat Excel lama (.xls); "
            "buka kata sandinya lalu simpan ulang sebagai .xlsx"
        )
    if ext == "xlsx" and not head.startswith(b"PK"):
        raise Rejected("berkas XLSX rusak atau bukan berkas Excel (.xlsx) yang sah")
    if ext != "xlsx" and head.startswith(b"PK\x03\x04"):
        raise Rejected(f"berkas ini berformat Excel/ZIP, bukan .{ext}; kirim dengan akhiran .xlsx")
