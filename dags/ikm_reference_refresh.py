"""Load a new edition of the official code lists (regions, KBLI 2020) from IKM_REFERENCE_DIR."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task

DOC_MD = """
### ikm_reference_refresh

Loads the reference folder `$IKM_REFERENCE_DIR` (Kemendagri regions, their crosswalk, KBLI
2020) as a new **edition** when its files changed. Trigger it by hand after replacing the
folder's files, and say from when the edition applies (`berlaku_mulai`, default: today).

1. **prepare_warehouse**: migrations and BI views.
2. **load_edition**: a changed folder becomes an edition. Regions keep their history: one that
   moved province or was renamed has its old version closed on `berlaku_mulai` and a new one
   opened; new codes open a version; codes no longer listed are closed but kept. Facts are
   attributed to the version in force on their period's first day, so older facts keep the
   province of their time; the marts say which edition (`edisi_referensi`, see
   `mart.edisi_referensi`). The same folder again loads nothing; with another date it
   re-dates the edition (the nightly loads a changed folder too, dated the day it ran).
   Updates the asset `ikm_gudang_referensi`.
3. **report**: edition id and the regions new, changed and closed.

The validation checks codes against the latest edition from the next file on. All the work is
in the `etl` package (`python -m etl reference load --berlaku-mulai YYYY-MM-DD`,
`python -m etl reference editions`).

Owner: IKM data engineering team, Kemenperin.
"""

REFERENSI = Asset(name="ikm_gudang_referensi", uri="ikm://gudang/referensi")


@dag(
    dag_id="ikm_reference_refresh",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    # Manual only: unpaused so that a triggered run starts at once.
    is_paused_upon_creation=False,
    max_active_runs=1,
    doc_md=DOC_MD,
    tags=["ikm", "referensi"],
    params={
        "berlaku_mulai": Param(
            None,
            type=["null", "string"],
            format="date",
            title="Berlaku mulai",
            description="Tanggal edisi mulai berlaku (YYYY-MM-DD); kosong = hari ini.",
        ),
        "label": Param(
            None,
            type=["null", "string"],
            title="Label edisi",
            description="Nama edisi, mis. 'Kepmendagri 300.2.2-2138/2025'; kosong = otomatis.",
        ),
    },
    default_args={
        "owner": "ikm-data-engineering",
        "retries": 2,
        "retry_delay": timedelta(seconds=20),
        "execution_timeout": timedelta(minutes=30),
    },
)
def ikm_reference_refresh():
    @task
    def prepare_warehouse() -> str:
        from etl import warehouse
        from etl.warehouse import migrations

        engine = warehouse.engine()
        try:
            return migrations.upgrade(engine)
        finally:
            engine.dispose()

    @task(outlets=[REFERENSI], retries=0)
    def load_edition() -> dict:
        """Not retried: a wrong folder or date is fixed by a person, not by trying again."""
        import datetime as dt

        from etl import warehouse
        from etl.warehouse import reference

        params = get_current_context()["params"]
        berlaku_mulai = params.get("berlaku_mulai")
        engine = warehouse.engine()
        try:
            result = reference.load(
                engine,
                berlaku_mulai=dt.date.fromisoformat(berlaku_mulai) if berlaku_mulai else None,
                label=params.get("label") or None,
            )
        finally:
            engine.dispose()
        return result.as_dict()

    @task
    def report(result: dict) -> dict:
        """The run's outcome in the task log and its XCom, for whoever triggered it."""
        import logging

        keys = ("edisi_id", "label", "berlaku_mulai", "edisi_baru", "tanggal_diubah")
        counts = ("wilayah_baru", "wilayah_berubah", "wilayah_ditutup")
        summary = {k: result[k] for k in keys + counts}
        logging.getLogger(__name__).info("edisi referensi: %s", summary)
        return summary

    loaded = load_edition()
    prepare_warehouse() >> loaded
    report(loaded)


ikm_reference_refresh()
