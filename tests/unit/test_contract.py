"""File names, headers and arrival dates: what decides how a landed file is read."""

import dataclasses
import datetime as dt
import shutil

import pytest

from etl import contract
from etl.flow import arrival_date

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unit_ikm_2023.xlsx", ("unit_ikm", "2023", "xlsx")),
        ("unit_ikm_2023_revisi1.csv", ("unit_ikm", "2023", "csv")),
        ("realisasi_program_2024-05_revisi1.csv", ("realisasi_program", "2024-05", "csv")),
        ("UNIT_IKM_2023.XLSX", ("unit_ikm", "2023", "xlsx")),
        ("data ikm 2023.xlsx", None),
        ("unit_ikm.xlsx", None),
        ("unit_ikm_2023.pdf", None),
    ],
)
def test_parse_file_name(name, expected):
    parsed = contract.parse_file_name(name)
    assert (None if parsed is None else (parsed.jenis, parsed.periode, parsed.ext)) == expected


def test_period_pattern_follows_the_kind():
    kind = contract.get_kind("unit_ikm")
    assert kind.period_is_valid("2023")
    assert not kind.period_is_valid("2023-05")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("NIB", "nib"), (" Nama Usaha ", "nama_usaha"), ("Tenaga-Kerja (Laki)", "tenaga_kerja_laki")],
)
def test_normalise_header(raw, expected):
    assert contract.normalise_header(raw) == expected


def test_unit_ikm_contract_has_every_design_column():
    kind = contract.get_kind("unit_ikm")
    names = [c.nama for c in kind.columns]
    assert names[:3] == ["nib", "nama_usaha", "nama_pemilik"]
    assert len(names) == 20
    assert {c.nama for c in kind.columns if c.data_pribadi} == {
        "nama_pemilik",
        "nik_pemilik",
        "no_telepon",
        "alamat",
    }
    assert "nik_pemilik" not in kind.required and "nib" in kind.required


def test_rules_version_changes_with_the_suite(tmp_path):
    kind = contract.get_kind("unit_ikm")
    before = contract.rules_version(kind)
    assert before == contract.rules_version(kind)
    folder = tmp_path / "unit_ikm"
    shutil.copytree(kind.folder, folder)
    (folder / "suite.json").write_text(kind.suite_path.read_text() + " ")
    assert contract.rules_version(dataclasses.replace(kind, folder=folder)) != before


def test_rules_version_changes_with_a_cross_file_check(tmp_path):
    """A kind's SQL decides outcomes too (the checks quarantine rows); its views do not."""
    kind = contract.get_kind("peserta_program")
    before = contract.rules_version(kind)
    sql_folder = tmp_path / "peserta_program"
    shutil.copytree(kind.sql_folder, sql_folder)
    moved = dataclasses.replace(kind, sql_folder=sql_folder)
    assert contract.rules_version(moved) == before
    view = next((sql_folder / "tampilan").glob("*.sql"))
    view.write_text(view.read_text() + "\n")
    assert contract.rules_version(moved) == before
    check = next((sql_folder / "periksa").glob("*.sql"))
    check.write_text(check.read_text() + "\n")
    assert contract.rules_version(moved) != before


def test_rules_version_fails_loudly_when_a_listed_file_is_gone(tmp_path, monkeypatch):
    from etl.contract import version as module

    kind = contract.get_kind("unit_ikm")
    folder = tmp_path / "unit_ikm"
    shutil.copytree(kind.folder, folder)
    (folder / "suite.json").unlink()
    with pytest.raises(contract.RulesVersionError, match=r"suite\.json"):
        contract.rules_version(dataclasses.replace(kind, folder=folder))
    monkeypatch.setattr(module, "OUTCOME_CODE", (*module.OUTCOME_CODE, "etl/stages/s9_gone.py"))
    with pytest.raises(contract.RulesVersionError, match="s9_gone"):
        contract.rules_version(kind)
    with pytest.raises(contract.RulesVersionError, match="s9_gone"):
        contract.rules_version(None)


@pytest.mark.parametrize(
    ("logical", "expected"),
    [
        # the scheduled run at 01:00 WIB on the 5th has logical date 01:00 WIB on the 4th
        (dt.datetime(2024, 3, 3, 18, 0, tzinfo=dt.UTC), dt.date(2024, 3, 4)),
        # `airflow dags test ... 2024-03-04` in Asia/Jakarta is midnight WIB
        (dt.datetime(2024, 3, 3, 17, 0, tzinfo=dt.UTC), dt.date(2024, 3, 4)),
        (dt.datetime(2024, 3, 4, 0, 0, tzinfo=dt.UTC), dt.date(2024, 3, 4)),
    ],
)
def test_arrival_date_is_the_logical_date_in_jakarta(logical, expected):
    assert arrival_date(logical) == expected


def test_a_run_without_a_logical_date_is_refused():
    with pytest.raises(ValueError, match="logical date"):
        arrival_date(None)


def test_only_warehouse_hiccups_are_retried():
    import psycopg

    from etl.warehouse.errors import is_transient

    assert is_transient(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert is_transient(ConnectionResetError())
    assert not is_transient(ValueError("a bug"))
    assert not is_transient(psycopg.errors.NumericValueOutOfRange("out of range"))


def test_rules_version_covers_the_validate_code_but_not_its_data_docs():
    """Rendering Data Docs decides nothing: editing it must not reprocess a night's files."""
    from etl.contract import version

    names = [name for name, _ in version._walk_code(version.OUTCOME_CODE)]
    assert "etl/stages/s3_validate/gx.py" in names
    assert "etl/stages/s3_validate/stage.py" in names
    assert "etl/stages/s3_validate/data_docs.py" not in names
