"""Operating the pipeline from Airflow: reprocess and dry run, publish from asset events,
retries of transient errors only, failure alerts, and a failed file's reason in the task log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from datetime import timedelta

import pendulum
import psycopg
import pytest

from tests.conftest import checksums, query
from tests.dags.test_dags import dagbag
from tests.support.webhook import local_webhook

pytestmark = pytest.mark.dags

DAY = dt.date(2024, 3, 4)


def _logical(day: dt.date) -> pendulum.DateTime:
    return pendulum.datetime(day.year, day.month, day.day, tz="Asia/Jakarta")


def _run_nightly(day: dt.date = DAY):
    return dagbag().get_dag("ikm_ingest_nightly").test(logical_date=_logical(day))


def _states(run) -> dict[str, set[str]]:
    states: dict[str, set[str]] = {}
    for ti in run.get_task_instances():
        states.setdefault(ti.task_id, set()).add(str(ti.state))
    return states


def _files_of_tree(root) -> dict[str, float]:
    return (
        {str(p.relative_to(root)): p.stat().st_mtime for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else {}
    )


@pytest.fixture
def webhook(monkeypatch) -> Iterator[list[dict]]:
    with local_webhook() as hook:
        monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", hook.url)
        yield hook.received


# -- ikm_reprocess: the trigger form -----------------------------------------------------


def test_reprocess_form_is_a_json_schema_with_a_safe_default(airflow_home):
    from airflow.sdk.definitions.param import ParamsDict
    from airflow.sdk.exceptions import ParamValidationError

    dag = dagbag().get_dag("ikm_reprocess")
    params = dag.params
    assert params["uji_coba"] is True  # a form left as it is writes nothing
    schema = params.get_param("kantor").schema
    assert schema["type"] == "array" and schema["items"]["pattern"] == "^[0-9]{2}([0-9]{2})?$"
    assert set(params.get_param("jenis").schema["items"]["enum"]) == {
        "unit_ikm",
        "tenaga_kerja",
        "realisasi_program",
        "peserta_program",
    }
    form = ParamsDict(dict(params.items()))
    with pytest.raises(ParamValidationError, match="kantor"):
        form["kantor"] = ["3x"]  # the form refuses an office code that is not 2 or 4 digits
    with pytest.raises(ParamValidationError, match="jenis"):
        form["jenis"] = ["unit"]
    good = ParamsDict(dict(params.items()))
    good["kantor"] = ["32", "3273"]
    good["jenis"] = ["unit_ikm"]
    assert good.validate()["kantor"] == ["32", "3273"]


def test_dry_run_reports_what_would_change_and_writes_nothing(airflow_home, warehouse):
    from airflow.utils.state import DagRunState

    from etl.settings import get_settings

    assert _run_nightly().state == DagRunState.SUCCESS
    # a clean register of the day is edited in place after it was loaded (a landing repair)
    settings = get_settings()
    register = settings.landing_dir / DAY.isoformat() / "1271" / "unit_ikm_2023_kota_medan.csv"
    ((held,),) = query(
        warehouse,
        "select jumlah_baris_diterima from audit.submission where path = %s",
        (f"{DAY.isoformat()}/1271/{register.name}",),
    )
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    register.write_text("".join(lines[:-3]), encoding="utf-8")  # three units fewer
    before = checksums(warehouse)
    trees = (settings.staging_dir, settings.feedback_dir)
    files_before = [_files_of_tree(p) for p in trees]

    dag = dagbag().get_dag("ikm_reprocess")
    run = dag.test(run_conf={"tanggal_tiba": DAY.isoformat(), "kantor": ["1271"]})
    assert run.state == DagRunState.SUCCESS  # uji_coba defaults to a dry run
    assert _states(run) == {"plan": {"success"}, "reprocess": {"skipped"}}
    plan = run.get_task_instance("plan").xcom_pull(task_ids="plan")
    assert plan == {"tanggal_tiba": DAY.isoformat(), "jumlah_berkas": 1, "berkas_berubah": 1}
    assert checksums(warehouse) == before  # nothing written to the warehouse
    assert [_files_of_tree(p) for p in trees] == files_before  # nor to staging or feedback

    from etl.reprocess import dry_run

    report = dry_run(DAY, ["1271"], ["unit_ikm"])
    (item,) = report["berkas"]
    assert item["status_sekarang"] == item["status_nanti"] == "diterima"
    assert (item["baris_diterima_sekarang"], item["baris_diterima_nanti"]) == (held, held - 3)
    (scope,) = item["cakupan"]
    assert scope == {
        "kode_cakupan": "1271",
        "baris_sekarang": held,
        "baris_nanti": held - 3,
        "pemilik_sekarang": f"{DAY.isoformat()}/1271/{register.name}",
        "perubahan": "jumlah baris berubah",
    }
    assert dry_run(DAY, ["1271"], ["tenaga_kerja"])["berkas"] == []


def test_reprocess_for_one_office_and_kind_processes_only_those_files(airflow_home, warehouse):
    from airflow.utils.state import DagRunState

    assert _run_nightly().state == DagRunState.SUCCESS
    before = dict(query(warehouse, "select path, processed_at from audit.submission"))
    chosen = next(p for p in before if "/32/" in p and "unit_ikm" in p)

    # the nightly run again: every file unchanged, so none is processed and nothing announced
    again = _run_nightly()
    assert again.state == DagRunState.SUCCESS
    assert _states(again)["announce"] == {"skipped"}
    assert dict(query(warehouse, "select path, processed_at from audit.submission")) == before

    dag = dagbag().get_dag("ikm_reprocess")
    content = checksums(warehouse)
    run = dag.test(
        run_conf={
            "tanggal_tiba": DAY.isoformat(),
            "kantor": ["32"],
            "jenis": ["unit_ikm"],
            "uji_coba": False,
        }
    )
    assert run.state == DagRunState.SUCCESS
    assert _states(run) == {"plan": {"success"}, "reprocess": {"success"}}
    after = dict(query(warehouse, "select path, processed_at from audit.submission"))
    changed = {p for p in after if after[p] != before[p]}
    assert changed == {chosen}
    # same bytes, same rules: processing again gives the same warehouse
    moved = {k for k in checksums(warehouse) if checksums(warehouse)[k] != content[k]}
    assert moved <= {"audit.submission", "audit.hasil_validasi"}, moved


# -- ikm_publish: marts refreshed together from the asset events ---------------------------


def test_publish_refreshes_materialized_marts_and_writes_the_completeness_report(
    airflow_home, warehouse
):
    from airflow.utils.state import DagRunState

    from etl.settings import get_settings

    units = "select coalesce(sum(jumlah_unit), 0) from mart.ikm_per_wilayah"
    assert _run_nightly().state == DagRunState.SUCCESS
    loaded = query(warehouse, "select count(*) from core.fakta_unit_ikm")
    assert loaded[0][0] > 0
    assert query(warehouse, units) == [(0,)]  # BI still sees the state before the load

    dag = dagbag().get_dag("ikm_publish")
    run = dag.test()
    assert run.state == DagRunState.SUCCESS
    assert query(warehouse, units) == loaded  # every mart refreshed, in dependency order
    assert (
        query(
            warehouse,
            "select sum(jumlah_unit_ikm) from mart.indikator_ikm where tingkat = 'nasional'",
        )
        == loaded
    )
    report = get_settings().feedback_dir / "_kelengkapan" / "kelengkapan_terbaru.csv"
    rows = report.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("jenis,periode,kode_provinsi")
    (sent,) = query(
        warehouse,
        "select count(*) from mart.status_pengiriman "
        "where status in ('diterima', 'diterima_sebagian')",
    )[0]
    total = 0
    for line in rows[1:]:
        cells = line.split(",")
        total += int(cells[5]) + int(cells[6])
    assert total == sent and sent > 0


def test_the_nightly_announces_the_warehouse_and_publish_listens(airflow_home):
    nightly = dagbag().get_dag("ikm_ingest_nightly")
    outlets = {o.uri for o in nightly.get_task("announce").outlets}
    assert outlets == {"ikm://gudang/core"}
    publish = dagbag().get_dag("ikm_publish")
    listened = {a.uri for a in publish.timetable.asset_condition.objects}
    assert "ikm://gudang/core" in listened and "ikm://gudang/referensi" in listened
    assert publish.get_task("refresh_marts").pool == "ikm_gudang"
    assert dagbag().get_dag("ikm_reprocess").get_task("reprocess").pool == "ikm_gudang"


# -- retries: transient errors only, with backoff -------------------------------------------


def test_a_transient_warehouse_error_is_retried_and_the_run_completes(
    airflow_home, warehouse, monkeypatch
):
    from airflow.utils.state import DagRunState

    from etl import flow

    real = flow.load_validated
    calls = []

    def flaky(validated):
        calls.append(1)
        if len(calls) == 1:
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        return real(validated)

    monkeypatch.setattr(flow, "load_validated", flaky)
    dag = dagbag().get_dag("ikm_ingest_nightly")
    load = dag.get_task("load")
    assert load.retries == 3 and load.retry_exponential_backoff
    load.retry_delay = timedelta(seconds=1)
    run = dag.test(logical_date=_logical(DAY))
    assert run.state == DagRunState.SUCCESS
    assert len(calls) == 2
    assert run.get_task_instance("load").try_number == 2
    assert query(warehouse, "select count(*) from core.baris_unit_ikm")[0][0] > 0


def test_a_bug_fails_at_once_without_retries_and_alerts(
    airflow_home, warehouse, monkeypatch, webhook
):
    from airflow.utils.state import DagRunState

    from etl import flow

    calls = []

    def broken(validated):
        calls.append(1)
        raise KeyError("kolom_tidak_ada")

    monkeypatch.setattr(flow, "load_validated", broken)
    dag = dagbag().get_dag("ikm_ingest_nightly")
    dag.get_task("load").retry_delay = timedelta(seconds=1)
    run = dag.test(logical_date=_logical(DAY))
    assert run.state == DagRunState.FAILED
    assert len(calls) == 1  # a retry cannot fix a bug
    ti = run.get_task_instance("load")
    assert str(ti.state) == "failed" and ti.try_number == 1
    failed = [a for a in webhook if a.get("jenis") == "gagal" and a.get("task_id") == "load"]
    assert failed, webhook
    assert "kolom_tidak_ada" in failed[0]["galat"]
    assert failed[0]["dag_id"] == "ikm_ingest_nightly"


def test_no_alert_is_sent_when_no_channel_is_configured(
    airflow_home, warehouse, monkeypatch, caplog
):
    from airflow.utils.state import DagRunState

    from etl import flow
    from etl.ops import alerts

    monkeypatch.delenv("IKM_PERINGATAN_WEBHOOK", raising=False)
    monkeypatch.delenv("IKM_PERINGATAN_EMAIL", raising=False)
    sent = []
    monkeypatch.setattr(alerts, "_post_webhook", lambda *a: sent.append(a))
    monkeypatch.setattr(flow, "load_validated", lambda v: (_ for _ in ()).throw(KeyError("x")))
    run = dagbag().get_dag("ikm_ingest_nightly").test(logical_date=_logical(DAY))
    assert run.state == DagRunState.FAILED
    assert sent == []


# -- a failed file in the task log ------------------------------------------------------------


def test_a_rejected_file_is_named_with_its_reason_and_report_link(
    airflow_home, warehouse, sample_manifest, monkeypatch, caplog
):
    import logging

    from etl.settings import get_settings
    from etl.stages import s5_publish as publish

    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "http://127.0.0.1:8080")
    caplog.set_level(logging.INFO, logger="etl.stages.s5_publish.day")
    day = next(f.tanggal_tiba for f in sample_manifest if f.diharapkan == "ditolak")
    from etl import flow

    flow.run_day(day)
    rejected = query(
        warehouse,
        "select path, pesan from audit.submission where tanggal_tiba = %s and status = 'ditolak'",
        (day,),
    )
    assert rejected
    path, pesan = rejected[0]
    lines = [r.getMessage() for r in caplog.records if r.name == "etl.stages.s5_publish.day"]
    line = next(m for m in lines if path in m)
    assert line.startswith("DITOLAK") and pesan in line
    office, name = path.split("/")[1], path.split("/")[-1]
    link = f"http://127.0.0.1:8080/umpan-balik/{day.isoformat()}/{office}/{name}.umpan_balik.md"
    assert link in line
    report = get_settings().feedback_dir / day.isoformat() / office / f"{name}.umpan_balik.md"
    assert report.is_file() and publish.report_link(report) == link


def test_the_nightly_has_a_lateness_deadline_unless_turned_off(airflow_home, monkeypatch):
    from airflow.sdk import AsyncCallback, DeadlineAlert

    monkeypatch.setenv("IKM_PERINGATAN_TERLAMBAT_MENIT", "90")
    deadline = dagbag().get_dag("ikm_ingest_nightly").deadline
    alerts = deadline if isinstance(deadline, list) else [deadline]
    (alert,) = alerts
    assert isinstance(alert, DeadlineAlert) and isinstance(alert.callback, AsyncCallback)
    assert alert.interval == timedelta(minutes=90)
    assert type(alert.reference).__name__ == "DagRunQueuedAtDeadline"
    monkeypatch.setenv("IKM_PERINGATAN_TERLAMBAT_MENIT", "0")
    assert not dagbag().get_dag("ikm_ingest_nightly").deadline
