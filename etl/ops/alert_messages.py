"""The alerts themselves: what a failure or a late run says, in Indonesian then English, with
every secret masked, built from the context Airflow hands a callback. No channel here: sending
is :mod:`etl.ops.alerts`."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

log = logging.getLogger("etl.ops.alerts")

ERROR_TEXT_LIMIT = 1500
"""Characters of exception text kept: enough to recognise the error, short enough for chat."""
AlertKind = Literal["gagal", "terlambat"]

# scheme://user:password@host -> scheme://user:***@host
_URL_WITH_PASSWORD = re.compile(
    r"(?P<start>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@]*:)[^\s@/]*(?P<at>@)"
)
# password=..., pwd: ..., "secret": "..." and friends (libpq DSNs, dict reprs, env dumps).
_SECRET_PAIR = re.compile(
    r"(?P<key>\b(?:password|passwd|pwd|secret|token|api[_-]?key)\b['\"]?\s*[=:]\s*['\"]?)"
    r"[^\s'\",;&}]+",
    re.IGNORECASE,
)


def mask_secrets(text: str) -> str:
    """Mask passwords in URLs and ``password=...``-style pairs, then anything Airflow masks.

    Alert text leaves the platform (chat rooms, mailboxes), so credentials that ended up in an
    exception message must not go with it.
    """
    text = _URL_WITH_PASSWORD.sub(r"\g<start>***\g<at>", text)
    text = _SECRET_PAIR.sub(r"\g<key>***", text)
    try:
        from airflow.sdk.log import redact

        redacted = redact(text)
        if isinstance(redacted, str):
            text = redacted
    except Exception:  # the masker is a bonus; our own patterns already ran
        log.debug("Airflow secrets masker unavailable", exc_info=True)
    return text


def _truncate(text: str, limit: int = ERROR_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Alert:
    """One alert, independent of the channel; ``payload()`` is what the webhook receives."""

    jenis: AlertKind
    dag_id: str
    run_id: str | None
    logical_date: str | None = None
    task_id: str | None = None
    map_index: int | None = None
    try_number: int | None = None
    max_tries: int | None = None
    galat: str | None = None
    url: str | None = None
    antre_pada: str | None = None
    batas_waktu: str | None = None
    status_run: str | None = None
    keterangan: str | None = None

    @property
    def subject(self) -> str:
        target = self.dag_id + (f".{self.task_id}" if self.task_id else "")
        if self.map_index is not None and self.map_index >= 0:
            target += f"[{self.map_index}]"
        if self.jenis == "gagal":
            return f"[IKM] GAGAL / FAILED: {target}"
        return f"[IKM] TERLAMBAT / LATE: {target}"

    def _attempt(self, indonesian: bool) -> str:
        if self.try_number is None:
            return ""
        of = ""
        if self.max_tries is not None:
            of = f" {'dari' if indonesian else 'of'} {self.max_tries + 1}"
        return f" ({'percobaan' if indonesian else 'try'} {self.try_number}{of})"

    def text(self) -> str:
        """Indonesian first, English second; plain text that reads well in chat and mail."""
        if self.jenis == "gagal":
            task = self.task_id or "?"
            id_ = [f"Tugas {task} pada DAG {self.dag_id} gagal{self._attempt(True)}."]
            en = [f"Task {task} in DAG {self.dag_id} failed{self._attempt(False)}."]
        else:
            id_ = [f"Run DAG {self.dag_id} terlambat: belum selesai pada batas waktunya."]
            en = [f"DAG {self.dag_id} run is late: not finished by its deadline."]
        lines = [
            ("Run", "Run", self.run_id),
            ("Tanggal logis", "Logical date", self.logical_date),
            ("Masuk antrean", "Queued at", self.antre_pada),
            ("Batas waktu", "Deadline", self.batas_waktu),
            ("Status run", "Run state", self.status_run),
            ("Galat", "Error", self.galat),
            ("Keterangan", "Note", self.keterangan),
            ("Log", "Log", self.url),
        ]
        for label_id, label_en, value in lines:
            if value:
                id_.append(f"{label_id}: {value}")
                en.append(f"{label_en}: {value}")
        return "\n".join([self.subject, *id_, "", "— English —", *en])

    def payload(self) -> dict[str, Any]:
        return {"text": self.text(), **asdict(self)}

    def html(self) -> str:
        return f"<pre style='font-family:monospace'>{html.escape(self.text())}</pre>"


# --------------------------------------------------------------------------- building alerts


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def _get(obj: Any, name: str) -> Any:
    """Attribute or key: the context holds runtime objects in a task, plain dicts elsewhere."""
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _base_url() -> str:
    try:
        from airflow.sdk.configuration import conf

        return str(conf.get("api", "base_url", fallback="http://localhost:8080/"))
    except Exception:
        return "http://localhost:8080/"


def _run_url(dag_id: str, run_id: str | None, task_id: str | None = None) -> str:
    url = f"{_base_url().rstrip('/')}/dags/{urllib.parse.quote(dag_id)}"
    if run_id:
        url += f"/runs/{urllib.parse.quote(run_id, safe='')}"
        if task_id:
            url += f"/tasks/{urllib.parse.quote(task_id)}"
    return url


def failure_alert(context: Mapping[str, Any]) -> Alert:
    """The failure alert for a task's callback context (Airflow 3 runtime context or a dict)."""
    ti = context.get("ti") or context.get("task_instance")
    dag_run = context.get("dag_run")
    dag = context.get("dag")
    task = context.get("task")
    dag_id = _get(ti, "dag_id") or _get(dag_run, "dag_id") or _get(dag, "dag_id") or "?"
    run_id = context.get("run_id") or _get(ti, "run_id") or _get(dag_run, "run_id")
    task_id = _get(ti, "task_id") or _get(task, "task_id")
    logical = context.get("logical_date") or _get(dag_run, "logical_date")
    if logical is None:
        logical = _get(dag_run, "run_after")
    exc = context.get("exception")
    error = None
    if exc is not None:
        error = f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else str(exc)
        error = _truncate(mask_secrets(error))
    try:
        url = _get(ti, "log_url")
    except Exception:  # log_url reads config; never let that stop the alert
        url = None
    if not url:
        url = _run_url(dag_id, run_id, task_id)
    map_index = _get(ti, "map_index")
    return Alert(
        jenis="gagal",
        dag_id=str(dag_id),
        run_id=run_id,
        logical_date=_iso(logical),
        task_id=task_id,
        map_index=map_index if isinstance(map_index, int) and map_index >= 0 else None,
        try_number=_get(ti, "try_number"),
        max_tries=_get(ti, "max_tries"),
        galat=error,
        url=url,
    )


def late_alert(context: Mapping[str, Any] | None, note: str | None = None) -> Alert:
    """The lateness alert from the simple context the scheduler hands the triggerer.

    That context is ``{"dag_run": <DAGRunResponse as JSON: dag_id, dag_run_id, logical_date,
    queued_at, state, ...>, "deadline": {"id": <str>, "deadline_time": <datetime>}}``.
    """
    context = context or {}
    dag_run = context.get("dag_run") or {}
    deadline = context.get("deadline") or {}
    dag_id = _get(dag_run, "dag_id") or "?"
    run_id = _get(dag_run, "dag_run_id") or _get(dag_run, "run_id")
    logical = _get(dag_run, "logical_date") or _get(dag_run, "run_after")
    return Alert(
        jenis="terlambat",
        dag_id=str(dag_id),
        run_id=run_id,
        logical_date=_iso(logical),
        antre_pada=_iso(_get(dag_run, "queued_at")),
        batas_waktu=_iso(_get(deadline, "deadline_time")),
        status_run=_iso(_get(dag_run, "state")),
        keterangan=mask_secrets(note) if note else None,
        url=_run_url(str(dag_id), run_id),
    )


# --------------------------------------------------------------------------- sending
