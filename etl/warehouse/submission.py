"""The submission record: one ``audit.submission`` row per landed file, until a terminal status.

Every stage writes here (landing records links, extract the file's kind, rules version and
template version, validate its counts, load its status, publish the system errors), so it sits
below them all.
A rejection withdraws whatever the file had loaded (:func:`etl.warehouse.scopes.release`) in
the same transaction: a file's record and the rows in force never disagree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

import psycopg
from psycopg.rows import dict_row

from etl.warehouse import scopes

TERMINAL = ("diterima", "diterima_sebagian", "ditolak", "digantikan")


@dataclass(frozen=True)
class Submission:
    submission_id: int
    path: str
    tanggal_tiba: date
    kode_wilayah: str
    nama_berkas: str
    jenis: str | None
    periode: str | None
    status: str
    sha256: str | None
    tabel_staging: str | None = None
    versi_templat: str | None = None
    """The portal template's version, of a file made from one (extract reads its metadata)."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parts_of(rel_path: str) -> tuple[date, str, str]:
    """``<date>/<office>/<file>`` → (arrival date, office, file name); raises ValueError."""
    parts = PurePosixPath(rel_path).parts
    return date.fromisoformat(parts[0]), (parts[1] if len(parts) > 2 else ""), parts[-1]


def register(conn: psycopg.Connection, rel_path: str) -> tuple[int, str]:
    """The submission row of ``rel_path``, created as 'diproses' when new: (id, status).

    An existing row is left as it is, so a re-run can see what the last run concluded.
    """
    tanggal, kantor, nama = parts_of(rel_path)
    conn.execute(
        "insert into audit.submission (path, tanggal_tiba, kode_wilayah, nama_berkas, status) "
        "values (%s, %s, %s, %s, 'diproses') on conflict (path) do nothing",
        (rel_path, tanggal, kantor, nama),
    )
    row = conn.execute(
        "select submission_id, status from audit.submission where path = %s", (rel_path,)
    ).fetchone()
    assert row is not None
    return int(row[0]), str(row[1])


def update(conn: psycopg.Connection, submission_id: int, **fields: object) -> None:
    sets = ", ".join(f"{k} = %({k})s" for k in fields)
    conn.execute(
        f"update audit.submission set {sets} where submission_id = %(id)s",
        {"id": submission_id, **fields},
    )


def reject(
    conn: psycopg.Connection,
    submission_id: int,
    pesan: str,
    *,
    system: bool = False,
    jumlah_baris: int | None = None,
) -> None:
    """Terminal 'ditolak' for a whole file, with the reason the office will read.

    Written only when it changes something, so re-running an unchanged day changes nothing.
    A file rejected now may have been accepted by an earlier run (a reprocess under new rules,
    or a failure part-way): whatever it had loaded is withdrawn in the same transaction.
    """
    changed = conn.execute(
        """
        update audit.submission set
            status = 'ditolak', status_validasi = 'ditolak', pesan = %(pesan)s,
            galat_sistem = %(system)s, jumlah_baris = %(rows)s, jumlah_baris_diterima = 0,
            jumlah_baris_ditolak = %(rows)s, processed_at = now()
        where submission_id = %(id)s
            and (status, status_validasi, pesan, galat_sistem, jumlah_baris)
                is distinct from ('ditolak', 'ditolak', %(pesan)s, %(system)s, %(rows)s::integer)
        """,
        {"id": submission_id, "pesan": pesan, "system": system, "rows": jumlah_baris},
    ).rowcount
    if changed:
        sub = get(conn, submission_id)
        scopes.release(conn, submission_id, sub.jenis, sub.periode)


def get(conn: psycopg.Connection, submission_id: int) -> Submission:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            "select submission_id, path, tanggal_tiba, kode_wilayah, nama_berkas, jenis, periode, "
            "status, sha256, tabel_staging, versi_templat from audit.submission "
            "where submission_id = %s",
            (submission_id,),
        ).fetchone()
    if row is None:
        raise LookupError(f"no submission {submission_id}")
    return Submission(**row)
