"""Airflow's REST API (``/api/v2``) as this project's tools call it: a token from the simple
auth manager, JSON in and out, and waiting for a run to end.

``make bench`` triggers the national night through it as the nightly schedule would, and the
services tests drive the UI's backfills and reprocesses with it.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from etl.ops.processes import Login

__all__ = ["AirflowApi", "ApiError", "logical_date_of"]

FINISHED = ("success", "failed")


class ApiError(RuntimeError):
    """A call the API refused: the method, path, HTTP status and the start of its answer."""


def logical_date_of(day: dt.date) -> dt.datetime:
    """The logical date of the nightly run that processes arrival day ``day``: D 01:00 WIB."""
    return dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@dataclass
class AirflowApi:
    """One Airflow api-server, logged in as ``login``; a token is fetched once and renewed
    when the server says it expired."""

    url: str
    login: Login
    timeout: float = 60
    _token: str | None = field(default=None, repr=False)

    def token(self) -> str:
        body = json.dumps({"username": self.login.username, "password": self.login.password})
        request = urllib.request.Request(  # noqa: S310 (http only)
            f"{self.url}/auth/token",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return json.load(response)["access_token"]

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        """``method`` on ``/api/v2<path>``; the decoded JSON answer ({} when empty)."""
        for attempt in (1, 2):
            if self._token is None:
                self._token = self.token()
            request = urllib.request.Request(  # noqa: S310 (http only)
                f"{self.url}/api/v2{path}",
                method=method,
                data=None if body is None else json.dumps(body).encode(),
                headers={
                    "Authorization": f"Bearer {self._token}",
                    "Content-Type": "application/json",
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    text = response.read()
                return json.loads(text) if text else {}
            except urllib.error.HTTPError as exc:
                if exc.code == 401 and attempt == 1:
                    self._token = None  # expired: log in again, once
                    continue
                raise ApiError(f"{method} {path}: {exc.code} {exc.read()[:500]!r}") from exc
        raise AssertionError("unreachable")

    def wait_for_dag(self, dag_id: str, timeout: float = 120) -> dict:
        """Until the dag-processor has parsed ``dag_id``; its record."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.call("GET", f"/dags/{dag_id}")
            except ApiError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(1)

    def trigger(self, dag_id: str, logical_date: dt.datetime | None, **extra) -> dict:
        """A run of ``dag_id`` as the schedule or the UI's trigger button makes one."""
        body = {"logical_date": logical_date.isoformat() if logical_date else None, **extra}
        return self.call("POST", f"/dags/{dag_id}/dagRuns", body)

    def wait_for_run(
        self, dag_id: str, run_id: str, timeout: float = 3600, poll: float = 0.5
    ) -> dict:
        """Until the run succeeded or failed; the run's record."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}")
            if run["state"] in FINISHED:
                return run
            time.sleep(poll)
        raise TimeoutError(f"{dag_id} {run_id} not finished after {timeout:.0f} s")

    def wait_idle(self, timeout: float = 300, poll: float = 0.5) -> None:
        """Until no run of any DAG is queued or running (asset-triggered ones included)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            busy = self.call("GET", "/dags/~/dagRuns?state=queued&state=running&limit=1")
            if not busy["total_entries"]:
                return
            time.sleep(poll)
        raise TimeoutError(f"Airflow still has a queued or running run after {timeout:.0f} s")

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        """Every task instance of the run, mapped ones included (paged by 100)."""
        found: list[dict] = []
        while True:
            page = self.call(
                "GET",
                f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances?limit=100&offset={len(found)}",
            )
            found += page["task_instances"]
            if not page["task_instances"] or len(found) >= page["total_entries"]:
                return found
