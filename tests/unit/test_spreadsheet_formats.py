"""Excel 97-2003 and LibreOffice workbooks read as XLSX is; files that are not what their name
says told apart; the portal's template read by its layout; a refused file's rows counted.

The reader and typing layer only (``extract.stage_file``), no database.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.contract.template import METADATA_SHEET
from etl.stages import s2_extract as extract
from etl.stages.s2_extract import ole2, xls_ods
from tests.support import spreadsheet_twins as twins
from tests.support.compound import (
    biff_workbook,
    compound_file,
    dimensions,
    ods_bytes,
    sst,
    string_cell,
)
from tests.support.factories import HEADER, UNIT_IKM, unit_ikm_row

pytestmark = pytest.mark.unit

WRITERS = {"xlsx": twins.write_xlsx, "ods": twins.write_ods}


def workbook(folder: Path, fmt: str, sheets: list[twins.Sheet] | None, name: str) -> Path:
    """The register (``sheets`` None) or ``sheets`` as a ``fmt`` workbook called ``name``.

    XLS cannot be written here (no maintained writer): its twins are the committed fixtures.
    """
    path = folder / name
    if fmt == "xls":
        fixture = "unit_ikm_2023.xls" if sheets is None else "templat_unit_ikm.xls"
        return Path(shutil.copyfile(twins.FORMATS / fixture, path))
    return WRITERS[fmt](path, twins.register_sheets() if sheets is None else sheets)


def stage(path: Path, kantor: str | None = None):
    """(result, staged rows, cell errors) of the pure staging function, as extract calls it."""
    out = path.parent / "out"
    out.mkdir(exist_ok=True)
    result = extract.stage_file(
        path,
        extract.kind_hint(path.name),
        out / "s.parquet",
        out / "e.parquet",
        out / "w.parquet",
        chunk_rows=3,
        kantor=kantor,
    )
    return result, pq.read_table(out / "s.parquet"), pq.read_table(out / "e.parquet")


def rejected(path: Path, kantor: str | None = None) -> extract.Rejected:
    with pytest.raises(extract.Rejected) as caught:
        stage(path, kantor)
    assert not list((path.parent / "out").glob("*.parquet")), "a rejected file stages nothing"
    return caught.value


def test_the_twins_are_written_in_the_contracts_columns() -> None:
    assert [c.nama for c in UNIT_IKM.columns] == twins.COLUMNS
    assert twins.METADATA["versi_templat"] == twins.TEMPLATE_VERSION


# -- .xls and .ods are read as .xlsx is ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_a_workbook_stages_as_its_xlsx_twin(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    xlsx = stage(workbook(tmp_path / "a", "xlsx", None, "unit_ikm_2023.xlsx"))
    other = stage(workbook(tmp_path / "b", fmt, None, f"unit_ikm_2023.{fmt}"))
    assert other[1].equals(xlsx[1]) and other[2].equals(xlsx[2])
    assert (other[0].jenis, other[0].periode, other[0].jumlah_baris, other[0].notes) == (
        xlsx[0].jenis,
        xlsx[0].periode,
        xlsx[0].jumlah_baris,
        xlsx[0].notes,
    )
    # what the twins agree on is what an office relies on:
    result, table, errors = other
    assert "baris 3 dipakai sebagai judul kolom" in result.notes  # the title row above
    assert table.column("_baris").to_pylist() == [4, 5, 6, 8, *range(9, 17)]  # its own rows
    assert {(e["baris"], e["kolom"]) for e in errors.to_pylist()} == twins.BAD_CELLS
    codes = {(e["baris"], e["kolom"]): e["kode_aturan"] for e in errors.to_pylist()}
    assert codes[(5, "nib")] == codes[(6, "nik_pemilik")] == "kode_jadi_angka"  # never padded
    first, last = table.to_pylist()[0], table.to_pylist()[3]
    assert first["kode_kabkota"] == "3201"  # an intact code stored as a number: its digits
    assert first["tanggal_pendataan"].isoformat() == "2023-05-30"
    assert (first["terdaftar_siinas"], first["sertifikat_tkdn_ik"]) == ("ya", "tidak")
    assert first["nilai_produksi_setahun"] == 120_000_000
    assert (last["nilai_investasi"], last["tanggal_pendataan"].isoformat()) == (
        75_000_000,
        "2023-06-01",
    )


def test_the_committed_xls_twin_holds_the_register(tmp_path: Path) -> None:
    """The fixture is what ``spreadsheet_twins.py`` writes (were it regenerated from a changed
    register without being committed, this fails)."""
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(
        str(twins.FORMATS / "unit_ikm_2023.xls")
    ).get_sheet_by_name("Data IKM")
    rows = list(sheet.iter_rows())
    assert rows[0][0] == twins.TITLE and rows[2] == twins.OFFICE_HEADER
    assert [r[0] for r in rows[3:]] == [u["nib"] if u else "" for u in twins.REGISTER_UNITS]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unit_ikm_2023.xls", ("unit_ikm", "2023", "xls")),
        ("REALISASI_PROGRAM_2024-05_revisi1.ODS", ("realisasi_program", "2024-05", "ods")),
        ("unit_ikm_2023.xlsx", ("unit_ikm", "2023", "xlsx")),
        ("unit_ikm_2023.pdf", None),
        ("data ikm 2023.xls", None),
    ],
)
def test_xls_and_ods_names_follow_the_file_name_rule(name, expected) -> None:
    hint = extract.kind_hint(name)
    assert (None if hint is None else (hint.jenis, hint.periode, hint.ext)) == expected
    assert extract.name_of("unit_ikm_2023.pdf", any_format=True).jenis == "unit_ikm"


def test_a_reprocess_for_one_kind_takes_its_xls_files() -> None:
    from etl import reprocess

    assert reprocess._matches("2024-06-03/32/unit_ikm_2023.xls", set(), {"unit_ikm"})
    assert not reprocess._matches("2024-06-03/32/unit_ikm_2023.ods", set(), {"tenaga_kerja"})


def test_an_unsupported_format_names_the_ones_accepted(tmp_path: Path) -> None:
    path = tmp_path / "unit_ikm_2023.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    assert ".xls, .ods" in str(rejected(path))


# -- files that are not what their name says ------------------------------------------------------

HTML_TABLE = b"<table><tr><td>NIB</td><td>Nama Usaha</td></tr></table>"


@pytest.mark.parametrize("ext", ["xls", "xlsx", "ods"])
@pytest.mark.parametrize(
    "content",
    [
        b'<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>' + HTML_TABLE,
        b"\xef\xbb\xbf \r\n\t<!DOCTYPE html PUBLIC><html><body>" + HTML_TABLE,
        HTML_TABLE,
        b"  <TABLE border=1><TR><TD>NIB</TD></TR></TABLE>",
        b'<?xml version="1.0"?>\n<html><body>' + HTML_TABLE,
        "\ufeff<html><body><table><tr><td>Kabupaten</td></tr></table>".encode("utf-16-le"),
    ],
    ids=["excel-html", "bom-doctype", "table", "upper-table", "xml-html", "utf16"],
)
def test_a_web_page_saved_as_a_workbook_says_so_and_how_to_save_it(
    tmp_path: Path, content: bytes, ext: str
) -> None:
    path = tmp_path / f"unit_ikm_2023.{ext}"
    path.write_bytes(content)
    reason = str(rejected(path))
    assert f"halaman web (HTML) yang disimpan dengan nama .{ext}" in reason
    assert "Simpan Sebagai > Buku Kerja Excel (*.xlsx)" in reason


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (",".join(HEADER).encode() + b"\r\n" + b"1234567890123,UD Maju\r\n", "berkas teks (CSV)"),
        ("NIB;Nama Usaha\r\n1;Toko Sinar Jaya\r\n".encode("cp1252"), "berkas teks (CSV)"),
        (
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
            b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "XML Spreadsheet",
        ),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n", "MHTML"),
    ],
    ids=["csv", "csv-semicolon", "xml-2003", "mhtml"],
)
def test_text_saved_as_a_workbook_says_what_it_is(tmp_path: Path, content, says) -> None:
    path = tmp_path / "unit_ikm_2023.xls"
    path.write_bytes(content)
    assert says in str(rejected(path))


@pytest.mark.parametrize(
    ("actual", "named", "says"),
    [
        ("xlsx", "xls", "berformat Excel (.xlsx) tetapi diberi nama .xls"),
        ("ods", "xlsx", "berformat LibreOffice Calc (.ods) tetapi diberi nama .xlsx"),
        ("xlsx", "ods", "berformat Excel (.xlsx) tetapi diberi nama .ods"),
        ("xls", "xlsx", "berformat Excel 97-2003 (.xls) tetapi diberi nama .xlsx"),
    ],
)
def test_a_workbook_of_another_format_says_which(tmp_path: Path, actual, named, says) -> None:
    source = workbook(tmp_path, actual, None, f"asli.{actual}")
    path = source.rename(tmp_path / f"unit_ikm_2023.{named}")
    reason = str(rejected(path))
    assert says in reason and f"menjadi .{actual}" in reason


def test_random_bytes_named_xls_or_ods_are_corrupt_not_a_crash(tmp_path: Path) -> None:
    for name, content in [
        ("unit_ikm_2023.xls", ole2.MAGIC + bytes(range(256)) * 8),
        ("unit_ikm_2023.ods", b"PK\x03\x04 bukan zip" + bytes(300)),
        ("unit_ikm_2023.xls", bytes(range(256)) * 4),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        assert "rusak" in str(rejected(path)), name


# -- encrypted workbooks, and workbooks too large to build ----------------------------------------


def test_an_encrypted_xls_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = Path(shutil.copyfile(twins.FORMATS / "unit_ikm_2023_sandi.xls", tmp_path / "a.xls"))
    assert "dilindungi kata sandi" in str(rejected(path))
    # calamine says so too, had the BIFF scan missed it
    with pytest.raises(extract.Rejected, match="dilindungi kata sandi"):
        xls_ods._read(path, "xls")


def test_an_encrypted_xlsx_is_refused_whatever_its_name(tmp_path: Path) -> None:
    """Excel encrypts an XLSX into a compound file holding an ``EncryptedPackage`` stream."""
    content = compound_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"x" * 99})
    for name in ("unit_ikm_2023.xls", "unit_ikm_2023.xlsx", "unit_ikm_2023.ods"):
        path = tmp_path / name
        path.write_bytes(content)
        assert "dilindungi kata sandi" in str(rejected(path)), name


def test_an_encrypted_ods_is_refused_with_its_reason(tmp_path: Path) -> None:
    entry = (
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
        'manifest:initialisation-vector="AAAA"/><manifest:key-derivation '
        'manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024" '
        'manifest:salt="AAAA"/></manifest:encryption-data></manifest:file-entry>'
    )
    path = tmp_path / "unit_ikm_2023.ods"
    path.write_bytes(ods_bytes('<table:table table:name="Data"></table:table>', entry))
    assert "dilindungi kata sandi" in str(rejected(path))


def never_built(*args: object) -> None:
    pytest.fail("calamine was asked to build the grid")


def test_a_grid_spanned_by_two_cells_is_refused_before_it_is_built(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(xls_ods, "_read", never_built)
    path = Path(shutil.copyfile(twins.FORMATS / "unit_ikm_2023_sudut.xls", tmp_path / "a.xls"))
    reason = str(rejected(path))
    assert "lembar 'Data' terlalu besar: 65.536 baris × 256 kolom" in reason


def test_a_workbook_stream_in_the_mini_stream_is_measured_too(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(xls_ods, "_read", never_built)
    stream = biff_workbook((0, 0), (65535, 255))
    compound = ole2.Compound(compound_file({"Workbook": stream}))
    assert compound.read("Workbook") == stream
    facts = ole2.workbook_facts(stream)
    assert (facts.grid_shape, facts.grid_sheet) == ((65536, 256), "Data")
    path = tmp_path / "unit_ikm_2023.xls"
    path.write_bytes(compound_file({"Workbook": stream}))
    assert "terlalu besar" in str(rejected(path))


@pytest.mark.parametrize(
    "stream",
    [
        biff_workbook((0, 0), sheet_extra=dimensions(41, 4, 0, 20)),  # last row before first
        biff_workbook((0, 0), sheet_extra=dimensions(0, 0xFFFFFFF0, 0, 20)),  # 4 billion rows
        biff_workbook((0, 0), globals_extra=sst(0x7FFFFFF0)),  # 2 billion strings in 20 bytes
    ],
    ids=["inverted-dimensions", "huge-dimensions", "huge-string-table"],
)
def test_sizes_calamine_would_reserve_memory_for_are_checked_first(
    tmp_path, monkeypatch, stream
) -> None:
    """calamine reserves memory for these as stated (3.4 TB for either DIMENSIONS here: the
    process aborts, found by fuzzing damaged .xls files; 51 GB for the string table): refused
    as damaged before it opens them."""
    monkeypatch.setattr(xls_ods, "_read", never_built)
    path = tmp_path / "unit_ikm_2023.xls"
    path.write_bytes(compound_file({"Workbook": stream}))
    assert "rusak" in str(rejected(path))


def test_a_loop_in_a_sector_chain_is_refused_not_followed(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(xls_ods, "_read", never_built)
    data = bytearray(compound_file({"Workbook": biff_workbook((0, 0))}))
    data[512 + 4 : 512 + 8] = (1).to_bytes(4, "little")  # the directory's sector points to itself
    path = tmp_path / "unit_ikm_2023.xls"
    path.write_bytes(bytes(data))
    assert "rusak" in str(rejected(path))


@pytest.mark.parametrize(
    "tables",
    [
        # a cell in A1, and one a million empty rows and 16,000 empty cells away
        '<table:table table:name="Data"><table:table-row>'
        + string_cell("nib")
        + "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/>'
        "</table:table-row><table:table-row>"
        '<table:table-cell table:number-columns-repeated="16000"/>'
        + string_cell("x")
        + "</table:table-row></table:table>",
        # one cell repeated 10,000 times in a row repeated 1,000 times
        '<table:table table:name="Data"><table:table-row table:number-rows-repeated="1000">'
        + string_cell("x", 10_000)
        + "</table:table-row></table:table>",
    ],
    ids=["corner", "repeated"],
)
def test_an_ods_grid_larger_than_the_limit_is_refused_unbuilt(tmp_path, monkeypatch, tables):
    monkeypatch.setattr(xls_ods, "_read", never_built)
    path = tmp_path / "unit_ikm_2023.ods"
    path.write_bytes(ods_bytes(tables))
    assert "lembar 'Data' terlalu besar" in str(rejected(path))


def test_libreoffice_trailing_empty_rows_span_nothing(tmp_path: Path) -> None:
    """LibreOffice ends a sheet with a million repeated empty rows: not a grid, not refused."""
    path = twins.write_ods(tmp_path / "unit_ikm_2023.ods", twins.register_sheets())
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    tail = (
        b'<table:table-row table:number-rows-repeated="1048560"><table:table-cell '
        b'table:number-columns-repeated="1024"/></table:table-row></table:table>'
    )
    parts["content.xml"] = parts["content.xml"].replace(b"</table:table>", tail, 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        assert xls_ods.ods_grid(content)[1:] == (16, 20)
    assert stage(path)[0].jumlah_baris == 12


def test_the_ods_grid_is_the_same_whatever_the_chunks(tmp_path: Path) -> None:
    path = twins.write_ods(tmp_path / "a.ods", twins.register_sheets() + twins.template_sheets())
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml")
    whole = xls_ods.ods_grid(io.BytesIO(content))
    assert whole == ("Data IKM", 16, 20)
    assert all(xls_ods.ods_grid(io.BytesIO(content), chunk=n) == whole for n in (7, 64, 1000))


def test_an_ods_that_inflates_past_the_limit_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("IKM_BATAS_XLSX_MB", "1")
    path = tmp_path / "unit_ikm_2023.ods"
    path.write_bytes(ods_bytes("<!--" + " " * (3 * 1024 * 1024) + "-->"))
    assert "terlalu besar setelah dibuka" in str(rejected(path))


# -- the portal's template ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_a_template_is_read_from_its_data_sheet_alone(tmp_path: Path, fmt: str) -> None:
    path = workbook(tmp_path, fmt, twins.template_sheets(), f"kiriman dinas.{fmt}")
    result, table, errors = stage(path, kantor="3201")
    nibs = [u["nib"] for u in twins.TEMPLATE_UNITS]
    assert table.column("nib").to_pylist() == nibs  # Petunjuk's example row is not data
    assert table.column("_baris").to_pylist() == [2, 3, 4] and errors.num_rows == 0
    assert (result.jenis, result.periode) == ("unit_ikm", "2023")  # from the metadata
    assert result.versi_templat == twins.TEMPLATE_VERSION
    assert any("lembar _metadata" in n for n in result.notes)
    assert not any("3201" in n for n in result.notes)  # made for the office that sent it


def test_without_its_metadata_the_template_would_be_guessed_at(tmp_path: Path) -> None:
    """What the metadata sheet changes: its other sheets would be read, and refused."""
    sheets = [s for s in twins.template_sheets() if s[0] != METADATA_SHEET]
    path = twins.write_xlsx(tmp_path / "unit_ikm_2023.xlsx", sheets)
    assert "2 lembar data unit_ikm ('Data', 'Petunjuk')" in str(rejected(path))


def test_a_changed_template_header_is_named_not_read_through_a_synonym(tmp_path: Path) -> None:
    sheets = twins.template_sheets()
    header = sheets[0][1][0]
    header[header.index("nib")] = "NIB"  # a synonym any other workbook may use
    path = twins.write_xlsx(tmp_path / "unit_ikm_2023.xlsx", sheets)
    exc = rejected(path)
    assert "'NIB' bukan judul kolom templat unit_ikm" in str(exc)
    assert "kolom wajib tidak ada: nib" in str(exc)
    assert exc.versi_templat == twins.TEMPLATE_VERSION and exc.jumlah_baris == 3
    (tmp_path / "b").mkdir()  # without the metadata, the same header is read as nib
    alone = twins.write_xlsx(tmp_path / "b" / "unit_ikm_2023.xlsx", sheets[:1])
    assert stage(alone)[1].column("nib").to_pylist() == [u["nib"] for u in twins.TEMPLATE_UNITS]


def test_a_template_header_moved_below_row_1_is_refused(tmp_path: Path) -> None:
    sheets = twins.template_sheets()
    sheets[0][1].insert(0, ["DATA IKM 2023"])
    path = twins.write_xlsx(tmp_path / "unit_ikm_2023.xlsx", sheets)
    assert "baris 1" in str(rejected(path))


@pytest.mark.parametrize(
    ("name", "says"),
    [
        (
            "tenaga_kerja_2023.xlsx",
            "menyebut jenis tenaga_kerja, tetapi berkas dibuat dari templat unit_ikm",
        ),
        ("unit_ikm_2022.xlsx", "menyebut periode 2022, tetapi templatnya untuk periode 2023"),
    ],
)
def test_a_name_that_contradicts_the_template_is_refused(tmp_path: Path, name, says) -> None:
    path = twins.write_xlsx(tmp_path / name, twins.template_sheets())
    exc = rejected(path)
    assert says in str(exc) and exc.versi_templat == twins.TEMPLATE_VERSION


def test_a_name_that_agrees_with_the_template_is_read(tmp_path: Path) -> None:
    result = stage(
        twins.write_xlsx(tmp_path / "unit_ikm_2023_revisi.xlsx", twins.template_sheets())
    )
    assert (result[0].jenis, result[0].periode, result[0].disimpulkan) == (
        "unit_ikm",
        "2023",
        False,
    )


def test_a_template_without_a_period_takes_it_from_the_dates(tmp_path: Path) -> None:
    sheets = twins.template_sheets(twins.METADATA | {"periode": ""})
    result = stage(twins.write_xlsx(tmp_path / "kiriman.xlsx", sheets))[0]
    assert (result.jenis, result.periode) == ("unit_ikm", "2023")
    assert any("periode '2023' dari kolom tanggal" in n for n in result.notes)


def test_a_template_made_for_another_office_is_noted(tmp_path: Path) -> None:
    result = stage(twins.write_xlsx(tmp_path / "kiriman.xlsx", twins.template_sheets()), "32")[0]
    assert any(
        "dibuat untuk kantor 3201" in n and "dikirim oleh kantor 32;" in n for n in result.notes
    )


# -- a file refused for its header says how many rows it had --------------------------------------


def write_register(path: Path, header: list[str], rows: int, title: bool = False) -> Path:
    lines = (["DATA IKM KOTA BOGOR TAHUN 2023", ""] if title else []) + [",".join(header)]
    for i in range(rows):
        good = unit_ikm_row(f"{3201000000000 + i}")
        lines.append(",".join(str(good[c]) for c in HEADER))
        if i == 10:
            lines.append(",,,")  # an empty row is not a data row
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_a_header_rejection_counts_the_rows_below_the_header(tmp_path: Path) -> None:
    header = ["Kode Usaha" if c == "kbli" else c for c in HEADER]
    exc = rejected(write_register(tmp_path / "unit_ikm_2023.csv", header, 68, title=True))
    assert exc.jumlah_baris == 68
    assert "kolom wajib tidak ada: kbli" in str(exc)
    assert "Berkas berisi 68 baris data di bawah judul kolom (baris 3)" in str(exc)
    assert (exc.jenis, exc.periode) == ("unit_ikm", None)


def test_without_any_header_every_filled_row_is_counted(tmp_path: Path) -> None:
    exc = rejected(write_register(tmp_path / "kiriman.csv", ["a", "b", "c"], 5))
    assert exc.jumlah_baris == 6 and "6 baris terisi" in str(exc)


def test_a_workbook_header_rejection_counts_its_rows(tmp_path: Path) -> None:
    sheets = twins.register_sheets()
    sheets[0][1][2] = [h if h != "KBLI 2020" else "Kode Usaha" for h in twins.OFFICE_HEADER]
    exc = rejected(twins.write_ods(tmp_path / "unit_ikm_2023.ods", sheets))
    assert exc.jumlah_baris == 12 and "12 baris data" in str(exc)


# -- damaged workbooks: staged or refused, nothing else -------------------------------------------

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
XLS = (twins.FORMATS / "unit_ikm_2023.xls").read_bytes()


def _ods() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return twins.write_ods(Path(folder) / "a.ods", twins.register_sheets()).read_bytes()


ODS = _ods()


def _damaged(tmp_path_factory, content: bytes, flips, cut, name: str) -> None:
    data = bytearray(content[:cut] if cut is not None else content)
    for at, value in flips:
        if at < len(data):
            data[at] = value
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / name
    path.write_bytes(bytes(data))
    try:
        stage(path)
    except extract.Rejected as exc:
        assert str(exc)


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(0, len(XLS) - 1), st.integers(0, 255)), max_size=8),
    cut=st.one_of(st.none(), st.integers(0, len(XLS))),
)
def test_damaged_xls_files_are_staged_or_refused(tmp_path_factory, flips, cut) -> None:
    _damaged(tmp_path_factory, XLS, flips, cut, "unit_ikm_2023.xls")


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(0, len(ODS) - 1), st.integers(0, 255)), max_size=8),
    cut=st.one_of(st.none(), st.integers(0, len(ODS))),
)
def test_damaged_ods_files_are_staged_or_refused(tmp_path_factory, flips, cut) -> None:
    _damaged(tmp_path_factory, ODS, flips, cut, "unit_ikm_2023.ods")


def test_the_biff_scan_reads_what_calamine_reads() -> None:
    """The span the guard measures is calamine's own (its first to last used cell)."""
    import python_calamine

    path = twins.FORMATS / "unit_ikm_2023.xls"
    facts = ole2.workbook_facts(ole2.workbook_stream(ole2.Compound(path.read_bytes())))
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data IKM")
    assert facts.grid_shape == (sheet.height, sheet.width) and facts.grid_sheet == "Data IKM"
