"""The release's pieces without a database: CSV cells and bytes, the Table Schemas, the content
fingerprint, and the comparison of two versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import MappingProxyType

import pytest

from etl.stages.s5_publish.release import package, tables, versions
from etl.stages.s5_publish.release.source import cell_text

pytestmark = pytest.mark.unit


def test_cells_are_written_as_the_table_schema_reads_them():
    assert cell_text(None) == ""
    assert cell_text(True) == "true" and cell_text(False) == "false"
    assert cell_text(Decimal("160753600000")) == "160753600000"
    assert cell_text(Decimal("85.00")) == "85"
    assert cell_text("0101") == "0101"  # codes stay text, leading zeros kept


def test_csv_bytes_are_utf8_with_lf_and_quoted_only_when_needed():
    tabel = tables.RINGKASAN_PENEKANAN
    data = package.csv_bytes(tabel, [["2023", "kabkota", "", "3"], ["2023", "x,y", "ambang", "1"]])
    assert data == (
        b'tahun,tingkat,alasan_penekanan,jumlah_sel\n2023,kabkota,,3\n2023,"x,y",ambang,1\n'
    )
    assert package.csv_bytes(tabel, []) == b"tahun,tingkat,alasan_penekanan,jumlah_sel\n"


def test_every_table_schema_names_a_key_of_its_own_columns_and_describes_each_in_two_languages():
    for tabel in tables.TABLES:
        schema = tabel.table_schema()
        names = [f["name"] for f in schema["fields"]]
        assert names == tabel.nama_kolom and len(set(names)) == len(names)
        assert set(schema["primaryKey"]) <= set(names)
        for field in schema["fields"]:
            assert field["type"] in ("string", "integer", "boolean")
            indonesian, english = field["description"].split(" / ")
            assert indonesian and english
        for column in tabel.kolom:
            if column.nama.startswith("kode_"):
                assert column.tipe == "string" and column.pola


def test_the_fingerprint_depends_on_content_only():
    a = {"data/x.csv": b"a\n1\n", "metadata/m.json": b"{}\n"}
    assert package.fingerprint(a) == package.fingerprint(dict(reversed(list(a.items()))))
    assert package.fingerprint(a) != package.fingerprint(a | {"data/x.csv": b"a\n2\n"})


def test_changes_between_two_versions_count_rows_and_cells():
    tabel = tables.RINGKASAN_PENEKANAN
    before = package.csv_bytes(
        tabel, [["2023", "nasional", "", "3"], ["2023", "kabkota", "ambang", "2"]]
    )
    after = package.csv_bytes(
        tabel, [["2023", "nasional", "", "4"], ["2023", "kabkota", "dominasi", "1"]]
    )
    change = versions._table_changes(tabel, before, after)
    assert (change["baris_baru"], change["baris_dihapus"]) == (1, 1)
    assert (change["baris_berubah"], change["sel_berubah"]) == (1, 1)
    assert change["sel"] == [
        {
            "kunci": {"tahun": "2023", "tingkat": "nasional", "alasan_penekanan": ""},
            "kolom": "jumlah_sel",
            "sebelum": "3",
            "sesudah": "4",
        }
    ]


def test_the_created_date_is_utc_to_the_second():
    class _Aturan:
        @staticmethod
        def nilai() -> dict:
            return {"ambang_unit": 3}

    class _Isi:
        tahun = 2023
        edisi_referensi = ("1",)
        label_edisi = MappingProxyType({"1": "edisi 2024-01-01 (berlaku mulai 2024-01-01)"})
        aturan = _Aturan()

    files = {t.path: b"" for t in tables.TABLES} | {"metadata/metadata_statistik.json": b"{}"}
    jakarta = dt.timezone(dt.timedelta(hours=7))
    dp = package.descriptor(
        _Isi(), files, versi=2, dibuat=dt.datetime(2025, 1, 2, 10, 0, 0, 999, jakarta), rilis={}
    )
    assert dp["created"] == "2025-01-02T03:00:00Z" and dp["version"] == "2"
