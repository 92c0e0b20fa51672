"""The environment Airflow runs in here: metadata in PostgreSQL, this project's DAGs, quiet logs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from etl.settings import PROJECT_ROOT, settings_from
from etl.warehouse import airflow_metadata_url, warehouse_url

WAREHOUSE_POOL = "ikm_gudang"
"""Caps how many tasks write the warehouse at once (loads and mart refreshes)."""


def airflow_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment variables for ``airflow`` commands run on behalf of this project.

    Built from ``base`` (default: this process's environment) alone: its settings, its
    warehouse, its metadata database (created when ``base`` names none)."""
    env = dict(os.environ if base is None else base)
    settings = settings_from(env)
    home = settings.state_dir / "airflow"
    home.mkdir(parents=True, exist_ok=True)
    wh = warehouse_url(settings, ensure=False)
    meta = env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN") or airflow_metadata_url(
        settings
    ).render_as_string(hide_password=False)
    pythonpath = [str(PROJECT_ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": meta,
            # Airflow 3's API server also talks to the metadata database asynchronously;
            # psycopg 3 does both, so no second driver is needed.
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": env.get(
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC",
                meta.replace("postgresql+psycopg2://", "postgresql+psycopg://", 1),
            ),
            "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Jakarta",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": env.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "INFO"),
            "WAREHOUSE_URL": wh.render_as_string(hide_password=False),
            "IKM_LANDING_DIR": str(settings.landing_dir),
            "IKM_REFERENCE_DIR": str(settings.reference_dir),
            "IKM_FEEDBACK_DIR": str(settings.feedback_dir),
            "IKM_STAGING_DIR": str(settings.staging_dir),
            "IKM_STATE_DIR": str(settings.state_dir),
            "PYTHONPATH": os.pathsep.join(pythonpath),
            "GX_ANALYTICS_ENABLED": "False",
            "NO_PROXY": "*",
        }
    )
    return env


def airflow_binary() -> str:
    """The venv's ``airflow`` (the one installed beside this interpreter)."""
    local = Path(sys.executable).parent / "airflow"
    return str(local) if local.exists() else (shutil.which("airflow") or "airflow")


def prepare_metadata(env: dict[str, str], log) -> None:
    """Migrate Airflow's metadata database and (re)declare the warehouse pool."""
    airflow = airflow_binary()
    subprocess.run(
        [airflow, "db", "migrate"], env=env, stdout=log, stderr=subprocess.STDOUT, check=True
    )
    subprocess.run(
        [
            airflow,
            "pools",
            "set",
            WAREHOUSE_POOL,
            str(settings_from(env).slot_gudang),
            "Tasks that write the IKM warehouse (loads, mart refreshes)",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        check=True,
    )
