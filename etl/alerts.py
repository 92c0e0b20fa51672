"""Failure and lateness alerts by webhook and/or e-mail, configured from the environment.

Channels are read when an alert is sent, never at import or DAG-parse time, so an operator
can turn them on or off without touching the DAGs:

``IKM_PERINGATAN_WEBHOOK``
    A http(s) URL. The alert is POSTed as JSON with a Slack/Teams-compatible ``text`` plus
    structured fields (``jenis`` is ``"gagal"`` or ``"terlambat"``, ``dag_id``, ``run_id``, ...).
``IKM_PERINGATAN_EMAIL``
    Comma- or semicolon-separated addresses, sent through the SMTP provider's hook.
``IKM_PERINGATAN_SMTP_CONN``
    Airflow connection id of the mail server (default ``smtp_default``, which an operator
    sets as ``AIRFLOW_CONN_SMTP_DEFAULT``).
``IKM_PERINGATAN_EMAIL_DARI``
    Optional sender; otherwise the connection's ``from_email`` extra, otherwise
    ``airflow@<host name>``.
``IKM_PERINGATAN_TERLAMBAT_MENIT``
    Minutes after a run was queued before it counts as late (default 360), see
    :func:`batas_terlambat`.

With neither channel set nothing is sent and one INFO line says so. A channel that fails
(webhook down, mail server refusing) is logged as a warning and never raises: an alert must
not break the callback chain it runs in.

Wiring: ``on_failure_callback=beri_tahu_gagal`` (or ``PemberitahuGagal()``) on the tasks, and
``DeadlineAlert(reference=DeadlineReference.DAGRUN_QUEUED_AT, interval=batas_terlambat(),
callback=AsyncCallback("etl.alerts.beri_tahu_terlambat"))`` on the DAG; the triggerer awaits
the latter with ``context={"dag_run": {...}, "deadline": {"id": ..., "deadline_time": ...}}``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import html
import json
import logging
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

log = logging.getLogger(__name__)

ENV_WEBHOOK = "IKM_PERINGATAN_WEBHOOK"
ENV_EMAIL = "IKM_PERINGATAN_EMAIL"
ENV_SMTP_CONN = "IKM_PERINGATAN_SMTP_CONN"
ENV_EMAIL_DARI = "IKM_PERINGATAN_EMAIL_DARI"
ENV_TERLAMBAT_MENIT = "IKM_PERINGATAN_TERLAMBAT_MENIT"

SMTP_CONN_BAKU = "smtp_default"
TERLAMBAT_MENIT_BAKU = 360
BATAS_GALAT = 1500
"""Characters of exception text kept: enough to recognise the error, short enough for chat."""
WEBHOOK_TIMEOUT_DETIK = 10.0

Jenis = Literal["gagal", "terlambat"]

# scheme://user:password@host -> scheme://user:***@host
_URL_BERSANDI = re.compile(r"(?P<awal>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s:/@]*:)[^\s@/]*(?P<at>@)")
# password=..., pwd: ..., "secret": "..." and friends (libpq DSNs, dict reprs, env dumps).
_KUNCI_RAHASIA = re.compile(
    r"(?P<kunci>\b(?:password|passwd|pwd|secret|token|api[_-]?key)\b['\"]?\s*[=:]\s*['\"]?)"
    r"[^\s'\",;&}]+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Saluran:
    """Where alerts go; read from the environment at send time."""

    webhook: str | None
    email: tuple[str, ...]
    smtp_conn_id: str
    email_dari: str | None = None

    @property
    def aktif(self) -> bool:
        return bool(self.webhook or self.email)


def saluran_dari_env(env: Mapping[str, str] | None = None) -> Saluran:
    """The configured channels; read per alert so a change needs no redeploy or re-parse."""
    env = os.environ if env is None else env
    alamat = tuple(a for a in re.split(r"\s*[,;]\s*", env.get(ENV_EMAIL, "").strip()) if a)
    return Saluran(
        webhook=env.get(ENV_WEBHOOK, "").strip() or None,
        email=alamat,
        smtp_conn_id=env.get(ENV_SMTP_CONN, "").strip() or SMTP_CONN_BAKU,
        email_dari=env.get(ENV_EMAIL_DARI, "").strip() or None,
    )


def batas_terlambat(env: Mapping[str, str] | None = None) -> dt.timedelta:
    """How long after a run is queued it counts as late (``IKM_PERINGATAN_TERLAMBAT_MENIT``).

    Default 360 minutes: the nightly run starts at 01:00 Asia/Jakarta and should be done well
    before office hours. Read when the DAG is parsed (the interval is part of the serialized
    DAG), so a change takes effect at the next parse. A bad or non-positive value falls back
    to the default with a warning instead of breaking the DAG.
    """
    env = os.environ if env is None else env
    mentah = env.get(ENV_TERLAMBAT_MENIT, "").strip()
    if not mentah:
        return dt.timedelta(minutes=TERLAMBAT_MENIT_BAKU)
    try:
        menit = float(mentah)
    except ValueError:
        menit = -1.0
    if menit <= 0:
        log.warning(
            "%s=%r is not a positive number of minutes; using %d",
            ENV_TERLAMBAT_MENIT,
            mentah,
            TERLAMBAT_MENIT_BAKU,
        )
        menit = TERLAMBAT_MENIT_BAKU
    return dt.timedelta(minutes=menit)


def samarkan(teks: str) -> str:
    """Mask passwords in URLs and ``password=...``-style pairs, then anything Airflow masks.

    Alert text leaves the platform (chat rooms, mailboxes), so credentials that ended up in an
    exception message must not go with it.
    """
    teks = _URL_BERSANDI.sub(r"\g<awal>***\g<at>", teks)
    teks = _KUNCI_RAHASIA.sub(r"\g<kunci>***", teks)
    try:
        from airflow.sdk.log import redact

        hasil = redact(teks)
        if isinstance(hasil, str):
            teks = hasil
    except Exception:  # the masker is a bonus; our own patterns already ran
        log.debug("Airflow secrets masker unavailable", exc_info=True)
    return teks


def _potong(teks: str, batas: int = BATAS_GALAT) -> str:
    return teks if len(teks) <= batas else teks[: batas - 1] + "…"


@dataclass(frozen=True)
class Peringatan:
    """One alert, independent of the channel; ``payload()`` is what the webhook receives."""

    jenis: Jenis
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
    def subjek(self) -> str:
        target = self.dag_id + (f".{self.task_id}" if self.task_id else "")
        if self.map_index is not None and self.map_index >= 0:
            target += f"[{self.map_index}]"
        if self.jenis == "gagal":
            return f"[IKM] GAGAL / FAILED: {target}"
        return f"[IKM] TERLAMBAT / LATE: {target}"

    def _percobaan(self, id_: bool) -> str:
        if self.try_number is None:
            return ""
        dari = ""
        if self.max_tries is not None:
            dari = f" {'dari' if id_ else 'of'} {self.max_tries + 1}"
        return f" ({'percobaan' if id_ else 'try'} {self.try_number}{dari})"

    def teks(self) -> str:
        """Indonesian first, English second; plain text that reads well in chat and mail."""
        if self.jenis == "gagal":
            tugas = self.task_id or "?"
            id_ = [f"Tugas {tugas} pada DAG {self.dag_id} gagal{self._percobaan(True)}."]
            en = [f"Task {tugas} in DAG {self.dag_id} failed{self._percobaan(False)}."]
        else:
            id_ = [f"Run DAG {self.dag_id} terlambat: belum selesai pada batas waktunya."]
            en = [f"DAG {self.dag_id} run is late: not finished by its deadline."]
        baris = [
            ("Run", "Run", self.run_id),
            ("Tanggal logis", "Logical date", self.logical_date),
            ("Masuk antrean", "Queued at", self.antre_pada),
            ("Batas waktu", "Deadline", self.batas_waktu),
            ("Status run", "Run state", self.status_run),
            ("Galat", "Error", self.galat),
            ("Keterangan", "Note", self.keterangan),
            ("Log", "Log", self.url),
        ]
        for label_id, label_en, nilai in baris:
            if nilai:
                id_.append(f"{label_id}: {nilai}")
                en.append(f"{label_en}: {nilai}")
        return "\n".join([self.subjek, *id_, "", "— English —", *en])

    def payload(self) -> dict[str, Any]:
        return {"text": self.teks(), **asdict(self)}

    def html(self) -> str:
        return f"<pre style='font-family:monospace'>{html.escape(self.teks())}</pre>"


# --------------------------------------------------------------------------- building alerts


def _iso(nilai: Any) -> str | None:
    if nilai is None:
        return None
    if isinstance(nilai, dt.datetime):
        return nilai.isoformat()
    return str(nilai)


def _ambil(obj: Any, nama: str) -> Any:
    """Attribute or key: the context holds runtime objects in a task, plain dicts elsewhere."""
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(nama)
    return getattr(obj, nama, None)


def _base_url() -> str:
    try:
        from airflow.sdk.configuration import conf

        return str(conf.get("api", "base_url", fallback="http://localhost:8080/"))
    except Exception:
        return "http://localhost:8080/"


def _url_run(dag_id: str, run_id: str | None, task_id: str | None = None) -> str:
    url = f"{_base_url().rstrip('/')}/dags/{urllib.parse.quote(dag_id)}"
    if run_id:
        url += f"/runs/{urllib.parse.quote(run_id, safe='')}"
        if task_id:
            url += f"/tasks/{urllib.parse.quote(task_id)}"
    return url


def peringatan_gagal(context: Mapping[str, Any]) -> Peringatan:
    """The failure alert for a task's callback context (Airflow 3 runtime context or a dict)."""
    ti = context.get("ti") or context.get("task_instance")
    dag_run = context.get("dag_run")
    dag = context.get("dag")
    task = context.get("task")
    dag_id = _ambil(ti, "dag_id") or _ambil(dag_run, "dag_id") or _ambil(dag, "dag_id") or "?"
    run_id = context.get("run_id") or _ambil(ti, "run_id") or _ambil(dag_run, "run_id")
    task_id = _ambil(ti, "task_id") or _ambil(task, "task_id")
    logical = context.get("logical_date") or _ambil(dag_run, "logical_date")
    if logical is None:
        logical = _ambil(dag_run, "run_after")
    exc = context.get("exception")
    galat = None
    if exc is not None:
        galat = f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else str(exc)
        galat = _potong(samarkan(galat))
    try:
        url = _ambil(ti, "log_url")
    except Exception:  # log_url reads config; never let that stop the alert
        url = None
    if not url:
        url = _url_run(dag_id, run_id, task_id)
    map_index = _ambil(ti, "map_index")
    return Peringatan(
        jenis="gagal",
        dag_id=str(dag_id),
        run_id=run_id,
        logical_date=_iso(logical),
        task_id=task_id,
        map_index=map_index if isinstance(map_index, int) and map_index >= 0 else None,
        try_number=_ambil(ti, "try_number"),
        max_tries=_ambil(ti, "max_tries"),
        galat=galat,
        url=url,
    )


def peringatan_terlambat(
    context: Mapping[str, Any] | None, keterangan: str | None = None
) -> Peringatan:
    """The lateness alert from the simple context the scheduler hands the triggerer.

    That context is ``{"dag_run": <DAGRunResponse as JSON: dag_id, dag_run_id, logical_date,
    queued_at, state, ...>, "deadline": {"id": <str>, "deadline_time": <datetime>}}``.
    """
    context = context or {}
    dag_run = context.get("dag_run") or {}
    deadline = context.get("deadline") or {}
    dag_id = _ambil(dag_run, "dag_id") or "?"
    run_id = _ambil(dag_run, "dag_run_id") or _ambil(dag_run, "run_id")
    logical = _ambil(dag_run, "logical_date") or _ambil(dag_run, "run_after")
    return Peringatan(
        jenis="terlambat",
        dag_id=str(dag_id),
        run_id=run_id,
        logical_date=_iso(logical),
        antre_pada=_iso(_ambil(dag_run, "queued_at")),
        batas_waktu=_iso(_ambil(deadline, "deadline_time")),
        status_run=_iso(_ambil(dag_run, "state")),
        keterangan=samarkan(keterangan) if keterangan else None,
        url=_url_run(str(dag_id), run_id),
    )


# --------------------------------------------------------------------------- sending


def _host_saja(url: str) -> str:
    """Scheme and host of a URL for log lines: webhook paths often are the secret."""
    bagian = urllib.parse.urlsplit(url)
    return f"{bagian.scheme}://{bagian.hostname or '?'}"


def _kirim_webhook(url: str, peringatan: Peringatan) -> None:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"{ENV_WEBHOOK} must be a http(s) URL")
    data = json.dumps(peringatan.payload(), ensure_ascii=False).encode("utf-8")
    permintaan = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    with urllib.request.urlopen(permintaan, timeout=WEBHOOK_TIMEOUT_DETIK) as jawaban:  # noqa: S310
        jawaban.read()


def _kirim_email(saluran: Saluran, peringatan: Peringatan) -> None:
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    with SmtpHook(smtp_conn_id=saluran.smtp_conn_id) as hook:
        dari = saluran.email_dari or hook.from_email or f"airflow@{socket.getfqdn()}"
        hook.send_email_smtp(
            to=list(saluran.email),
            from_email=dari,
            subject=peringatan.subjek,
            html_content=peringatan.html(),
        )


def kirim(peringatan: Peringatan, saluran: Saluran | None = None) -> list[str]:
    """Send one alert on every configured channel; the channels that took it, never raises."""
    saluran = saluran_dari_env() if saluran is None else saluran
    if not saluran.aktif:
        log.info(
            "Peringatan %s untuk %s/%s tidak dikirim: %s dan %s kosong "
            "(no alert channel configured)",
            peringatan.jenis,
            peringatan.dag_id,
            peringatan.run_id,
            ENV_WEBHOOK,
            ENV_EMAIL,
        )
        return []
    terkirim: list[str] = []
    if saluran.webhook:
        try:
            _kirim_webhook(saluran.webhook, peringatan)
            terkirim.append("webhook")
        except Exception as exc:
            log.warning(
                "Peringatan %s lewat webhook %s gagal dikirim (alert webhook failed): %s",
                peringatan.jenis,
                _host_saja(saluran.webhook),
                samarkan(f"{type(exc).__name__}: {exc}"),
            )
    if saluran.email:
        try:
            _kirim_email(saluran, peringatan)
            terkirim.append("email")
        except Exception as exc:
            log.warning(
                "Peringatan %s lewat e-mail (koneksi %s) gagal dikirim (alert e-mail failed): %s",
                peringatan.jenis,
                saluran.smtp_conn_id,
                samarkan(f"{type(exc).__name__}: {exc}"),
            )
    if terkirim:
        log.info(
            "Peringatan %s untuk %s/%s dikirim lewat %s",
            peringatan.jenis,
            peringatan.dag_id,
            peringatan.run_id,
            ", ".join(terkirim),
        )
    return terkirim


# --------------------------------------------------------------------------- callbacks


def beri_tahu_gagal(context: Mapping[str, Any]) -> list[str]:
    """Task ``on_failure_callback``: alert that a task failed for good. Never raises."""
    try:
        return kirim(peringatan_gagal(context))
    except Exception:
        log.warning("Peringatan gagal tidak dapat disusun (failure alert not built)", exc_info=True)
        return []


async def beri_tahu_terlambat(
    context: Mapping[str, Any] | None = None, keterangan: str | None = None
) -> list[str]:
    """Deadline Alert callback (``AsyncCallback``), awaited in the triggerer when a run is late.

    The triggerer calls it as ``await beri_tahu_terlambat(**kwargs, context=...)`` where
    ``kwargs`` are the ``AsyncCallback`` kwargs (here only the optional ``keterangan`` note).
    Sending blocks, so it runs in a thread to keep the triggerer's event loop free.
    """
    try:
        peringatan = peringatan_terlambat(context, keterangan)
        saluran = saluran_dari_env()
        return await asyncio.to_thread(kirim, peringatan, saluran)
    except Exception:
        log.warning("Peringatan terlambat gagal (lateness alert failed)", exc_info=True)
        return []


@functools.cache
def _notifier_class() -> type:
    """Built on first use: importing ``etl`` must not import Airflow (whose configuration is
    read once, at import, and the caller may still be setting it up)."""
    from airflow.sdk import BaseNotifier

    class PemberitahuGagal(BaseNotifier):
        """The failure alert as an Airflow notifier: ``on_failure_callback=PemberitahuGagal()``."""

        template_fields = ()

        def notify(self, context: Any) -> None:
            beri_tahu_gagal(context)

        async def async_notify(self, context: Any) -> None:
            await asyncio.to_thread(beri_tahu_gagal, context)

    PemberitahuGagal.__module__ = __name__
    return PemberitahuGagal


def __getattr__(name: str) -> Any:
    if name == "PemberitahuGagal":
        return _notifier_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
