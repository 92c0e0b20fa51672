"""``make airflow``: Airflow 3 on this machine, its UI on 127.0.0.1:8080, until Ctrl-C.

Starts the four long-running parts of Airflow 3 (api-server, scheduler, dag-processor,
triggerer) on the LocalExecutor, with their metadata in PostgreSQL (the embedded server's
``airflow`` database unless ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`` says otherwise), this
project's DAGs, the warehouse pool, and one admin login printed at start. The tests start
Airflow through the same :class:`AirflowServices`, so what they check is what a user runs.
"""

from __future__ import annotations

import argparse
import contextlib
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

from etl.airflow_env import airflow_binary, airflow_environment

COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
WAREHOUSE_POOL = "ikm_gudang"
"""Caps how many tasks write the warehouse at once (loads and mart refreshes)."""


@dataclass(frozen=True)
class Login:
    username: str
    password: str


def admin_login() -> Login:
    """The UI's admin user: ``IKM_AIRFLOW_USER`` / ``IKM_AIRFLOW_PASSWORD`` or admin / admin."""
    return Login(
        os.environ.get("IKM_AIRFLOW_USER", "admin"),
        os.environ.get("IKM_AIRFLOW_PASSWORD", "admin"),
    )


def _stable_secret(path: Path) -> str:
    """A secret every component shares (JWTs signed by one are checked by the others)."""
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def service_environment(
    host: str = "127.0.0.1", port: int = 8080, base: dict[str, str] | None = None
) -> dict[str, str]:
    """The project's Airflow environment plus what the long-running services need."""
    env = airflow_environment(base)
    home = Path(env["AIRFLOW_HOME"])
    login = admin_login()
    passwords = home / "simple_auth_manager_passwords.json"
    passwords.write_text(json.dumps({login.username: login.password}))
    passwords.chmod(0o600)
    url = f"http://{host}:{port}"
    env.update(
        {
            "AIRFLOW__CORE__EXECUTOR": env.get("AIRFLOW__CORE__EXECUTOR", "LocalExecutor"),
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
    return env


def prepare_metadata(env: dict[str, str], log) -> None:
    """Migrate Airflow's metadata database and (re)declare the warehouse pool."""
    airflow = airflow_binary()
    subprocess.run(
        [airflow, "db", "migrate"], env=env, stdout=log, stderr=subprocess.STDOUT, check=True
    )
    slots = env.get("IKM_SLOT_GUDANG", "1")
    subprocess.run(
        [
            airflow,
            "pools",
            "set",
            WAREHOUSE_POOL,
            slots,
            "Tasks that write the IKM warehouse (loads, mart refreshes)",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        check=True,
    )


@dataclass
class AirflowServices:
    """The four Airflow processes, each in its own process group with its own log."""

    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.env["AIRFLOW__API__BASE_URL"]

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        airflow = airflow_binary()
        for name in COMPONENTS:
            args = [airflow, name]
            if name == "api-server":
                args += ["--host", self.env["AIRFLOW__API__HOST"]]
                args += ["--port", self.env["AIRFLOW__API__PORT"]]
            log = (self.log_dir / f"{name}.log").open("ab")
            self.processes[name] = subprocess.Popen(
                args,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # before exec, no threads to upset
            )
            log.close()

    def health(self) -> dict:
        health_url = f"{self.url}/api/v2/monitor/health"
        with urllib.request.urlopen(health_url, timeout=5) as response:  # noqa: S310 (http only)
            return json.load(response)

    def wait_until_healthy(self, timeout: float = 180) -> dict:
        """Block until the api-server answers and the scheduler, dag-processor and triggerer
        have reported in; raise with the component logs' tails when one died or time ran out."""
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
                if all(last.get(p, {}).get("status") == "healthy" for p in parts):
                    return last
            except (urllib.error.URLError, OSError, ValueError) as exc:
                last = str(exc)
            time.sleep(1)
        raise TimeoutError(f"Airflow not healthy after {timeout:.0f} s: {last}\n{self.tail()}")

    def tail(self, lines: int = 15) -> str:
        out = []
        for name in self.processes:
            path = self.log_dir / f"{name}.log"
            text = path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []
            out.append(f"--- {name} ({path})\n" + "\n".join(text))
        return "\n".join(out)

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes.values() if p.poll() is None]

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM each process group (Airflow shuts down gracefully), SIGKILL what lingers."""
        for process in self.processes.values():
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        for process in self.processes.values():
            # Task processes the executor forked share the group; none may outlive Airflow.
            _signal_group(process, signal.SIGKILL)


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the launcher dies, however it dies."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def tree_rss_mib(pids: list[int], children: bool = True) -> float:
    """Resident memory of these processes (and all their descendants), in MiB."""
    import psutil

    seen: dict[int, int] = {}
    for pid in pids:
        try:
            root = psutil.Process(pid)
            for proc in [root, *(root.children(recursive=True) if children else [])]:
                seen[proc.pid] = proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return sum(seen.values()) / 2**20


def main(args: argparse.Namespace) -> int:
    from etl import migrate, warehouse
    from etl.runner import ensure_landing
    from etl.settings import get_settings

    settings = get_settings()
    landing_dir = ensure_landing()
    print(f"• warehouse {warehouse.warehouse_url().render_as_string(hide_password=True)}")
    print(f"• schema revision {migrate.prepare()}, landing zone {landing_dir}", flush=True)
    env = service_environment(args.host, args.port)
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
        print(f"• starting {', '.join(COMPONENTS)} (logs: {log_dir})", flush=True)
        services.wait_until_healthy()
        login = admin_login()
        print(
            f"\nAirflow is up: {services.url}\n"
            f"  login     {login.username} / {login.password}\n"
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
    p.set_defaults(func=main)
