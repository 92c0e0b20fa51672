"""Every file of the messy corpus (tests/corpus.py) gets exactly its expected outcome.

The reader and typing layer only (``extract.stage_file``), no database: rows as the office sees
them, bad cells and warnings by (row, column), the kind and period, and the reason of a rejection.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl.stages import s2_extract as extract
from etl.stages.s2_extract import csv_columnar
from tests.support.corpus import Case, build_corpus

pytestmark = pytest.mark.unit

_CORPUS_DIR = tempfile.TemporaryDirectory(prefix="ikm_corpus_")  # removed when pytest exits
CORPUS_ROOT = Path(_CORPUS_DIR.name)
CASES = build_corpus(CORPUS_ROOT)


def stage(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> extract.StageResult:
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    path = extract.open_landed(CORPUS_ROOT, case.rel_path)
    return extract.stage_file(
        path,
        extract.kind_hint(path.name),
        tmp_path / "data.parquet",
        tmp_path / "galat.parquet",
        tmp_path / "peringatan.parquet",
        chunk_rows=2,  # several chunks even for small files
    )


def cells(path: Path) -> dict[tuple[int, str], dict]:
    return {(r["baris"], r["kolom"]): r for r in pq.read_table(path).to_pylist()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if case.expected == "rejected":
        with pytest.raises(extract.Rejected, match=case.reason):
            stage(case, tmp_path, monkeypatch)
        assert not list(tmp_path.glob("*.parquet")), "a rejected file leaves nothing staged"
        return
    result = stage(case, tmp_path, monkeypatch)
    errors = cells(tmp_path / "galat.parquet")
    warnings = cells(tmp_path / "peringatan.parquet")
    assert set(errors) == case.bad_cells
    assert set(warnings) == case.warnings
    for key, code in case.codes.items():
        assert (errors.get(key) or warnings[key])["kode_aturan"] == code
    for row in [*errors.values(), *warnings.values()]:
        assert row["alasan"] and row["nilai"] is not None
    if case.reason:
        assert any(case.reason in note for note in result.notes), result.notes
    if case.jenis:
        assert (result.jenis, result.periode) == (case.jenis, case.periode)
        assert result.disimpulkan
    table = pq.read_table(tmp_path / "data.parquet")
    if case.rows is not None:
        assert result.jumlah_baris == table.num_rows == case.rows
    by_row = {r["_baris"]: r for r in table.to_pylist()}
    for (row, column), expected in case.values.items():
        assert by_row[row][column] == expected, (row, column)
    for row, column in case.bad_cells:
        assert by_row[row][column] is None  # a bad cell is null, never a guess


def test_the_corpus_covers_every_kind_of_mess() -> None:
    names = " ".join(c.name for c in CASES)
    for ext in (".csv", ".xlsx", ".json"):
        assert ext in names
    assert {c.expected for c in CASES} == {"ok", "rejected"}
    assert any(c.warnings for c in CASES) and any(c.jenis for c in CASES)


def test_warning_rows_say_what_replaced_what(tmp_path, monkeypatch) -> None:
    case = next(c for c in CASES if c.name == "tenaga_kerja_2023.csv")
    stage(case, tmp_path, monkeypatch)
    warned = cells(tmp_path / "peringatan.parquet")[(3, "kode_kabkota")]
    assert warned["nilai"] == "9201"
    assert "9601" in warned["alasan"] and "Sorong" in warned["alasan"]
    refused = cells(tmp_path / "galat.parquet")[(5, "kode_kabkota")]
    assert "9501" in refused["alasan"] and "BPS" in refused["alasan"]


def test_excel_mangled_code_explains_how_to_keep_text(tmp_path, monkeypatch) -> None:
    case = next(c for c in CASES if c.name == "unit_ikm_2023_kode_angka.xlsx")
    stage(case, tmp_path, monkeypatch)
    errors = cells(tmp_path / "galat.parquet")
    assert "0 di depan" in errors[(3, "nib")]["alasan"]
    assert "E+" in errors[(4, "nib")]["alasan"]
    assert "15 digit" in errors[(5, "nik_pemilik")]["alasan"]
    assert all("Text" in e["alasan"] for e in errors.values())


def test_columns_read_through_a_synonym_are_named_in_the_notes(tmp_path):
    path = tmp_path / "tenaga_kerja_2023.csv"
    path.write_text(
        "Kode Kab/Kota,KBLI (Golongan Pokok),Skala Usaha,Jumlah Unit Usaha,TK Laki-laki,"
        "TK Perempuan\n3201,10,kecil,5,10,8\n",
        encoding="utf-8",
    )
    result = extract.stage_file(
        path,
        extract.kind_hint(path.name),
        tmp_path / "a.parquet",
        tmp_path / "b.parquet",
        tmp_path / "c.parquet",
    )
    assert "kolom 'TK Laki-laki' dibaca sebagai tenaga_kerja_laki" in result.notes
    assert not any("'Kode Kab/Kota'" in n and "kode_kabkota" not in n for n in result.notes)


CSV_CASES = [c for c in CASES if c.rel_path.endswith(".csv") and c.expected != "rejected"]


def _staged(case: Case, folder: Path, columnar: bool) -> tuple[extract.StageResult, list]:
    folder.mkdir()
    path = extract.open_landed(CORPUS_ROOT, case.rel_path)
    result = extract.stage_file(
        path,
        extract.kind_hint(path.name),
        folder / "data.parquet",
        folder / "galat.parquet",
        folder / "peringatan.parquet",
        columnar=columnar,
    )
    tables = [
        pq.read_table(folder / f).to_pylist() for f in sorted(p.name for p in folder.iterdir())
    ]
    return result, tables


@pytest.mark.parametrize("case", CSV_CASES, ids=[c.name for c in CSV_CASES])
def test_columnar_csv_reader_stages_what_the_row_reader_stages(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Arrow's reader (big clean files) and the row reader (anything) agree cell for cell:
    values, row numbers, bad cells, warnings, kind, period and notes."""
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    fast, fast_tables = _staged(case, tmp_path / "kolom", columnar=True)
    slow, slow_tables = _staged(case, tmp_path / "baris", columnar=False)
    assert not slow.kolumnar
    assert fast_tables == slow_tables
    assert (fast.jenis, fast.periode, fast.jumlah_baris, fast.notes) == (
        slow.jenis,
        slow.periode,
        slow.jumlah_baris,
        slow.notes,
    )


def test_clean_csv_files_take_the_columnar_reader(tmp_path: Path) -> None:
    """Title rows, BOM, Windows-1252, line breaks in quotes and blank rows keep the fast path;
    only ragged rows (a row wider or narrower than the header) fall back to the row reader."""
    used = {c.name: _staged(c, tmp_path / c.name, columnar=True)[0].kolumnar for c in CSV_CASES}
    assert sum(used.values()) >= len(used) // 2, used


def test_columnar_reader_numbers_rows_across_blocks_like_the_row_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many small blocks, title rows, blank lines, rows of empty cells, line breaks inside
    quotes and bad cells: every row keeps the number the office sees in its spreadsheet."""
    from tests.support.factories import HEADER, unit_ikm_row

    lines = ['"Daftar IKM\nKabupaten Bogor"', "", ",".join(HEADER)]
    record = 3  # the title (one record over two lines), a blank line, the header
    expected_bad = set()
    for i in range(600):
        record += 1
        row = unit_ikm_row(f"32010000{i:05d}")
        if i % 97 == 5:
            row["alamat"] = '"Jl. Raya\nBogor No. 5"'
        if i % 113 == 7:
            row["tenaga_kerja_laki"] = "tiga"
            expected_bad.add(record)
        lines.append(",".join(str(row[h]) for h in HEADER))
        if i % 151 == 3:
            lines.append("")
            record += 1
        if i % 173 == 9:
            lines.append("," * (len(HEADER) - 1))
            record += 1
    landing = tmp_path / "landing" / "2024-07-01" / "3201"
    landing.mkdir(parents=True)
    (landing / "unit_ikm_2023.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    case = Case("2024-07-01/3201/unit_ikm_2023.csv", "ok")
    monkeypatch.setattr(csv_columnar, "CSV_BLOCK_BYTES", 4096)
    monkeypatch.setattr(sys.modules[__name__], "CORPUS_ROOT", tmp_path / "landing")
    fast, fast_tables = _staged(case, tmp_path / "kolom", columnar=True)
    slow, slow_tables = _staged(case, tmp_path / "baris", columnar=False)
    assert fast.kolumnar and not slow.kolumnar and fast.jumlah_baris == 600
    assert fast_tables == slow_tables
    errors = fast_tables[1]  # data, galat, peringatan
    assert {(e["baris"], e["kolom"]) for e in errors} == {
        (n, "tenaga_kerja_laki") for n in expected_bad
    }
