"""Failure and lateness alerts by webhook and/or e-mail, configured by the settings.

Channels are read when an alert is sent, never at import or DAG-parse time, so an operator
can turn them on or off without touching the DAGs (:class:`etl.settings.Settings`):

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
    Minutes after a run was queued before it counts as late (default 360; 0 turns the
    lateness alert off), see :func:`late_after`.

With neither channel set nothing is sent and one INFO line says so. A channel that fails
(webhook down, mail server refusing) is logged as a warning and never raises: an alert must
not break the callback chain it runs in.

Wiring: ``on_failure_callback=notify_failure`` (or ``FailureNotifier()``) on the tasks, and
``DeadlineAlert(reference=DeadlineReference.DAGRUN_QUEUED_AT, interval=late_after(),
callback=AsyncCallback("etl.ops.alerts.notify_late"))`` on the DAG; the triggerer awaits
the latter with ``context={"dag_run": {...}, "deadline": {"id": ..., "deadline_time": ...}}``.
The alert's fields (the webhook's JSON keys) are data, in Indonesian like the rest of it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from etl.ops.alert_messages import (
    ERROR_TEXT_LIMIT,
    Alert,
    failure_alert,
    late_alert,
    mask_secrets,
)
from etl.settings import Settings, get_settings

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Channels:
    """Where alerts go; read from the settings at send time."""

    webhook: str | None
    email: tuple[str, ...]
    smtp_conn_id: str
    email_from: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.webhook or self.email)


def channels(settings: Settings | None = None) -> Channels:
    """The configured channels; read per alert so a change needs no redeploy or re-parse."""
    settings = settings or get_settings()
    return Channels(
        webhook=settings.peringatan_webhook,
        email=settings.peringatan_email,
        smtp_conn_id=settings.peringatan_smtp_conn,
        email_from=settings.peringatan_email_dari,
    )


def late_after(settings: Settings | None = None) -> dt.timedelta | None:
    """How long after a run is queued it counts as late (``IKM_PERINGATAN_TERLAMBAT_MENIT``);
    None when the lateness alert is off (0).

    Default 360 minutes: the nightly run starts at 01:00 Asia/Jakarta and should be done well
    before office hours. Read when the DAG is parsed (the interval is part of the serialized
    DAG), so a change takes effect at the next parse. A bad or negative value falls back to the
    default with a warning instead of breaking the DAG.
    """
    minutes = (settings or get_settings()).peringatan_terlambat_menit
    return dt.timedelta(minutes=minutes) if minutes > 0 else None


def _host_only(url: str) -> str:
    """Scheme and host of a URL for log lines: webhook paths often are the secret."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}"


def _post_webhook(url: str, alert: Alert) -> None:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("IKM_PERINGATAN_WEBHOOK must be a http(s) URL")
    data = json.dumps(alert.payload(), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
        response.read()


def _send_email(where: Channels, alert: Alert) -> None:
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    with SmtpHook(smtp_conn_id=where.smtp_conn_id) as hook:
        sender = where.email_from or hook.from_email or f"airflow@{socket.getfqdn()}"
        hook.send_email_smtp(
            to=list(where.email),
            from_email=sender,
            subject=alert.subject,
            html_content=alert.html(),
        )


def send(alert: Alert, where: Channels | None = None) -> list[str]:
    """Send one alert on every configured channel; the channels that took it, never raises."""
    where = channels() if where is None else where
    if not where.active:
        log.info(
            "Peringatan %s untuk %s/%s tidak dikirim: IKM_PERINGATAN_WEBHOOK dan "
            "IKM_PERINGATAN_EMAIL kosong (no alert channel configured)",
            alert.jenis,
            alert.dag_id,
            alert.run_id,
        )
        return []
    sent: list[str] = []
    if where.webhook:
        try:
            _post_webhook(where.webhook, alert)
            sent.append("webhook")
        except Exception as exc:
            log.warning(
                "Peringatan %s lewat webhook %s gagal dikirim (alert webhook failed): %s",
                alert.jenis,
                _host_only(where.webhook),
                mask_secrets(f"{type(exc).__name__}: {exc}"),
            )
    if where.email:
        try:
            _send_email(where, alert)
            sent.append("email")
        except Exception as exc:
            log.warning(
                "Peringatan %s lewat e-mail (koneksi %s) gagal dikirim (alert e-mail failed): %s",
                alert.jenis,
                where.smtp_conn_id,
                mask_secrets(f"{type(exc).__name__}: {exc}"),
            )
    if sent:
        log.info(
            "Peringatan %s untuk %s/%s dikirim lewat %s",
            alert.jenis,
            alert.dag_id,
            alert.run_id,
            ", ".join(sent),
        )
    return sent


# --------------------------------------------------------------------------- callbacks


def notify_failure(context: Mapping[str, Any]) -> list[str]:
    """Task ``on_failure_callback``: alert that a task failed for good. Never raises."""
    try:
        return send(failure_alert(context))
    except Exception:
        log.warning("Peringatan gagal tidak dapat disusun (failure alert not built)", exc_info=True)
        return []


async def notify_late(
    context: Mapping[str, Any] | None = None, note: str | None = None
) -> list[str]:
    """Deadline Alert callback (``AsyncCallback``), awaited in the triggerer when a run is late.

    The triggerer calls it as ``await notify_late(**kwargs, context=...)`` where ``kwargs`` are
    the ``AsyncCallback`` kwargs (here only the optional ``note``). Sending blocks, so it runs
    in a thread to keep the triggerer's event loop free.
    """
    try:
        alert = late_alert(context, note)
        return await asyncio.to_thread(send, alert, channels())
    except Exception:
        log.warning("Peringatan terlambat gagal (lateness alert failed)", exc_info=True)
        return []


@functools.cache
def _notifier_class() -> type:
    """Built on first use: importing ``etl`` must not import Airflow (whose configuration is
    read once, at import, and the caller may still be setting it up)."""
    from airflow.sdk import BaseNotifier

    class FailureNotifier(BaseNotifier):
        """The failure alert as an Airflow notifier: ``on_failure_callback=FailureNotifier()``."""

        template_fields = ()

        def notify(self, context: Any) -> None:
            notify_failure(context)

        async def async_notify(self, context: Any) -> None:
            await asyncio.to_thread(notify_failure, context)

    FailureNotifier.__module__ = __name__
    return FailureNotifier


__all__ = [
    "ERROR_TEXT_LIMIT",
    "Alert",
    "Channels",
    "channels",
    "failure_alert",
    "late_after",
    "late_alert",
    "mask_secrets",
    "notify_failure",
    "notify_late",
    "send",
]


def __getattr__(name: str) -> Any:
    if name == "FailureNotifier":
        return _notifier_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
