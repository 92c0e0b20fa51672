"""Reprocess one arrival day for chosen offices or kinds, or only report what that would change.

The nightly run skips a file it already finished with the same bytes under the same rules. A
data engineer who fixed something outside the rules (a parser bug, a warehouse repair) asks
for those files again here. The dry run (``uji_coba``) stages and validates the chosen files
in a temporary folder and with Great Expectations on pandas (the cross-file rules in a
savepoint rolled back), compares the outcome with what the warehouse holds for each scope, and
writes nothing: no audit row, no staging file, no feedback, no warehouse row. The portal checks
an office's upload the same way (:func:`predict`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from etl import flow
from etl.contract import ROW_COLUMN, kinds
from etl.settings import get_settings
from etl.stages import s1_landing, s2_extract, s3_validate
from etl.warehouse import connect

log = logging.getLogger(__name__)


def _matches(rel_path: str, kantor: set[str], jenis: set[str]) -> bool:
    _, office, name = rel_path.split("/", 2)
    if kantor and office not in kantor:
        return False
    if jenis:
        parsed = s2_extract.name_of(Path(name).name)  # .xls and .ods follow the rule too
        return parsed is not None and parsed.jenis in jenis
    return True


def select(
    tanggal: dt.date,
    kantor: list[str] | tuple[str, ...] = (),
    jenis: list[str] | tuple[str, ...] = (),
    record: bool = False,
) -> list[str]:
    """The day's landed files sent by ``kantor`` (all offices when empty) of kinds ``jenis``
    (by the file name; all files when empty)."""
    unknown = set(jenis) - set(kinds())
    if unknown:
        raise ValueError(f"jenis tidak dikenal: {', '.join(sorted(unknown))}")
    files = s1_landing.discover(tanggal, record=record)
    return [f for f in files if _matches(f, set(kantor), set(jenis))]


@dataclass
class ScopeChange:
    kode_cakupan: str
    baris_sekarang: int
    baris_nanti: int
    pemilik_sekarang: str | None
    perubahan: str


@dataclass
class FilePlan:
    path: str
    status_sekarang: str | None
    status_nanti: str
    jenis: str | None = None
    periode: str | None = None
    baris: int = 0
    baris_diterima_sekarang: int = 0
    baris_diterima_nanti: int = 0
    baris_ditolak_nanti: int = 0
    pesan: str = ""
    cakupan: list[ScopeChange] = field(default_factory=list)
    masalah: list[dict[str, Any]] = field(default_factory=list)
    """Each flagged cell (row as the office sees it, column, value, reason), when asked for."""
    peringatan: list[dict[str, Any]] = field(default_factory=list)
    """Cells loaded with a warning (a translated region code, a participant outside the
    registers), when asked for."""

    @property
    def berubah(self) -> bool:
        return self.status_sekarang != self.status_nanti or any(
            c.perubahan != "tetap" for c in self.cakupan
        )


def _owners(conn, jenis: str, periode: str) -> dict[str, tuple[str, dt.date, str, int]]:
    """Each scope's owner now: (path, arrival day, file name, rows it holds)."""
    rows = conn.execute(
        "select b.kode_cakupan, b.path, b.tanggal_tiba, b.nama_berkas, "
        "coalesce(c.jumlah_baris, 0) from core.cakupan_berlaku as b "
        "left join audit.cakupan_submission as c "
        "on c.submission_id = b.submission_id and c.kode_cakupan = b.kode_cakupan "
        "where b.jenis = %s and b.periode = %s",
        (jenis, periode),
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3], int(r[4])) for r in rows}


def _cells(cells: list[s3_validate.Failure]) -> list[dict[str, Any]]:
    unique = {(c.baris, c.kolom): c for c in cells}
    return [
        {"baris": c.baris, "kolom": c.kolom, "nilai": c.nilai, "alasan": c.alasan}
        for _, c in sorted(unique.items())
    ]


def predict(
    conn,
    rel_path: str,
    scratch: Path,
    root: Path | None = None,
    details: bool = False,
    on_step: Callable[[str], None] = lambda step: None,
) -> FilePlan:
    """What processing ``rel_path`` (under the landing zone, or ``root``) would conclude,
    computed without writing: the suite on pandas, the cross-file rules in a rolled-back
    savepoint. ``details`` keeps every flagged cell and warning (the portal shows them);
    ``on_step`` hears each step as it starts (the portal shows a long check's progress)."""
    import pyarrow.parquet as pq

    settings = get_settings()
    tanggal, kantor, nama = rel_path.split("/", 2)
    now = conn.execute(
        "select status, coalesce(jumlah_baris_diterima, 0) from audit.submission where path = %s",
        (rel_path,),
    ).fetchone()
    plan = FilePlan(rel_path, now[0] if now else None, "ditolak")
    plan.baris_diterima_sekarang = now[1] if now else 0
    named = s2_extract.name_of(Path(nama).name)
    if named is not None:
        plan.jenis, plan.periode = named.jenis, named.periode
    paths = (scratch / "berkas.parquet", scratch / "galat.parquet", scratch / "catatan.parquet")
    for path in paths:  # a previous file's cells must never be read as this one's
        path.unlink(missing_ok=True)
    on_step("membaca berkas")
    try:
        source = s2_extract.open_landed(root or settings.landing_dir, rel_path)
        staged = s2_extract.stage_file(
            source,
            s2_extract.kind_hint(source.name),
            *paths,
            reference_dir=settings.reference_dir,
            kantor=kantor,
        )
    except s2_extract.Rejected as exc:
        plan.pesan = str(exc)
        plan.jenis, plan.periode = exc.jenis or plan.jenis, exc.periode or plan.periode
        plan.baris = exc.jumlah_baris or 0
        return plan
    kind = kinds()[staged.jenis]
    plan.jenis, plan.periode, plan.baris = staged.jenis, staged.periode, staged.jumlah_baris
    known = conn.execute(
        "select 1 from core.dim_wilayah where kode_wilayah = %s", (kantor,)
    ).fetchone()
    if not known:
        plan.pesan = s3_validate.unknown_office_message(kantor)
        return plan
    on_step(f"memvalidasi {staged.jumlah_baris} baris")
    frame = pq.read_table(paths[0]).to_pandas()
    outcome = s3_validate.validate_frame(
        kind, frame, s3_validate.suite_parameters(conn, staged.periode), kantor
    )
    flagged = s3_validate.read_cells(paths[1]) + outcome.failures
    bad = {c.baris for c in flagged}
    warned = s3_validate.read_cells(paths[2])
    if not outcome.file_errors and staged.jumlah_baris:
        on_step("memeriksa aturan lintas berkas")
        for level, cell in s3_validate.dry_run_checks(
            conn, kind, paths[0], kantor, staged.periode, bad
        ):
            (flagged if level == "karantina" else warned).append(cell)
            bad |= {cell.baris} if level == "karantina" else set()
    if details:
        plan.masalah, plan.peringatan = _cells(flagged), _cells(warned)
    status, plan.pesan = s3_validate.decide(
        staged.jumlah_baris, len(bad), outcome.file_errors, settings.batas_baris_buruk
    )
    plan.status_nanti = status
    plan.baris_ditolak_nanti = len(bad)
    if status == "ditolak":
        return plan
    plan.baris_diterima_nanti = staged.jumlah_baris - len(bad)
    on_step("membandingkan dengan data yang berlaku")
    good = frame[~frame[ROW_COLUMN].isin(bad)]
    counts = Counter(str(v) for v in good[kind.kolom_cakupan].dropna())
    owners = _owners(conn, kind.jenis, staged.periode)
    for scope, rows in sorted(counts.items()):
        owner = owners.get(scope)
        if owner is None:
            change, held = "ditambahkan", 0
        elif owner[0] == rel_path:
            held = owner[3]
            change = "tetap" if held == rows else "jumlah baris berubah"
        elif (owner[1], owner[2]) > (dt.date.fromisoformat(tanggal), nama.split("/")[-1]):
            held = owner[3]
            change, rows = "tetap: koreksi lebih baru berlaku", held
        else:
            held = owner[3]
            change = "menggantikan pemilik sekarang"
        plan.cakupan.append(ScopeChange(scope, held, rows, owner[0] if owner else None, change))
    return plan


def dry_run(
    tanggal: dt.date,
    kantor: list[str] | tuple[str, ...] = (),
    jenis: list[str] | tuple[str, ...] = (),
) -> dict[str, Any]:
    """What reprocessing the chosen files would change, without writing anything."""
    files = select(tanggal, kantor, jenis, record=False)
    plans = []
    with connect() as conn, tempfile.TemporaryDirectory(prefix="ikm-uji-") as tmp:
        for rel_path in files:
            plans.append(predict(conn, rel_path, Path(tmp)))
        conn.rollback()
    report = {
        "tanggal_tiba": tanggal.isoformat(),
        "uji_coba": True,
        "kantor": sorted(kantor),
        "jenis": sorted(jenis),
        "jumlah_berkas": len(plans),
        "berkas_berubah": sum(p.berubah for p in plans),
        "berkas": [asdict(p) | {"berubah": p.berubah} for p in plans],
        "catatan": "aturan lintas berkas (SQL) dijalankan dalam transaksi yang dibatalkan",
    }
    for p in plans:
        log.info(
            "UJI COBA %s: %s → %s (%s diterima → %s); %s",
            p.path,
            p.status_sekarang or "belum diproses",
            p.status_nanti,
            p.baris_diterima_sekarang,
            p.baris_diterima_nanti,
            p.pesan,
        )
        for c in p.cakupan:
            if c.perubahan != "tetap":
                log.info(
                    "    cakupan %s: %s (%s → %s baris; pemilik sekarang %s)",
                    c.kode_cakupan,
                    c.perubahan,
                    c.baris_sekarang,
                    c.baris_nanti,
                    c.pemilik_sekarang or "-",
                )
    return report


def run(
    tanggal: dt.date,
    kantor: list[str] | tuple[str, ...] = (),
    jenis: list[str] | tuple[str, ...] = (),
) -> dict[str, Any]:
    """Extract (even when unchanged), validate and load the chosen files, then publish the day.

    Loading an older file again never overrides a newer correction: who owns each scope is
    decided by (arrival day, file name), as in the nightly run.
    """
    flow.prepare()
    files = select(tanggal, kantor, jenis, record=True)
    done = flow.process_files(tanggal, files, force=True, whole_day=False)
    results, day = done["loaded"], done["summary"]
    return {
        "tanggal_tiba": tanggal.isoformat(),
        "uji_coba": False,
        "kantor": sorted(kantor),
        "jenis": sorted(jenis),
        "jumlah_berkas": len(files),
        "status": dict(Counter(r["status"] for r in results)),
        "hari": day,
    }


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "reprocess", help="reprocess one arrival day for chosen offices or kinds (or --dry-run)"
    )
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.add_argument("--kantor", action="append", default=[], help="office code (repeatable)")
    p.add_argument("--jenis", action="append", default=[], help="submission kind (repeatable)")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")

    def go(args: argparse.Namespace) -> int:
        step = dry_run if args.dry_run else run
        print(json.dumps(step(args.tanggal, args.kantor, args.jenis), indent=2, default=str))
        return 0

    p.set_defaults(func=go)
