"""The region crosswalk: older Kemendagri codes translated (with a warning), BPS codes refused.

Offices still write the codes of earlier Kemendagri editions, and sometimes BPS's codes, which
look alike. ``wilayah_padanan_kode.csv`` of the reference folder says which is which: an old
code with one meaning is replaced by today's and the office is told; a BPS code is an error
that names the Kemendagri code the office probably meant, because guessing could put a unit in
the wrong kab/kota.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from etl.settings import get_settings
from etl.stages.s2_extract.cells import Galat
from etl.stages.s2_extract.columns import Kolom

PADANAN_FILE = "wilayah_padanan_kode.csv"


@dataclass(frozen=True)
class Padanan:
    """The Kemendagri crosswalk: current codes, older editions' codes, BPS codes."""

    current: frozenset[str]
    old: dict[str, tuple[str, str]]
    """old code (not current, one meaning) → (current code, edition)."""
    bps: dict[str, str]
    """BPS code that is neither a current nor an old Kemendagri code → current code."""
    names: dict[str, str]


@functools.cache
def _load_padanan(path: Path, mtime: float) -> Padanan | None:
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    current = frozenset(r["kode_kemendagri"] for r in records)
    names = {r["kode_kemendagri"]: r["nama"] for r in records}
    old_meanings: dict[str, set[tuple[str, str]]] = {}
    for r in records:
        for edition in ("2023", "2022"):
            code = r.get(f"kode_kemendagri_{edition}") or ""
            if code and code not in current:
                old_meanings.setdefault(code, set()).add((r["kode_kemendagri"], edition))
    old = {}
    for code, meanings in old_meanings.items():
        targets = {m[0] for m in meanings}
        if len(targets) == 1:  # the same unit in both editions, or only in one
            old[code] = (targets.pop(), "/".join(sorted({m[1] for m in meanings})))
    bps = {
        r["kode_bps"]: r["kode_kemendagri"]
        for r in records
        if r["kode_bps"] and r["kode_bps"] not in current and r["kode_bps"] not in old_meanings
    }
    return Padanan(current, old, bps, names)


def load_padanan(reference_dir: Path | None = None) -> Padanan | None:
    """The crosswalk from ``<reference_dir>/wilayah_padanan_kode.csv`` (None when absent)."""
    path = (reference_dir or get_settings().reference_dir) / PADANAN_FILE
    return _load_padanan(path, path.stat().st_mtime if path.exists() else 0.0)


def _region(code: str, padanan: Padanan) -> tuple[str | None, Galat | None, bool]:
    """(value to keep, error or warning, translated?) for a code that is not a current one."""
    if code in padanan.old:
        new, edition = padanan.old[code]
        reason = (
            f"kode {code} adalah kode Kemendagri edisi {edition} untuk {padanan.names[new]}; "
            f"sejak penataan wilayah kodenya {new}. Nilai diganti otomatis menjadi {new}; "
            "gunakan kode baru pada kiriman berikutnya"
        )
        return new, Galat("kode_wilayah_lama", reason), True
    if code in padanan.bps:
        kemendagri = padanan.bps[code]
        name = padanan.names[kemendagri]
        reason = (
            f"{code} bukan kode wilayah Kemendagri yang berlaku, tetapi sama dengan kode BPS "
            f"untuk {name}, yang kode Kemendagri-nya {kemendagri}. Kode BPS tidak diterjemahkan "
            f"otomatis; isi {kemendagri} bila memang wilayah itu yang dimaksud"
        )
        return None, Galat("kode_bps", reason), False
    return code, None, False


def translate_regions(values: pa.Array, padanan: Padanan | None) -> tuple[pa.Array, Kolom, Kolom]:
    """Region codes → (values, errors, warnings): old codes translated, BPS codes refused."""
    none = pa.nulls(len(values), pa.string())
    empty = Kolom(none, none, none)
    if padanan is None:
        return values, empty, empty
    todo = pc.fill_null(
        pc.invert(pc.is_in(values, value_set=pa.array(sorted(padanan.current)))), False
    )
    if not pc.any(todo).as_py():
        return values, empty, empty
    idx = pc.indices_nonzero(todo)
    results = [_region(v, padanan) for v in pc.take(values, idx).to_pylist()]
    kept = pc.replace_with_mask(values, todo, pa.array([r[0] for r in results], pa.string()))

    def kolom(translated: bool) -> Kolom:
        galat = [r[1] if r[1] and r[2] == translated else None for r in results]
        return Kolom(
            none,
            pc.replace_with_mask(none, todo, pa.array([g and g.kode for g in galat], pa.string())),
            pc.replace_with_mask(
                none, todo, pa.array([g and g.alasan for g in galat], pa.string())
            ),
        )

    return kept, kolom(False), kolom(True)
