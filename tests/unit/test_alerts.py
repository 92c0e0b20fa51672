"""Failure and lateness alerts reach a real local webhook and a real local SMTP server.

The failure callback gets a real Airflow 3 runtime context (``RuntimeTaskInstance``); the
lateness callback is run through Airflow's own ``CallbackTrigger`` with the context the
scheduler builds for a missed deadline, exactly as the triggerer does.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import logging
import socket
import socketserver
import threading
import types
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from etl.ops import alerts
from etl.settings import settings_from

pytestmark = pytest.mark.unit

LOGICAL = datetime(2025, 3, 4, 18, 0, tzinfo=UTC)
RUN_ID = "scheduled__2025-03-04T18:00:00+00:00"
DAG_ID = "ikm_ingest_nightly"


# --------------------------------------------------------------------------- local servers


@dataclass
class Webhook:
    url: str
    diterima: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            panjang = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(panjang)
            assert self.headers["Content-Type"].startswith("application/json")
            hook.diterima.append(json.loads(body))
            self.send_response(hook.status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/rahasia-token"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield hook
    server.shutdown()
    server.server_close()
    thread.join(5)


@dataclass
class Surat:
    pengirim: str
    penerima: list[str]
    data: bytes

    def pesan(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)

    def isi(self) -> str:
        bagian = self.pesan().get_body(preferencelist=("html", "plain"))
        assert bagian is not None
        return bagian.get_content()


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib without TLS or AUTH; records each DATA."""

    def _balas(self, baris: str) -> None:
        self.wfile.write(baris.encode() + b"\r\n")

    def handle(self) -> None:
        kotak: list[Surat] = self.server.kotak  # type: ignore[attr-defined]
        pengirim, penerima = "", []
        self._balas("220 localhost ESMTP uji")
        while line := self.rfile.readline():
            perintah = line.decode().strip()
            kata = perintah.upper()
            if kata.startswith(("EHLO", "HELO")):
                self._balas("250 localhost")
            elif kata.startswith("MAIL FROM:"):
                pengirim, penerima = perintah[10:].strip(" <>"), []
                self._balas("250 OK")
            elif kata.startswith("RCPT TO:"):
                penerima.append(perintah[8:].strip(" <>"))
                self._balas("250 OK")
            elif kata == "DATA":
                self._balas("354 End data with <CR><LF>.<CR><LF>")
                isi = []
                while (baris := self.rfile.readline()) not in (b".\r\n", b""):
                    isi.append(baris[1:] if baris.startswith(b"..") else baris)
                kotak.append(Surat(pengirim, penerima, b"".join(isi)))
                self._balas("250 OK diterima")
            elif kata in ("RSET", "NOOP"):
                self._balas("250 OK")
            elif kata == "QUIT":
                self._balas("221 Bye")
                return
            else:
                self._balas("502 Command not implemented")


@dataclass
class SmtpLokal:
    port: int
    kotak: list[Surat]


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpLokal]:
    """A local SMTP server, registered as Airflow's ``smtp_default`` through the environment."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.daemon_threads = True
    server.kotak = []  # type: ignore[attr-defined]
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv(
        "AIRFLOW_CONN_SMTP_DEFAULT",
        json.dumps(
            {
                "conn_type": "smtp",
                "host": "127.0.0.1",
                "port": port,
                "extra": {
                    "disable_ssl": True,
                    "disable_tls": True,
                    "from_email": "airflow@ikm.kemenperin.go.id",
                    "timeout": 5,
                    "retry_limit": 0,
                },
            }
        ),
    )
    yield SmtpLokal(port, server.kotak)  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def tanpa_saluran(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts unconfigured, whatever the developer's shell exports."""
    for nama in (
        "IKM_PERINGATAN_WEBHOOK",
        "IKM_PERINGATAN_EMAIL",
        "IKM_PERINGATAN_SMTP_CONN",
        "IKM_PERINGATAN_EMAIL_DARI",
        "IKM_PERINGATAN_TERLAMBAT_MENIT",
    ):
        monkeypatch.delenv(nama, raising=False)


def _port_mati() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- contexts


def konteks_gagal(exc: BaseException, *, try_number: int = 4) -> dict[str, Any]:
    """The context Airflow 3's task runner hands ``on_failure_callback``, built the same way."""
    from airflow.sdk import DAG
    from airflow.sdk.api.datamodels._generated import (
        DagRun,
        DagRunState,
        DagRunType,
        TIRunContext,
    )
    from airflow.sdk.bases.operator import BaseOperator
    from airflow.sdk.execution_time.task_runner import RuntimeTaskInstance

    with DAG(DAG_ID, schedule=None):
        operator = BaseOperator(task_id="load")
    dag_run = DagRun(
        dag_id=DAG_ID,
        run_id=RUN_ID,
        logical_date=LOGICAL,
        data_interval_start=LOGICAL - timedelta(days=1),
        data_interval_end=LOGICAL,
        run_after=LOGICAL,
        start_date=LOGICAL,
        end_date=None,
        run_type=DagRunType.SCHEDULED,
        state=DagRunState.RUNNING,
        consumed_asset_events=[],
        partition_key=None,
    )
    ti = RuntimeTaskInstance.model_construct(
        id=uuid.uuid4(),
        task_id="load",
        dag_id=DAG_ID,
        run_id=RUN_ID,
        try_number=try_number,
        dag_version_id=uuid.uuid4(),
        map_index=-1,
        task=operator,
        start_date=LOGICAL,
        max_tries=3,
        _ti_context_from_server=TIRunContext(dag_run=dag_run, max_tries=3),
    )
    context = dict(ti.get_template_context())
    context["exception"] = exc  # what the task runner adds before on_failure_callback
    return context


def konteks_terlambat() -> dict[str, Any]:
    """What ``Deadline.handle_miss`` puts in the callback kwargs, after the DB round trip."""
    from airflow.api_fastapi.core_api.datamodels.dag_run import DAGRunResponse
    from airflow.serialization.serialized_objects import BaseSerialization

    dag_run = types.SimpleNamespace(
        run_id=RUN_ID,
        dag_id=DAG_ID,
        logical_date=LOGICAL,
        queued_at=LOGICAL,
        start_date=LOGICAL,
        end_date=None,
        duration=None,
        data_interval_start=LOGICAL - timedelta(days=1),
        data_interval_end=LOGICAL,
        run_after=LOGICAL,
        last_scheduling_decision=None,
        run_type="scheduled",
        state="running",
        triggered_by=None,
        triggering_user_name=None,
        conf={},
        note=None,
        dag_versions=[],
        bundle_version=None,
        dag_model=types.SimpleNamespace(dag_display_name=DAG_ID),
        partition_key=None,
        partition_date=None,
    )
    context = {
        "dag_run": DAGRunResponse.model_validate(dag_run).model_dump(mode="json"),
        "deadline": {"id": str(uuid.uuid4()), "deadline_time": LOGICAL + timedelta(hours=6)},
    }
    # callback.data is an ExtendedJSON column and the trigger kwargs are serialized the same way.
    return BaseSerialization.deserialize(BaseSerialization.serialize(context))


def jalankan_trigger(kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """Run Airflow's CallbackTrigger for ``beri_tahu_terlambat`` as the triggerer would."""
    from airflow.sdk.definitions.callback import AsyncCallback
    from airflow.triggers.callback import CallbackTrigger

    callback = AsyncCallback(
        "etl.ops.alerts.notify_late", kwargs={"note": "Batas 6 jam"}
    ).serialize()
    trigger = CallbackTrigger(
        callback_path=callback["path"], callback_kwargs={**callback["kwargs"], **kwargs}
    )

    async def kumpulkan() -> list[dict[str, Any]]:
        return [event.payload async for event in trigger.run()]

    return asyncio.run(kumpulkan())


# --------------------------------------------------------------------------- failure alerts


def test_failure_alert_posts_bilingual_payload_with_log_url(
    webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", webhook.url)
    context = konteks_gagal(ValueError("kolom NIB hilang di berkas jateng.xlsx"))

    assert alerts.notify_failure(context) == ["webhook"]

    [payload] = webhook.diterima
    assert payload["jenis"] == "gagal"
    assert payload["dag_id"] == DAG_ID
    assert payload["run_id"] == RUN_ID
    assert payload["task_id"] == "load"
    assert payload["try_number"] == 4
    assert payload["max_tries"] == 3
    assert payload["logical_date"] == LOGICAL.isoformat()
    assert payload["galat"] == "ValueError: kolom NIB hilang di berkas jateng.xlsx"
    assert payload["url"] == context["ti"].log_url
    assert "/dags/ikm_ingest_nightly/runs/" in payload["url"]
    teks = payload["text"]
    assert "Tugas load pada DAG ikm_ingest_nightly gagal (percobaan 4 dari 4)" in teks
    assert "Task load in DAG ikm_ingest_nightly failed (try 4 of 4)" in teks
    assert teks.index("gagal") < teks.index("failed")
    assert payload["url"] in teks


def test_failure_alert_emailed_through_smtp_default(
    smtp_server: SmtpLokal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IKM_PERINGATAN_EMAIL", "data@kemenperin.go.id; ikm@kemenperin.go.id")

    assert alerts.notify_failure(konteks_gagal(RuntimeError("gudang penuh"))) == ["email"]

    [surat] = smtp_server.kotak
    assert surat.pengirim == "airflow@ikm.kemenperin.go.id"
    assert surat.penerima == ["data@kemenperin.go.id", "ikm@kemenperin.go.id"]
    assert surat.pesan()["Subject"] == "[IKM] GAGAL / FAILED: ikm_ingest_nightly.load"
    isi = surat.isi()
    assert "RuntimeError: gudang penuh" in isi
    assert "Tugas load pada DAG ikm_ingest_nightly gagal" in isi


def test_both_channels_and_notifier_class(
    webhook: Webhook, smtp_server: SmtpLokal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", webhook.url)
    monkeypatch.setenv("IKM_PERINGATAN_EMAIL", "data@kemenperin.go.id")
    monkeypatch.setenv("IKM_PERINGATAN_EMAIL_DARI", "peringatan@kemenperin.go.id")

    alerts.FailureNotifier()(konteks_gagal(OSError("disk")))

    assert [p["jenis"] for p in webhook.diterima] == ["gagal"]
    [surat] = smtp_server.kotak
    assert surat.pengirim == "peringatan@kemenperin.go.id"


def test_unconfigured_sends_nothing_and_says_so_once(
    webhook: Webhook, smtp_server: SmtpLokal, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="etl.ops.alerts")

    assert alerts.notify_failure(konteks_gagal(ValueError("x"))) == []

    assert webhook.diterima == []
    assert smtp_server.kotak == []
    pesan = [r for r in caplog.records if r.name == "etl.ops.alerts"]
    assert len(pesan) == 1
    assert pesan[0].levelno == logging.INFO
    assert "no alert channel configured" in pesan[0].getMessage()


def test_channels_read_at_send_time_not_import_time(
    webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = konteks_gagal(ValueError("x"))
    assert alerts.notify_failure(context) == []
    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", webhook.url)
    assert alerts.notify_failure(context) == ["webhook"]


def test_dead_channels_warn_and_never_raise(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    mati = _port_mati()
    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", f"http://127.0.0.1:{mati}/hooks/rahasia-token")
    monkeypatch.setenv("IKM_PERINGATAN_EMAIL", "data@kemenperin.go.id")
    monkeypatch.setenv(
        "AIRFLOW_CONN_SMTP_DEFAULT",
        json.dumps(
            {
                "conn_type": "smtp",
                "host": "127.0.0.1",
                "port": mati,
                "login": "ikm",
                "password": "SmtpRahasia99",
                "extra": {"disable_ssl": True, "disable_tls": True, "timeout": 2},
            }
        ),
    )
    caplog.set_level(logging.INFO, logger="etl.ops.alerts")

    assert alerts.notify_failure(konteks_gagal(ValueError("x"))) == []

    peringatan = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(peringatan) == 2
    log_teks = caplog.text
    assert "rahasia-token" not in log_teks
    assert "SmtpRahasia99" not in log_teks


def test_webhook_error_status_does_not_raise(
    webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    webhook.status = 500
    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", webhook.url)
    assert alerts.notify_failure(konteks_gagal(ValueError("x"))) == []
    assert len(webhook.diterima) == 1


def test_password_in_exception_is_masked(
    webhook: Webhook, smtp_server: SmtpLokal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", webhook.url)
    monkeypatch.setenv("IKM_PERINGATAN_EMAIL", "data@kemenperin.go.id")
    exc = ConnectionError(
        "cannot reach postgresql+psycopg://ikm:S3cr3tPw@db:5432/gudang "
        "(dsn: host=db user=ikm password=HiddenPw2 dbname=gudang)"
    )

    alerts.notify_failure(konteks_gagal(exc))

    [payload] = webhook.diterima
    dikirim = json.dumps(payload) + smtp_server.kotak[0].isi()
    assert "S3cr3tPw" not in dikirim
    assert "HiddenPw2" not in dikirim
    assert "postgresql+psycopg://ikm:***@db:5432/gudang" in payload["galat"]
    assert "password=***" in payload["galat"]


def test_long_exception_text_is_truncated(
    webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", webhook.url)
    alerts.notify_failure(konteks_gagal(ValueError("baris rusak " * 1000)))
    assert len(webhook.diterima[0]["galat"]) == alerts.ERROR_TEXT_LIMIT


def test_plain_dict_context_still_alerts(webhook: Webhook, monkeypatch: pytest.MonkeyPatch) -> None:
    """A context without a runtime TI (e.g. a hand-built one) falls back to the UI URL."""
    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", webhook.url)
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "https://airflow.kemenperin.go.id/")
    context = {
        "dag_run": {"dag_id": DAG_ID, "run_id": RUN_ID},
        "ti": {"task_id": "extract", "try_number": 1, "map_index": 7},
        "run_id": RUN_ID,
        "exception": "tidak terbaca",
    }
    assert alerts.notify_failure(context) == ["webhook"]
    payload = webhook.diterima[0]
    assert payload["map_index"] == 7
    assert payload["url"] == (
        "https://airflow.kemenperin.go.id/dags/ikm_ingest_nightly/runs/"
        "scheduled__2025-03-04T18%3A00%3A00%2B00%3A00/tasks/extract"
    )


# --------------------------------------------------------------------------- lateness alerts


def test_late_callback_through_the_real_trigger(
    webhook: Webhook, smtp_server: SmtpLokal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", webhook.url)
    monkeypatch.setenv("IKM_PERINGATAN_EMAIL", "data@kemenperin.go.id")

    events = jalankan_trigger({"context": konteks_terlambat()})

    assert [str(e["state"]) for e in events] == ["running", "success"]
    assert events[-1]["body"] == ["webhook", "email"]
    [payload] = webhook.diterima
    assert payload["jenis"] == "terlambat"
    assert payload["dag_id"] == DAG_ID
    assert payload["run_id"] == RUN_ID
    assert payload["task_id"] is None
    assert payload["batas_waktu"] == (LOGICAL + timedelta(hours=6)).isoformat()
    assert payload["antre_pada"].startswith("2025-03-04T18:00:00")
    assert payload["status_run"] == "running"
    assert payload["keterangan"] == "Batas 6 jam"
    assert "terlambat" in payload["text"]
    assert "is late" in payload["text"]
    assert smtp_server.kotak[0].pesan()["Subject"] == "[IKM] TERLAMBAT / LATE: ikm_ingest_nightly"


def test_late_callback_unconfigured_and_dead_webhook(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="etl.ops.alerts")
    assert jalankan_trigger({"context": konteks_terlambat()})[-1]["body"] == []
    assert "no alert channel configured" in caplog.text

    monkeypatch.setenv("IKM_PERINGATAN_WEBHOOK", f"http://127.0.0.1:{_port_mati()}/x")
    events = jalankan_trigger({"context": konteks_terlambat()})
    assert str(events[-1]["state"]) == "success"
    assert events[-1]["body"] == []


def test_deadline_alert_accepts_the_callback_path() -> None:
    from airflow.sdk import AsyncCallback, DeadlineAlert, DeadlineReference

    alert = DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=alerts.late_after(),
        callback=AsyncCallback("etl.ops.alerts.notify_late"),
    )
    assert alert.callback.path == "etl.ops.alerts.notify_late"
    assert alert.interval == timedelta(hours=6)


@pytest.mark.parametrize(
    ("nilai", "harapan"),
    [(None, timedelta(minutes=360)), ("90", timedelta(minutes=90)), ("nol", None), ("-5", None)],
)
def test_late_after(nilai: str | None, harapan: timedelta | None) -> None:
    env = {} if nilai is None else {"IKM_PERINGATAN_TERLAMBAT_MENIT": nilai}
    assert alerts.late_after(settings_from(env)) == (harapan or timedelta(minutes=360))


def test_a_zero_lateness_setting_turns_the_alert_off() -> None:
    assert alerts.late_after(settings_from({"IKM_PERINGATAN_TERLAMBAT_MENIT": "0"})) is None


def test_channels_from_the_settings() -> None:
    saluran = alerts.channels(
        settings_from(
            {
                "IKM_PERINGATAN_EMAIL": " a@x.go.id, b@x.go.id ;",
                "IKM_PERINGATAN_SMTP_CONN": "smtp_kemenperin",
            }
        )
    )
    assert saluran.email == ("a@x.go.id", "b@x.go.id")
    assert saluran.smtp_conn_id == "smtp_kemenperin"
    assert saluran.webhook is None
    assert alerts.channels(settings_from({})).active is False
