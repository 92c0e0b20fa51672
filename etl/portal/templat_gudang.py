"""What a template reads from the warehouse: the office, the reference edition and lists in
force, the kind's deadline, and the office's rows in force.

The lists are the validation's own (:func:`etl.stages.s3_validate.suite_parameters`), so a
drop-down never offers a code the suite would refuse, nor misses one it accepts.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from etl.contract import Kind
from etl.stages.s3_validate.parameters import suite_parameters
from etl.warehouse.scopes import kept_rows

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Office:
    kode: str | None
    """None: the ministry (every region)."""
    nama: str
    tingkat: str | None = None


@dataclass(frozen=True)
class Edition:
    edisi_id: int
    label: str
    berlaku_mulai: dt.date


def office(conn: psycopg.Connection, kantor: str | None) -> Office:
    """The office of ``kantor`` in the regions in force; ValueError when it is not one."""
    if kantor is None:
        return Office(None, "Kementerian Perindustrian (seluruh wilayah)")
    row = conn.execute(
        "select kode_wilayah, nama_wilayah, tingkat from core.dim_wilayah where kode_wilayah = %s",
        (kantor,),
    ).fetchone()
    if row is None:
        raise ValueError(
            f"kode kantor '{kantor}' tidak ada dalam daftar wilayah Kemendagri yang berlaku "
            "(2 digit untuk provinsi, 4 digit untuk kabupaten/kota)"
        )
    return Office(row[0], row[1], row[2])


def edition(conn: psycopg.Connection) -> Edition | None:
    """The latest edition loaded: the one whose lists validation checks against."""
    row = conn.execute(
        "select edisi_id, label, berlaku_mulai from core.edisi_referensi "
        "order by edisi_id desc limit 1"
    ).fetchone()
    return Edition(int(row[0]), row[1], row[2]) if row else None


PLACEHOLDER_PERIOD = "2000"


def parameters(conn: psycopg.Connection, periode: str | None) -> dict[str, Any]:
    """The suite's parameters. Without a period only the reference lists (the list-valued
    ones) are kept: bounds that come from the period do not apply yet."""
    params = suite_parameters(conn, periode or PLACEHOLDER_PERIOD)
    if periode is None:
        params = {k: v for k, v in params.items() if isinstance(v, list | tuple)}
    return params


def names(conn: psycopg.Connection, codes: list[str], wilayah: bool) -> dict[str, str]:
    """Names of codes: regions for the region column, KBLI titles for the other code lists
    (the only two reference lists; codes of the two overlap, so the column decides)."""
    query = (
        "select kode_wilayah, nama_wilayah from core.dim_wilayah where kode_wilayah = any(%s)"
        if wilayah
        else "select kode_kbli, judul from core.dim_kbli where kode_kbli = any(%s)"
    )
    return dict(conn.execute(query, (list(codes),)).fetchall())


def _periods_back(kind: Kind, today: dt.date, count: int) -> list[str]:
    if kind.pola_periode == "bulanan":
        months = [today.year * 12 + today.month - 1 - i for i in range(count)]
        return [f"{m // 12}-{m % 12 + 1:02d}" for m in months]
    return [str(today.year - i) for i in range(count)]


def deadline(conn: psycopg.Connection, kind: Kind, periode: str | None) -> tuple[str, dt.date]:
    """The period and its deadline: the template's, or, without one, the oldest period that
    has started and whose deadline has not passed (the one offices are reporting now)."""
    today = dt.datetime.now(JAKARTA).date()
    periods = [periode] if periode else _periods_back(kind, today, 24)
    rows = conn.execute(
        "select p, (core.awal_periode(p) + j.tenggat_setelah_awal_periode)::date "
        "from core.jenis_pengiriman as j cross join unnest(%s::text[]) as p where j.jenis = %s",
        (periods, kind.jenis),
    ).fetchall()
    if not rows:
        raise RuntimeError(f"kind {kind.jenis} is not registered; run `python -m etl migrate`")
    by_period = dict(rows)
    if periode:
        return periode, by_period[periode]
    open_ = [p for p in periods if by_period[p] >= today]
    chosen = open_[-1] if open_ else periods[0]
    return chosen, by_period[chosen]


def rows_in_force(
    conn: psycopg.Connection, kind: Kind, periode: str, kantor: str | None
) -> list[tuple]:
    """The office's rows in force for the period, in the contract's column order.

    The rows of every scope whose owner (``core.cakupan_berlaku``) is a submission this office
    sent: what it can send back as its correction. Scopes of its area that another office owns
    (a kab/kota that sent its own register) are left out: sending them back would override
    that office's own data. ``kantor`` None (the ministry): every row in force.
    """
    columns = sql.SQL(", ").join(sql.Identifier("b", c.nama) for c in kind.columns)
    query = sql.SQL(
        """
        select {columns}
        from {store} as b
        inner join core.cakupan_berlaku as c
            on c.submission_id = b.submission_id and c.kode_cakupan = b.{scope}
        inner join audit.submission as s on s.submission_id = b.submission_id
        where c.jenis = %(jenis)s and c.periode = %(periode)s
            and (%(kantor)s::text is null or s.kode_wilayah = %(kantor)s)
        order by s.tanggal_tiba, s.nama_berkas, b.submission_id, b.baris
        """
    ).format(columns=columns, store=kept_rows(kind), scope=sql.Identifier(kind.kolom_cakupan))
    params = {"jenis": kind.jenis, "periode": periode, "kantor": kantor}
    return conn.execute(query, params).fetchall()
