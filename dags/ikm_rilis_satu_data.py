"""Release one year of the public layer as open data (Satu Data Indonesia), or first try it."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

DOC_MD = """
### ikm_rilis_satu_data

Trigger it from the UI's form to publish one year of the public layer (schema `publik`, under
disclosure control) as an open-data release for Satu Data Indonesia: a Frictionless Data
Package (`datapackage.json`, one CSV per table with its Table Schema, the metadata statistik
of BPS regulation 5/2020: MS-Keg, MS-Var for every column, MS-Ind for every indicator),
licensed CC-BY-4.0.

- **tahun**: the register year to release.
- **uji_coba** (dry run, on by default): build and validate in a scratch folder; nothing is
  recorded and the folder is removed.
- **catatan**: for a correction, what it corrects (stated in the release).

1. **build**: reads the public layer as `publik_reader` (which can read nothing else) into a
   draft folder under `$IKM_RILIS_DIR/_draf/`, as the version after the latest one, with what
   changed since it (rows and cells).
2. **validate**: `frictionless` validates the package (descriptor, sha256 and size of every
   file, every CSV against its Table Schema); an invalid package stops the run.
3. **record** (skipped on a dry run): the draft becomes `$IKM_RILIS_DIR/<tahun>/v<versi>/` and
   a row of `audit.rilis_satu_data` (files' sha256, the warehouse state it came from), which
   never changes again. A release whose content equals the latest version's is not recorded.

`python -m etl rilis TAHUN [--out DIR | --record] [--note TEXT]` does the same by hand.

Owner: IKM data engineering team, Kemenperin.
"""


def _params() -> tuple[int, bool, str | None]:
    params = get_current_context()["params"]
    return (
        int(params["tahun"]),
        bool(params.get("uji_coba", True)),
        params.get("catatan") or None,
    )


@dag(
    dag_id="ikm_rilis_satu_data",
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    # Manual only: unpaused so that a triggered run starts at once.
    is_paused_upon_creation=False,
    max_active_runs=1,
    doc_md=DOC_MD,
    tags=["ikm", "publik", "satu-data"],
    params={
        "tahun": Param(
            pendulum.now("Asia/Jakarta").year - 1,
            type="integer",
            minimum=2000,
            maximum=2100,
            title="Tahun",
            description="The register year to release.",
        ),
        "uji_coba": Param(
            True,
            type="boolean",
            title="Uji coba (dry run)",
            description="Build and validate only; record nothing.",
        ),
        "catatan": Param(
            None,
            type=["null", "string"],
            maxLength=2000,
            title="Catatan koreksi",
            description="For a corrected release: what it corrects.",
        ),
    },
    default_args={
        "owner": "ikm-data-engineering",
        "retries": 1,
        "retry_delay": timedelta(seconds=20),
        "execution_timeout": timedelta(minutes=30),
    },
)
def ikm_rilis_satu_data():
    @task
    def build() -> dict:
        """The package of the year in a draft folder; its path, version and sha256s."""
        from etl.stages.s5_publish.release import build

        tahun, _, catatan = _params()
        return build(tahun, catatan=catatan)

    @task(retries=0)
    def validate(built: dict) -> dict:
        """Not retried: an invalid package is a bug to fix, not a transient failure."""
        from etl.stages.s5_publish.release import validate

        report = validate(built["folder"])
        return {k: report[k] for k in ("valid", "jumlah_galat", "tabel", "detik")}

    @task(retries=0)
    def record(built: dict, report: dict) -> dict:
        from airflow.sdk.exceptions import AirflowSkipException

        from etl.stages.s5_publish.release import discard, record

        _, uji_coba, _ = _params()
        if uji_coba:
            discard(built)
            raise AirflowSkipException(
                f"uji coba: paket {built['tahun']} versi {built['versi']} sah "
                f"({report['tabel']}); tidak ada yang dicatat"
            )
        return record(built)

    built = build()
    record(built, validate(built))


ikm_rilis_satu_data()
