"""``make airflow``: Airflow 3 on this machine, its UI on 127.0.0.1:8080, until Ctrl-C.

Starts the four long-running parts of Airflow 3 (api-server, scheduler, dag-processor,
triggerer) on the LocalExecutor, with their metadata in PostgreSQL (the embedded server's
``airflow`` database unless ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`` says otherwise), this
project's DAGs, the warehouse pool, and one admin login printed at start. ``--executor celery``
runs tasks as the docker compose stack does: the CeleryExecutor, a fifth process
(``airflow celery worker``) and the Redis at ``IKM_CELERY_BROKER``. The tests start Airflow
through the same :class:`AirflowServices`, so what they check is what a user runs.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from etl.ops.airflow_env import (
    WAREHOUSE_POOL,
    airflow_binary,
    airflow_environment,
    prepare_metadata,
)
from etl.ops.processes import Login, die_with_parent, signal_group, tree_rss_mib
from etl.settings import settings_from

__all__ = [
    "CELERY_WORKER",
    "COMPONENTS",
    "EXECUTORS",
    "WAREHOUSE_POOL",
    "AirflowServices",
    "admin_login",
    "celery_environment",
    "components",
    "prepare_metadata",
    "service_environment",
    "tree_rss_mib",
]

COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
CELERY_WORKER = "celery worker"
EXECUTORS = {"local": "LocalExecutor", "celery": "CeleryExecutor"}


def admin_login(env: dict[str, str] | None = None) -> Login:
    """The UI's admin user: ``IKM_AIRFLOW_USER`` / ``IKM_AIRFLOW_PASSWORD`` or admin / admin."""
    settings = settings_from(os.environ if env is None else env)
    return Login(settings.airflow_user, settings.airflow_password)


def _stable_secret(path: Path) -> str:
    """A secret every component shares (JWTs signed by one are checked by the others)."""
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def service_environment(
    host: str = "127.0.0.1",
    port: int = 8080,
    base: dict[str, str] | None = None,
    executor: str = "local",
) -> dict[str, str]:
    """The project's Airflow environment plus what the long-running services need.

    ``executor`` is ``local`` or ``celery`` (see :func:`celery_environment`); an
    ``AIRFLOW__CORE__EXECUTOR`` already in the environment wins over ``local``."""
    if executor not in EXECUTORS:
        raise ValueError(f"executor {executor!r}: one of {', '.join(EXECUTORS)}")
    env = airflow_environment(base)
    home = Path(env["AIRFLOW_HOME"])
    login = admin_login(env)
    passwords = home / "simple_auth_manager_passwords.json"
    passwords.write_text(json.dumps({login.username: login.password}))
    passwords.chmod(0o600)
    url = f"http://{host}:{port}"
    env.update(
        {
            "AIRFLOW__CORE__EXECUTOR": (
                EXECUTORS[executor]
                if executor != "local"
                else env.get("AIRFLOW__CORE__EXECUTOR", EXECUTORS["local"])
            ),
            # Two cores: more than four task processes at once only queue on the CPU.
            "AIRFLOW__CORE__PARALLELISM": env.get("AIRFLOW__CORE__PARALLELISM", "4"),
            "AIRFLOW__CORE__AUTH_MANAGER": (
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
            ),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{login.username}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{url}/execution/",
            "AIRFLOW__API__BASE_URL": url,
            "AIRFLOW__API__HOST": host,
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API__SECRET_KEY": _stable_secret(home / ".api_secret_key"),
            "AIRFLOW__API_AUTH__JWT_SECRET": _stable_secret(home / ".jwt_secret"),
            # New DAG files show up within seconds, not the default five minutes.
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
        }
    )
    if env["AIRFLOW__CORE__EXECUTOR"] == EXECUTORS["celery"]:
        env.update(celery_environment(env))
    return env


def celery_environment(env: dict[str, str]) -> dict[str, str]:
    """The CeleryExecutor's settings: Redis as the broker, the metadata database as the
    result backend (no second store to run), as many worker slots as the core parallelism.

    ``AIRFLOW__OPERATORS__DEFAULT_QUEUE`` names the queue tasks go to and the worker serves;
    two Airflows sharing one Redis each need their own (the tests use one per session)."""
    meta = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    return {
        "AIRFLOW__CELERY__BROKER_URL": (
            env.get("AIRFLOW__CELERY__BROKER_URL") or settings_from(env).celery_broker
        ),
        # Celery's database backend is SQLAlchemy: the same URL behind "db+".
        "AIRFLOW__CELERY__RESULT_BACKEND": env.get("AIRFLOW__CELERY__RESULT_BACKEND", f"db+{meta}"),
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": env.get(
            "AIRFLOW__CELERY__WORKER_CONCURRENCY", env["AIRFLOW__CORE__PARALLELISM"]
        ),
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": env.get(
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE", "default"
        ),
    }


def components(env: dict[str, str]) -> tuple[str, ...]:
    """The processes this environment's Airflow needs: the four, plus a worker for Celery."""
    if env.get("AIRFLOW__CORE__EXECUTOR") == EXECUTORS["celery"]:
        return (*COMPONENTS, CELERY_WORKER)
    return COMPONENTS


def _command(name: str, env: dict[str, str]) -> list[str]:
    airflow = airflow_binary()
    if name == "api-server":
        return [
            airflow,
            name,
            "--host",
            env["AIRFLOW__API__HOST"],
            "--port",
            env["AIRFLOW__API__PORT"],
        ]
    if name == CELERY_WORKER:
        queue = env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"]
        return [
            airflow,
            "celery",
            "worker",
            "--queues",
            queue,
            "--concurrency",
            env["AIRFLOW__CELERY__WORKER_CONCURRENCY"],
            # A node name of its own: several workers may share one machine and one Redis.
            "--celery-hostname",
            f"ikm-{queue}@%h",
            # Alone on its queue: nothing to learn from other workers, and a faster start.
            "--without-gossip",
            "--without-mingle",
            # The api-server reads task logs from the shared AIRFLOW_HOME on this machine;
            # serving them on port 8793 too would clash with any other Airflow here.
            "--skip-serve-logs",
        ]
    return [airflow, name]


@dataclass
class AirflowServices:
    """The Airflow processes (the four, and a Celery worker for the CeleryExecutor), each in
    its own process group with its own log."""

    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.env["AIRFLOW__API__BASE_URL"]

    @property
    def components(self) -> tuple[str, ...]:
        return components(self.env)

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name.replace(' ', '-')}.log"

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name in self.components:
            log = self.log_path(name).open("ab")
            self.processes[name] = subprocess.Popen(
                _command(name, self.env),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=die_with_parent,  # before exec, no threads to upset
            )
            log.close()

    def health(self) -> dict:
        health_url = f"{self.url}/api/v2/monitor/health"
        with urllib.request.urlopen(health_url, timeout=5) as response:  # noqa: S310 (http only)
            return json.load(response)

    def wait_until_healthy(self, timeout: float = 180) -> dict:
        """Block until the api-server answers, the scheduler, dag-processor and triggerer have
        reported in and a Celery worker (if any) is ready; raise with the component logs' tails
        when one died or time ran out."""
        deadline = time.monotonic() + timeout
        last: dict | str = "no answer"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    code = process.returncode
                    raise RuntimeError(f"airflow {name} exited ({code})\n{self.tail()}")
            try:
                last = self.health()
                parts = ("scheduler", "dag_processor", "triggerer")
                if (
                    all(last.get(p, {}).get("status") == "healthy" for p in parts)
                    and self.worker_ready()
                ):
                    return last
            except (urllib.error.URLError, OSError, ValueError) as exc:
                last = str(exc)
            time.sleep(1)
        raise TimeoutError(f"Airflow not healthy after {timeout:.0f} s: {last}\n{self.tail()}")

    def worker_ready(self) -> bool:
        """Whether the Celery worker said it is consuming (always true without one): it is
        not in the api-server's health report."""
        if CELERY_WORKER not in self.processes:
            return True
        path = self.log_path(CELERY_WORKER)
        return path.exists() and " ready." in path.read_text(errors="replace")

    def tail(self, lines: int = 15) -> str:
        out = []
        for name in self.processes:
            path = self.log_path(name)
            text = path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []
            out.append(f"--- {name} ({path})\n" + "\n".join(text))
        return "\n".join(out)

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes.values() if p.poll() is None]

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM each process group (Airflow shuts down gracefully), SIGKILL what lingers."""
        for process in self.processes.values():
            if process.poll() is None:
                signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                signal_group(process, signal.SIGKILL)
                process.wait()
        for process in self.processes.values():
            # Task processes the executor forked share the group; none may outlive Airflow.
            signal_group(process, signal.SIGKILL)


def main(args: argparse.Namespace) -> int:
    from etl import flow, warehouse
    from etl.ops.make_run import ensure_landing
    from etl.settings import get_settings

    settings = get_settings()
    landing_dir = ensure_landing()
    print(f"• warehouse {warehouse.warehouse_url().render_as_string(hide_password=True)}")
    print(f"• schema revision {flow.prepare()}, landing zone {landing_dir}", flush=True)
    env = service_environment(args.host, args.port, executor=args.executor)
    log_dir = settings.state_dir / "logs" / "airflow"
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "setup.log").open("a") as log:
        print("• Airflow metadata database and pools", flush=True)
        prepare_metadata(env, log)
    services = AirflowServices(env, log_dir)

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    signal.signal(signal.SIGINT, _stop)  # also when started in the background (SIGINT ignored)
    services.start()
    try:
        print(f"• starting {', '.join(services.components)} (logs: {log_dir})", flush=True)
        services.wait_until_healthy()
        login = admin_login()
        executor = env["AIRFLOW__CORE__EXECUTOR"]
        if executor == EXECUTORS["celery"]:
            broker = env["AIRFLOW__CELERY__BROKER_URL"]
            executor += f" (broker {broker}, queue {env['AIRFLOW__OPERATORS__DEFAULT_QUEUE']})"
        print(
            f"\nAirflow is up: {services.url}\n"
            f"  login     {login.username} / {login.password}\n"
            f"  executor  {executor}\n"
            f"  DAGs      {env['AIRFLOW__CORE__DAGS_FOLDER']} (new DAGs start paused)\n"
            f"  landing   {landing_dir}\n"
            f"  Ctrl-C stops Airflow; the warehouse keeps running (make stop).",
            flush=True,
        )
        while all(p.poll() is None for p in services.processes.values()):
            time.sleep(1)
        print(f"an Airflow component stopped:\n{services.tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n• stopping Airflow", flush=True)
        return 0
    finally:
        services.stop()


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("airflow", help="Airflow's UI and scheduler on 127.0.0.1:8080")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument(
        "--executor",
        choices=sorted(EXECUTORS),
        default="local",
        help="celery: tasks through Redis (IKM_CELERY_BROKER) and a Celery worker, as in compose",
    )
    p.set_defaults(func=main)
