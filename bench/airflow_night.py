"""The national night as Airflow runs it, for ``make bench``.

The project's own Airflow services (:class:`etl.ops.airflow_services.AirflowServices`: api-server,
scheduler, dag-processor, triggerer) on the LocalExecutor with a fresh metadata database on the
warehouse's PostgreSQL; a fresh warehouse, migrated as the in-process pipeline's is; the run of
``ikm_ingest_nightly`` for the bench's arrival day triggered through the REST API as the
schedule would make it, then the ``ikm_publish`` run its asset event starts (the marts). Measures
the wall time from the trigger to the end of each, the task instances and the sum of their
durations, and the peak memory of the task processes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

INGEST, PUBLISH = "ikm_ingest_nightly", "ikm_publish"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _seconds(ti: dict) -> float:
    return float(ti.get("duration") or 0.0)


class _MemoryWatch:
    """Samples the RSS of every process Airflow started: each task process (two forks below a
    LocalExecutor worker: scheduler → worker → supervisor → task) and all of them together."""

    def __init__(self, services):
        self.services = services
        self.largest_mib = 0.0
        self.together_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(0.5):
            total = 0
            for name, process in self.services.processes.items():
                with contextlib.suppress(psutil.Error):
                    level = [psutil.Process(process.pid)]
                    depth = 0
                    while level:
                        below = []
                        for proc in level:
                            with contextlib.suppress(psutil.Error):
                                rss = proc.memory_info().rss
                                total += rss
                                if name == "scheduler" and depth >= 2:
                                    self.largest_mib = max(self.largest_mib, rss / 2**20)
                                below += proc.children()
                        level, depth = below, depth + 1
            self.together_mib = max(self.together_mib, total / 2**20)

    def __enter__(self) -> _MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def measure(
    day, landing: Path, warehouse_url: str, metadata_url: str, state: Path
) -> dict[str, object]:
    """One night of ``day`` from ``landing`` into the (empty, migrated) ``warehouse_url``."""
    from etl.ops.airflow_api import AirflowApi, logical_date_of
    from etl.ops.airflow_services import (
        AirflowServices,
        admin_login,
        prepare_metadata,
        service_environment,
    )

    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    base.update(
        {
            "IKM_STATE_DIR": str(state),
            "WAREHOUSE_URL": warehouse_url,
            "IKM_LANDING_DIR": str(landing),
            "IKM_STAGING_DIR": str(state / "staging"),
            "IKM_FEEDBACK_DIR": str(state / "umpan_balik"),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        }
    )
    env = service_environment("127.0.0.1", _free_port(), base=base, executor="local")
    with (state / "setup.log").open("w") as log:
        prepare_metadata(env, log)
    services = AirflowServices(env, state / "logs")
    services.start()
    try:
        services.wait_until_healthy(timeout=240)
        api = AirflowApi(services.url, admin_login(env))
        for dag_id in (INGEST, PUBLISH):
            api.wait_for_dag(dag_id)
            api.call("PATCH", f"/dags/{dag_id}", {"is_paused": False})
        _scheduled_run_done(api)
        with _MemoryWatch(services) as memory:
            started = time.monotonic()
            run = api.trigger(INGEST, logical_date_of(day))
            ingest = api.wait_for_run(INGEST, run["dag_run_id"])
            ingest_seconds = time.monotonic() - started
            tis = api.task_instances(INGEST, run["dag_run_id"])
            announced = any(t["task_id"] == "announce" and t["state"] == "success" for t in tis)
            publish = _publish_after(api, run["queued_at"]) if announced else None
            night_seconds = time.monotonic() - started
        if publish is not None:
            tis += api.task_instances(PUBLISH, publish["dag_run_id"])
        by_task: dict[str, dict[str, float]] = {}
        for ti in tis:
            entry = by_task.setdefault(ti["task_id"], {"jumlah": 0, "detik": 0.0})
            entry["jumlah"] += 1
            entry["detik"] += _seconds(ti)
        return {
            "status_ingest": ingest["state"],
            "status_publish": publish["state"] if publish else None,
            "dinding_ingest_detik": ingest_seconds,
            "dinding_malam_detik": night_seconds,
            "jumlah_task_instance": len(tis),
            "jumlah_durasi_task_detik": sum(_seconds(ti) for ti in tis),
            "per_task": by_task,
            "rss_puncak_task_mib": memory.largest_mib,
            "rss_puncak_airflow_mib": memory.together_mib,
        }
    finally:
        services.stop()


def _scheduled_run_done(api, timeout: float = 300) -> None:
    """Until the run the schedule makes when the DAG is unpaused (the latest interval's) and
    whatever its asset event starts have finished. The night is then measured on warm services,
    as a night finds them: the first task after the services start pays about 4 s once (the
    execution API's first call), and a run beside the measured one would share its two cores.
    """
    deadline = time.monotonic() + timeout
    while not api.call("GET", f"/dags/{INGEST}/dagRuns?limit=1")["total_entries"]:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the scheduler made no run of {INGEST} after {timeout:.0f} s")
        time.sleep(0.5)
    for _ in range(2):  # an asset-triggered run is queued a scheduler loop after its event
        api.wait_idle(timeout)
        time.sleep(3)


def _publish_after(api, queued_at: str, timeout: float = 1800) -> dict | None:
    """The ``ikm_publish`` run the ingest run's asset event started, once finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = api.call("GET", f"/dags/{PUBLISH}/dagRuns?limit=20&order_by=-run_after")
        mine = [r for r in runs["dag_runs"] if (r.get("queued_at") or "") > queued_at]
        if mine:
            return api.wait_for_run(PUBLISH, mine[0]["dag_run_id"], timeout=timeout)
        time.sleep(0.5)
    raise TimeoutError("ikm_publish did not follow the night's asset event")
