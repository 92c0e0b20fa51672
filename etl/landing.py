"""Discover what landed for one arrival day, without following links or leaving the tree.

Every entry under ``<landing>/<date>/`` is a landed file that must end in ``audit.submission``.
Regular files are returned for processing; symbolic links (and anything else that is not a
regular file) are recorded as ``ditolak`` here, because no later stage should open them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import stat
from pathlib import Path

from etl import audit, warehouse
from etl.settings import get_settings

LINK_REASON = "tautan simbolik tidak diproses; kirim berkas aslinya"
OTHER_REASON = "bukan berkas biasa (misalnya perangkat atau soket); tidak diproses"


def _walk(root: Path, rel: str = "") -> tuple[list[str], list[tuple[str, str]]]:
    """(regular files, rejected entries with reason) below root/rel, links never followed."""
    files: list[str] = []
    rejected: list[tuple[str, str]] = []
    with os.scandir(root / rel if rel else root) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            path = f"{rel}/{entry.name}" if rel else entry.name
            mode = entry.stat(follow_symlinks=False).st_mode
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
    partition = landing / tanggal.isoformat()
    if partition.is_symlink() or not partition.is_dir():
        return []
    files, rejected = _walk(landing, tanggal.isoformat())
    if record and rejected:
        with warehouse.connect() as conn:
            for path, reason in rejected:
                submission_id, status = audit.register(conn, path)
                if status == "diproses":  # an earlier run already recorded it otherwise
                    audit.reject(conn, submission_id, reason)
                conn.commit()
            conn.commit()
    return files


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
    p = subparsers.add_parser("discover", help="list the files that arrived on a day")
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.set_defaults(func=lambda a: print("\n".join(discover(a.tanggal, record=False))) or 0)
