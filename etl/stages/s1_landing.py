"""Landing, the first stage: what arrived on one arrival day, without following links or
leaving the tree.

Every entry under ``<landing>/<date>/`` is a landed file that must end in ``audit.submission``.
Regular files are returned for processing; symbolic links (and anything else that is not a
regular file) are recorded as ``ditolak`` here, because no later stage should open them.

A landing root that is missing or cannot be listed (an unmounted share, a wrong
``IKM_LANDING_DIR``) fails the run loudly with :class:`LandingUnavailable`: "no files today"
must never be confused with "the disk is not there". An entry that disappears while it is being
listed is skipped; it is discovered when it is back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import stat
from pathlib import Path

from etl.settings import get_settings
from etl.warehouse import connect, submission

LINK_REASON = "tautan simbolik tidak diproses; kirim berkas aslinya"
OTHER_REASON = "bukan berkas biasa (misalnya perangkat atau soket); tidak diproses"

log = logging.getLogger(__name__)


class LandingUnavailable(RuntimeError):
    """The landing zone (or a folder in it) cannot be read; the message is in Indonesian."""


def _vanished(exc: OSError) -> bool:
    """An entry removed (or replaced by a file) between listing and looking at it."""
    return isinstance(exc, FileNotFoundError | NotADirectoryError)


def _scan(folder: Path) -> list[os.DirEntry]:
    """The entries of ``folder`` by name; [] when it vanished, loud when it cannot be read."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        if _vanished(exc):
            return []
        raise LandingUnavailable(
            f"folder zona pendaratan {folder} tidak dapat dibaca ({exc.strerror or exc}); "
            "periksa izin dan koneksi disk, lalu jalankan ulang"
        ) from exc


def _walk(root: Path, rel: str = "") -> tuple[list[str], list[tuple[str, str]]]:
    """(regular files, rejected entries with reason) below root/rel, links never followed."""
    files: list[str] = []
    rejected: list[tuple[str, str]] = []
    for entry in _scan(root / rel if rel else root):
        path = f"{rel}/{entry.name}" if rel else entry.name
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            if not _vanished(exc):
                raise
            log.warning("berkas %s hilang saat didaftar; diproses saat tersedia kembali", path)
            continue
        if stat.S_ISLNK(mode):
            rejected.append((path, LINK_REASON))
        elif stat.S_ISDIR(mode):
            sub_files, sub_rejected = _walk(root, path)
            files += sub_files
            rejected += sub_rejected
        elif stat.S_ISREG(mode):
            files.append(path)
        else:
            rejected.append((path, OTHER_REASON))
    return files, rejected


def discover(tanggal: dt.date, record: bool = True) -> list[str]:
    """Paths (relative to the landing root) of the regular files that arrived on ``tanggal``."""
    landing = get_settings().landing_dir
    check_root(landing)
    partition = landing / tanggal.isoformat()
    if partition.is_symlink() or not partition.is_dir():
        log.info("tidak ada berkas yang tiba pada %s (folder %s tidak ada)", tanggal, partition)
        return []
    files, rejected = _walk(landing, tanggal.isoformat())
    if record and rejected:
        with connect() as conn:
            for path, reason in rejected:
                submission_id, status = submission.register(conn, path)
                if status == "diproses":  # an earlier run already recorded it otherwise
                    submission.reject(conn, submission_id, reason)
                conn.commit()
            conn.commit()
    return files


def check_root(landing: Path) -> None:
    """Raise :class:`LandingUnavailable` unless the landing root is a folder that can be listed."""
    try:
        if not stat.S_ISDIR(os.stat(landing).st_mode):
            raise LandingUnavailable(
                f"zona pendaratan {landing} bukan folder; periksa IKM_LANDING_DIR"
            )
        with os.scandir(landing):
            pass
    except OSError as exc:
        raise LandingUnavailable(
            f"zona pendaratan {landing} tidak tersedia ({exc.strerror or exc}): disk belum "
            "terpasang atau IKM_LANDING_DIR salah. Tidak ada berkas yang diproses; pasang "
            "kembali disk lalu jalankan ulang hari ini"
        ) from exc


def arrival_days(landing: Path | None = None) -> list[dt.date]:
    """Every arrival-day partition in the landing zone, oldest first."""
    root = landing or get_settings().landing_dir
    days = []
    if root.is_dir():
        for entry in root.iterdir():
            try:
                day = dt.date.fromisoformat(entry.name)
            except ValueError:
                continue
            if entry.is_dir() and not entry.is_symlink():
                days.append(day)
    return sorted(days)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("discover", help="stage 1: list the files that arrived on a day")
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.set_defaults(func=lambda a: print("\n".join(discover(a.tanggal, record=False))) or 0)
