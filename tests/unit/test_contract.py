"""File names, headers and arrival dates: what decides how a landed file is read."""

import datetime as dt

import pytest

from etl import contract
from etl.pipeline import arrival_date

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


def test_rules_version_changes_with_the_suite(tmp_path, monkeypatch):
    kind = contract.get_kind("unit_ikm")
    before = kind.rules_version()
    assert before == kind.rules_version()
    suite = tmp_path / "unit_ikm.json"
    suite.write_text(kind.suite_path.read_text() + " ")
    monkeypatch.setattr(contract, "EXPECTATIONS_DIR", tmp_path)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "unit_ikm.json").write_text(
        (contract.PROJECT_ROOT / "expectations/schemas/unit_ikm.json").read_text()
    )
    assert kind.rules_version() != before


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

    from etl.errors import is_transient

    assert is_transient(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert is_transient(ConnectionResetError())
    assert not is_transient(ValueError("a bug"))
    assert not is_transient(psycopg.errors.NumericValueOutOfRange("out of range"))
