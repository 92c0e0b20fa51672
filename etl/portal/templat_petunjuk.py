"""The template's instructions sheet, in Indonesian: what the kind is, how to fill each column,
what to save the file as, the deadline, and how to send it.

Two columns (a label, then wrapped text), so that no row of this sheet reads as a header row
of the kind: extract looks for the header on every sheet, and a row naming two columns could
be taken for one (``tests/integration/test_templat.py`` checks every row).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from etl.contract import Kind
from etl.contract.template import DATA_SHEET
from etl.portal.templat_aturan import LIST_SHOWN, ColumnRule, describe, tanggal
from etl.portal.templat_gudang import Edition, Office

TITLE = Font(bold=True, size=14)
HEADING = Font(bold=True, size=12)
BOLD = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TEXT_WIDTH = 110
"""Width of column B, in characters: the row heights below are estimated from it."""
REQUIRED_FILL = "9BC2E6"
OPTIONAL_FILL = "C6E0B4"
"""Header colours of the Data sheet (required, optional), named in the instructions."""


@dataclass(frozen=True)
class Context:
    """Everything the instructions speak of."""

    kind: Kind
    rules: list[ColumnRule]
    office: Office
    periode: str | None
    deadline: tuple[str, dt.date]
    edition: Edition | None
    file_name: str
    version: str
    filled_rows: int | None
    """Rows of the office's data written in (a filled template), else None."""
    names: dict[str, dict[str, str]]
    """Column → code → name, for the code lists printed at the end."""


class _Writer:
    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 0

    def line(self, label: str = "", text: str = "", font: Font | None = None) -> None:
        self.row += 1
        a = self.ws.cell(self.row, 1, label or None)
        b = self.ws.cell(self.row, 2, text or None)
        b.alignment = WRAP
        a.alignment = WRAP if text else TOP  # a title alone spills over column B
        if font:
            a.font = font
        lines = sum(max(1, math.ceil(len(part) / TEXT_WIDTH)) for part in text.split("\n"))
        if lines > 1:
            self.ws.row_dimensions[self.row].height = 15 * lines

    def heading(self, text: str) -> None:
        self.line()
        self.line(text, font=HEADING)
        self.ws.cell(self.row, 1).fill = HEADING_FILL
        self.ws.cell(self.row, 2).fill = HEADING_FILL


def _period_pattern(kind: Kind) -> str:
    return "TTTT-BB" if kind.pola_periode == "bulanan" else "TTTT"


def _deadline_text(ctx: Context) -> str:
    period, day = ctx.deadline
    if ctx.periode:
        return f"{tanggal(day)} (periode {period})"
    return (
        f"tenggat dihitung dari awal periode; untuk periode {period}: {tanggal(day)}. "
        "Kiriman yang tiba setelah tenggat tetap diproses, tetapi tercatat terlambat."
    )


def _about(ctx: Context, w: _Writer) -> None:
    kind, office = ctx.kind, ctx.office
    w.line(f"Petunjuk pengisian templat {kind.jenis}", font=TITLE)
    w.line(kind.judul)
    w.line()
    w.line("Jenis data", f"{kind.jenis}: {kind.judul}", BOLD)
    pattern = _period_pattern(kind)
    w.line("Periode", ctx.periode or f"dipilih kantor ({pattern}), disebut dalam nama berkas", BOLD)
    sender = f"{office.kode} {office.nama}" if office.kode else office.nama
    w.line("Kantor pengirim", sender, BOLD)
    w.line("Simpan sebagai", ctx.file_name, BOLD)
    w.line("Tenggat", _deadline_text(ctx), BOLD)
    w.line("Versi templat", ctx.version, BOLD)
    if ctx.edition:
        ed = ctx.edition
        w.line(
            "Edisi referensi",
            f"edisi {ed.edisi_id} ({ed.label}, berlaku mulai {tanggal(ed.berlaku_mulai)}): "
            "daftar wilayah Kemendagri dan KBLI 2020 yang dipakai pemeriksaan",
            BOLD,
        )
    if ctx.filled_rows is not None:
        w.line(
            "Isi berkas",
            f"{ctx.filled_rows} baris data kantor Anda yang berlaku saat ini untuk periode "
            f"{ctx.periode}. Perbaiki yang salah, tambahkan yang belum ada, hapus yang tidak "
            "ada lagi, lalu kirim kembali sebagai koreksi.",
            BOLD,
        )


def _steps(ctx: Context, w: _Writer) -> None:
    kind = ctx.kind
    scope = kind.kolom_cakupan
    codes = ", ".join(r.nama for r in ctx.rules if r.column.tipe == "kode")
    if ctx.periode:
        save = f"Simpan sebagai berkas Excel (.xlsx) dengan nama {ctx.file_name}."
    else:
        example = ctx.deadline[0]
        save = (
            f"Simpan sebagai berkas Excel (.xlsx) dengan nama {kind.jenis}_<periode>.xlsx, "
            f"periode ditulis {_period_pattern(kind)}; misalnya {kind.jenis}_{example}.xlsx."
        )
    steps = [
        f"Isi lembar {DATA_SHEET} mulai baris 2, satu baris untuk satu data. Baris 1 berisi "
        "judul kolom sesuai kontrak data dan dikunci: jangan mengubah, menambah, menghapus "
        f"atau memindahkan judul kolom, dan jangan mengganti nama lembar {DATA_SHEET}.",
        "Judul kolom berwarna biru wajib diisi; judul berwarna hijau boleh dikosongkan. "
        "Arahkan penunjuk ke judul kolom, atau pilih sel di bawahnya, untuk melihat cara "
        "mengisinya. Rincian setiap kolom ada di bawah.",
        f"Kolom kode ({codes}) dan kolom teks sudah berformat Teks: ketik kodenya apa adanya, "
        "angka 0 di depan tidak hilang dan nomor panjang tidak berubah. Saat menyalin dari "
        "berkas lain, pakai Tempel Khusus > Nilai (Paste Special > Values): tempel biasa "
        "menimpa format dan daftar pilihan.",
        "Kolom pilihan menampilkan tanda panah saat selnya dipilih dan hanya menerima isian "
        "dari daftarnya; kolom angka hanya menerima angka dan kolom tanggal hanya tanggal.",
        save,
        "Kirim berkas melalui Portal Kantor: unggah, periksa hasil pemeriksaannya (portal "
        "menunjukkan baris yang perlu diperbaiki), lalu kirim. Hasil pemrosesan malam hari dan "
        "umpan baliknya dapat dilihat di portal.",
        f"Untuk koreksi, kirim ulang semua baris setiap {scope} yang dikoreksi, bukan hanya "
        "baris yang berubah: berkas terbaru yang diterima menggantikan seluruh data periode "
        f"itu untuk setiap {scope} di dalamnya. Templat berisi data Anda yang berlaku dapat "
        "diunduh dari portal.",
        f"Tenggat: {_deadline_text(ctx)}",
    ]
    w.heading("Cara mengisi dan mengirim")
    for i, text in enumerate(steps, 1):
        w.line(f"Langkah {i}", text)


def _columns(ctx: Context, w: _Writer) -> None:
    w.heading(f"Kolom lembar {DATA_SHEET} (baris 1, dari kiri ke kanan)")
    for rule in ctx.rules:
        w.line(rule.nama, " ".join(describe(rule)), BOLD)


def _lists(ctx: Context, w: _Writer) -> None:
    for rule in ctx.rules:
        if not rule.values or (len(rule.values) <= LIST_SHOWN and not ctx.names.get(rule.nama)):
            continue
        names = ctx.names.get(rule.nama, {})
        w.heading(f"Daftar isian {rule.nama} ({len(rule.values)})")
        for value in rule.values:
            w.line(value, names.get(value, ""))


def write_instructions(ws: Worksheet, ctx: Context) -> None:
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = TEXT_WIDTH
    w = _Writer(ws)
    _about(ctx, w)
    _steps(ctx, w)
    _columns(ctx, w)
    _lists(ctx, w)
    for row in ws.iter_rows(min_col=1, max_col=1):
        for cell in row:
            cell.number_format = "@"  # the code lists stay text if the office copies them
    ws.protection.sheet = True  # read-only by accident, not by secret: no password
    ws.protection.selectLockedCells = False
