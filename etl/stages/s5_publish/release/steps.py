"""Build, validate and record a release: the three steps that the CLI and the DAG
``ikm_rilis_satu_data`` run, each returning what the next needs (paths, ids, counts)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from etl.stages.s5_publish.release import package, source, versions
from etl.stages.s5_publish.release.tables import TABLES


class InvalidPackage(RuntimeError):
    """``frictionless`` found the package invalid: it is not released."""


def _json_state(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in state.items()}


def build(
    tahun: int,
    folder: Path | None = None,
    *,
    catatan: str | None = None,
    dibuat: dt.datetime | None = None,
) -> dict[str, Any]:
    """Build the package of a year from the public layer into ``folder`` (new or empty;
    default: a new draft under the release folder), as the version after the latest recorded
    one, saying what changed since it. Records nothing."""
    started = time.monotonic()
    isi = source.read(tahun)
    files = package.content_files(isi)
    sidik = package.fingerprint(files)
    previous = versions.latest(tahun)
    unchanged = previous is not None and previous["sidik_isi"] == sidik
    if previous is not None and unchanged:
        # the same content as the latest version: the same package, apart from its date
        rilis = versions.recorded_descriptor(previous)["rilis"]
    else:
        number = previous["versi"] + 1 if previous else 1
        rilis = {
            "tahun": tahun,
            "versi": number,
            "versi_sebelumnya": number - 1 if number > 1 else None,
            "catatan": catatan or None,
            "perubahan": versions.changes(previous, files) if previous else None,
        }
    number = rilis["versi"]
    dibuat = dibuat or dt.datetime.now(dt.UTC)
    dp = package.descriptor(isi, files, versi=number, dibuat=dibuat, rilis=rilis)
    target = folder if folder is not None else versions.draft_folder(tahun)
    berkas = package.write(target, files, dp)
    return {
        "tahun": tahun,
        "folder": str(target),
        "versi": number,
        "tidak_berubah": unchanged,
        "sidik_isi": sidik,
        "berkas": berkas,
        "jumlah_baris": {t.nama: len(isi.baris[t.nama]) for t in TABLES},
        "edisi_referensi": isi.edisi_referensi,
        "keadaan_gudang": _json_state(source.warehouse_state(isi.aturan)),
        "detik": round(time.monotonic() - started, 3),
    }


def validate(folder: str | Path) -> dict[str, Any]:
    """Validate a built package with ``frictionless``; raise :class:`InvalidPackage` if not."""
    started = time.monotonic()
    report = package.validate(Path(folder))
    report["detik"] = round(time.monotonic() - started, 3)
    if not report["valid"]:
        raise InvalidPackage(f"paket {folder} tidak sah: {report['galat'][:5]}")
    return report


def record(hasil: dict[str, Any]) -> dict[str, Any]:
    """Record a built, validated draft as a new version (or say the content is unchanged)."""
    return versions.record(hasil)


def discard(hasil: dict[str, Any]) -> None:
    """A dry run's draft, once validated: nothing of it is kept."""
    shutil.rmtree(hasil["folder"], ignore_errors=True)


def release(
    tahun: int,
    *,
    out: Path | None = None,
    uji_coba: bool = True,
    catatan: str | None = None,
) -> dict[str, Any]:
    """The whole release of a year, as ``python -m etl rilis`` runs it.

    - ``out``: build and validate into that folder; nothing is recorded.
    - ``uji_coba`` (the default): build and validate in a scratch folder, removed afterwards;
      nothing is recorded.
    - otherwise: build, validate, and record the next version unless the content is unchanged.
    """
    if out is not None:
        built = build(tahun, out, catatan=catatan)
        return built | {"validasi": validate(out), "dicatat": False}
    if uji_coba:
        scratch = Path(tempfile.mkdtemp(prefix=f"ikm-rilis-{tahun}-"))
        try:
            built = build(tahun, scratch / "package", catatan=catatan)
            report = validate(built["folder"])
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return built | {"validasi": report, "dicatat": False, "folder": None}
    built = build(tahun, catatan=catatan)
    try:
        report = validate(built["folder"])
    except InvalidPackage:
        shutil.rmtree(built["folder"], ignore_errors=True)
        raise
    return built | {"validasi": report} | record(built)
