"""What a release is made of, read from schema ``publik`` only, connected as ``publik_reader``.

The role can read nothing but the disclosure-controlled public layer, so whatever a bug in the
release code asked for, a release cannot contain an unsuppressed value or a personal datum. The
warehouse state a release is recorded with (which refresh of the marts, which submission) is
read separately, by the owner, and goes into the release record, never into its files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg

from etl.stages.s5_publish.release.tables import TABLES, Table
from etl.warehouse import connect, libpq_dsn, publik_reader_url


class PublicLayerEmpty(RuntimeError):
    """The public layer has not been computed yet, or holds nothing for the year asked."""


@dataclass(frozen=True)
class Rules:
    """The disclosure rules of the public snapshot (``publik.aturan_penekanan``)."""

    ambang_unit: int
    dominasi_unit: int
    dominasi_persen: Decimal
    dihitung_pada: dt.datetime

    def nilai(self) -> dict[str, Any]:
        """The settings' values, as a release states them (never the computing time, which
        changes at every refresh while the content may not)."""
        return {
            "ambang_unit": self.ambang_unit,
            "dominasi_unit": self.dominasi_unit,
            "dominasi_persen": _number(self.dominasi_persen),
        }


@dataclass(frozen=True)
class Content:
    """The content of one year's release: each table's rows (as text cells) and the rules."""

    tahun: int
    baris: dict[str, list[list[str]]]
    aturan: Rules
    label_edisi: dict[str, str] | None = None
    """Edition number → its label and first day (``publik.edisi_referensi``)."""

    @property
    def edisi_referensi(self) -> list[str]:
        """The reference editions the year's regions were placed by, in order."""
        rows = self.baris["ikm_per_wilayah"]
        index = TABLES[0].nama_kolom.index("edisi_referensi")
        return sorted({r[index] for r in rows if r[index]})


def _number(value: Decimal | float | int) -> int | float:
    return int(value) if value == int(value) else float(value)


def cell_text(value: Any) -> str:
    """A CSV cell as the Table Schema reads it back: integers without a decimal point,
    booleans as ``true``/``false``, null as the empty string (the schema's missing value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return str(value)


def _rows(conn: psycopg.Connection, tabel: Table, tahun: int) -> list[list[str]]:
    columns = ", ".join(tabel.nama_kolom)
    cur = conn.execute(
        f"select {columns} from {tabel.source} where tahun = %s order by {tabel.urutan}",
        (tahun,),
    )
    missing = set(tabel.nama_kolom) - {d.name for d in cur.description}
    if missing:  # pragma: no cover - the select names them
        raise RuntimeError(f"{tabel.source} lacks {sorted(missing)}")
    return [[cell_text(v) for v in row] for row in cur.fetchall()]


def read(tahun: int) -> Content:
    """One year's content, in one snapshot of the public layer, as ``publik_reader``."""
    dsn = libpq_dsn(publik_reader_url())
    with psycopg.connect(dsn) as conn:
        conn.execute("set transaction isolation level repeatable read read only")
        rules = conn.execute(
            "select ambang_unit, dominasi_unit, dominasi_persen, dihitung_pada "
            "from publik.aturan_penekanan"
        ).fetchone()
        if rules is None:
            raise PublicLayerEmpty(
                "lapisan publik belum dihitung: segarkan mart dulu (python -m etl marts) / "
                "the public layer was never computed: refresh the marts first"
            )
        baris = {tabel.nama: _rows(conn, tabel, tahun) for tabel in TABLES}
        labels = {
            edisi: f"{label} (berlaku mulai {mulai.isoformat()})"
            for edisi, label, mulai in conn.execute(
                "select edisi_referensi, label, berlaku_mulai from publik.edisi_referensi"
            )
        }
    if not baris["ikm_per_wilayah"]:
        raise PublicLayerEmpty(
            f"lapisan publik tidak memuat tahun {tahun} / the public layer holds no year {tahun}"
        )
    return Content(tahun=tahun, baris=baris, aturan=Rules(*rules), label_edisi=labels)


def years() -> list[int]:
    """The years the public layer holds (for the DAG's form and the CLI's error message)."""
    with psycopg.connect(libpq_dsn(publik_reader_url())) as conn:
        rows = conn.execute("select distinct tahun from publik.ikm_per_wilayah order by 1")
        return [r[0] for r in rows.fetchall()]


def warehouse_state(aturan: Rules) -> dict[str, Any]:
    """The warehouse state the public snapshot was computed from: the refresh of the marts
    that computed it and the latest submission processed by then (read by the owner, for the
    release record only)."""
    with connect() as conn:
        row = conn.execute(
            """
            select
                (select max(penyegaran_id) from audit.penyegaran_mart where mulai <= %(t)s),
                (select max(submission_id) from audit.submission
                 where processed_at is not null and processed_at <= %(t)s),
                (select max(processed_at) from audit.submission
                 where processed_at is not null and processed_at <= %(t)s)
            """,
            {"t": aturan.dihitung_pada},
        ).fetchone()
    assert row is not None
    return {
        "penyegaran_id": row[0],
        "submission_terakhir": row[1],
        "submission_terakhir_pada": row[2],
        "pola_dihitung_pada": aturan.dihitung_pada,
    }
