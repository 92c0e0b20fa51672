"""What a file named as a workbook really is, told from its bytes before any library opens it.

Statistics portals export tables as web pages that Excel opens from an ``.xls`` name; offices
rename a CSV, or an XLSX, to ``.xls``. A library would only say "corrupt": the office is told
instead what the file is, and how to save it as a workbook.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from etl.stages.s2_extract import ole2

SAVE_AS = "buka di Excel, lalu Simpan Sebagai > Buku Kerja Excel (*.xlsx) dan kirim ulang"
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL = {chr(c) for c in range(32)} - set("\t\n\r\f")
_HTML = ("<!doctype html", "<html", "<table", "<head", "<body", "<meta", "<style", "<title")
_NAMES = {"xlsx": "Excel (.xlsx)", "xls": "Excel 97-2003 (.xls)", "ods": "LibreOffice Calc (.ods)"}


def _text(head: bytes) -> str | None:
    """The first bytes as text (BOM dropped), or None when they are not text."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            text = head[len(bom) :].decode(encoding, "ignore")  # the head may cut a character
            break
    else:
        if b"\x00" in head:
            return None
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            ends_cut = exc.start >= len(head) - 3
            text = (
                head[: exc.start].decode("utf-8") if ends_cut else head.decode("cp1252", "replace")
            )
    return None if any(ch in _CONTROL for ch in text) else text


def _as_text(head: bytes, ext: str) -> str | None:
    """Why a text file named ``.ext`` is not a workbook: what it is and how to save it."""
    text = _text(head)
    if text is None:
        return None
    start = text.lstrip().lower()
    if start.startswith(_HTML) or (start.startswith(("<?xml", "<!--")) and "<html" in start):
        return (
            f"berkas ini halaman web (HTML) yang disimpan dengan nama .{ext}, bukan berkas "
            f"Excel: {SAVE_AS}"
        )
    if start.startswith("<?xml") and (
        "urn:schemas-microsoft-com:office:spreadsheet" in start or "excel.sheet" in start
    ):
        return (
            f"berkas ini Lembar Kerja XML 2003 (XML Spreadsheet) yang disimpan dengan nama "
            f".{ext}, bukan buku kerja Excel: {SAVE_AS}"
        )
    if start.startswith("mime-version:"):
        return (
            f"berkas ini halaman web arsip (MHTML) yang disimpan dengan nama .{ext}, bukan "
            f"berkas Excel: {SAVE_AS}"
        )
    if start and not start.startswith("<") and any(ch in text for ch in ",;\t\n"):
        return (
            f"berkas ini berkas teks (CSV) yang disimpan dengan nama .{ext}, bukan berkas "
            "Excel: kirim dengan akhiran .csv, atau buka di Excel, lalu Simpan Sebagai > Buku "
            "Kerja Excel (*.xlsx) dan kirim ulang"
        )
    return None


def zip_kind(path: Path) -> str | None:
    """ "xlsx", "ods", "dokumen" (a word processor's) or None: what a ZIP file holds."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "word/document.xml" in names:
                return "dokumen"
            if "mimetype" in names:
                with archive.open("mimetype") as fh:
                    mimetype = fh.read(100)
                if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
                if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
                    return "dokumen"
    except Exception:  # a sniff only: the reader refuses what it cannot open
        return None
    return None


def ole2_kind(path: Path) -> str | None:
    """What an OLE2 compound file holds (:func:`.ole2.what_is`), or None when unreadable."""
    try:
        with path.open("rb") as fh:
            return ole2.what_is(ole2.Compound(fh))
    except Exception:  # a sniff only: the reader refuses what it cannot open
        return None


def _renamed(actual: str, ext: str) -> str:
    return (
        f"berkas ini berformat {_NAMES[actual]} tetapi diberi nama .{ext}; ganti akhiran "
        f"namanya menjadi .{actual} dan kirim ulang"
    )


def mislabelled(path: Path, ext: str, head: bytes) -> str | None:
    """Why a file named ``.ext`` (xlsx, xls or ods) is not one, when its bytes say what it is
    instead; None when it may be one (its reader decides)."""
    if head.startswith(ole2.MAGIC):
        found = ole2_kind(path) if ext != "xls" else None
        if found == "terenkripsi" or (found is None and ext == "xlsx"):
            return (
                "berkas Excel dilindungi kata sandi (terenkripsi) atau berformat Excel lama "
                "(.xls) yang rusak; buka kata sandinya lalu simpan ulang sebagai .xlsx"
                if found is None
                else "berkas Excel dilindungi kata sandi (terenkripsi); buka kata sandinya, "
                "simpan ulang tanpa kata sandi sebagai .xlsx, lalu kirim ulang"
            )
        if found == "xls":
            return _renamed("xls", ext)
        if found in ("word", "powerpoint"):
            return (
                "berkas ini dokumen Word/PowerPoint, bukan lembar kerja; kirim datanya sebagai "
                ".xlsx"
            )
        return None
    if head.startswith(b"PK\x03\x04"):
        found = zip_kind(path)
        if found == "dokumen":
            return (
                "berkas ini dokumen pengolah kata (Word/Writer), bukan lembar kerja; kirim "
                "datanya sebagai .xlsx"
            )
        if found is not None and found != ext:
            return _renamed(found, ext)
        return None
    return _as_text(head, ext)
