"""Readers and typing: rows numbered as the office sees them, bad cells reported, not guessed."""

import datetime as dt
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from etl import contract
from etl.stages import s2_extract as extract
from etl.warehouse import staging
from tests.support.factories import HEADER, UNIT_IKM, unit_ikm_row

pytestmark = pytest.mark.unit

KIND = UNIT_IKM
good_row = unit_ikm_row


def write_csv(
    path: Path, rows: list[dict[str, object]], delimiter: str = ",", header: list[str] | None = None
) -> Path:
    header = header or HEADER
    lines = [delimiter.join(header)]
    lines += [delimiter.join(str(r.get(h, "")) for h in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stage(path: Path, tmp_path: Path):
    """The pure staging function, as extract() calls it (file name parsed, no database)."""
    staged = extract.stage_file(
        path,
        contract.parse_file_name(path.name),
        tmp_path / "s.parquet",
        tmp_path / "e.parquet",
        tmp_path / "w.parquet",
        chunk_rows=2,
    )
    return (
        staged.jumlah_baris,
        staged.notes,
        pq.read_table(tmp_path / "s.parquet"),
        pq.read_table(tmp_path / "e.parquet"),
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_is_typed_whatever_the_delimiter(tmp_path, delimiter):
    path = write_csv(
        tmp_path / "unit_ikm_2023.csv", [good_row(), good_row("1234567890124")], delimiter
    )
    rows, _, table, errors = stage(path, tmp_path)
    assert rows == 2 and errors.num_rows == 0
    first = table.to_pylist()[0]
    assert first["_baris"] == 2
    assert first["tenaga_kerja_laki"] == 3
    assert first["nilai_investasi"] == 50_000_000
    assert first["tanggal_pendataan"] == dt.date(2023, 5, 30)
    assert first["penjualan_online"] == "ya"  # choices are case-folded
    assert first["nik_pemilik"] is None  # blank is null, not ""
    assert first["skala_menurut_aturan"] == "kecil"
    assert table.schema.field("nilai_investasi").type == "int64"


def test_bad_cells_become_errors_with_the_office_row_number(tmp_path):
    rows = [
        good_row(),
        good_row("1234567890124", tenaga_kerja_laki="tiga"),
        good_row("1234567890125", tanggal_pendataan="31/02/2023", nilai_investasi="1.5jt"),
    ]
    path = write_csv(tmp_path / "unit_ikm_2023.csv", rows)
    count, _, table, errors = stage(path, tmp_path)
    assert count == 3
    found = {(e["baris"], e["kolom"], e["nilai"]) for e in errors.to_pylist()}
    assert found == {
        (3, "tenaga_kerja_laki", "tiga"),
        (4, "tanggal_pendataan", "31/02/2023"),
        (4, "nilai_investasi", "1.5jt"),
    }
    assert table.column("tenaga_kerja_laki").to_pylist()[1] is None


def test_empty_rows_are_skipped_but_numbering_is_kept(tmp_path):
    path = write_csv(tmp_path / "unit_ikm_2023.csv", [good_row()])
    with path.open("a") as fh:
        fh.write(",,,,,,,,,,,,,,,,,,,\n\n")
        fh.write(",".join(str(v) for v in good_row("1234567890199").values()) + "\n")
    _, _, table, _ = stage(path, tmp_path)
    assert table.column("_baris").to_pylist() == [2, 5]


def test_missing_required_column_rejects_the_file(tmp_path):
    header = [h for h in HEADER if h != "kbli"]
    path = write_csv(tmp_path / "unit_ikm_2023.csv", [good_row()], header=header)
    with pytest.raises(extract.Rejected, match="kbli"):
        stage(path, tmp_path)


def test_unknown_columns_are_reported_and_ignored(tmp_path):
    path = write_csv(tmp_path / "unit_ikm_2023.csv", [good_row()], header=[*HEADER, "Catatan"])
    _, notes, table, _ = stage(path, tmp_path)
    assert any("Catatan" in n for n in notes)
    assert "catatan" not in table.column_names


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "kosong"), (b"\xff\xfe\x00garbage\x00\xff", "UTF-8")],
)
def test_unreadable_csv_is_rejected(tmp_path, content, reason):
    path = tmp_path / "unit_ikm_2023.csv"
    path.write_bytes(content)
    with pytest.raises(extract.Rejected, match=reason):
        stage(path, tmp_path)


def test_a_cell_past_the_limit_is_rejected_whatever_a_library_set_the_limit_to(tmp_path):
    """The CSV cell limit is the process's: frictionless (the releases) raises it to 20 MB on
    import, and an Airflow worker runs a release and an extract in one process."""
    import csv

    path = write_csv(tmp_path / "unit_ikm_2023.csv", [good_row(nama_usaha="x" * 200_000)])
    before = csv.field_size_limit(20_000_000)
    try:
        with pytest.raises(extract.Rejected, match="lebih panjang dari 131072 karakter"):
            stage(path, tmp_path)
    finally:
        csv.field_size_limit(before)


def test_header_only_file_is_rejected(tmp_path):
    path = write_csv(tmp_path / "unit_ikm_2023.csv", [])
    with pytest.raises(extract.Rejected, match="hanya berisi judul"):
        stage(path, tmp_path)


def test_xlsx_rows_keep_the_excel_row_numbers(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([good_row()[h] or None for h in HEADER])
    ws.append([])  # an empty row in the middle
    ws.append([good_row("1234567890124", tenaga_kerja_laki="x")[h] or None for h in HEADER])
    path = tmp_path / "unit_ikm_2023.xlsx"
    wb.save(path)
    _, _, table, errors = stage(path, tmp_path)
    assert table.column("_baris").to_pylist() == [2, 4]
    assert [(e["baris"], e["kolom"]) for e in errors.to_pylist()] == [(4, "tenaga_kerja_laki")]


def test_xlsx_typed_values(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    row = good_row(
        tanggal_pendataan=dt.datetime(2023, 6, 1),
        tenaga_kerja_laki=4,
        nilai_investasi=75_000_000.0,
        kode_kabkota=3201,
    )
    ws.append([row[h] if row[h] != "" else None for h in HEADER])
    path = tmp_path / "unit_ikm_2023.xlsx"
    wb.save(path)
    count, notes, table, errors = stage(path, tmp_path)
    record = table.to_pylist()[0]
    assert count == 1 and errors.num_rows == 0
    assert record["_baris"] == 2
    assert record["kode_kabkota"] == "3201"  # a number in a code column is read as its digits
    assert record["nilai_investasi"] == 75_000_000
    assert record["tanggal_pendataan"] == dt.date(2023, 6, 1)
    assert any("lembar" in n for n in notes)


def test_corrupt_xlsx_is_rejected(tmp_path):
    path = tmp_path / "unit_ikm_2023.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(extract.Rejected, match="XLSX"):
        stage(path, tmp_path)


def test_symlink_and_escape_are_refused(tmp_path):
    landing = tmp_path / "landing"
    (landing / "2024-03-04" / "32").mkdir(parents=True)
    target = write_csv(tmp_path / "outside.csv", [good_row()])
    link = landing / "2024-03-04" / "32" / "unit_ikm_2023.csv"
    link.symlink_to(target)
    with pytest.raises(extract.Rejected, match="tautan"):
        extract.open_landed(landing, "2024-03-04/32/unit_ikm_2023.csv")
    with pytest.raises(extract.Rejected, match="di luar"):
        extract.open_landed(landing, "../outside.csv")


def test_gx_index_queries_are_made_runnable_or_refused():
    from etl.stages.s3_validate import executable_query

    query = (
        "SELECT _baris, d \nFROM staging.t \nWHERE d IS NOT NULL AND NOT "
        "(d >= datetime.date(2023, 1, 1)::DATE AND d <= datetime.date(2023, 12, 31)::DATE);"
    )
    assert executable_query(query).endswith(
        "(d >= DATE '2023-01-01'::DATE AND d <= DATE '2023-12-31'::DATE)"
    )
    with pytest.raises(ValueError, match="double-quoted"):
        executable_query("SELECT _baris FROM t WHERE s NOT IN ('a'::VARCHAR, \"it's\"::VARCHAR)")


def test_extract_result_carries_the_warnings_file(monkeypatch, tmp_path):
    monkeypatch.setenv("IKM_STAGING_DIR", str(tmp_path))
    data, errors, warnings = staging.staged_paths(7)
    assert (data.name, errors.name, warnings.name) == (
        "7.parquet",
        "7.galat.parquet",
        "7.peringatan.parquet",
    )
    result = extract.ExtractResult(
        7, "p", "diekstrak", 1, str(data), str(errors), [], str(warnings)
    )
    assert result.as_xcom()["warnings"] == str(warnings)


def test_warnings_file_is_written_even_when_empty(tmp_path):
    path = write_csv(tmp_path / "unit_ikm_2023.csv", [good_row()])
    stage(path, tmp_path)
    warnings = pq.read_table(tmp_path / "w.parquet")
    assert warnings.num_rows == 0 and warnings.schema == staging.CELL_SCHEMA


def test_size_limits_are_settings(monkeypatch):
    monkeypatch.setenv("IKM_BATAS_BERKAS_MB", "3")
    monkeypatch.setenv("IKM_BATAS_XLSX_MB", "not a number")
    limits = extract.limits()
    assert limits["berkas"] == 3 * 1024 * 1024
    assert limits["xlsx"] == 200 * 1024 * 1024  # a bad setting falls back to the default


def test_kind_hint_only_for_known_kinds():
    assert extract.kind_hint("unit_ikm_2023.xlsx").jenis == "unit_ikm"
    assert extract.kind_hint("laporan_2023.csv") is None  # follows the pattern, unknown kind
    assert extract.kind_hint("Data IKM Bogor.xlsx") is None
