"""A release as a Frictionless Data Package: ``datapackage.json``, one CSV per table, and the
metadata statistik, written deterministically and validated with ``frictionless``.

Determinism is what lets a release say "unchanged": the CSVs and the metadata depend only on
the content (rows in a fixed order, UTF-8, ``\\n`` line ends, no dates), so their sha256 is the
same for the same data; ``datapackage.json`` adds only the release's version, its date
(``created``) and what changed since the previous version.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from etl.stages.s5_publish.release import metadata
from etl.stages.s5_publish.release.source import Content
from etl.stages.s5_publish.release.tables import TABLES, Table

DESCRIPTOR = "datapackage.json"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
PUBLISHER = "Kementerian Perindustrian Republik Indonesia, Direktorat Jenderal IKMA"
DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}


class FolderExists(FileExistsError):
    """A package is written once: its folder must not exist, or be empty."""


def csv_bytes(tabel: Table, rows: list[list[str]]) -> bytes:
    """A table as RFC 4180 CSV in UTF-8 (no BOM), header first, ``\\n`` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(tabel.nama_kolom)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def json_bytes(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def content_files(isi: Content) -> dict[str, bytes]:
    """The files whose bytes depend on the content only: the CSVs and the metadata."""
    files = {t.path: csv_bytes(t, isi.baris[t.nama]) for t in TABLES}
    files[metadata.PATH] = json_bytes(metadata.metadata_statistik(isi))
    return files


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(files: dict[str, bytes]) -> str:
    """The content's fingerprint: two releases with the same fingerprint hold the same data."""
    lines = "".join(f"{path}\0{sha256(data)}\n" for path, data in sorted(files.items()))
    return sha256(lines.encode("utf-8"))


def _resource(tabel: Table, data: bytes) -> dict[str, Any]:
    return {
        "name": tabel.nama,
        "type": "table",
        "path": tabel.path,
        "title": tabel.judul,
        "description": f"{tabel.id} / {tabel.en}",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{sha256(data)}",
        "dialect": DIALECT,
        "schema": tabel.table_schema(),
    }


def descriptor(
    isi: Content, files: dict[str, bytes], *, versi: int, dibuat: dt.datetime, rilis: dict[str, Any]
) -> dict[str, Any]:
    """``datapackage.json``: the package's metadata, a resource per file (with its sha256)."""
    editions = isi.edisi_referensi
    meta = files[metadata.PATH]
    return {
        "name": f"kemenperin-ikm-per-wilayah-{isi.tahun}",
        "title": f"Industri kecil dan menengah per wilayah dan skala usaha, {isi.tahun}",
        "description": (
            f"Data terbuka Satu Data Indonesia (Perpres 39/2019): IKM tahun {isi.tahun} per "
            "tingkat wilayah dan skala usaha, dengan pengendalian pengungkapan statistik. / "
            f"Open data (Satu Data Indonesia): small and medium industry in {isi.tahun} by "
            "region and size class, under statistical disclosure control."
        ),
        "version": str(versi),
        "created": dibuat.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "keywords": ["IKM", "industri kecil dan menengah", "Satu Data Indonesia", "Kemenperin"],
        "licenses": [LICENCE],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "sources": [
            {
                "title": (
                    "Register unit IKM (kiriman unit_ikm) dinas perindustrian provinsi dan "
                    "kabupaten/kota, gudang data IKM Kemenperin"
                ),
            },
            {"title": metadata.klasifikasi(isi)["wilayah"]},
            {"title": metadata.KBLI},
        ],
        "edisi_referensi": editions,
        "pengendalian_pengungkapan": isi.aturan.nilai(),
        "rilis": rilis,
        "resources": [
            *(_resource(t, files[t.path]) for t in TABLES),
            {
                "name": "metadata_statistik",
                "type": "json",
                "path": metadata.PATH,
                "title": "Metadata statistik (MS-Keg, MS-Var, MS-Ind)",
                "description": (
                    "Metadata statistik menurut Peraturan BPS 5/2020: kegiatan, setiap variabel "
                    "dan setiap indikator. / Statistical metadata per BPS regulation 5/2020."
                ),
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "bytes": len(meta),
                "hash": f"sha256:{sha256(meta)}",
            },
        ],
    }


def write(folder: Path, files: dict[str, bytes], dp: dict[str, Any]) -> dict[str, str]:
    """Write the package into a new (or empty) folder, every file created exclusively; return
    the sha256 of each file written, ``datapackage.json`` included."""
    if folder.exists() and any(folder.iterdir()):
        raise FolderExists(f"{folder} sudah berisi berkas: paket ditulis sekali saja")
    folder.mkdir(parents=True, exist_ok=True)
    written = dict(files)
    written[DESCRIPTOR] = json_bytes(dp)
    for path, data in written.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as fh:
            fh.write(data)
    return {path: sha256(data) for path, data in sorted(written.items())}


def validate(folder: Path) -> dict[str, Any]:
    """Validate the package with ``frictionless``: descriptor, every file's bytes and sha256,
    every CSV against its Table Schema (labels, types, patterns, enums, primary key)."""
    import frictionless

    report = frictionless.validate(str(folder / DESCRIPTOR))
    names = ("resource", "baris", "kolom", "jenis", "pesan")
    errors = report.flatten(["resourceName", "rowNumber", "fieldName", "type", "message"])
    return {
        "valid": bool(report.valid),
        "jumlah_galat": len(errors),
        "galat": [dict(zip(names, e, strict=True)) for e in errors[:50]],
        "tabel": {t.name: t.stats.get("rows") for t in report.tasks},
    }
