"""ikm_rilis_satu_data under Airflow: its form, a dry run by default that records nothing, and a
release recorded when asked."""

from __future__ import annotations

import pytest

from tests.conftest import query
from tests.dags.test_dags import dagbag
from tests.support.rilis import TAHUN, load_samples

pytestmark = pytest.mark.dags


def _states(run) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in run.get_task_instances()}


def test_the_form_defaults_to_a_dry_run_and_the_tasks_are_build_validate_record(airflow_home):
    dag = dagbag().get_dag("ikm_rilis_satu_data")
    assert dag.schedule is None or str(dag.timetable.summary) in ("None", "")
    assert dag.params["uji_coba"] is True
    assert dag.params.get_param("tahun").schema["type"] == "integer"
    assert [t.task_id for t in dag.topological_sort()] == ["build", "validate", "record"]


def test_a_dry_run_by_default_records_nothing_then_a_release_is_recorded(
    airflow_home, warehouse, tmp_path, monkeypatch
):
    rilis_dir = tmp_path / "rilis"
    monkeypatch.setenv("IKM_RILIS_DIR", str(rilis_dir))
    load_samples()
    dag = dagbag().get_dag("ikm_rilis_satu_data")

    run = dag.test(run_conf={"tahun": TAHUN})
    assert _states(run) == {"build": "success", "validate": "success", "record": "skipped"}
    assert query(warehouse, "select count(*) from audit.rilis_satu_data")[0][0] == 0
    assert not (rilis_dir / str(TAHUN)).exists()
    assert list((rilis_dir / "_draf").iterdir()) == []  # the scratch folder is removed

    run = dag.test(run_conf={"tahun": TAHUN, "uji_coba": False})
    assert _states(run) == {"build": "success", "validate": "success", "record": "success"}
    ((versi, folder),) = query(warehouse, "select versi, folder from audit.rilis_satu_data")
    assert (versi, folder) == (1, f"{TAHUN}/v1")
    assert (rilis_dir / folder / "datapackage.json").is_file()
    record = next(ti for ti in run.get_task_instances() if ti.task_id == "record")
    assert record.xcom_pull(task_ids="record")["versi"] == 1
