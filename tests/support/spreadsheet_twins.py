"""One unit_ikm register, and one portal template, written alike in every workbook format
extract reads, so tests can check that ``.xls`` and ``.ods`` load as their ``.xlsx`` twin.

The register is what an office sends: a title row, a blank row, the office's own headers on
row 3, then typed cells: numbers, a date, a boolean, a blank row in the middle, a NIB that
Excel stored as a number and so lost its leading zero, a 16-digit NIK stored as a number (Excel
keeps 15 digits) and a count written as a word. The template follows
``etl/contract/template.py``: ``Data`` (contract headers on row 1), ``Petunjuk``, and the
hidden ``_daftar`` and ``_metadata``; ``Petunjuk`` and ``_daftar`` hold tables that would be
read as data if they were read at all.

XLSX (openpyxl) and ODS (odfpy) are written by the tests. ``.xls`` has no maintained writer, so
the ``.xls`` files are committed under ``tests/support/formats/``, written once by this module
with xlwt in a scratch virtual environment outside the project (this module imports nothing of
the project, so that it runs there)::

    python3 -m venv /tmp/xlwtvenv && /tmp/xlwtvenv/bin/pip install xlwt
    /tmp/xlwtvenv/bin/python tests/support/spreadsheet_twins.py

It also writes an encrypted ``.xls`` (a FILEPASS record, as Excel writes when a password is set
to open the file) and a "grid bomb": two cells, in A1 and IV65536.
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

FORMATS = Path(__file__).parent / "formats"
COLUMNS = [
    "nib", "nama_usaha", "nama_pemilik", "nik_pemilik", "no_telepon", "alamat", "kode_kabkota",
    "kbli", "produk_utama", "skala", "tenaga_kerja_laki", "tenaga_kerja_perempuan",
    "nilai_investasi", "nilai_produksi_setahun", "tahun_berdiri", "terdaftar_siinas",
    "sertifikat_tkdn_ik", "penjualan_online", "kode_sentra", "tanggal_pendataan",
]  # fmt: skip
"""unit_ikm's columns, in the contract's order (the tests check they still are)."""
OFFICE_HEADER = [
    "NIB", "Nama Perusahaan", "Pemilik", "NIK", "No HP", "Alamat Usaha", "Kode Kabkota",
    "KBLI 2020", "Produk", "Skala", "Tenaga Kerja Laki", "Tenaga Kerja Perempuan",
    "Investasi (Rp)", "Nilai Produksi (Rp)", "Tahun Berdiri", "Terdaftar SIINas",
    "Sertifikat TKDN", "Penjualan Online", "Sentra", "Tanggal Pendataan",
]  # fmt: skip
TITLE = "DATA IKM KABUPATEN BOGOR TAHUN 2023"
TEMPLATE_VERSION = "1.uji0001"
METADATA = {
    "jenis": "unit_ikm",
    "periode": "2023",
    "kode_wilayah": "3201",
    "versi_templat": TEMPLATE_VERSION,
    "edisi_referensi": "1",
}

Value = str | int | float | bool | dt.date | None
Sheet = tuple[str, list[list[Value]], bool]
"""A sheet: its name, its rows of cell values from row 1, whether it is hidden."""


def unit(nib: Value, **cells: Value) -> dict[str, Value]:
    row: dict[str, Value] = {
        "nib": nib,
        "nama_usaha": "UD Maju",
        "nama_pemilik": "Siti",
        "nik_pemilik": None,
        "no_telepon": "081234567890",
        "alamat": "Jl. Merdeka 1",
        "kode_kabkota": 3201,  # a code stored as a number, intact: read as its digits
        "kbli": "10792",
        "produk_utama": "roti",
        "skala": "kecil",
        "tenaga_kerja_laki": 3,
        "tenaga_kerja_perempuan": 2,
        "nilai_investasi": 50_000_000,
        "nilai_produksi_setahun": 120_000_000.0,
        "tahun_berdiri": 2010,
        "terdaftar_siinas": True,
        "sertifikat_tkdn_ik": False,
        "penjualan_online": "Ya",
        "kode_sentra": None,
        "tanggal_pendataan": dt.date(2023, 5, 30),
    }
    return row | cells


REGISTER_UNITS = [
    unit("3201000000001"),
    unit(320100000002),  # a NIB stored as a number, 12 digits of 13 left: reported, not padded
    unit("3201000000003", tenaga_kerja_perempuan="dua", nik_pemilik=3201234567890123),
    None,  # a blank row: the rows below keep the office's numbering
    unit("3201000000004", nilai_investasi=75_000_000.0, tanggal_pendataan=dt.date(2023, 6, 1)),
    *(unit(f"32010000001{i:02d}", penjualan_online="tidak") for i in range(8)),
]
"""The register's data rows, from row 4 (``None``: a blank row): 12 units, 2 of them bad, so
the file loads with those quarantined (a share of bad rows under the default 20 %)."""
BAD_CELLS = {(5, "nib"), (6, "tenaga_kerja_perempuan"), (6, "nik_pemilik")}
"""(row, column) of the register's bad cells, as the office sees them."""


def register_sheets() -> list[Sheet]:
    rows: list[list[Value]] = [[TITLE], [], list(OFFICE_HEADER)]
    rows += [[u[c] for c in COLUMNS] if u else [] for u in REGISTER_UNITS]
    return [("Data IKM", rows, False)]


TEMPLATE_UNITS = [unit(f"320100000010{i}") for i in range(3)]


def template_sheets(metadata: dict[str, str] | None = None) -> list[Sheet]:
    """The portal template's layout, filled with three units (``metadata`` replaces it)."""
    data: list[list[Value]] = [list(COLUMNS)] + [[u[c] for c in COLUMNS] for u in TEMPLATE_UNITS]
    guide: list[list[Value]] = [
        ["Petunjuk pengisian templat unit_ikm"],
        ["Isi lembar Data mulai baris 2; jangan mengubah baris 1."],
        list(COLUMNS),  # an example row under the headers: data, if this sheet were read
        [unit("3201000000999")[c] for c in COLUMNS],
    ]
    lists: list[list[Value]] = [["skala", "kbli", "kode_kabkota"]]
    lists += [["kecil", "10792", "3201"], ["menengah", "10793", "3202"]]
    meta = [[k, v] for k, v in (METADATA if metadata is None else metadata).items()]
    return [
        ("Data", data, False),
        ("Petunjuk", guide, False),
        ("_daftar", lists, True),
        ("_metadata", meta, True),
    ]


# -- writers -------------------------------------------------------------------------------------


def write_xlsx(path: Path, sheets: list[Sheet]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows, hidden in sheets:
        ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(row)
        if hidden:
            ws.sheet_state = "hidden"
    workbook.save(path)
    return path


def write_ods(path: Path, sheets: list[Sheet]) -> Path:
    """With odfpy, typed cells as LibreOffice writes them (float, date, boolean, string)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    hidden_style = Style(name="verborgen", family="table")
    hidden_style.addElement(TableProperties(display=False))
    doc.automaticstyles.addElement(hidden_style)
    for name, rows, hidden in sheets:
        table = Table(name=name, stylename=hidden_style if hidden else None)
        for row in rows:
            tr = TableRow()
            for value in row or [None]:
                tr.addElement(_ods_cell(value, TableCell, P))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def _ods_cell(value: Value, TableCell, P):  # odfpy's element classes, imported by the caller
    if value is None:
        return TableCell()
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue="true" if value else "false")
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, int | float):
        cell, text = TableCell(valuetype="float", value=value), str(value)
    elif isinstance(value, dt.date):
        cell, text = TableCell(valuetype="date", datevalue=value.isoformat()), str(value)
    else:
        cell, text = TableCell(valuetype="string"), value
    cell.addElement(P(text=text))
    return cell


def write_xls(path: Path, sheets: list[Sheet]) -> Path:
    """With xlwt (run in a scratch environment: see the module's docstring)."""
    import xlwt

    workbook = xlwt.Workbook()
    dated = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for name, rows, hidden in sheets:
        ws = workbook.add_sheet(name)
        ws.visibility = 1 if hidden else 0
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write(r, c, value, dated)
                elif value is not None:
                    ws.write(r, c, value)
    workbook.save(str(path))
    return path


def encrypt_xls(source: Path, target: Path) -> Path:
    """The workbook with a FILEPASS record (RC4) in place of its WRITEACCESS record, padded to
    the same length: what Excel writes in a workbook with a password to open it."""
    data = bytearray(source.read_bytes())
    at = data.find(b"\x5c\x00\x70\x00")  # WRITEACCESS, 112 bytes
    filepass = struct.pack("<HHHHH", 0x2F, 54, 1, 1, 1) + b"\x11" * 48
    padding = struct.pack("<HH", 0xE1, 54) + b"\x00" * 54  # INTERFACEHDR, ignored
    data[at : at + 116] = filepass + padding
    target.write_bytes(bytes(data))
    return target


def main() -> None:
    FORMATS.mkdir(exist_ok=True)
    write_xls(FORMATS / "unit_ikm_2023.xls", register_sheets())
    write_xls(FORMATS / "templat_unit_ikm.xls", template_sheets())
    encrypt_xls(FORMATS / "unit_ikm_2023.xls", FORMATS / "unit_ikm_2023_sandi.xls")
    import xlwt  # the grid bomb: 65,536 × 256 cells spanned by two

    bomb = xlwt.Workbook()
    ws = bomb.add_sheet("Data")
    ws.write(0, 0, "nib")
    ws.write(65535, 255, "x")
    bomb.save(str(FORMATS / "unit_ikm_2023_sudut.xls"))
    for path in sorted(FORMATS.glob("*.xls")):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
