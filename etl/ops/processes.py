"""Long-running helper processes (Airflow's components, Superset): started in their own process
group, dying with their launcher, stopped as a group, measured as a tree."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Login:
    username: str
    password: str


def die_with_parent() -> None:
    """In the child before exec: SIGTERM when the launcher dies, however it dies."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
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
