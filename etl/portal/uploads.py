"""An office's upload: kept aside, checked at once as a dry run, then sent into the landing zone.

The check is :func:`etl.reprocess.predict` on the uploaded bytes (extract, the suite on pandas,
the cross-file rules in a savepoint rolled back): nothing in the warehouse changes. It runs in
a background thread; the page waits for it a few seconds and otherwise shows its progress.
Sending lands the checked bytes as ``<today in Asia/Jakarta>/<office>/<name>``: written beside
the landing day (in ``.portal-sementara/``, which no night lists), then linked into place, so a
night sees the whole file or none of it, and an existing landed file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

import psycopg
from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from etl import reprocess
from etl.portal.accounts import Account
from etl.portal.security import Refused, check_content, check_file_name
from etl.settings import get_settings
from etl.warehouse import connect
from etl.warehouse.reference import today

__all__ = ["Upload", "forget_stale", "get", "receive", "send", "today", "wait"]

log = logging.getLogger(__name__)
CELL_LIMIT = 5000
"""Flagged cells kept per upload for its page; the count is always whole."""
TEMPORARY = ".portal-sementara"
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="portal-periksa")
_running: dict[uuid.UUID, threading.Event] = {}


@dataclass
class Upload:
    unggahan_id: uuid.UUID
    pengguna_id: int
    kode_wilayah: str
    nama_berkas: str
    ukuran: int
    sha256: str
    diunggah_pada: dt.datetime
    status: str
    progres: str
    hasil: dict[str, Any] | None
    selesai_pada: dt.datetime | None
    path_kirim: str | None
    dikirim_pada: dt.datetime | None


def get(conn: psycopg.Connection, unggahan_id: uuid.UUID) -> Upload | None:
    with conn.cursor(row_factory=class_row(Upload)) as cur:
        return cur.execute(
            "select * from portal.unggahan where unggahan_id = %s", (unggahan_id,)
        ).fetchone()


def _folder(unggahan_id: uuid.UUID) -> Path:
    return get_settings().portal_dir / str(unggahan_id)


def _kept_file(upload: Upload) -> Path:
    return _folder(upload.unggahan_id) / "berkas" / upload.nama_berkas


def receive(conn: psycopg.Connection, account: Account, name: str, body: BinaryIO) -> Upload:
    """Keep an uploaded file aside and start its check. Refused before anything is kept: a
    ministry account, a hostile name, content that contradicts the extension, an oversize
    file."""
    if not account.can_send:
        raise Refused("Akun kementerian tidak mengirim berkas; masuk dengan akun kantor.", 403)
    check_file_name(name)
    limit = get_settings().portal_batas_unggah_mb * 1024 * 1024
    unggahan_id = uuid.uuid4()
    folder = _folder(unggahan_id) / "berkas"
    folder.mkdir(parents=True)
    target = folder / name
    digest, size = hashlib.sha256(), 0
    try:
        with target.open("xb") as out:
            head = body.read(8192)
            check_content(name, head)
            chunk = head
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise Refused(
                        f"Berkas lebih besar dari {limit // (1024 * 1024)} MiB; pecah menjadi "
                        "beberapa berkas per kab/kota.",
                        413,
                    )
                digest.update(chunk)
                out.write(chunk)
                chunk = body.read(1024 * 1024)
        if size == 0:
            raise Refused("Berkas kosong.")
    except BaseException:
        shutil.rmtree(folder.parent, ignore_errors=True)
        raise
    conn.execute(
        "insert into portal.unggahan (unggahan_id, pengguna_id, kode_wilayah, nama_berkas, "
        "ukuran, sha256, progres) values (%s, %s, %s, %s, %s, %s, 'menunggu pemeriksaan')",
        (unggahan_id, account.pengguna_id, account.kode_wilayah, name, size, digest.hexdigest()),
    )
    conn.commit()
    done = threading.Event()
    _running[unggahan_id] = done
    _checks.submit(_check, unggahan_id, done)
    upload = get(conn, unggahan_id)
    assert upload is not None
    return upload


def wait(unggahan_id: uuid.UUID, seconds: float) -> bool:
    """Wait up to ``seconds`` for an upload's check; True when it has finished."""
    done = _running.get(unggahan_id)
    return done is None or done.wait(seconds)


def _check(unggahan_id: uuid.UUID, done: threading.Event) -> None:
    """The dry run of one upload, its steps written as they start, its result at the end."""
    started = time.monotonic()
    try:
        with connect(autocommit=True) as progress, connect() as conn:
            upload = get(conn, unggahan_id)
            assert upload is not None

            def step(text: str) -> None:
                progress.execute(
                    "update portal.unggahan set progres = %s where unggahan_id = %s",
                    (text, unggahan_id),
                )

            rel = f"{today().isoformat()}/{upload.kode_wilayah}/{upload.nama_berkas}"
            root = _folder(unggahan_id) / "zona"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).unlink(missing_ok=True)
            os.link(_kept_file(upload), root / rel)
            with tempfile.TemporaryDirectory(prefix="ikm-portal-") as scratch:
                plan = reprocess.predict(conn, rel, Path(scratch), root, True, step)
            conn.rollback()
            result = asdict(plan)
            result["jumlah_masalah"] = len(plan.masalah)
            result["masalah"] = plan.masalah[:CELL_LIMIT]
            result["detik"] = round(time.monotonic() - started, 2)
            conn.execute(
                "update portal.unggahan set status = 'selesai', progres = 'selesai', "
                "hasil = %s, selesai_pada = now() where unggahan_id = %s",
                (Jsonb(result), unggahan_id),
            )
            conn.commit()
            shutil.rmtree(root, ignore_errors=True)
    except Exception:
        log.exception("pemeriksaan unggahan %s gagal", unggahan_id)
        with connect(autocommit=True) as conn:
            conn.execute(
                "update portal.unggahan set status = 'gagal', progres = %s, selesai_pada = now() "
                "where unggahan_id = %s",
                ("pemeriksaan gagal karena gangguan sistem; unggah ulang berkasnya", unggahan_id),
            )
    finally:
        done.set()
        _running.pop(unggahan_id, None)


def send(conn: psycopg.Connection, account: Account, upload: Upload) -> str:
    """Land a checked upload; return its path in the landing zone. Only its uploader sends it,
    once, after a check that would not reject it whole."""
    if upload.pengguna_id != account.pengguna_id:
        raise Refused("Hanya pengunggah berkas ini yang dapat mengirimnya.", 403)
    if upload.status == "dikirim":
        raise Refused(f"Berkas ini sudah dikirim ({upload.path_kirim}).", 409)
    if upload.status != "selesai" or not upload.hasil:
        raise Refused("Berkas belum selesai diperiksa.", 409)
    if upload.hasil.get("status_nanti") == "ditolak":
        raise Refused("Berkas ini akan ditolak seluruhnya; perbaiki dulu, lalu unggah ulang.", 409)
    kept = _kept_file(upload)
    if not kept.exists():
        raise Refused("Berkas unggahan ini sudah dihapus (lebih dari 7 hari); unggah ulang.", 410)
    if hashlib.sha256(kept.read_bytes()).hexdigest() != upload.sha256:
        raise Refused("Berkas yang disimpan berubah sejak diperiksa; unggah ulang.", 409)
    landing = get_settings().landing_dir
    rel = f"{today().isoformat()}/{upload.kode_wilayah}/{upload.nama_berkas}"
    final = landing / rel
    temporary = landing / TEMPORARY / f"{upload.unggahan_id}.part"
    temporary.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(kept, temporary)
    with temporary.open("rb") as fh:
        os.fsync(fh.fileno())
    try:
        with conn.transaction():
            taken = conn.execute(
                "select 1 from portal.unggahan where path_kirim = %s", (rel,)
            ).fetchone()
            if taken:
                raise FileExistsError(rel)
            conn.execute(
                "update portal.unggahan set status = 'dikirim', path_kirim = %s, "
                "dikirim_pada = now() where unggahan_id = %s",
                (rel, upload.unggahan_id),
            )
            final.parent.mkdir(parents=True, exist_ok=True)
            os.link(temporary, final)  # fails if the name exists: never overwrites
    except (FileExistsError, psycopg.errors.UniqueViolation):
        raise Refused(
            f"Hari ini sudah ada berkas bernama {upload.nama_berkas} dari kantor Anda. "
            "Beri nama lain (misalnya tambahkan _revisi1) lalu unggah ulang.",
            409,
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    conn.commit()
    shutil.rmtree(_folder(upload.unggahan_id), ignore_errors=True)
    log.info("unggahan %s dikirim oleh %s: %s", upload.unggahan_id, account.nama_pengguna, rel)
    return rel


KEEP_UNSENT = dt.timedelta(days=7)
"""How long an upload that was checked but never sent keeps its bytes (its result stays)."""


def forget_stale(conn: psycopg.Connection, keep: dt.timedelta = KEEP_UNSENT) -> int:
    """Delete the kept bytes of uploads never sent within ``keep``; return how many. The
    records stay (who uploaded what, and its check); only the file goes."""
    rows = conn.execute(
        "select unggahan_id from portal.unggahan where status <> 'dikirim' "
        "and diunggah_pada < now() - %s",
        (keep,),
    ).fetchall()
    gone = 0
    for (unggahan_id,) in rows:
        folder = _folder(unggahan_id)
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
            gone += 1
    return gone
