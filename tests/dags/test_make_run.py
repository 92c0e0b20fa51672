"""`make run`'s runner: a landing day goes through `airflow dags test` and ends in a summary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.settings import PROJECT_ROOT
from tests.conftest import _admin, query

pytestmark = pytest.mark.dags


def test_runner_processes_a_day_through_airflow_and_summarises(warehouse, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env["IKM_STATE_DIR"] = str(tmp_path / "state")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "etl", "run", "2024-03-04"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:  # the runner made Airflow's metadata database beside the warehouse's
        meta = warehouse.set(database=f"airflow_{warehouse.database}")
        _admin(meta, f'drop database if exists "{meta.database}" with (force)')
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "• ikm_ingest_nightly 2024-03-04" in out
    assert "2024-03-04/3578/unit_ikm_2023.xlsx" in out and "diterima_sebagian" in out
    assert "Ringkasan / summary" in out and "make psql" in out
    log_line = next(line for line in out.splitlines() if "Airflow log" in line)
    log_text = Path(log_line.split()[-1]).read_text(encoding="utf-8")
    assert "DagRun Finished" in log_text
    assert "DagRun Finished" not in out  # Airflow's verbose output stays in the log file
    (files,) = query(warehouse, "select count(*) from audit.submission where status <> 'diproses'")[
        0
    ]
    assert files == 3
