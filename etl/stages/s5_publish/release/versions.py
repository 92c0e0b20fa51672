"""Versions of a year's release: which one is the latest, what changed since it, and recording a
built package as the next version, once and for good.

A recorded version lives in ``<IKM_RILIS_DIR>/<tahun>/v<versi>/`` and in a row of
``audit.rilis_satu_data``, which a trigger keeps from any update or delete; its folder is made
by renaming a complete, validated draft into a name that must not exist yet, and its files are
left read-only. A release whose content equals the latest version's is not a new version.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from etl.settings import get_settings
from etl.stages.s5_publish.release import package
from etl.stages.s5_publish.release.tables import TABLES, Table
from etl.warehouse import connect

LOCK = 7_130_017  # pg advisory lock: one release recorded at a time
DRAFTS = "_draf"
DRAFT_DAYS = 7
CHANGES_LISTED = 200
"""Changed cells listed one by one in ``perubahan`` (all are counted)."""


class VersionMoved(RuntimeError):
    """Another version was recorded since this package was built: build again."""


class ReleaseDamaged(RuntimeError):
    """A recorded version's files no longer match their record."""


def rilis_dir() -> Path:
    return get_settings().rilis_dir


def draft_folder(tahun: int) -> Path:
    """A new scratch folder for a build (drafts older than a week are removed first)."""
    root = rilis_dir() / DRAFTS
    if root.is_dir():
        cutoff = time.time() - DRAFT_DAYS * 86400
        for old in root.iterdir():
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    return root / f"{tahun}-{stamp}-{os.urandom(4).hex()}"


def version_folder(tahun: int, versi: int) -> Path:
    return rilis_dir() / str(tahun) / f"v{versi}"


def latest(tahun: int) -> dict[str, Any] | None:
    """The latest recorded version of a year: its number, folder, content sha and files."""
    with connect() as conn:
        row = conn.execute(
            "select versi, folder, sidik_isi, berkas from audit.rilis_satu_data "
            "where tahun = %s order by versi desc limit 1",
            (tahun,),
        ).fetchone()
    if row is None:
        return None
    return {"versi": row[0], "folder": row[1], "sidik_isi": row[2], "berkas": row[3]}


def history(tahun: int) -> list[dict[str, Any]]:
    """Every recorded version of a year, oldest first (for the CLI and the tests)."""
    with connect() as conn:
        cur = conn.execute(
            "select rilis_id, versi, folder, dibuat_pada, sidik_isi, perubahan, catatan "
            "from audit.rilis_satu_data where tahun = %s order by versi",
            (tahun,),
        )
        names = [d.name for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _read_table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def _previous_files(previous: dict[str, Any]) -> dict[str, bytes]:
    """The previous version's files, checked against their record first."""
    folder = rilis_dir() / previous["folder"]
    files = {}
    for path, digest in previous["berkas"].items():
        target = folder / path
        if not target.is_file() or package.sha256(target.read_bytes()) != digest:
            raise ReleaseDamaged(
                f"berkas {target} tidak sesuai catatan rilis versi {previous['versi']} / "
                "a recorded file is missing or changed"
            )
        files[path] = target.read_bytes()
    return files


def recorded_descriptor(previous: dict[str, Any]) -> dict[str, Any]:
    """The ``datapackage.json`` of a recorded version, checked against its record."""
    return json.loads(_previous_files(previous)[package.DESCRIPTOR])


def _key(tabel: Table, header: list[str], row: list[str]) -> tuple[str, ...]:
    return tuple(row[header.index(k)] for k in tabel.kunci)


def _table_changes(tabel: Table, before: bytes, after: bytes) -> dict[str, Any]:
    old, new = _read_table(before), _read_table(after)
    old_header, new_header = old[0], new[0]
    old_rows = {_key(tabel, old_header, r): dict(zip(old_header, r, strict=True)) for r in old[1:]}
    new_rows = {_key(tabel, new_header, r): dict(zip(new_header, r, strict=True)) for r in new[1:]}
    cells: list[dict[str, Any]] = []
    changed_rows = 0
    changed_cells = 0
    for key in (k for k in new_rows if k in old_rows):
        diff = [c for c in new_header if old_rows[key].get(c) != new_rows[key][c]]
        if diff:
            changed_rows += 1
            changed_cells += len(diff)
            cells.extend(
                {
                    "kunci": dict(zip(tabel.kunci, key, strict=True)),
                    "kolom": c,
                    "sebelum": old_rows[key].get(c),
                    "sesudah": new_rows[key][c],
                }
                for c in diff
            )
    return {
        "baris_baru": sum(1 for k in new_rows if k not in old_rows),
        "baris_dihapus": sum(1 for k in old_rows if k not in new_rows),
        "baris_berubah": changed_rows,
        "sel_berubah": changed_cells,
        "kolom_berubah": old_header != new_header,
        "sel": cells,
    }


def changes(previous: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """What changed since the previous version, table by table: rows added, removed and
    changed (by primary key), cells changed (the first ones listed), and the rules."""
    before = _previous_files(previous)
    tables = {t.nama: _table_changes(t, before[t.path], files[t.path]) for t in TABLES}
    listed = 0
    for summary in tables.values():
        room = max(0, CHANGES_LISTED - listed)
        summary["sel"] = summary["sel"][:room]
        listed += len(summary["sel"])
    old_dp = json.loads(before[package.DESCRIPTOR])
    new_meta = json.loads(files["metadata/metadata_statistik.json"])
    return {
        "versi_sebelumnya": previous["versi"],
        "sidik_isi_sebelumnya": previous["sidik_isi"],
        "tabel": tables,
        "aturan_sebelumnya": old_dp.get("pengendalian_pengungkapan"),
        "aturan_berubah": old_dp.get("pengendalian_pengungkapan")
        != new_meta["ms_keg"]["pengendalian_pengungkapan"]["pengaturan"],
    }


def record(hasil: dict[str, Any]) -> dict[str, Any]:
    """Make a built, validated draft the next version of its year, or say it is unchanged.

    ``hasil`` is what the build returned (folder, year, version, content sha, warehouse state).
    The draft's files are checked against the build first; the version is taken under a lock,
    and must still be the one after the latest (else :class:`VersionMoved`: build again).
    """
    draft = Path(hasil["folder"])
    tahun, versi = int(hasil["tahun"]), int(hasil["versi"])
    files = {
        p.relative_to(draft).as_posix(): p.read_bytes() for p in draft.rglob("*") if p.is_file()
    }
    if set(files) != set(hasil["berkas"]) or any(
        package.sha256(data) != hasil["berkas"][path] for path, data in files.items()
    ):
        raise ReleaseDamaged(f"draf {draft} berubah sejak dibangun / the draft changed since built")
    dp = json.loads(files[package.DESCRIPTOR])
    with connect() as conn:
        conn.execute("select pg_advisory_xact_lock(%s)", (LOCK,))
        row = conn.execute(
            "select versi, sidik_isi from audit.rilis_satu_data where tahun = %s "
            "order by versi desc limit 1",
            (tahun,),
        ).fetchone()
        current = row[0] if row else 0
        if row is not None and row[1] == hasil["sidik_isi"]:
            shutil.rmtree(draft, ignore_errors=True)
            return {"tahun": tahun, "tidak_berubah": True, "versi": current, "dicatat": False}
        if current != versi - 1:
            raise VersionMoved(
                f"versi {current} tercatat sejak paket dibangun (untuk versi {versi}): bangun "
                "ulang / another version was recorded meanwhile: build again"
            )
        target = version_folder(tahun, versi)
        relative = target.relative_to(rilis_dir()).as_posix()
        rilis_id = conn.execute(
            """
            insert into audit.rilis_satu_data (
                tahun, versi, versi_sebelumnya, folder, dibuat_pada, sidik_isi, berkas,
                jumlah_baris, aturan, edisi_referensi, penyegaran_id, submission_terakhir,
                submission_terakhir_pada, pola_dihitung_pada, perubahan, catatan
            ) values (
                %(tahun)s, %(versi)s, %(sebelumnya)s, %(folder)s, %(dibuat)s, %(sidik)s,
                %(berkas)s, %(baris)s, %(aturan)s, %(edisi)s, %(penyegaran)s, %(submission)s,
                %(submission_pada)s, %(pola)s, %(perubahan)s, %(catatan)s
            ) returning rilis_id
            """,
            {
                "tahun": tahun,
                "versi": versi,
                "sebelumnya": versi - 1 if versi > 1 else None,
                "folder": relative,
                "dibuat": dp["created"],
                "sidik": hasil["sidik_isi"],
                "berkas": json.dumps(hasil["berkas"], sort_keys=True),
                "baris": json.dumps(hasil["jumlah_baris"], sort_keys=True),
                "aturan": json.dumps(dp["pengendalian_pengungkapan"]),
                "edisi": dp["edisi_referensi"],
                "penyegaran": hasil["keadaan_gudang"]["penyegaran_id"],
                "submission": hasil["keadaan_gudang"]["submission_terakhir"],
                "submission_pada": hasil["keadaan_gudang"]["submission_terakhir_pada"],
                "pola": hasil["keadaan_gudang"]["pola_dihitung_pada"],
                "perubahan": json.dumps(dp["rilis"]["perubahan"])
                if dp["rilis"]["perubahan"] is not None
                else None,
                "catatan": dp["rilis"]["catatan"],
            },
        ).fetchone()[0]
        _install(draft, target)
        try:
            conn.commit()
        except BaseException:
            os.rename(target, draft)
            raise
    return {
        "tahun": tahun,
        "tidak_berubah": False,
        "versi": versi,
        "rilis_id": rilis_id,
        "folder": str(target),
        "dicatat": True,
    }


def _install(draft: Path, target: Path) -> None:
    """Rename the draft into the version's folder, which must not exist; files read-only."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise package.FolderExists(
            f"{target} sudah ada: versi yang dirilis tidak pernah ditimpa / a released version's "
            "folder is never overwritten"
        )
    os.rename(draft, target)
    for path in target.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
