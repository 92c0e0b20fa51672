"""The docker compose stack: a valid compose file (Debian's ``docker-compose config``) with the
services the design names, Airflow on the CeleryExecutor, Superset reading as ``bi_reader``,
and no secret written in the file itself: every one comes from ``.env``."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from etl.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit

AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET", re.IGNORECASE)


def _example_env() -> dict[str, str]:
    pairs = {}
    for line in (PROJECT_ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def _config(env_file: Path) -> dict:
    binary = shutil.which("docker-compose")
    assert binary, "Debian's docker-compose is installed by `make test`"
    result = subprocess.run(
        [binary, "--env-file", str(env_file), "config"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def _mounts(service: dict) -> dict[str, dict]:
    """A service's volumes by target, whichever syntax ``config`` printed them in (short
    ``source:target:mode`` strings from docker-compose 1.x, mappings from v2)."""
    out = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target, *mode = volume.split(":")
            volume = {"source": source, "target": target, "read_only": mode == ["ro"]}
        out[volume["target"]] = volume
    return out


@pytest.fixture(scope="module")
def config() -> dict:
    return _config(PROJECT_ROOT / ".env.example")


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict[str, str]]:
    """The config rendered from an .env whose every secret is a unique marker, with the
    markers by variable: where a marker shows up, that value came from .env."""
    secrets = {
        key: f"MARKER{i:02d}x{key.lower().replace('_', '')}"
        for i, key in enumerate(_example_env())
        if SECRET_NAME.search(key)
    }
    env_file = tmp_path_factory.mktemp("compose") / "env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in {**_example_env(), **secrets}.items()))
    return _config(env_file), secrets


def test_compose_file_is_valid_with_every_service(config: dict):
    services = config["services"]
    assert {"postgres", "redis", "superset", *AIRFLOW_SERVICES} <= set(services)
    env = services["airflow-scheduler"]["environment"]
    assert env["WAREHOUSE_URL"].endswith("@postgres:5432/ikm")
    assert "sqlite" not in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert services["airflow-worker"]["command"].split()[:2] == ["celery", "worker"]
    assert services["superset"]["image"] == "apache/superset:6.1.0"


def test_every_airflow_service_runs_the_celery_executor(config: dict):
    for name in AIRFLOW_SERVICES:
        env = config["services"][name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://redis:6379/0", name
        backend = env["AIRFLOW__CELERY__RESULT_BACKEND"]
        assert backend.startswith("db+postgresql") and backend.endswith("@postgres:5432/airflow")
        # the worker reaches the api-server that hands out task identities
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith(
            "http://airflow-apiserver:8080/"
        )
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        depends = config["services"][name]["depends_on"]
        assert depends["airflow-init"]["condition"] == "service_completed_successfully", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert "healthcheck" in config["services"][name], name


def test_superset_reads_the_warehouse_as_bi_reader_after_the_migrations(config: dict):
    superset = config["services"]["superset"]
    uri = superset["environment"]["SUPERSET_WAREHOUSE_URI"]
    assert uri.startswith("postgresql+psycopg2://bi_reader:") and uri.endswith("@postgres:5432/ikm")
    assert superset["environment"]["SUPERSET_METADATA_URI"].endswith("@postgres:5432/superset")
    assert superset["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
    assert superset["command"] == ["bash", "/app/ikm-bi/docker-init.sh"]
    bi = _mounts(superset)["/app/ikm-bi"]
    assert bi.get("read_only") and Path(bi["source"]) == PROJECT_ROOT / "bi"
    # the role the migrations create gets the same password Superset connects with
    init = config["services"]["airflow-init"]
    assert "python -m etl migrate" in " ".join(init["command"])
    password = uri.split("bi_reader:", 1)[1].split("@", 1)[0]
    assert init["environment"]["IKM_BI_READER_PASSWORD"] == password
    # and the public dashboard's connection reads as publik_reader, with its password
    publik = superset["environment"]["SUPERSET_PUBLIK_URI"]
    assert publik.startswith("postgresql+psycopg2://publik_reader:")
    assert publik.endswith("@postgres:5432/ikm")
    password = publik.split("publik_reader:", 1)[1].split("@", 1)[0]
    assert init["environment"]["IKM_PUBLIK_READER_PASSWORD"] == password


def test_volumes_for_landing_feedback_and_data(config: dict):
    mounts = _mounts(config["services"]["airflow-worker"])
    assert mounts["/data/landing"].get("read_only")
    assert {"/data/umpan_balik", "/data/staging", "/data/state", "/opt/airflow/logs"} <= set(mounts)
    assert config["volumes"].keys() >= {"pgdata", "staging", "state", "airflow-logs"}
    # the UI shows the task logs the worker wrote
    assert "/opt/airflow/logs" in _mounts(config["services"]["airflow-apiserver"])


def test_every_secret_comes_from_the_env_file(marked: tuple[dict, dict[str, str]]):
    config, secrets = marked
    assert len(secrets) >= 8, secrets
    rendered = yaml.safe_dump(config)
    # each secret of .env reaches the stack (none is unused or shadowed by a literal)
    for key, value in secrets.items():
        assert value in rendered, f"{key} from .env is used nowhere"
    # every credential in the rendered stack is one of .env's markers
    found = 0
    for name, service in config["services"].items():
        for key, value in (service.get("environment") or {}).items():
            value = str(value)
            for password in re.findall(r"://[^:/@\s]+:([^@\s]+)@", value):
                assert password.startswith("MARKER"), f"{name} {key}: a literal password"
                found += 1
            if SECRET_NAME.search(key) and value and not key.endswith("_FILE"):
                assert value.startswith("MARKER"), f"{name} {key}: a literal secret"
                found += 1
    assert found >= 15
    # and the file itself holds none of the example's values either
    text = (PROJECT_ROOT / "docker-compose.yml").read_text()
    for key, value in _example_env().items():
        if SECRET_NAME.search(key):
            assert value not in text, key


def test_the_postgres_init_script_creates_the_three_databases(config: dict):
    postgres = config["services"]["postgres"]
    assert postgres["environment"]["POSTGRES_DB"] == "ikm"
    script = next(
        Path(v["source"])
        for target, v in _mounts(postgres).items()
        if target.startswith("/docker-entrypoint-initdb.d/")
    )
    text = script.read_text()
    for database in ("airflow", "superset"):
        assert f"create database {database} owner {database}" in text
    # passwords arrive through psql variables, never in the script
    assert ":'airflow_pw'" in text and ":'superset_pw'" in text


def test_the_portal_writes_the_landing_zone_and_signs_with_a_secret_from_env(
    config: dict, marked: tuple[dict, dict[str, str]]
):
    portal = config["services"]["portal"]
    assert portal["command"][:4] == ["python", "-m", "etl", "portal"]
    mounts = _mounts(portal)
    assert not mounts["/data/landing"].get("read_only")  # it lands the offices' files
    assert mounts["/data/umpan_balik"].get("read_only")
    assert portal["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
    assert portal["environment"]["WAREHOUSE_URL"].endswith("@postgres:5432/ikm")
    rendered, secrets = marked
    env = rendered["services"]["portal"]["environment"]
    assert env["IKM_PORTAL_SECRET"] == secrets["IKM_PORTAL_SECRET"]
    assert [str(p).removesuffix("/tcp") for p in portal["ports"]] == ["127.0.0.1:8090:8090"]
