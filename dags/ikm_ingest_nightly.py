"""Nightly ingest of the files the regional offices landed on one arrival day."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import (
    Asset,
    AsyncCallback,
    CronDataIntervalTimetable,
    DeadlineAlert,
    DeadlineReference,
    TriggerRule,
    dag,
    get_current_context,
    task,
)

DOC_MD = """
### ikm_ingest_nightly

Processes the landing partition `$IKM_LANDING_DIR/<arrival date>/` of its logical date (in
Asia/Jakarta): the run at 01:00 on D+1 processes the files that arrived on D.

The tasks are the steps of `etl.flow` (`etl.flow.STEPS`), in its order, one function each:

1. **prepare**: migrations, BI views, reference lists (cheap when nothing changed).
2. **discover**: every landed file of the day (links are recorded as rejected), in batches of
   about `IKM_EKSTRAK_BATCH_MB` (256) MiB, at least `IKM_EKSTRAK_PARALEL` (4) of them: the
   number of extract tasks grows with the data, not with the number of files.
3. **extract** (mapped, one per batch): read each file as the office sent it into typed
   Parquet. A file that crashes never stops the others of its batch; the task then fails
   naming it (its label in the grid shows `GAGAL <file>`, its log the traceback), and a retry
   redoes only the files that failed.
4. **validate**: Great Expectations, one suite run per kind and period over a staging table
   holding all of that batch's files; quarantine and status stay per file. Its log ends with
   the link to the day's Great Expectations Data Docs (`/data-docs/<day>/index.html`).
5. **load** (pool `ikm_gudang`): each accepted file in its own transaction. A bad file is
   rejected with its reason and never stops the others; only warehouse hiccups are retried,
   with exponential backoff.
   Two runs of the same day (a scheduled and a manual one) never overlap in validate, load or
   publish: each takes the day's lock (`etl.warehouse.day_lock`); extracts take it shared.
6. **publish**: terminal status for every file, feedback reports to each office, run record.
   Its log names every rejected file, its reason and the link to its report (`/umpan-balik/`).
7. **check**: fails the run (so it shows red and alerts) when a file ended in a system error.
8. **announce**: an event on the asset `ikm_gudang` when the run changed the warehouse;
   `ikm_publish` refreshes the marts and the completeness report from it.

Alerts: a failed task (after its retries) and a run not finished `IKM_PERINGATAN_TERLAMBAT_MENIT`
(default 360) minutes after it was queued go to `IKM_PERINGATAN_WEBHOOK` and/or
`IKM_PERINGATAN_EMAIL`; nothing is sent when neither is set.

To reprocess files already done, for some offices or kinds, or to see what that would change
first, trigger `ikm_reprocess`.

Re-running a day or backfilling a range gives the warehouse one clean run would give: files
already processed under the same rules are skipped, and an older file never overrides a newer
correction. All the work is in the `etl` package (`python -m etl --help`).

Owner: IKM data engineering team, Kemenperin.
"""


GUDANG = Asset(name="ikm_gudang", uri="ikm://gudang/core")
"""The warehouse's facts: an event means files of some day were loaded or rejected."""
WAREHOUSE_POOL = "ikm_gudang"


def _notify_failure(context) -> None:
    """Failure alert (after the last retry); the alerts are imported only when a task failed."""
    from etl.ops.alerts import notify_failure

    notify_failure(context)


def _lateness_alert() -> DeadlineAlert | None:
    """Lateness alert: a run not finished ``IKM_PERINGATAN_TERLAMBAT_MENIT`` minutes after it
    was queued.

    ``0`` turns it off: ``make run`` and the dag.test() tests do, because Airflow 3.3.2's
    ``dag.test()`` fails on a DAG with deadlines after its run succeeded (it looks the
    serialized alert up as if it were an id). Deadlines belong to runs the scheduler makes.
    """
    from etl.ops.alerts import late_after

    interval = late_after()
    if interval is None:
        return None
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=interval,
        callback=AsyncCallback("etl.ops.alerts.notify_late"),
    )


def _retry_delay() -> timedelta:
    """First retry delay (``IKM_JEDA_ULANG_DETIK``, default 20 s), doubled at each retry: a
    setting so that the database-restart test retries in seconds, not minutes. Read at parse
    time from the settings (environment only: no database, no Variable)."""
    from etl.settings import get_settings

    return timedelta(seconds=get_settings().jeda_ulang_detik)


def _arrival_date() -> str:
    from etl.flow import arrival_date

    return arrival_date(get_current_context().get("logical_date")).isoformat()


def _retry_only_transient(step, *args, **kwargs):
    """Run an etl step; a failure that a retry cannot fix fails the task at once."""
    from airflow.sdk.exceptions import AirflowFailException

    from etl.warehouse.errors import is_transient

    try:
        return step(*args, **kwargs)
    except Exception as exc:
        if is_transient(exc):
            raise
        raise AirflowFailException(f"{type(exc).__name__}: {exc}") from exc


@dag(
    dag_id="ikm_ingest_nightly",
    schedule=CronDataIntervalTimetable("0 1 * * *", timezone="Asia/Jakarta"),
    # Before any arrival day a backfill may ask for: Airflow makes no task instance for a
    # logical date before the start date, so a run of a 2023 day would succeed with nothing
    # done. catchup=False keeps the scheduler from creating the runs in between.
    start_date=pendulum.datetime(2000, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    # Backfills may run three days side by side; the pool keeps their loads one at a time.
    max_active_runs=3,
    doc_md=DOC_MD,
    tags=["ikm", "ingest"],
    default_args={
        "owner": "ikm-data-engineering",
        "retries": 3,
        "retry_delay": _retry_delay(),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=10),
        "execution_timeout": timedelta(hours=2),
        "on_failure_callback": _notify_failure,
    },
    deadline=_lateness_alert(),
)
def ikm_ingest_nightly():
    @task
    def prepare() -> str:
        from etl import flow

        return _retry_only_transient(flow.prepare)

    @task
    def discover() -> list[list[str]]:
        import datetime as dt

        from etl import flow

        tanggal = dt.date.fromisoformat(_arrival_date())
        return _retry_only_transient(flow.discover_batches, tanggal)

    @task(map_index_template="{{ berkas_batch }}")
    def extract(paths: list[str]) -> dict:
        """One batch of files; a retry redoes only those that failed (the others are staged)."""
        from etl import flow

        context = get_current_context()
        context["berkas_batch"] = flow.batch_label(paths)
        try:
            return _retry_only_transient(
                flow.extract_batch, paths, resume=context["ti"].try_number > 1
            )
        except Exception as exc:
            failed = getattr(exc.__cause__, "failures", None) or getattr(exc, "failures", {})
            context["berkas_batch"] = flow.batch_label(paths, failed)
            raise

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def validate() -> list[dict]:
        """Every file extract staged today (a failed extract leaves the others to go on)."""
        import datetime as dt

        from etl import flow
        from etl.warehouse.day_lock import under_day_lock

        tanggal = dt.date.fromisoformat(_arrival_date())
        return _retry_only_transient(under_day_lock, tanggal, flow.validate_day, tanggal)

    @task(pool=WAREHOUSE_POOL)
    def load(validated: list[dict]) -> list[dict]:
        import datetime as dt

        from etl import flow
        from etl.warehouse.day_lock import under_day_lock

        tanggal = dt.date.fromisoformat(_arrival_date())
        return _retry_only_transient(under_day_lock, tanggal, flow.load_validated, validated)

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def publish() -> dict:
        import datetime as dt

        from etl import flow
        from etl.warehouse.day_lock import under_day_lock

        run_id = get_current_context()["dag_run"].run_id
        tanggal = dt.date.fromisoformat(_arrival_date())
        return _retry_only_transient(under_day_lock, tanggal, flow.publish_day, tanggal, run_id)

    @task(retries=0)
    def check() -> int:
        import datetime as dt

        from etl import flow

        return flow.check_day(dt.date.fromisoformat(_arrival_date()))

    @task(trigger_rule=TriggerRule.ALL_DONE, outlets=[GUDANG])
    def announce(batches: list[list[str]], extracted: list[dict]) -> dict:
        """Announce a changed warehouse; skipped (no event) when every file was unchanged."""
        from airflow.sdk.exceptions import AirflowSkipException

        skipped = sum((e or {}).get("dilewati", 0) for e in extracted)
        # a file of a failed batch counts as changed: publish rejected it
        changed = sum(len(b) for b in batches) - skipped
        if not changed:
            raise AirflowSkipException("tidak ada berkas yang berubah; mart tidak perlu disegarkan")
        get_current_context()["outlet_events"][GUDANG].extra = {
            "tanggal_tiba": _arrival_date(),
            "berkas_diproses": changed,
        }
        return {"berkas_diproses": changed}

    batches = discover()
    prepare() >> batches
    validated = validate()
    extracted = extract.expand(paths=batches)
    extracted >> validated
    published = publish()
    load(validated) >> published >> [check(), announce(batches, extracted)]


ikm_ingest_nightly()
