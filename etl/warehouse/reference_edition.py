"""How an edition of the code lists is written: read and checked, its regions' versions opened
and closed, the crosswalk replaced, KBLI titles upserted; and how an edition is re-dated. Called
under :mod:`etl.warehouse.reference`'s lock."""

from __future__ import annotations

import csv
import datetime as dt
import logging
import zoneinfo
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

log = logging.getLogger("etl.warehouse.reference")

FILES = {
    "wilayah_provinsi.csv": ["kode_provinsi", "nama_provinsi"],
    "wilayah_kabkota.csv": ["kode_kabkota", "kode_provinsi", "nama_kabkota", "jenis"],
    "wilayah_padanan_kode.csv": [
        "tingkat",
        "kode_kemendagri",
        "kode_kemendagri_2023",
        "kode_kemendagri_2022",
        "kode_bps",
        "nama",
        "dasar_padanan_bps",
    ],
    "kbli_industri.csv": ["kode_kbli", "judul", "kode_golongan_pokok", "tingkat"],
}
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
REGION_COLUMNS = (
    "kode_wilayah",
    "tingkat",
    "nama_wilayah",
    "kode_provinsi",
    "nama_provinsi",
    "jenis_kabkota",
)


class ReferenceError(RuntimeError):
    """The reference folder is missing a file, a file lacks a column, or a date goes back."""


@dataclass(frozen=True)
class Edisi:
    """What a load did: small enough to return from an Airflow task."""

    edisi_id: int
    label: str
    berlaku_mulai: str
    edisi_baru: bool
    """A new edition was recorded (False: the folder is the latest edition's)."""
    tanggal_diubah: bool
    """The latest edition was re-dated or relabelled (same folder, another date or label)."""
    wilayah_baru: int = 0
    wilayah_berubah: int = 0
    wilayah_ditutup: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _read(path: Path, columns: list[str]) -> list[dict[str, str | None]]:
    if not path.is_file():
        raise ReferenceError(f"{path}: missing (set IKM_REFERENCE_DIR to the reference folder)")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = set(columns) - set(reader.fieldnames or [])
        if missing:
            raise ReferenceError(f"{path}: missing columns {sorted(missing)}")
        return [{c: ((row[c] or "").strip() or None) for c in columns} for row in reader]


def today() -> dt.date:
    """The load date, in the ministry's time zone (a load at 01:00 WIB is that day's)."""
    return dt.datetime.now(JAKARTA).date()


def default_label(berlaku_mulai: dt.date) -> str:
    return f"edisi {berlaku_mulai.isoformat()}"


def move(conn: sa.Connection, edisi_id: int, berlaku_mulai: dt.date, label: str | None) -> Edisi:
    row = (
        conn.execute(
            sa.text(
                """
                select label, berlaku_mulai, jumlah_wilayah_baru, jumlah_wilayah_berubah,
                    jumlah_wilayah_ditutup,
                    (select max(berlaku_mulai) from core.edisi_referensi where edisi_id < :e)
                        as sebelum,
                    (select min(berlaku_mulai) from core.edisi_referensi where edisi_id > :e)
                        as sesudah
                from core.edisi_referensi
                where edisi_id = :e
                """
            ),
            {"e": edisi_id},
        )
        .mappings()
        .first()
    )
    if row is None:
        raise ReferenceError(f"no reference edition {edisi_id}")
    old = row["berlaku_mulai"]
    if row["sebelum"] is not None and berlaku_mulai < row["sebelum"]:
        raise ReferenceError(
            f"edition {edisi_id} cannot apply from {berlaku_mulai}: the edition before it "
            f"applies from {row['sebelum']}"
        )
    if row["sesudah"] is not None and berlaku_mulai > row["sesudah"]:
        raise ReferenceError(
            f"edition {edisi_id} cannot apply from {berlaku_mulai}: the edition after it "
            f"applies from {row['sesudah']}"
        )
    if label is None:
        label = default_label(berlaku_mulai) if row["label"] == default_label(old) else row["label"]
    params = {"e": edisi_id, "d": berlaku_mulai, "label": label}
    conn.execute(
        sa.text(
            "update core.edisi_referensi set berlaku_mulai = :d, label = :label where edisi_id = :e"
        ),
        params,
    )
    conn.execute(
        sa.text("update core.riwayat_wilayah set berlaku_mulai = :d where edisi_id = :e"), params
    )
    conn.execute(
        sa.text("update core.riwayat_wilayah set berlaku_sampai = :d where edisi_sampai = :e"),
        params,
    )
    log.info("reference edition %s now applies from %s (was %s)", edisi_id, berlaku_mulai, old)
    return Edisi(
        edisi_id=edisi_id,
        label=label,
        berlaku_mulai=berlaku_mulai.isoformat(),
        edisi_baru=False,
        tanggal_diubah=True,
        wilayah_baru=row["jumlah_wilayah_baru"],
        wilayah_berubah=row["jumlah_wilayah_berubah"],
        wilayah_ditutup=row["jumlah_wilayah_ditutup"],
    )


def _regions(rows: dict[str, list[dict[str, str | None]]]) -> list[dict[str, str | None]]:
    provinces = {r["kode_provinsi"]: r["nama_provinsi"] for r in rows["wilayah_provinsi.csv"]}
    regions: list[dict[str, str | None]] = [
        dict(zip(REGION_COLUMNS, (code, "provinsi", name, code, name, None), strict=True))
        for code, name in provinces.items()
    ]
    for r in rows["wilayah_kabkota.csv"]:
        if r["kode_provinsi"] not in provinces:
            raise ReferenceError(
                f"wilayah_kabkota.csv: {r['kode_kabkota']} is in province {r['kode_provinsi']}, "
                "which wilayah_provinsi.csv does not list"
            )
        values = (
            r["kode_kabkota"],
            "kabkota",
            r["nama_kabkota"],
            r["kode_provinsi"],
            provinces[r["kode_provinsi"]],
            r["jenis"],
        )
        regions.append(dict(zip(REGION_COLUMNS, values, strict=True)))
    codes = [r["kode_wilayah"] for r in regions]
    if len(set(codes)) != len(codes):
        twice = sorted({c for c in codes if codes.count(c) > 1})
        raise ReferenceError(f"region codes listed more than once: {twice}")
    return regions


def _applies_from(latest: sa.RowMapping | None, berlaku_mulai: dt.date | None) -> dt.date:
    """The date a new edition applies from: the one given, never before the latest edition's;
    by default the load date (the nightly's), or the latest edition's if that lies ahead."""
    floor = latest["berlaku_mulai"] if latest is not None else None
    if berlaku_mulai is None:
        return max(today(), floor) if floor else today()
    if floor is not None and berlaku_mulai < floor:
        raise ReferenceError(
            f"a new edition cannot apply from {berlaku_mulai}: edition {latest['edisi_id']} "
            f"applies from {floor}, and editions follow one another in time. If that edition "
            f"applied earlier (a first edition is dated the day it was installed), say so "
            f"first: python -m etl reference date {latest['edisi_id']} YYYY-MM-DD"
        )
    return berlaku_mulai


def _version_regions(
    conn: sa.Connection, edisi_id: int, berlaku_mulai: dt.date, regions: list[dict]
) -> dict[str, int]:
    """Close the open versions the edition changes or no longer lists (kept, never deleted),
    open one for every region it lists anew or differently; count them."""
    p = {"e": edisi_id, "d": berlaku_mulai}
    conn.execute(
        sa.text(
            "create temp table wilayah_edisi (like core.riwayat_wilayah including defaults) "
            "on commit drop"
        )
    )
    columns = ", ".join(REGION_COLUMNS)
    conn.execute(
        sa.text(
            f"insert into wilayah_edisi (edisi_id, berlaku_mulai, {columns}) "
            f"values (:e, :d, {', '.join(':' + c for c in REGION_COLUMNS)})"
        ),
        [{**r, **p} for r in regions],
    )
    closed = conn.execute(
        sa.text(
            """
            update core.riwayat_wilayah as r
            set berlaku_sampai = :d, edisi_sampai = :e
            where
                r.berlaku_sampai is null
                and not exists (
                    select 1
                    from wilayah_edisi as w
                    where
                        w.kode_wilayah = r.kode_wilayah
                        and (w.tingkat, w.nama_wilayah, w.kode_provinsi, w.nama_provinsi,
                            w.jenis_kabkota)
                        is not distinct from (r.tingkat, r.nama_wilayah, r.kode_provinsi,
                            r.nama_provinsi, r.jenis_kabkota)
                )
            returning
                exists (select 1 from wilayah_edisi as w where w.kode_wilayah = r.kode_wilayah)
            """
        ),
        p,
    ).all()
    changed = sum(1 for (still_listed,) in closed if still_listed)
    opened = conn.execute(
        sa.text(
            f"""
            insert into core.riwayat_wilayah (edisi_id, berlaku_mulai, {columns})
            select w.edisi_id, w.berlaku_mulai, {", ".join("w." + c for c in REGION_COLUMNS)}
            from wilayah_edisi as w
            where not exists (
                select 1
                from core.riwayat_wilayah as r
                where r.kode_wilayah = w.kode_wilayah and r.berlaku_sampai is null
            )
            """
        )
    ).rowcount
    return {"baru": opened - changed, "berubah": changed, "ditutup": len(closed) - changed}


def _replace_lists(conn: sa.Connection, edisi_id: int, rows: dict[str, list[dict]]) -> None:
    """The crosswalk replaced whole; KBLI titles upserted, each code's first and latest
    edition recorded."""
    conn.execute(sa.text("delete from core.padanan_kode_wilayah"))
    conn.execute(
        sa.text(
            "insert into core.padanan_kode_wilayah (tingkat, kode_kemendagri, "
            "kode_kemendagri_2023, kode_kemendagri_2022, kode_bps, nama, dasar_padanan_bps) "
            "values (:tingkat, :kode_kemendagri, :kode_kemendagri_2023, :kode_kemendagri_2022, "
            ":kode_bps, :nama, :dasar_padanan_bps)"
        ),
        rows["wilayah_padanan_kode.csv"],
    )
    conn.execute(
        sa.text(
            """
            insert into core.dim_kbli as k
                (kode_kbli, judul, kode_golongan_pokok, tingkat, edisi_pertama, edisi_terakhir)
            values (:kode_kbli, :judul, :kode_golongan_pokok, :tingkat, :e, :e)
            on conflict (kode_kbli) do update set judul = excluded.judul,
                kode_golongan_pokok = excluded.kode_golongan_pokok, tingkat = excluded.tingkat,
                edisi_pertama = coalesce(k.edisi_pertama, excluded.edisi_pertama),
                edisi_terakhir = excluded.edisi_terakhir
            """
        ),
        [{**r, "e": edisi_id} for r in rows["kbli_industri.csv"]],
    )


def new_edition(
    conn: sa.Connection,
    ref: Path,
    digests: dict[str, str],
    latest: sa.RowMapping | None,
    berlaku_mulai: dt.date | None,
    label: str | None,
) -> Edisi:
    """Record the folder ``ref`` as a new edition (inside the caller's transaction)."""
    rows = {name: _read(ref / name, cols) for name, cols in FILES.items()}
    regions = _regions(rows)
    berlaku_mulai = _applies_from(latest, berlaku_mulai)
    label = label or default_label(berlaku_mulai)
    edisi_id = conn.execute(
        sa.text(
            "insert into core.edisi_referensi (label, berlaku_mulai, direktori) "
            "values (:label, :d, :dir) returning edisi_id"
        ),
        {"label": label, "d": berlaku_mulai, "dir": str(ref)},
    ).scalar_one()
    counts = _version_regions(conn, edisi_id, berlaku_mulai, regions)
    conn.execute(
        sa.text(
            "update core.edisi_referensi set jumlah_wilayah_baru = :baru, "
            "jumlah_wilayah_berubah = :berubah, jumlah_wilayah_ditutup = :ditutup "
            "where edisi_id = :e"
        ),
        {**counts, "e": edisi_id},
    )
    _replace_lists(conn, edisi_id, rows)
    conn.execute(
        sa.text(
            "insert into core.berkas_edisi_referensi (edisi_id, nama_berkas, sha256, "
            "jumlah_baris) values (:e, :n, :s, :j)"
        ),
        [{"e": edisi_id, "n": n, "s": digests[n], "j": len(rows[n])} for n in FILES],
    )
    result = Edisi(
        edisi_id=edisi_id,
        label=label,
        berlaku_mulai=berlaku_mulai.isoformat(),
        edisi_baru=True,
        tanggal_diubah=False,
        wilayah_baru=counts["baru"],
        wilayah_berubah=counts["berubah"],
        wilayah_ditutup=counts["ditutup"],
    )
    log.warning("reference edition loaded from %s: %s", ref, result)
    return result
