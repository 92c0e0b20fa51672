"""A task process hides the warehouse's passwords in what it logs.

Run as Airflow runs a task (a process with the task SDK's logging, whose output the
supervisor writes to the task log): once ``etl`` has seen a password, a log line holding the
connection string shows ``***`` instead, in its plain and URL-encoded forms.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.unit

PASSWORD = "IkmRahasia/Uji+1;"

TASK = textwrap.dedent(
    """
    import logging
    import sys

    from airflow.sdk.log import configure_logging

    configure_logging(output=sys.stdout, colored_console_log=False)
    from sqlalchemy.engine import make_url

    from etl import warehouse

    password = sys.argv[1]
    warehouse.mask_in_airflow(password)
    url = make_url("postgresql://postgres@127.0.0.1/ikm").set(password=password)
    dsn = url.render_as_string(hide_password=False)
    logging.getLogger("etl.uji").warning("koneksi gudang: %s", dsn)
    logging.getLogger("etl.uji").warning("sandi: %s", password)
    """
)


def run_task(tmp_path, script: str) -> str:
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path), "PYTHONPATH": os.getcwd()}
    done = subprocess.run(
        [sys.executable, "-c", script, PASSWORD],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return done.stdout + done.stderr


def test_the_password_is_masked_in_a_task_log(tmp_path):
    written = run_task(tmp_path, TASK)
    assert "koneksi gudang: postgresql://postgres:***@127.0.0.1/ikm" in written, written
    assert "sandi: ***" in written
    assert PASSWORD not in written
    assert "IkmRahasia%2FUji%2B1%3B" not in written  # URL-encoded
    assert "IkmRahasia%2FUji+1%3B" not in written  # as SQLAlchemy writes it in a URL


def test_without_it_the_same_line_would_show_the_password(tmp_path):
    """The check above can fail: the same task without ``mask_in_airflow`` leaks."""
    written = run_task(tmp_path, TASK.replace("warehouse.mask_in_airflow(password)", "pass"))
    assert "IkmRahasia%2FUji+1%3B" in written


def test_importing_etl_outside_airflow_masks_nothing_and_imports_no_airflow(tmp_path):
    script = (
        "import sys\nfrom etl import warehouse\nwarehouse.mask_in_airflow(sys.argv[1])\n"
        "assert not [m for m in sys.modules if m.startswith('airflow')]\n"
    )
    run_task(tmp_path, script)
