"""`make airflow` itself: the command a data engineer types, up with a login, down on Ctrl-C.
(Its ``--executor celery`` is what tests/services/conftest.py starts for every other test.)"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from sqlalchemy.engine import URL

from etl.settings import PROJECT_ROOT
from tests.conftest import SESSION, _admin
from tests.services.conftest import _free_port

pytestmark = pytest.mark.airflow


def _cmdline(process: psutil.Process) -> str:
    """A process's command line; empty for one that already exited (a zombie not yet reaped)."""
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def test_make_airflow_starts_with_a_login_and_stops_cleanly_on_ctrl_c(
    server_url: URL, template_db: URL, samples_dir: Path, tmp_path: Path
):
    meta = server_url.set(drivername="postgresql+psycopg2", database=f"airflow_make_{SESSION}")
    warehouse = template_db.set(database=f"ikm_test_{SESSION}_make_airflow")
    _admin(meta, f'create database "{meta.database}"')
    _admin(warehouse, f'create database "{warehouse.database}" template "{template_db.database}"')
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(
        {
            "IKM_STATE_DIR": str(tmp_path / "state"),
            "IKM_LANDING_DIR": str(samples_dir),
            "WAREHOUSE_URL": warehouse.render_as_string(hide_password=False),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": meta.render_as_string(hide_password=False),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": meta.set(
                drivername="postgresql+psycopg"
            ).render_as_string(hide_password=False),
            "IKM_AIRFLOW_PASSWORD": "rahasia-uji",
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "etl", "airflow", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    children: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Ctrl-C stops Airflow" in line:
                break
        output = "".join(lines)
        assert f"Airflow is up: http://127.0.0.1:{port}" in output, output
        assert "login     admin / rahasia-uji" in output, output
        # the default stays the LocalExecutor: no broker, no Celery worker
        assert "executor  LocalExecutor\n" in output, output
        children = psutil.Process(process.pid).children()  # the four components
        names = " ".join(_cmdline(c) for c in children)
        for component in ("scheduler", "dag-processor", "triggerer", "api_server"):
            assert component in names, names
        assert "celery" not in names, names

        # the printed login works against the API
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/auth/token",
            data=json.dumps({"username": "admin", "password": "rahasia-uji"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.load(response)["access_token"]

        process.send_signal(signal.SIGINT)  # Ctrl-C
        assert process.wait(timeout=90) == 0
        rest = process.stdout.read()
        assert "stopping Airflow" in rest
        gone = psutil.wait_procs(children, timeout=30)[1]
        assert gone == [], [p.cmdline() for p in gone]
    finally:
        # only this command's own processes: the session's Airflow (tests/services/conftest.py)
        # runs under this pytest too, and later tests still use it
        with contextlib.suppress(psutil.Error):
            children += psutil.Process(process.pid).children(recursive=True)
        if process.poll() is None:
            process.kill()
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
        for url in (warehouse, meta):
            _admin(url, f'drop database if exists "{url.database}" with (force)')
