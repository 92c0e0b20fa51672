"""The audit trail: one ``audit.submission`` row per landed file, from discovery to a terminal status."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

import psycopg
from psycopg.rows import dict_row

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


def register(conn: psycopg.Connection, rel_path: str, **fields: object) -> int:
    """Insert or update the submission row of ``rel_path``; return its id (stable across runs)."""
    tanggal, kantor, nama = parts_of(rel_path)
    values = {"tanggal_tiba": tanggal, "kode_wilayah": kantor, "nama_berkas": nama, **fields}
    cols = ", ".join(values)
    params = ", ".join(f"%({k})s" for k in values)
    updates = ", ".join(f"{k} = excluded.{k}" for k in values)
    row = conn.execute(
        f"insert into audit.submission (path, {cols}) values (%(path)s, {params}) "  # noqa: S608
        f"on conflict (path) do update set {updates} returning submission_id",
        {"path": rel_path, **values},
    ).fetchone()
    assert row is not None
    return int(row[0])


def update(conn: psycopg.Connection, submission_id: int, **fields: object) -> None:
    sets = ", ".join(f"{k} = %({k})s" for k in fields)
    conn.execute(
        f"update audit.submission set {sets} where submission_id = %(id)s",  # noqa: S608
        {"id": submission_id, **fields},
    )


def reject(conn: psycopg.Connection, submission_id: int, pesan: str, *, system: bool = False,
           jumlah_baris: int | None = None) -> None:
    """Terminal 'ditolak' for a whole file, with the reason the office will read."""
    update(
        conn, submission_id, status="ditolak", status_validasi="ditolak", pesan=pesan,
        galat_sistem=system, jumlah_baris=jumlah_baris, jumlah_baris_diterima=0,
        jumlah_baris_ditolak=jumlah_baris, processed_at=_now(),
    )


def get(conn: psycopg.Connection, submission_id: int) -> Submission:
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(
            "select submission_id, path, tanggal_tiba, kode_wilayah, nama_berkas, jenis, periode, "
            "status, sha256 from audit.submission where submission_id = %s",
            (submission_id,),
        ).fetchone()
    if row is None:
        raise LookupError(f"no submission {submission_id}")
    return Submission(**row)


def _now() -> object:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


now = _now
