"""``make bi``: Apache Superset on the warehouse, on 127.0.0.1:8088, until Ctrl-C.

Superset 6.1.0 cannot share Airflow's pins, so it lives in its own venv (``.venv-bi``, from the
lock ``bi/requirements.txt``) and runs only as subprocesses of that venv: importing ``etl``
never imports Superset. Its metadata is a separate database (``superset``) on the warehouse's
server, like Airflow's; its configuration and secret key stay under the state folder. The
dashboards come from the versioned exports through ``bi/impor_dasbor.py`` (the import docker
compose runs): ``bi/dashboard`` on the warehouse as ``bi_reader`` (schema ``mart`` only), and
``bi/dashboard_publik`` on it as ``publik_reader`` (the public layer, schema ``publik``, only).

Every step is skipped when nothing it depends on changed (venv by the lock's digest, ``db
upgrade`` + ``init`` by the metadata revision, the import by the export's digest), so a second
``make bi`` goes straight to serving. The browser test starts Superset through this module.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL

from etl.ops.processes import Login, die_with_parent, signal_group
from etl.settings import PROJECT_ROOT, get_settings

BI_DIR = PROJECT_ROOT / "bi"
VENV = PROJECT_ROOT / ".venv-bi"
REQUIREMENTS = BI_DIR / "requirements.txt"
EXPORT_DIR = BI_DIR / "dashboard"
EXPORT_PUBLIK_DIR = BI_DIR / "dashboard_publik"
IMPORT_SCRIPT = BI_DIR / "impor_dasbor.py"
SETTINGS_FILE = BI_DIR / "superset_settings.py"
SUPERSET_DB = "superset"
DASHBOARD_SLUG = "ikm-ringkasan"
DASHBOARD_PUBLIK_SLUG = "ikm-data-publik"
# What the import depends on besides files: the admin's login and each database's URI.
IMPORT_VARIABLES = ("SUPERSET_ADMIN_", "SUPERSET_WAREHOUSE_URI", "SUPERSET_PUBLIK_URI")


def admin_login() -> Login:
    """Superset's admin: ``IKM_BI_USER`` / ``IKM_BI_PASSWORD`` or admin / admin."""
    settings = get_settings()
    return Login(settings.bi_user, settings.bi_password)


def _digest(*paths: Path, extra: str = "") -> str:
    h = hashlib.sha256(extra.encode())
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            h.update(f.relative_to(PROJECT_ROOT).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time (``make bi`` and a test may both want the venv)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_venv() -> bool:
    """Install ``.venv-bi`` from the lock unless that lock is already installed; return whether
    it installed. ``make bi-venv`` and the browser test both come here."""
    stamp = VENV / f".installed-{_digest(REQUIREMENTS)}"
    if stamp.exists():
        return False
    # Not .venv-bi/.lock: uv itself locks that file while it installs.
    with _locked(VENV / ".ikm-install.lock"):
        if stamp.exists():
            return False
        uv = Path(sys.executable).with_name("uv")
        uv_path = str(uv) if uv.exists() else shutil.which("uv")
        if uv_path is None:
            raise RuntimeError("uv not found next to this Python: run `make venv` first")
        print(f"• installing Superset's pinned packages into {VENV} (first run only)", flush=True)
        if not (VENV / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        # Bytecode now, or every Superset process compiles it again (PYTHONDONTWRITEBYTECODE).
        python = str(VENV / "bin" / "python")
        sync = [uv_path, "pip", "sync", "-q", "--compile-bytecode", "--python", python]
        subprocess.run([*sync, str(REQUIREMENTS)], check=True)
        for old in VENV.glob(".installed-*"):
            old.unlink()
        stamp.touch()
    return True


def metadata_url() -> URL:
    """Superset's metadata: its own database on the warehouse's server (never SQLite)."""
    from etl import warehouse

    wh = warehouse.warehouse_url()
    name = SUPERSET_DB if wh.database == warehouse.WAREHOUSE_DB else f"{SUPERSET_DB}_{wh.database}"
    url = wh.set(drivername="postgresql+psycopg2", database=name)
    warehouse.ensure_database(url)
    return url


def state_dir() -> Path:
    path = get_settings().state_dir / "superset"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _secret_key(folder: Path) -> Path:
    """Generated once and kept (sessions and stored database passwords depend on it)."""
    path = folder / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(42))
    return path


def write_config(folder: Path, metadata: URL) -> Path:
    """``superset_config.py`` for this machine: the shared settings, the key, the metadata."""
    _secret_key(folder)
    text = (
        '"""Written by etl.ops.superset (make bi) on every start; '
        'edit bi/superset_settings.py instead."""\n'
        "\n"
        "import runpy\n"
        "from pathlib import Path\n"
        "\n"
        "globals().update(\n"
        "    {\n"
        "        key: value\n"
        f"        for key, value in runpy.run_path({str(SETTINGS_FILE)!r}).items()\n"
        "        if key.isupper()\n"
        "    }\n"
        ")\n"
        'SECRET_KEY = Path(__file__).with_name("secret_key").read_text().strip()\n'
        f"SQLALCHEMY_DATABASE_URI = {metadata.render_as_string(hide_password=False)!r}\n"
        f"DATA_DIR = {str(folder / 'data')!r}\n"
    )
    path = folder / "superset_config.py"
    if not path.exists() or path.read_text() != text:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
    return path


def superset_environment(folder: Path, metadata: URL, uris: dict[str, URL]) -> dict[str, str]:
    """What every Superset subprocess needs: its config, home, login and the warehouse's URIs
    (``SUPERSET_WAREHOUSE_URI`` as bi_reader, ``SUPERSET_PUBLIK_URI`` as publik_reader)."""
    login = admin_login()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERSET_", "FLASK_"))}
    env.update(
        {
            "SUPERSET_CONFIG_PATH": str(write_config(folder, metadata)),
            "SUPERSET_HOME": str(folder),
            "SUPERSET_ADMIN_USERNAME": login.username,
            "SUPERSET_ADMIN_PASSWORD": login.password,
            "PYTHONUNBUFFERED": "1",
            **{k: url.render_as_string(hide_password=False) for k, url in uris.items()},
        }
    )
    return env


def _metadata_state(metadata: URL) -> tuple[str | None, bool]:
    """(Superset's alembic revision, whether both dashboards are there) in its metadata DB."""
    from etl.warehouse import libpq_dsn

    slugs = [DASHBOARD_SLUG, DASHBOARD_PUBLIK_SLUG]
    try:
        with psycopg.connect(libpq_dsn(metadata)) as conn:
            revision = conn.execute("select version_num from alembic_version").fetchone()
            (found,) = conn.execute(
                "select count(*) from dashboards where slug = any(%s)", (slugs,)
            ).fetchone()
    except psycopg.errors.UndefinedTable:
        return None, False
    return (revision[0] if revision else None), found == len(slugs)


def _run(args: list[str], env: dict[str, str], log) -> None:
    print(f"$ {' '.join(args)}", file=log, flush=True)
    result = subprocess.run(args, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}); see {log.name}")


def prepare_superset(
    folder: Path, metadata: URL, env: dict[str, str], log, say=print
) -> dict[str, float]:
    """``db upgrade`` + ``init`` once per Superset version and metadata database; the admin
    and dashboards' import once per export, view definitions, login and warehouse URIs. Returns
    the seconds each step that ran took."""
    stamp_path = folder / "siap.json"
    stamp = json.loads(stamp_path.read_text()) if stamp_path.exists() else {}
    superset = str(VENV / "bin" / "superset")
    timings: dict[str, float] = {}
    revision, has_dashboard = _metadata_state(metadata)
    where = metadata.render_as_string(hide_password=True)
    lock = _digest(REQUIREMENTS, extra=where)
    if revision is None or stamp.get("metadata") != [lock, revision]:
        say(f"• Superset metadata database {metadata.database}: db upgrade, init")
        start = time.monotonic()
        _run([superset, "db", "upgrade"], env, log)
        _run([superset, "init"], env, log)
        timings["db upgrade + init"] = time.monotonic() - start
        revision, has_dashboard = _metadata_state(metadata)
        stamp = {"metadata": [lock, revision]}
        stamp_path.write_text(json.dumps(stamp))
    # The views' SQL too: the import refreshes each dataset's columns from the warehouse.
    wanted = _digest(
        EXPORT_DIR,
        EXPORT_PUBLIK_DIR,
        IMPORT_SCRIPT,
        PROJECT_ROOT / "sql" / "views",
        extra="\n".join(env[k] for k in sorted(env) if k.startswith(IMPORT_VARIABLES)),
    )
    if not has_dashboard or stamp.get("import") != wanted:
        say("• admin login and dashboards from bi/dashboard and bi/dashboard_publik")
        start = time.monotonic()
        _run([str(VENV / "bin" / "python"), str(IMPORT_SCRIPT), "siapkan"], env, log)
        timings["import"] = time.monotonic() - start
        stamp["import"] = wanted
        stamp_path.write_text(json.dumps(stamp))
    return timings


@dataclass
class SupersetServer:
    """Superset's web server (gunicorn) in its own process group, dying with its launcher."""

    env: dict[str, str]
    log_path: Path
    host: str = "127.0.0.1"
    port: int = 8088
    process: subprocess.Popen | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        # Another server on the port would answer the health check in this one's place.
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            try:
                probe.bind((self.host, self.port))
            except OSError as exc:
                raise RuntimeError(f"{self.host}:{self.port} is in use ({exc}): --port") from exc
        args = [
            str(VENV / "bin" / "gunicorn"),
            "--bind",
            f"{self.host}:{self.port}",
            # One worker, threads for the dashboard's parallel chart requests (two cores).
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            "8",
            "--timeout",
            "120",
            "--limit-request-line",
            "0",
            "--limit-request-field_size",
            "0",
            # Not ~/.gunicorn/gunicorn.ctl, which a second Superset (a test) would share.
            "--no-control-socket",
            "superset.app:create_app()",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                args,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=die_with_parent,  # before exec, no threads to upset
            )

    def wait_until_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"Superset exited ({self.process.returncode})\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as response:  # noqa: S310
                    if response.read().strip() == b"OK":
                        return
            except (urllib.error.URLError, OSError) as exc:
                last = str(exc)
            time.sleep(0.5)
        raise TimeoutError(f"Superset not healthy after {timeout:.0f} s: {last}\n{self.tail()}")

    def tail(self, lines: int = 25) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM the group (gunicorn stops its workers), SIGKILL what lingers."""
        if self.process is None:
            return
        if self.process.poll() is None:
            signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                signal_group(self.process, signal.SIGKILL)
                self.process.wait()
        signal_group(self.process, signal.SIGKILL)


def main(args: argparse.Namespace) -> int:
    from etl import flow, warehouse

    started = time.monotonic()
    ensure_venv()
    if args.venv_only:
        return 0
    print(f"• warehouse {warehouse.warehouse_url().render_as_string(hide_password=True)}")
    print(f"• schema revision {flow.prepare()}", flush=True)
    folder = state_dir()
    metadata = metadata_url()
    uris = {
        "SUPERSET_WAREHOUSE_URI": warehouse.bi_reader_url("psycopg2"),
        "SUPERSET_PUBLIK_URI": warehouse.publik_reader_url("psycopg2"),
    }
    env = superset_environment(folder, metadata, uris)
    log_dir = get_settings().state_dir / "logs" / "superset"
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "setup.log").open("a") as log:
        prepare_superset(folder, metadata, env, log, say=lambda m: print(m, flush=True))
    server = SupersetServer(env, log_dir / "superset.log", args.host, args.port)

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    signal.signal(signal.SIGINT, _stop)  # also when started in the background (SIGINT ignored)
    try:
        print(f"• starting Superset (log: {server.log_path})", flush=True)
        server.start()
        server.wait_until_healthy()
        login, base = admin_login(), f"{server.url}/superset/dashboard"
        print(
            f"\nSuperset is up: {server.url}  (ready in {time.monotonic() - started:.0f} s)\n"
            f"  login      {login.username} / {login.password}\n"
            f"  dashboard  {base}/{DASHBOARD_SLUG}/  (as bi_reader: schema mart)\n"
            f"  dashboard  {base}/{DASHBOARD_PUBLIK_SLUG}/  (as publik_reader: schema publik)\n"
            f"  Ctrl-C stops Superset; the warehouse keeps running (make stop).",
            flush=True,
        )
        while server.process is not None and server.process.poll() is None:
            time.sleep(1)
        print(f"Superset stopped:\n{server.tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n• stopping Superset", flush=True)
        return 0
    finally:
        server.stop()


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("bi", help="Superset with the IKM dashboards on 127.0.0.1:8088")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8088)
    p.add_argument("--venv-only", action="store_true", help="only install .venv-bi")
    p.set_defaults(func=main)
