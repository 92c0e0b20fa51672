"""docker-compose.yml started for real on this machine: podman serving the Docker API,
docker-compose 1.29 driving it, and the healthcheck loop podman lacks without systemd.

Used by the compose tier (tests/compose, ``make test-compose``).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl.settings import PROJECT_ROOT

SOCKET = Path("/run/ikm-compose/podman.sock")
SECRET_KEYS = (
    "POSTGRES_PASSWORD",
    "AIRFLOW_DB_PASSWORD",
    "SUPERSET_DB_PASSWORD",
    "IKM_BI_READER_PASSWORD",
    "IKM_PUBLIK_READER_PASSWORD",
    "AIRFLOW_ADMIN_PASSWORD",
    "AIRFLOW_JWT_SECRET",
    "AIRFLOW_API_SECRET_KEY",
    "AIRFLOW_FERNET_KEY",
    "SUPERSET_ADMIN_PASSWORD",
    "SUPERSET_SECRET_KEY",
    "IKM_PORTAL_SECRET",
)


def write_env(env_file: Path, **values: str) -> dict[str, str]:
    """An env file from ``.env.example``: every secret replaced by a new random one, ``values``
    (host folders, say) set; returns the secrets."""
    from cryptography.fernet import Fernet

    generated = {key: f"uji-{secrets.token_hex(16)}" for key in SECRET_KEYS}
    generated["AIRFLOW_FERNET_KEY"] = Fernet.generate_key().decode()
    wanted = {**generated, **values}
    lines = []
    for line in (PROJECT_ROOT / ".env.example").read_text().splitlines():
        key = line.split("=", 1)[0].lstrip("# ").strip()
        if key in wanted and "=" in line and re.fullmatch(r"#? ?[A-Z0-9_]+=.*", line):
            lines.append(f"{key}={wanted.pop(key)}")
        else:
            lines.append(line)
    lines += [f"{k}={v}" for k, v in wanted.items()]
    env_file.write_text("\n".join(lines) + "\n")
    env_file.chmod(0o600)
    left = [k for k in SECRET_KEYS if "ganti" in dict(_pairs(env_file)).get(k, "ganti")]
    assert not left, f"secrets still at their public example values: {left}"
    return generated


def _pairs(env_file: Path) -> Iterator[tuple[str, str]]:
    for line in env_file.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            yield key.strip(), value


@dataclass
class Stack:
    """One compose project of the committed docker-compose.yml, under a name of its own (so its
    containers, network and volumes are its own), with its secrets in ``env_file``."""

    env_file: Path
    name: str
    project: Path = PROJECT_ROOT
    service: subprocess.Popen | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _loop: threading.Thread | None = None

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": f"unix://{SOCKET}", "COMPOSE_PROJECT_NAME": self.name}

    # -- podman and the healthcheck loop ---------------------------------------------------------

    def start_podman(self) -> None:
        """podman's Docker API on SOCKET for as long as this stack is used."""
        SOCKET.parent.mkdir(parents=True, exist_ok=True)
        SOCKET.unlink(missing_ok=True)
        self.service = subprocess.Popen(
            ["podman", "system", "service", "--time=0", f"unix://{SOCKET}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while not SOCKET.exists():
            if time.monotonic() > deadline or self.service.poll() is not None:
                raise RuntimeError("podman system service did not open its socket")
            time.sleep(0.2)
        self._loop = threading.Thread(target=self._healthchecks, daemon=True)
        self._loop.start()

    def _healthchecks(self) -> None:
        """Without systemd podman never runs a container's healthcheck by itself."""
        while not self._stop.wait(3):
            for name in self.containers(running=True):
                subprocess.run(
                    ["podman", "healthcheck", "run", name],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=60,
                    check=False,
                )

    def stop_podman(self) -> None:
        self._stop.set()
        if self._loop is not None:
            self._loop.join(timeout=90)
        if self.service is not None and self.service.poll() is None:
            self.service.terminate()
            try:
                self.service.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.service.kill()
                self.service.wait()

    # -- compose ---------------------------------------------------------------------------------

    def compose(self, *args: str, check: bool = True, timeout: float = 1800) -> str:
        result = subprocess.run(
            ["docker-compose", "--ansi", "never", "--env-file", str(self.env_file), *args],
            cwd=self.project,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"docker-compose {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result.stdout + result.stderr

    def containers(self, running: bool = False) -> list[str]:
        args = ["podman", "ps", "--format", "{{.Names}}"]
        if not running:
            args.append("--all")
        args += ["--filter", f"label=com.docker.compose.project={self.name}"]
        out = subprocess.run(args, capture_output=True, text=True, check=False).stdout
        return [n for n in out.split() if n]

    def volumes(self) -> set[str]:
        """Every volume podman has (anonymous ones carry no project label)."""
        out = subprocess.run(
            ["podman", "volume", "ls", "--format", "{{.Name}}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return set(out.split())

    def container(self, service: str) -> str:
        names = [n for n in self.containers() if re.fullmatch(rf"{self.name}_{service}_\d+", n)]
        if not names:
            raise LookupError(f"no container of service {service}")
        return names[0]

    def inspect(self, service: str) -> dict:
        out = subprocess.run(
            ["podman", "inspect", self.container(service)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(out)[0]

    def health(self) -> dict[str, str]:
        """service -> running/healthy/starting/unhealthy/exited(N)"""
        states = {}
        for name in self.containers():
            info = json.loads(
                subprocess.run(["podman", "inspect", name], capture_output=True, text=True).stdout
            )[0]
            state = info["State"]
            service = info["Config"]["Labels"].get("com.docker.compose.service", name)
            if state["Status"] != "running":
                states[service] = f"{state['Status']}({state.get('ExitCode')})"
            else:
                health = (state.get("Health") or state.get("Healthcheck") or {}).get("Status")
                states[service] = health or "running"
        return states

    def wait_healthy(self, services: list[str], timeout: float = 900) -> float:
        """Seconds until every service is healthy; fails naming the ones that are not."""
        start = time.monotonic()
        while True:
            states = self.health()
            if all(states.get(s) == "healthy" for s in services):
                return time.monotonic() - start
            broken = {s: v for s, v in states.items() if v.startswith("exited") and s in services}
            if broken or time.monotonic() - start > timeout:
                logs = "\n".join(
                    f"--- {s}:\n{self.logs(s)[-3000:]}"
                    for s in services
                    if states.get(s) != "healthy"
                )
                raise RuntimeError(f"not healthy: {states}\n{logs}")
            time.sleep(2)

    def logs(self, service: str) -> str:
        result = subprocess.run(
            ["podman", "logs", self.container(service)], capture_output=True, text=True, check=False
        )
        return result.stdout + result.stderr

    def exec(self, service: str, *command: str, check: bool = True, timeout: float = 600) -> str:
        result = subprocess.run(
            ["podman", "exec", self.container(service), *command],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"{service}: {command} failed: {result.stdout}\n{result.stderr}")
        return result.stdout

    def ip(self, service: str) -> str:
        networks = self.inspect(service)["NetworkSettings"]["Networks"]
        return next(iter(networks.values()))["IPAddress"]

    def memory_mib(self) -> dict[str, float]:
        """Each running container's memory use now (podman stats, one sample)."""
        out = subprocess.run(
            ["podman", "stats", "--no-stream", "--no-reset", "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        usage = {}
        for row in json.loads(out or "[]"):
            if row.get("name", "").startswith(f"{self.name}_"):
                usage[row["name"]] = _mib(row.get("mem_usage", "0B / 0B").split("/")[0])
        return usage


def _mib(text: str) -> float:
    text = text.strip()
    number = float(re.match(r"[\d.]+", text).group())
    unit = text[len(re.match(r"[\d.]+", text).group()) :].strip().lower()
    scale = {"b": 1 / 2**20, "kb": 1e3 / 2**20, "kib": 1 / 1024, "mb": 1e6 / 2**20, "mib": 1}
    scale |= {"gb": 1e9 / 2**20, "gib": 1024}
    return number * scale.get(unit, 1)


def build_images() -> str:
    """The stand-ins and the project image (docker/standins/build.sh): its report."""
    subprocess.run(["bash", str(PROJECT_ROOT / "docker/standins/setup-podman.sh")], check=True)
    result = subprocess.run(
        ["bash", str(PROJECT_ROOT / "docker/standins/build.sh")],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"building the images failed:\n{result.stdout}\n{result.stderr[-6000:]}")
    return result.stdout
