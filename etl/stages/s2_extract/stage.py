"""The extract stage: register a landed file, skip it when nothing changed, else stage it.

Whether a file must be processed again is decided here: the same bytes (sha256) finished under
the same rules version (:func:`etl.contract.version`) without a system error cannot end
differently, so they are skipped. A file that cannot be read now (gone, replaced by a folder,
the disk away) is a system error the next run retries, never the office's fault.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from etl.contract import FileName, Kind, kinds, parse_file_name, rules_version
from etl.settings import get_settings
from etl.stages.s2_extract.errors import Rejected, Unreadable
from etl.stages.s2_extract.staged import stage_file
from etl.warehouse import connect, submission
from etl.warehouse.staging import remove_staged, staged_paths

UNREADABLE_SUFFIX = (
    "; berkas akan diproses ulang otomatis saat tersedia kembali, Anda tidak perlu mengirim ulang"
)

log = logging.getLogger(__name__)


@dataclass
class ExtractResult:
    submission_id: int
    path: str
    status: str
    """"diekstrak", "dilewati" (unchanged and already done), "ditolak", or "tidak_terbaca" (the
    file cannot be read now and an earlier run's outcome stands)."""
    jumlah_baris: int = 0
    parquet: str | None = None
    errors: str | None = None
    notes: list[str] = field(default_factory=list)
    warnings: str | None = None
    """``<staging>/<id>.peringatan.parquet``: cell records that did not stop a cell."""

    def as_xcom(self) -> dict:
        """Ids, paths and counts only: what Airflow passes between tasks."""
        return {k: v for k, v in self.__dict__.items()}


def name_of(file_name: str, any_format: bool = False) -> FileName | None:
    """The contract's file-name rule (:func:`etl.contract.parse_file_name`); with
    ``any_format``, whatever the extension (what a file refused for its format meant to be:
    ``unit_ikm_2023.pdf`` still says kind and period)."""
    name = parse_file_name(file_name)
    path = PurePath(file_name)
    ext = path.suffix.lower().lstrip(".")
    if name is None and any_format:
        stem = parse_file_name(path.stem + ".csv")
        name = FileName(stem.jenis, stem.periode, ext) if stem else None
    return name


def kind_hint(file_name: str) -> FileName | None:
    """The conventional file name, parsed, when it names a known kind; else None (inferred)."""
    name = name_of(file_name)
    return name if name and name.jenis in kinds() else None


def open_landed(landing_dir: Path, rel_path: str) -> Path:
    """The landed file for ``rel_path``, refusing links and anything outside the landing tree."""
    root = landing_dir.resolve()
    candidate = root / rel_path
    if ".." in Path(rel_path).parts or Path(rel_path).is_absolute():
        raise Rejected("lokasi berkas di luar zona pendaratan")
    for parent in [candidate, *candidate.parents]:
        if parent == root:
            break
        if parent.is_symlink():
            raise Rejected("tautan simbolik tidak diproses; kirim berkas aslinya")
    if not candidate.resolve().is_relative_to(root):
        raise Rejected("lokasi berkas di luar zona pendaratan")
    try:
        mode = os.lstat(candidate).st_mode
    except FileNotFoundError as exc:
        raise Unreadable(
            "berkas tidak ditemukan lagi di zona pendaratan (dihapus atau dipindahkan setelah "
            "didaftar)"
        ) from exc
    except OSError as exc:
        reason = f"berkas tidak dapat dibaca dari zona pendaratan ({exc.strerror})"
        raise Unreadable(reason) from exc
    if stat.S_ISDIR(mode):
        raise Unreadable("berkas diganti dengan sebuah folder setelah didaftar")
    if not stat.S_ISREG(mode):
        raise Rejected("bukan berkas biasa")
    return candidate


def extract(rel_path: str, force: bool = False) -> ExtractResult:
    """Register the landed file and stage it as Parquet (or reject it, with the reason).

    ``force`` stages it again even when the same bytes were finished under the same rules
    (a reprocess the data engineer asked for, e.g. after a fix outside the rules).
    """
    settings = get_settings()
    with connect() as conn:
        submission_id, _ = submission.register(conn, rel_path)
        conn.commit()
        try:
            result = _extract(conn, settings.landing_dir, rel_path, submission_id, force)
        except Unreadable as exc:
            result = _unreadable(conn, submission_id, rel_path, str(exc))
        except Rejected as exc:
            _reject(conn, submission_id, rel_path, exc)
            result = ExtractResult(submission_id, rel_path, "ditolak")
        except OSError as exc:
            if exc.errno is None:
                raise
            reason = f"berkas tidak dapat dibaca dari disk ({exc.strerror})"
            result = _unreadable(conn, submission_id, rel_path, reason)
        conn.commit()
    return result


def _rules_of(path: Path) -> tuple[FileName | None, Kind | None, str]:
    """The file's name as the contract reads it, its kind, and the version of the rules it is
    processed under (what decides whether an earlier outcome still stands)."""
    name = name_of(path.name)
    kind = kinds().get(name.jenis) if name else None
    return name, kind, rules_version(kind)


def _finished_as(previous: tuple, sha: str, version: str) -> bool:
    """Same bytes, same rules, finished without a system error: the outcome cannot differ.
    ``previous`` is the file's (sha256, versi_aturan, status, galat_sistem)."""
    return tuple(previous[:2]) == (sha, version) and (
        previous[2] in submission.TERMINAL and not previous[3]
    )


def unchanged_since_finished(rel_paths: list[str]) -> dict[str, int]:
    """The files an earlier run finished with the same bytes under the same rules (what
    :func:`extract` would skip), by path, with their submission ids: one query for them all,
    so an unchanged re-run of a national night does not open a connection per file. A file
    that cannot be opened now is left out; :func:`extract` says why."""
    if not rel_paths:
        return {}
    with connect() as conn:
        known = {
            row[0]: row[1:]
            for row in conn.execute(
                "select path, submission_id, sha256, versi_aturan, status, galat_sistem "
                "from audit.submission where path = any(%s)",
                (list(rel_paths),),
            )
        }
    landing = get_settings().landing_dir
    found = {}
    for rel in rel_paths:
        row = known.get(rel)
        if row is None or row[3] not in submission.TERMINAL or row[4]:
            continue  # new, waiting, or a system error to retry: extract decides
        try:
            path = open_landed(landing, rel)
            sha = submission.sha256_of(path)
        except (OSError, Rejected, Unreadable):
            continue
        if _finished_as(row[1:], sha, _rules_of(path)[2]):
            found[rel] = int(row[0])
    return found


def _reject(conn, submission_id: int, rel_path: str, exc: Rejected) -> None:
    """A rejected file, recorded with what is known of it: the kind and period its content
    gave, else its name's (a file refused for its format, ``unit_ikm_2023.pdf``, still shows
    in ``mart.status_pengiriman`` as a rejected kiriman of that office, not as none), the
    template version, and the data rows counted."""
    named = name_of(PurePath(rel_path).name, any_format=True)
    if named is not None and named.jenis not in kinds():
        named = None
    jenis = exc.jenis or (named.jenis if named else None)
    periode = exc.periode or (named.periode if named and named.jenis == jenis else None)
    known = {"jenis": jenis, "periode": periode, "versi_templat": exc.versi_templat}
    if any(known.values()):
        submission.update(conn, submission_id, **{k: v for k, v in known.items() if v})
    submission.reject(conn, submission_id, str(exc), jumlah_baris=exc.jumlah_baris)


def _unreadable(conn, submission_id: int, rel_path: str, reason: str) -> ExtractResult:
    """A file that cannot be read now: a system error the next run retries.

    A file an earlier run finished keeps its row and what it loaded (a disk that is briefly
    away must not withdraw a region's data); any other gets a ``galat_sistem`` rejection, so
    the day's run shows red (the publish stage's ``check_day``) and its re-run processes the
    file when it is back. Its staged files, if any were half written, are removed.
    """
    conn.rollback()  # whatever this attempt wrote to its row
    remove_staged(submission_id)
    row = conn.execute(
        "select status, galat_sistem from audit.submission where submission_id = %s",
        (submission_id,),
    ).fetchone()
    log.warning("TIDAK TERBACA %s: %s", rel_path, reason)
    if row and row[0] in submission.TERMINAL and not row[1]:
        note = f"{reason}; hasil proses sebelumnya ({row[0]}) tetap berlaku"
        return ExtractResult(submission_id, rel_path, "tidak_terbaca", notes=[note])
    submission.reject(conn, submission_id, reason + UNREADABLE_SUFFIX, system=True)
    return ExtractResult(submission_id, rel_path, "ditolak", notes=[reason])


def _extract(
    conn, landing_dir: Path, rel_path: str, submission_id: int, force: bool = False
) -> ExtractResult:
    path = open_landed(landing_dir, rel_path)
    size = path.stat().st_size
    sha = submission.sha256_of(path)
    name, kind, version = _rules_of(path)
    previous = conn.execute(
        "select sha256, versi_aturan, status, galat_sistem from audit.submission "
        "where submission_id = %s",
        (submission_id,),
    ).fetchone()
    if not force and previous and _finished_as(previous, sha, version):
        return ExtractResult(submission_id, rel_path, "dilewati")
    submission.update(
        conn,
        submission_id,
        sha256=sha,
        ukuran_byte=size,
        jenis=kind.jenis if kind else None,
        periode=name.periode if kind and name else None,
        status="diproses",
        versi_aturan=version,
        versi_templat=None,
        galat_sistem=False,
    )
    parquet_path, errors_path, warnings_path = staged_paths(submission_id)
    staged = stage_file(
        path,
        kind_hint(path.name),
        parquet_path,
        errors_path,
        warnings_path,
        reference_dir=get_settings().reference_dir,
        kantor=submission.parts_of(rel_path)[1] or None,
    )
    submission.update(
        conn,
        submission_id,
        jenis=staged.jenis,
        periode=staged.periode,
        jumlah_baris=staged.jumlah_baris,
        catatan=staged.notes,
        versi_templat=staged.versi_templat,
    )
    return ExtractResult(
        submission_id,
        rel_path,
        "diekstrak",
        staged.jumlah_baris,
        str(parquet_path),
        str(errors_path),
        staged.notes,
        str(warnings_path),
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("extract", help="stage 2: stage one landed file as Parquet")
    p.add_argument("path", help="path relative to the landing root: <date>/<office>/<file>")

    def run(args: argparse.Namespace) -> int:
        print(json.dumps(extract(args.path).as_xcom(), indent=2))
        return 0

    p.set_defaults(func=run)
