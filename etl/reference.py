"""Load the official code lists (regions, KBLI 2020) from ``IKM_REFERENCE_DIR``.

The lists are never copied into the repository; each file is loaded when its sha256 differs
from the one recorded in ``core.referensi_dimuat``, so an unchanged edition costs one query.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import sqlalchemy as sa

from etl.settings import get_settings

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


class ReferenceError(RuntimeError):
    """The reference folder is missing a file or a file lacks an expected column."""


def _read(path: Path, columns: list[str]) -> list[dict[str, str | None]]:
    if not path.is_file():
        raise ReferenceError(f"{path}: missing (set IKM_REFERENCE_DIR to the reference folder)")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = set(columns) - set(reader.fieldnames or [])
        if missing:
            raise ReferenceError(f"{path}: missing columns {sorted(missing)}")
        return [{c: (row[c].strip() or None) for c in columns} for row in reader]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(engine: sa.Engine, reference_dir: Path | None = None) -> bool:
    """Load the reference lists if any changed; return whether anything was loaded."""
    ref = reference_dir or get_settings().reference_dir
    digests = {name: _sha256(ref / name) if (ref / name).is_file() else "" for name in FILES}
    with engine.begin() as conn:
        conn.execute(sa.text("select pg_advisory_xact_lock(7130002)"))
        known = dict(
            conn.execute(sa.text("select nama_berkas, sha256 from core.referensi_dimuat")).all()
        )
        if known == digests:
            return False
        rows = {name: _read(ref / name, cols) for name, cols in FILES.items()}
        provinces = {r["kode_provinsi"]: r["nama_provinsi"] for r in rows["wilayah_provinsi.csv"]}
        regions = [
            {
                "kode": code,
                "tingkat": "provinsi",
                "nama": name,
                "prov": code,
                "nprov": name,
                "jenis": None,
            }
            for code, name in provinces.items()
        ] + [
            {
                "kode": r["kode_kabkota"],
                "tingkat": "kabkota",
                "nama": r["nama_kabkota"],
                "prov": r["kode_provinsi"],
                "nprov": provinces[r["kode_provinsi"]],
                "jenis": r["jenis"],
            }
            for r in rows["wilayah_kabkota.csv"]
        ]
        conn.execute(sa.text("create temp table w (like core.dim_wilayah) on commit drop"))
        conn.execute(
            sa.text("insert into w values (:kode, :tingkat, :nama, :prov, :nprov, :jenis)"), regions
        )
        # Upsert, never truncate: facts keep pointing at codes that later editions drop.
        conn.execute(
            sa.text(
                """
            insert into core.dim_wilayah select * from w
            on conflict (kode_wilayah) do update set
                tingkat = excluded.tingkat, nama_wilayah = excluded.nama_wilayah,
                kode_provinsi = excluded.kode_provinsi, nama_provinsi = excluded.nama_provinsi,
                jenis_kabkota = excluded.jenis_kabkota
            """
            )
        )
        conn.execute(sa.text("delete from core.padanan_kode_wilayah"))
        conn.execute(
            sa.text(
                "insert into core.padanan_kode_wilayah values (:tingkat, :kode_kemendagri, "
                ":kode_kemendagri_2023, :kode_kemendagri_2022, :kode_bps, :nama, "
                ":dasar_padanan_bps)"
            ),
            rows["wilayah_padanan_kode.csv"],
        )
        conn.execute(
            sa.text(
                """
                insert into core.dim_kbli
                values (:kode_kbli, :judul, :kode_golongan_pokok, :tingkat)
                on conflict (kode_kbli) do update set judul = excluded.judul,
                    kode_golongan_pokok = excluded.kode_golongan_pokok, tingkat = excluded.tingkat
                """
            ),
            rows["kbli_industri.csv"],
        )
        conn.execute(sa.text("delete from core.referensi_dimuat"))
        conn.execute(
            sa.text(
                "insert into core.referensi_dimuat (nama_berkas, sha256, jumlah_baris) "
                "values (:n, :s, :j)"
            ),
            [{"n": n, "s": digests[n], "j": len(rows[n])} for n in FILES],
        )
    return True
