"""The docker compose stack is a valid compose file with the services the design names."""

import shutil
import subprocess

import pytest
import yaml

from etl.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit


def test_compose_file_is_valid():
    binary = shutil.which("docker-compose")
    assert binary, "Debian's docker-compose is installed by `make test`"
    result = subprocess.run(
        [binary, "--env-file", ".env.example", "config"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert {
        "postgres",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
    } <= set(config["services"])
    env = config["services"]["airflow-scheduler"]["environment"]
    assert env["WAREHOUSE_URL"].endswith("@postgres:5432/ikm")
    assert "sqlite" not in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
