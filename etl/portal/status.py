"""What an office sees of its own reporting: the kinds and periods expected of it with their
status and deadline, the history of what it sent, each feedback report, and (a province, the
ministry) the reporting rates below it. Read from the marts and the audit trail; every query
here is filtered to the offices the account may see before it reaches a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

from etl.portal.accounts import Account
from etl.portal.security import Refused
from etl.stages.s5_publish.feedback import feedback_paths


def _rows(conn: psycopg.Connection, statement: str, params: tuple) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(statement, params).fetchall()


def office_name(conn: psycopg.Connection, kode_wilayah: str | None) -> str:
    if kode_wilayah is None:
        return "Kementerian Perindustrian"
    row = conn.execute(
        "select nama_wilayah from core.dim_wilayah where kode_wilayah = %s", (kode_wilayah,)
    ).fetchone()
    return row[0] if row else kode_wilayah


def visible_offices(conn: psycopg.Connection, account: Account) -> list[dict[str, Any]]:
    """The offices whose status this account may open (its own first)."""
    if account.kode_wilayah is None:
        where, params = "length(kode_wilayah) = 2", ()
    elif account.tingkat == "provinsi":
        where, params = "left(kode_wilayah, 2) = %s", (account.kode_wilayah,)
    else:
        where, params = "kode_wilayah = %s", (account.kode_wilayah,)
    return _rows(
        conn,
        f"select kode_wilayah, nama_wilayah from core.dim_wilayah where {where} "
        "order by length(kode_wilayah), kode_wilayah",
        params,
    )


def chosen_office(account: Account, asked: str | None) -> str | None:
    """The office a page is about: the one asked for if the account may see it, else its own.
    Asking for an office it may not see is refused, never silently replaced."""
    if not asked:
        return account.kode_wilayah
    if not account.sees(asked):
        raise Refused("Anda tidak berhak melihat data kantor tersebut.", 403)
    return asked


def expected(conn: psycopg.Connection, kode_wilayah: str) -> list[dict[str, Any]]:
    """Every kind × period expected of the office, its status, deadline and row counts."""
    return _rows(
        conn,
        "select s.jenis, s.periode, s.status, s.terlambat, s.tanggal_terakhir, "
        "s.jumlah_baris_diterima, s.jumlah_baris_ditolak, "
        "(core.awal_periode(s.periode) + j.tenggat_setelah_awal_periode)::date as tenggat "
        "from mart.status_pengiriman as s "
        "inner join core.jenis_pengiriman as j on j.jenis = s.jenis "
        "where s.kode_wilayah = %s order by s.periode desc, s.jenis",
        (kode_wilayah,),
    )


RATE_COLUMNS = (
    "jenis, periode, tingkat, kode_wilayah, nama_wilayah, tenggat, laporan_diharapkan, "
    "laporan_diterima, laporan_tepat_waktu, laporan_terlambat, laporan_ditolak, belum_dikirim, "
    "persen_pelaporan"
)


def rates(
    conn: psycopg.Connection, account: Account, chosen: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str | None]:
    """Reporting rates below the account: a summary per kind and period (a province: its own
    roll-up; the ministry: the nation's), and for one of them (``chosen``, ``jenis/periode``;
    the newest by default) the rows below (a province: each of its offices; the ministry: each
    province). A kab/kota office has none to see."""
    if account.kode_wilayah is None:
        summary = "tingkat = 'nasional'", ()
        detail = "tingkat = 'provinsi'", ()
    elif account.tingkat == "provinsi":
        summary = "tingkat = 'provinsi' and kode_wilayah = %s", (account.kode_wilayah,)
        detail = "tingkat = 'kantor' and kode_provinsi = %s", (account.kode_wilayah,)
    else:
        return [], [], None
    rows = _rows(
        conn,
        f"select {RATE_COLUMNS} from mart.tingkat_pelaporan where {summary[0]} "
        "order by periode desc, jenis",
        summary[1],
    )
    keys = [f"{r['jenis']}/{r['periode']}" for r in rows]
    if chosen not in keys:
        chosen = keys[0] if keys else None
    if chosen is None:
        return rows, [], None
    jenis, periode = chosen.split("/", 1)
    below = _rows(
        conn,
        f"select {RATE_COLUMNS} from mart.tingkat_pelaporan where {detail[0]} "
        "and jenis = %s and periode = %s order by kode_wilayah",
        (*detail[1], jenis, periode),
    )
    return rows, below, chosen


def history(conn: psycopg.Connection, kode_wilayah: str) -> list[dict[str, Any]]:
    """What the office sent, newest first: every landed file with its outcome (who sent it
    through the portal, when), and uploads sent today that no night has processed yet."""
    return _rows(
        conn,
        "select s.submission_id, s.path, s.tanggal_tiba, s.nama_berkas, s.jenis, s.periode, "
        "s.status, s.jumlah_baris, s.jumlah_baris_diterima, s.jumlah_baris_ditolak, s.pesan, "
        "s.versi_templat, p.nama_pengguna as pengirim, u.dikirim_pada, "
        "u.hasil ->> 'status_nanti' as status_uji "
        "from audit.submission as s "
        "left join portal.unggahan as u on u.path_kirim = s.path "
        "left join portal.pengguna as p on p.pengguna_id = u.pengguna_id "
        "where s.kode_wilayah = %(k)s "
        "union all "
        "select null, u.path_kirim, u.dikirim_pada::date, u.nama_berkas, "
        "u.hasil ->> 'jenis', u.hasil ->> 'periode', 'menunggu_proses', "
        "(u.hasil ->> 'baris')::int, null, null, null, null, p.nama_pengguna, u.dikirim_pada, "
        "u.hasil ->> 'status_nanti' "
        "from portal.unggahan as u inner join portal.pengguna as p using (pengguna_id) "
        "where u.kode_wilayah = %(k)s and u.status = 'dikirim' and not exists "
        "(select 1 from audit.submission as s where s.path = u.path_kirim) "
        "order by 3 desc, 4 desc",
        {"k": kode_wilayah},
    )


def uploads(conn: psycopg.Connection, account: Account) -> list[dict[str, Any]]:
    """The account's own uploads not sent yet (checked, or being checked)."""
    return _rows(
        conn,
        "select unggahan_id, nama_berkas, diunggah_pada, status, progres, "
        "hasil ->> 'status_nanti' as status_uji from portal.unggahan "
        "where pengguna_id = %s and status <> 'dikirim' "
        "and diunggah_pada > now() - interval '7 days' order by diunggah_pada desc",
        (account.pengguna_id,),
    )


def submission(conn: psycopg.Connection, account: Account, submission_id: int) -> dict[str, Any]:
    """A submission the account may see; refused otherwise (not found and not allowed look
    alike, so ids cannot be probed)."""
    found = _rows(conn, "select * from audit.submission where submission_id = %s", (submission_id,))
    if not found or not account.sees(found[0]["kode_wilayah"]):
        raise Refused("Kiriman tidak ditemukan.", 404)
    return found[0]


def feedback_files(sub: dict[str, Any]) -> tuple[Path, Path]:
    """The submission's feedback report (Markdown) and its CSV of rejected cells."""
    return feedback_paths(sub)
