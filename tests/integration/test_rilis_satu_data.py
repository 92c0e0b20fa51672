"""The open-data release: a valid Frictionless Data Package whose CSVs match their Table Schemas
and whose metadata statistik covers every column, totals that agree with the marts, identical
bytes for unchanged data, immutable records, and corrections as new versions.

The samples are loaded once; each test releases from a clone of that warehouse.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from collections import defaultdict
from decimal import Decimal

import frictionless
import psycopg
import pytest

from etl.__main__ import main
from etl.stages.s5_publish.release import (
    FolderExists,
    VersionMoved,
    build,
    history,
    record,
    release,
    tables,
    validate,
    versions,
)
from tests.conftest import dsn, query
from tests.support.rilis import (
    TAHUN,
    clone,
    descriptor,
    files_of,
    land_correction,
    load_samples,
)

pytestmark = pytest.mark.integration

DATE_1 = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
DATE_2 = dt.datetime(2025, 6, 7, 8, 9, 10, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def loaded(module_warehouse):
    load_samples()
    return module_warehouse


@pytest.fixture
def gudang(loaded, tmp_path):
    with clone(loaded, tmp_path) as url:
        yield url


@pytest.fixture
def package(gudang, tmp_path):
    """One release built into a folder (nothing recorded)."""
    folder = tmp_path / "package"
    built = build(TAHUN, folder, dibuat=DATE_1)
    return folder, built


def _csv(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# -- the package ---------------------------------------------------------------------------


def test_the_package_validates_with_frictionless(package):
    folder, built = package
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])
    package = frictionless.Package(str(folder / "datapackage.json"))
    assert [r.name for r in package.resources] == [
        "ikm_per_wilayah",
        "ringkasan_penekanan",
        "metadata_statistik",
    ]
    assert package.licenses[0]["name"] == "CC-BY-4.0"
    assert built["jumlah_baris"]["ikm_per_wilayah"] > 0
    assert validate(folder)["valid"]


def test_an_invalid_package_fails_validation(package):
    """The check can fail: one changed cell breaks the CSV's sha256 (and its schema)."""
    folder, _ = package
    path = folder / "data" / "ikm_per_wilayah.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",kecil,", ",besar,", 1))
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid
    kinds = {e[0] for e in report.flatten(["type"])}
    assert "hash-count" in kinds and "constraint-error" in kinds


def test_every_csv_s_columns_match_its_table_schema_and_codes_stay_text(package):
    folder, _ = package
    dp = descriptor(folder)
    for resource in dp["resources"]:
        if resource["format"] != "csv":
            continue
        raw = (folder / resource["path"]).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a BOM
        header = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
        assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]
        assert set(resource["schema"]["primaryKey"]) <= set(header)
        table = frictionless.Resource(resource, basepath=str(folder))
        for row in table.read_rows():
            for field in resource["schema"]["fields"]:
                if field["name"].startswith("kode_") and row[field["name"]] is not None:
                    assert isinstance(row[field["name"]], str)
    fields = {f["name"]: f for f in dp["resources"][0]["schema"]["fields"]}
    assert fields["kode_provinsi"]["type"] == "string"
    assert fields["kode_provinsi"]["constraints"]["pattern"] == "^[0-9]{2}$"
    assert fields["kode_kabkota"]["constraints"]["pattern"] == "^[0-9]{4}$"
    assert all(" / " in f["description"] for f in fields.values())  # Indonesian / English
    rows = _csv(folder / "data" / "ikm_per_wilayah.csv")
    assert {r["kode_kabkota"] for r in rows if r["tingkat"] == "kabkota"} >= {"1271"}


def test_the_metadata_covers_every_column_of_every_csv(package, gudang):
    folder, _ = package
    dp = descriptor(folder)
    meta = _read_json(folder / "metadata" / "metadata_statistik.json")
    variables = {(v["sumber_data"], v["nama_variabel"]): v for v in meta["ms_var"]}
    indicators = {(i["sumber_data"], i["kolom"]) for i in meta["ms_ind"]}
    for resource in dp["resources"]:
        if resource["format"] != "csv":
            continue
        header = next(csv.reader(io.StringIO((folder / resource["path"]).read_text("utf-8"))))
        for column in header:
            form = variables[(resource["path"], column)]
            assert form["formulir"] == "MS-Var"
            assert form["konsep"] and form["definisi"] and form["definition"]
            assert form["referensi_waktu"] and form["tipe_data"]
        measures = {f["name"] for f in resource["schema"]["fields"] if f["type"] == "integer"}
        assert {(resource["path"], m) for m in measures - {"tahun"}} <= indicators
    for form in meta["ms_ind"]:
        assert form["formulir"] == "MS-Ind"
        assert form["definisi"] and form["satuan"] and form["rumus"] and form["periode_referensi"]
    keg = meta["ms_keg"]
    assert keg["formulir"] == "MS-Keg" and keg["tahun_kegiatan"] == TAHUN
    assert {"wilayah", "skala", "kbli"} <= set(keg["klasifikasi"])
    assert "KBLI 2020" in keg["klasifikasi"]["kbli"]
    assert "64 Tahun 2016" in keg["klasifikasi"]["skala"]
    ((ambang, unit, persen),) = query(
        gudang, "select ambang_unit, dominasi_unit, dominasi_persen from publik.aturan_penekanan"
    )
    rules = keg["pengendalian_pengungkapan"]["pengaturan"]
    assert (rules["ambang_unit"], rules["dominasi_unit"]) == (ambang, unit)
    assert Decimal(str(rules["dominasi_persen"])) == persen
    assert dp["pengendalian_pengungkapan"] == rules
    assert dp["edisi_referensi"] and keg["edisi_referensi_wilayah"] == dp["edisi_referensi"]
    # the region classification names each edition by its label and first day
    for edisi, label, mulai in query(
        gudang, "select edisi_id::text, label, berlaku_mulai from core.edisi_referensi"
    ):
        if edisi in dp["edisi_referensi"]:
            assert f"{label} (berlaku mulai {mulai.isoformat()})" in keg["klasifikasi"]["wilayah"]


def _read_json(path):
    import json

    return json.loads(path.read_text(encoding="utf-8"))


def test_the_national_totals_equal_the_marts_where_not_suppressed(package, gudang):
    folder, _ = package
    columns = ("jumlah_unit", *tables.NILAI)
    mart: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in query(
        gudang,
        f"select skala, {', '.join(columns)} from mart.ikm_per_wilayah where tahun = %s",
        (TAHUN,),
    ):
        for skala in (row[0], "semua"):
            for name, value in zip(columns, row[1:], strict=True):
                mart[skala][name] += int(value)
    national = [
        r for r in _csv(folder / "data" / "ikm_per_wilayah.csv") if r["tingkat"] == "nasional"
    ]
    assert {r["skala"] for r in national} == {"kecil", "menengah", "semua"}
    compared = 0
    for r in national:
        assert int(r["jumlah_unit"]) == mart[r["skala"]]["jumlah_unit"]  # always published
        if r["ditekan"] == "true":
            assert all(r[name] == "" for name in tables.NILAI)
            continue
        for name in tables.NILAI:
            assert int(r[name]) == mart[r["skala"]][name], (r["skala"], name)
            compared += 1
    assert compared > 0


def test_the_release_holds_the_public_layer_and_nothing_behind_a_suppression(package, gudang):
    folder, _ = package
    rows = _csv(folder / "data" / "ikm_per_wilayah.csv")
    (count,) = query(
        gudang, "select count(*) from publik.ikm_per_wilayah where tahun = %s", (TAHUN,)
    )[0]
    assert len(rows) == count
    for r in rows:
        if r["ditekan"] == "true":
            assert r["alasan_penekanan"] in ("ambang", "dominasi", "sekunder")
            assert all(r[name] == "" for name in tables.NILAI)
        else:
            assert r["alasan_penekanan"] == ""
    text = (folder / "data" / "ikm_per_wilayah.csv").read_text(encoding="utf-8")
    (nib,) = query(gudang, "select nib from core.baris_unit_ikm limit 1")[0]
    assert nib not in text


# -- determinism and versions ----------------------------------------------------------------


def test_a_second_release_of_unchanged_data_is_byte_identical_apart_from_its_date(gudang, tmp_path):
    first = build(TAHUN, tmp_path / "a", dibuat=DATE_1)
    second = build(TAHUN, tmp_path / "b", dibuat=DATE_2)
    a, b = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert set(a) == set(b)
    for path in a:
        if path != "datapackage.json":
            assert a[path] == b[path], path
    da, db = descriptor(tmp_path / "a"), descriptor(tmp_path / "b")
    assert (da.pop("created"), db.pop("created")) == (
        "2025-01-02T03:04:05Z",
        "2025-06-07T08:09:10Z",
    )
    assert da == db
    assert first["sidik_isi"] == second["sidik_isi"]
    # recorded, then built again: the same package as the recorded version, apart from its date
    recorded = release(TAHUN, uji_coba=False)
    assert recorded["dicatat"] and recorded["versi"] == 1
    v1 = versions.version_folder(TAHUN, 1)
    again = build(TAHUN, tmp_path / "c", dibuat=DATE_2)
    assert again["tidak_berubah"] and again["versi"] == 1
    c, v = files_of(tmp_path / "c"), files_of(v1)
    assert {p: d for p, d in c.items() if p != "datapackage.json"} == {
        p: d for p, d in v.items() if p != "datapackage.json"
    }
    dc, dv = descriptor(tmp_path / "c"), descriptor(v1)
    dc.pop("created"), dv.pop("created")
    assert dc == dv
    # and recording it again makes no version
    unchanged = release(TAHUN, uji_coba=False)
    assert unchanged["tidak_berubah"] and not unchanged["dicatat"] and unchanged["versi"] == 1
    assert [h["versi"] for h in history(TAHUN)] == [1]
    assert not versions.version_folder(TAHUN, 2).exists()


def test_a_release_record_can_never_be_changed_or_its_folder_overwritten(gudang, tmp_path):
    recorded = release(TAHUN, uji_coba=False)
    folder = versions.version_folder(TAHUN, 1)
    before = files_of(folder)
    ((rows_recorded, berkas),) = query(
        gudang, "select count(*), max(berkas::text) from audit.rilis_satu_data"
    )
    assert rows_recorded == 1 and "datapackage.json" in berkas
    for statement in (
        "update audit.rilis_satu_data set catatan = 'diubah'",
        "update audit.rilis_satu_data set sidik_isi = repeat('0', 64)",
        "delete from audit.rilis_satu_data",
        "truncate audit.rilis_satu_data",
    ):
        with (
            psycopg.connect(dsn(gudang)) as conn,
            pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="tidak dapat diubah"),
        ):
            conn.execute(statement)
    assert query(gudang, "select count(*) from audit.rilis_satu_data")[0][0] == 1
    # every file read-only; the package writer and the installer refuse the existing folder
    assert all(
        not (p.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        for p in folder.rglob("*")
        if p.is_file()
    )
    with pytest.raises(FolderExists):
        build(TAHUN, folder)
    draft = build(TAHUN, tmp_path / "draf")
    with pytest.raises(FolderExists):
        versions._install(tmp_path / "draf", folder)
    # a draft built for version 1 again, recorded after version 1 exists, is refused
    stale = dict(draft, versi=1, sidik_isi="f" * 64)
    with pytest.raises(VersionMoved):
        record(stale)
    assert files_of(folder) == before
    assert recorded["rilis_id"] == history(TAHUN)[0]["rilis_id"]


def test_the_cli_builds_into_a_folder_once(gudang, tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["rilis", str(TAHUN), "--out", str(out)]) == 0
    assert (out / "datapackage.json").is_file()
    assert main(["rilis", str(TAHUN), "--out", str(out)]) == 1
    assert "sekali" in capsys.readouterr().out
    assert main(["rilis", "1999"]) == 1  # a year the public layer does not hold
    assert main(["rilis", str(TAHUN)]) == 0  # a dry run: nothing recorded, no folder kept
    assert history(TAHUN) == []
    assert not (versions.rilis_dir() / str(TAHUN)).exists()


def test_a_correction_is_a_new_version_that_says_what_changed(gudang, tmp_path):
    first = release(TAHUN, uji_coba=False)
    v1 = versions.version_folder(TAHUN, 1)
    v1_files = files_of(v1)
    land_correction(dt.date(2024, 6, 3))
    note = "Koreksi register Kota Medan (kiriman ulang dinas, 3 Juni 2024)"
    dry = release(TAHUN, catatan=note)  # a dry run says what would be recorded, records nothing
    assert dry["versi"] == 2 and not dry["dicatat"] and history(TAHUN)[-1]["versi"] == 1
    second = release(TAHUN, uji_coba=False, catatan=note)
    assert second["dicatat"] and second["versi"] == 2 and not second["tidak_berubah"]
    assert second["sidik_isi"] != first["sidik_isi"]
    v2 = versions.version_folder(TAHUN, 2)
    dp = descriptor(v2)
    assert dp["version"] == "2"
    assert dp["rilis"]["versi_sebelumnya"] == 1 and dp["rilis"]["catatan"] == note
    change = dp["rilis"]["perubahan"]["tabel"]["ikm_per_wilayah"]
    assert change["sel_berubah"] > 0 and change["baris_berubah"] > 0
    medan = [c for c in change["sel"] if c["kunci"]["kode_kabkota"] == "1271"]
    assert any(c["kolom"] == "jumlah_unit" and c["sesudah"] == "5" for c in medan)
    national = [c for c in change["sel"] if c["kunci"]["tingkat"] == "nasional"]
    assert any(c["kolom"] == "jumlah_unit" for c in national)
    assert files_of(v1) == v1_files  # the first version is untouched
    records = history(TAHUN)
    assert [r["versi"] for r in records] == [1, 2]
    assert records[1]["catatan"] == note
    assert (
        records[1]["perubahan"]["tabel"]["ikm_per_wilayah"]["sel_berubah"] == change["sel_berubah"]
    )
    ((penyegaran, submission),) = query(
        gudang,
        "select penyegaran_id, submission_terakhir from audit.rilis_satu_data where versi = 2",
    )
    assert penyegaran == query(gudang, "select max(penyegaran_id) from audit.penyegaran_mart")[0][0]
    assert (
        submission
        == query(
            gudang, "select max(submission_id) from audit.submission where processed_at is not null"
        )[0][0]
    )
    assert validate(v2)["valid"] and validate(v1)["valid"]
    assert os.listdir(versions.rilis_dir() / "_draf") == []
