"""The DAGs: they import cleanly and thinly, and one sample day runs end to end under Airflow."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pendulum
import pytest

from etl.settings import PROJECT_ROOT
from tests.conftest import query

pytestmark = pytest.mark.dags

DAGS_DIR = PROJECT_ROOT / "dags"
DAY_PREFIX = "2024-03-04/"


def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


def test_dagbag_imports_without_errors(airflow_home):
    started = time.monotonic()
    bag = dagbag()
    parse_seconds = time.monotonic() - started
    assert bag.import_errors == {}
    files = sorted(p.stem for p in DAGS_DIR.glob("*.py"))
    assert sorted(bag.dag_ids) == files  # DAG id = file name
    for dag in bag.dags.values():
        assert dag.doc_md and "Owner" in dag.doc_md
        assert all(t.owner != "airflow" for t in dag.tasks)
    assert parse_seconds < 30


def test_dag_files_touch_nothing_at_parse_time():
    """Heavy or stateful imports belong inside tasks (Airflow's best practices)."""
    for path in DAGS_DIR.glob("*.py"):
        top_level = [
            line for line in path.read_text().splitlines() if line.startswith(("import ", "from "))
        ]
        for line in top_level:
            assert not any(
                m in line
                for m in (
                    "etl",
                    "pandas",
                    "great_expectations",
                    "psycopg",
                    "sqlalchemy",
                    "Variable",
                )
            ), line


def test_nightly_schedule_is_01_00_jakarta_one_run_per_day(airflow_home):
    dag = dagbag().get_dag("ikm_ingest_nightly")
    timetable = dag.timetable
    assert type(timetable).__name__ == "CronDataIntervalTimetable"  # logical date = arrival day
    assert timetable.expression == "0 1 * * *"
    assert "Asia/Jakarta" in str(timetable.timezone)
    assert dag.catchup is False
    # Backfills run up to three days side by side; their loads share one warehouse slot.
    assert dag.max_active_runs == 3
    assert dag.get_task("load").pool == "ikm_gudang"


def test_the_nightly_s_tasks_are_the_flow_s_steps_in_order(airflow_home):
    """The order of the stages is written once, in ``etl.flow``: the nightly DAG has a task per
    step, with the step's name, and its dependencies put them in the same order."""
    from etl import flow

    dag = dagbag().get_dag("ikm_ingest_nightly")
    order = [t.task_id for t in dag.topological_sort()]
    assert [t for t in order if t in flow.STEPS] == list(flow.STEPS)
    assert set(order) == {*flow.STEPS, "announce"}
    for before, after in zip(flow.STEPS, flow.STEPS[1:], strict=False):
        assert before in dag.get_task(after).get_flat_relative_ids(upstream=True), (before, after)


def test_one_sample_day_end_to_end_with_dag_test(
    airflow_home, warehouse, sample_manifest, monkeypatch
):
    from airflow.utils.state import DagRunState

    monkeypatch.setenv("IKM_EKSTRAK_PARALEL", "2")  # the day's three small files: two tasks
    dag = dagbag().get_dag("ikm_ingest_nightly")
    day = dt.date(2024, 3, 4)
    run = dag.test(logical_date=pendulum.datetime(day.year, day.month, day.day, tz="Asia/Jakarta"))
    assert run.state == DagRunState.SUCCESS
    found = dict(query(warehouse, "select path, status from audit.submission"))
    expected = {
        str(f.path): ("diterima" if f.diharapkan == "digantikan" else f.diharapkan)
        for f in sample_manifest
        if f.tanggal_tiba == day
    }
    assert found == expected
    # the marts follow in ikm_publish (tests/dags/test_operations.py)
    (units,) = query(warehouse, "select count(*) from core.fakta_unit_ikm")[0]
    assert units == sum(
        f.jumlah_baris - len(f.baris_buruk)
        for f in sample_manifest
        if f.tanggal_tiba == day and f.jenis == "unit_ikm"
    )
    (runs,) = query(
        warehouse, "select count(*) from audit.proses_hari where tanggal_tiba = %s", (day,)
    )[0]
    assert runs == 1
    tis = run.get_task_instances()
    ti_states = {(ti.task_id, ti.map_index): ti.state for ti in tis}
    extracts = [ti for ti in tis if ti.task_id == "extract"]
    # a few small files: as many mapped extracts as IKM_EKSTRAK_PARALEL, not one per file
    assert len(expected) == 3 and len(extracts) == 2
    batches = next(ti for ti in tis if ti.task_id == "discover").xcom_pull(task_ids="discover")
    assert sorted(p for b in batches for p in b) == sorted(expected)  # each file in one batch
    labels = sorted(ti.rendered_map_index for ti in extracts)
    assert all(label and label.startswith(DAY_PREFIX) for label in labels), labels
    assert all(str(s) == "success" for s in ti_states.values())
    assert isinstance(Path(airflow_home), Path)


def test_a_file_whose_extract_crashes_does_not_stop_the_others(
    airflow_home, warehouse, sample_manifest, monkeypatch
):
    """One file's extract fails (a bug, not a bad file): the other files of its batch and of
    the day are validated and loaded, the batch's task is red and its label in the grid names
    the file, the broken file ends 'ditolak' flagged as a system error, and the run shows red
    so that someone looks."""
    from airflow.utils.state import DagRunState

    from etl.stages.s2_extract import stage as extract

    day = dt.date(2024, 3, 4)
    files = sorted(str(f.path) for f in sample_manifest if f.tanggal_tiba == day)
    broken = next(p for p in files if "unit_ikm" in p)
    real = extract._extract

    def crash_on_one(conn, landing_dir, rel_path, submission_id, *rest):
        if rel_path == broken:
            raise RuntimeError("injected crash in extract")
        return real(conn, landing_dir, rel_path, submission_id, *rest)

    monkeypatch.setattr(extract, "_extract", crash_on_one)
    dag = dagbag().get_dag("ikm_ingest_nightly")
    run = dag.test(logical_date=pendulum.datetime(day.year, day.month, day.day, tz="Asia/Jakarta"))
    assert run.state == DagRunState.FAILED
    states = {}
    for ti in run.get_task_instances():
        states.setdefault(ti.task_id, set()).add(str(ti.state))
    assert "failed" in states["extract"]
    (red,) = [
        ti
        for ti in run.get_task_instances()
        if str(ti.state) == "failed" and ti.task_id == "extract"
    ]
    assert red.rendered_map_index.startswith(f"GAGAL {broken}"), red.rendered_map_index
    assert states["validate"] == states["load"] == states["publish"] == {"success"}
    assert states["check"] == {"failed"}
    rows = dict(query(warehouse, "select path, status from audit.submission"))
    assert rows.pop(broken) == "ditolak"
    assert set(rows.values()) <= {"diterima", "diterima_sebagian", "ditolak", "digantikan"}
    loaded = [p for p, s in rows.items() if s.startswith("diterima")]
    assert loaded, rows
    ((flagged,),) = query(
        warehouse,
        "select count(*) from audit.submission where galat_sistem and path = %s",
        (broken,),
    )
    assert flagged == 1


def test_an_arrival_day_before_2024_is_processed_like_any_other(airflow_home, warehouse):
    """Files that arrived in 2023 (a backfill of older partitions): the run makes every task and
    processes them, rather than succeeding with no task at all."""
    import shutil

    from airflow.utils.state import DagRunState

    from etl.settings import get_settings

    landing = get_settings().landing_dir
    old, day = dt.date(2024, 3, 4), dt.date(2023, 3, 6)
    shutil.move(landing / old.isoformat(), landing / day.isoformat())
    dag = dagbag().get_dag("ikm_ingest_nightly")
    run = dag.test(logical_date=pendulum.datetime(day.year, day.month, day.day, tz="Asia/Jakarta"))
    assert run.state == DagRunState.SUCCESS
    tasks = {ti.task_id for ti in run.get_task_instances()}
    assert {"prepare", "discover", "extract", "validate", "load", "publish"} <= tasks
    found = query(warehouse, "select path, status from audit.submission")
    assert found and all(path.startswith("2023-03-06/") for path, _ in found)
    assert {status for _, status in found} <= {"diterima", "diterima_sebagian", "ditolak"}
