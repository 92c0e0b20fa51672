"""Load the official code lists (regions, KBLI 2020) from ``IKM_REFERENCE_DIR`` as editions.

The lists are never copied into the repository. A folder whose files differ (sha256) from
the latest edition's becomes a new edition (``core.edisi_referensi``) with the date from
which it applies. Regions keep their history in ``core.riwayat_wilayah``: an unchanged region
keeps its version; one that moved province, was renamed or changed kind has its version
closed on that date and a new one opened; a new code opens a version; a code no longer
listed is closed but kept, because facts keep pointing at it. The marts attribute each fact
to the version in force on its period's first day (``core.wilayah_per_edisi``), so older
facts stay in the province of their time. ``core.dim_wilayah`` is the current versions: the
list the validation checks codes against. KBLI titles are upserted, each code recording the
first and latest edition that listed it.

Who loads a changed folder: both the nightly (:func:`etl.warehouse.migrations.prepare`, with
the load date, so that validation never checks a night's files against a stale list) and the
``ikm_reference_refresh`` DAG / ``python -m etl reference load --berlaku-mulai`` (with the
date the edition applies from). The two meet: loading the folder of the latest edition again
with another date re-dates that edition instead of creating one, so a data engineer who comes
after the nightly states the date with the same command as one who comes before it. The same
folder with no new date costs one query. Any edition can be re-dated between its neighbours
(``python -m etl reference date``): a warehouse's first edition is dated the day it was
installed, and an older edition loaded later must say that the first applied earlier.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from etl.settings import get_settings
from etl.warehouse.reference_edition import (
    FILES,
    JAKARTA,
    Edisi,
    ReferenceError,
    default_label,
    move,
    new_edition,
    today,
)

__all__ = [
    "FILES",
    "JAKARTA",
    "Edisi",
    "ReferenceError",
    "default_label",
    "editions",
    "load",
    "redate",
    "today",
]

LOCK_KEY = 7_130_002  # pg advisory lock: one reference load at a time


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_LATEST = sa.text(
    """
    select e.edisi_id, e.label, e.berlaku_mulai, e.jumlah_wilayah_baru,
        e.jumlah_wilayah_berubah, e.jumlah_wilayah_ditutup,
        coalesce(jsonb_object_agg(b.nama_berkas, b.sha256)
            filter (where b.nama_berkas is not null), '{}'::jsonb) as berkas
    from core.edisi_referensi as e
    left join core.berkas_edisi_referensi as b on e.edisi_id = b.edisi_id
    where e.edisi_id = (select max(edisi_id) from core.edisi_referensi)
    group by e.edisi_id
    """
)


def load(
    engine: sa.Engine,
    reference_dir: Path | None = None,
    *,
    berlaku_mulai: dt.date | None = None,
    label: str | None = None,
) -> Edisi:
    """Load the folder as a new edition if its files changed; return the latest edition.

    ``berlaku_mulai`` is the date the edition applies from (default: the load date, or the
    latest edition's date if that is later). Given for the folder the latest edition was
    loaded from, it re-dates that edition. The same folder again costs one query.
    """
    ref = reference_dir or get_settings().reference_dir
    digests = {name: _sha256(ref / name) if (ref / name).is_file() else "" for name in FILES}
    with engine.connect() as conn:
        latest = conn.execute(_LATEST).mappings().first()
    if (
        latest is not None
        and dict(latest["berkas"]) == digests
        and not _wants_update(latest, berlaku_mulai, label)
    ):
        return _same_folder_result(latest)
    with engine.begin() as conn:
        conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        latest = conn.execute(_LATEST).mappings().first()  # another loader may have been first
        if latest is not None and dict(latest["berkas"]) == digests:
            if not _wants_update(latest, berlaku_mulai, label):
                return _same_folder_result(latest)
            # the nightly may have loaded this folder first, dated the day it did
            return move(conn, latest["edisi_id"], berlaku_mulai or latest["berlaku_mulai"], label)
        return new_edition(conn, ref, digests, latest, berlaku_mulai, label)


def _same_folder_result(latest: sa.RowMapping) -> Edisi:
    return Edisi(
        edisi_id=latest["edisi_id"],
        label=latest["label"],
        berlaku_mulai=latest["berlaku_mulai"].isoformat(),
        edisi_baru=False,
        tanggal_diubah=False,
    )


def _wants_update(latest: sa.RowMapping, berlaku_mulai: dt.date | None, label: str | None) -> bool:
    return (berlaku_mulai is not None and berlaku_mulai != latest["berlaku_mulai"]) or (
        label is not None and label != latest["label"]
    )


def redate(
    engine: sa.Engine, edisi_id: int, berlaku_mulai: dt.date, label: str | None = None
) -> Edisi:
    """Say from when an edition applies, after the fact (e.g. the first one, dated at install).

    The edition's date must stay between its neighbours'; the versions it opened start, and
    those it closed end, on the new date.
    """
    with engine.begin() as conn:
        conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        return move(conn, edisi_id, berlaku_mulai, label)


def editions(engine: sa.Engine) -> list[dict[str, Any]]:
    """Every edition, oldest first, as ``mart.edisi_referensi`` shows it."""
    with engine.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                sa.text("select * from mart.edisi_referensi order by edisi_id")
            ).mappings()
        ]
