"""ikm_reference_refresh under Airflow: a changed reference folder becomes a dated edition."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import pytest

from etl.settings import PROJECT_ROOT, get_settings
from tests.conftest import query

pytestmark = pytest.mark.dags


def get_dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags" / "ikm_reference_refresh.py"))
    assert bag.import_errors == {}
    return bag.get_dag("ikm_reference_refresh")


def test_the_dag_is_manual_with_a_date_form_and_an_asset(airflow_home):
    dag = get_dag()
    assert type(dag.timetable).__name__ == "NullTimetable"
    assert set(dag.params) == {"berlaku_mulai", "label"}
    assert dag.params.get_param("berlaku_mulai").schema["format"] == "date"
    assert dag.doc_md.rstrip().endswith("Owner: IKM data engineering team, Kemenperin.")
    outlets = dag.get_task("load_edition").outlets
    assert [(a.name, a.uri) for a in outlets] == [
        ("ikm_gudang_referensi", "ikm://gudang/referensi")
    ]
    assert all(t.owner == "ikm-data-engineering" for t in dag.tasks)


def test_a_changed_folder_is_loaded_as_an_edition_with_its_date(
    airflow_home, warehouse, tmp_path, monkeypatch
):
    from airflow.utils.state import DagRunState

    refdir = tmp_path / "referensi"
    shutil.copytree(get_settings().reference_dir, refdir)
    monkeypatch.setenv("IKM_REFERENCE_DIR", str(refdir))
    # Kota Bogor (3271) moves to Banten in this made-up edition
    path = refdir / "wilayah_kabkota.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    for r in rows:
        if r["kode_kabkota"] == "3271":
            r["kode_provinsi"] = "36"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()

    run = get_dag().test(run_conf={"berlaku_mulai": future, "label": "edisi uji DAG"})
    assert run.state == DagRunState.SUCCESS
    editions = query(
        warehouse,
        "select label, berlaku_mulai::text, terkini, jumlah_wilayah_baru, jumlah_wilayah_berubah, "
        "jumlah_wilayah_ditutup from mart.edisi_referensi order by edisi_id",
    )
    assert editions[-1] == ("edisi uji DAG", future, True, 0, 1, 0)
    assert len(editions) == 2
    report = next(ti for ti in run.get_task_instances() if ti.task_id == "report")
    assert str(report.state) == "success"
    (province,) = query(
        warehouse, "select kode_provinsi from core.dim_wilayah where kode_wilayah = '3271'"
    )[0]
    assert province == "36"

    again = get_dag().test(run_conf={})
    assert again.state == DagRunState.SUCCESS
    assert query(warehouse, "select count(*) from core.edisi_referensi") == [(2,)]
