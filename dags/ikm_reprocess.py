"""Reprocess one arrival day for chosen offices or kinds, or first see what that would change."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task

DOC_MD = """
### ikm_reprocess

Trigger it from the UI's form (or `airflow dags trigger -c '{...}'`) to process the files of
one arrival day again, even those the nightly run would skip as unchanged: after a fix
outside the validation rules, or a repair of the warehouse.

- **tanggal_tiba**: the landing partition (`YYYY-MM-DD`).
- **kantor**: office codes (2 digits for a province, 4 for a kab/kota); empty = every office.
- **jenis**: submission kinds; empty = every kind.
- **uji_coba** (dry run, on by default): stage and validate the chosen files in a temporary
  folder and report, per file and scope, what would change: status, accepted rows, and which
  file would own each scope (a newer correction keeps it). Nothing is written.

Without the dry run the files go through extract, validation and load as in the nightly run
(one transaction per file; an older file never overrides a newer correction), the day's
feedback is rewritten, and `ikm_gudang` gets an asset event so `ikm_publish` refreshes the
marts. `python -m etl reprocess DAY [--kantor K] [--jenis J] [--dry-run]` does the same by hand.

Owner: IKM data engineering team, Kemenperin.
"""

GUDANG = Asset(name="ikm_gudang", uri="ikm://gudang/core")


def _kinds() -> list[str]:
    """The form's choices: the kinds of the contract, read from ``expectations/`` (files only,
    no database), so that a new kind's folder is offered without touching this DAG."""
    from etl.contract import kinds

    return sorted(kinds())


def _params() -> tuple[object, list[str], list[str], bool]:
    import datetime as dt

    params = get_current_context()["params"]
    return (
        dt.date.fromisoformat(params["tanggal_tiba"]),
        list(params.get("kantor") or []),
        list(params.get("jenis") or []),
        bool(params.get("uji_coba", True)),
    )


@dag(
    dag_id="ikm_reprocess",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    # Manual only: unpaused so that a triggered run starts at once.
    is_paused_upon_creation=False,
    max_active_runs=1,
    doc_md=DOC_MD,
    tags=["ikm", "ingest", "reprocess"],
    params={
        "tanggal_tiba": Param(
            pendulum.yesterday("Asia/Jakarta").to_date_string(),
            type="string",
            format="date",
            title="Tanggal tiba",
            description="The arrival day (landing partition) to reprocess.",
        ),
        "kantor": Param(
            [],
            type="array",
            items={"type": "string", "pattern": "^[0-9]{2}([0-9]{2})?$"},
            title="Kantor",
            description="Office codes (2 or 4 digits); empty means every office.",
        ),
        "jenis": Param(
            [],
            type="array",
            items={"type": "string", "enum": _kinds()},
            uniqueItems=True,
            title="Jenis",
            description="Submission kinds; empty means every kind.",
        ),
        "uji_coba": Param(
            True,
            type="boolean",
            title="Uji coba (dry run)",
            description="Only report what would change; write nothing.",
        ),
    },
    default_args={
        "owner": "ikm-data-engineering",
        "retries": 2,
        "retry_delay": timedelta(seconds=20),
        "retry_exponential_backoff": True,
        "execution_timeout": timedelta(hours=2),
    },
)
def ikm_reprocess():
    @task
    def plan() -> dict:
        """What the chosen files would change (runs in both modes; its log is the report)."""
        from etl.reprocess import dry_run

        tanggal, kantor, jenis, _ = _params()
        report = dry_run(tanggal, kantor, jenis)
        return {k: report[k] for k in ("tanggal_tiba", "jumlah_berkas", "berkas_berubah")}

    @task(pool="ikm_gudang", outlets=[GUDANG])
    def reprocess(plan: dict) -> dict:
        from airflow.sdk.exceptions import AirflowSkipException

        from etl.reprocess import run

        tanggal, kantor, jenis, uji_coba = _params()
        if uji_coba:
            raise AirflowSkipException(
                f"uji coba: {plan['berkas_berubah']} dari {plan['jumlah_berkas']} berkas akan "
                "berubah; tidak ada yang ditulis"
            )
        result = run(tanggal, kantor, jenis)
        get_current_context()["outlet_events"][GUDANG].extra = {
            "tanggal_tiba": result["tanggal_tiba"],
            "proses_ulang": True,
        }
        return {k: result[k] for k in ("tanggal_tiba", "jumlah_berkas", "status")}

    reprocess(plan())


ikm_reprocess()
