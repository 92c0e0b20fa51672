"""Statistical disclosure control of the public IKM table: which cells may be published.

The table is hierarchical: per year, kab/kota × size class with the kab/kota total (``semua``),
the same per province (the sum of its kab/kota) and the national level (the sum of the
provinces). A cell made of fewer than ``ambang_unit`` units, or whose largest one or two units
hold more than ``dominasi_persen`` % of its investment or production, would disclose an
enterprise (UU 16/1997): primary suppression. Publishing the totals would then let anyone
subtract the suppressed value back, so more cells are suppressed (secondary suppression) until
no suppressed cell is determined by the published ones: the published totals, read as a linear
system in the suppressed values, must leave every one of them free.

This module is the pure decision, no database: :mod:`.publik` feeds it the marts and writes
what it decides. One pattern serves every value column (workers, investment, production and
the counts of units with an attribute), because they all share the table's equations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

SKALA = ("kecil", "menengah")
SEMUA = "semua"
TINGKAT = ("kabkota", "provinsi", "nasional")
NILAI = (
    "tenaga_kerja_laki",
    "tenaga_kerja_perempuan",
    "tenaga_kerja",
    "nilai_investasi",
    "nilai_produksi",
    "unit_terdaftar_siinas",
    "unit_bersertifikat_tkdn_ik",
    "unit_penjualan_online",
)
"""The values a suppression empties; ``jumlah_unit`` stays published in every cell."""
DOMINASI = ("nilai_investasi", "nilai_produksi")
"""The magnitudes the dominance rule weighs: an enterprise's money figures."""

Kunci = tuple[int, str, str, str]
"""(tahun, tingkat, kode_wilayah, skala); kode_wilayah is '' at the national level."""


@dataclass(frozen=True)
class Aturan:
    """The rules, from the settings ``IKM_SDC_*``."""

    ambang_unit: int = 3
    dominasi_unit: int = 2
    dominasi_persen: float = 85.0


@dataclass
class Sel:
    """One public cell: its count of units, its values, and the largest units' magnitudes."""

    kunci: Kunci
    jumlah_unit: int
    nilai: dict[str, int]
    teratas: dict[str, list[int]]
    """Per DOMINASI column, the cell's two largest unit values, largest first."""
    alasan: str | None = None
    induk: dict[str, str] = field(default_factory=dict)
    """Names and codes to publish with it (province, kab/kota, reference edition)."""


def sel_tabel(baris: Iterable[Mapping], teratas: Mapping[tuple[int, str, str], dict]) -> dict:
    """Every cell of the table, from the mart's kab/kota × size-class rows and each one's two
    largest unit values per DOMINASI column (keyed by (tahun, kode_kabkota, skala))."""
    sel: dict[Kunci, Sel] = {}

    def tambah(kunci: Kunci, row: Mapping, tops: dict[str, list[int]], induk: dict) -> None:
        cell = sel.get(kunci)
        if cell is None:
            cell = sel[kunci] = Sel(kunci, 0, dict.fromkeys(NILAI, 0), {k: [] for k in DOMINASI})
            cell.induk = induk
        cell.jumlah_unit += int(row["jumlah_unit"])
        for name in NILAI:
            cell.nilai[name] += int(row[name] or 0)
        for name in DOMINASI:
            cell.teratas[name] = sorted([*cell.teratas[name], *tops.get(name, [])], reverse=True)[
                :2
            ]

    for row in baris:
        tahun, kabkota, skala = int(row["tahun"]), row["kode_kabkota"], row["skala"]
        provinsi = row["kode_provinsi"] or kabkota[:2]
        tops = teratas.get((tahun, kabkota, skala), {})
        edisi = {"edisi_referensi": row["edisi_referensi"]}
        di_provinsi = {**edisi, "kode_provinsi": provinsi, "nama_provinsi": row["nama_provinsi"]}
        di_kabkota = {**di_provinsi, "kode_kabkota": kabkota, "nama_kabkota": row["nama_kabkota"]}
        for s in (skala, SEMUA):
            tambah((tahun, "kabkota", kabkota, s), row, tops, di_kabkota)
            tambah((tahun, "provinsi", provinsi, s), row, tops, di_provinsi)
            tambah((tahun, "nasional", "", s), row, tops, edisi)
    return sel


def persamaan(sel: Mapping[Kunci, Sel]) -> list[tuple[Kunci, list[Kunci]]]:
    """The table's additivity: (total, parts) per equation. A cell of no units is no unknown
    (every count is published, so anyone knows its values are zero) and is left out."""
    sama: list[tuple[Kunci, list[Kunci]]] = []
    anak: dict[Kunci, list[Kunci]] = {}
    for tahun, tingkat, kode, skala in sel:
        if skala != SEMUA:
            total = (tahun, tingkat, kode, SEMUA)
            anak.setdefault(total, []).append((tahun, tingkat, kode, skala))
        if tingkat == "kabkota":
            anak.setdefault(
                (
                    tahun,
                    "provinsi",
                    sel[(tahun, tingkat, kode, skala)].induk["kode_provinsi"],
                    skala,
                ),
                [],
            ).append((tahun, tingkat, kode, skala))
        elif tingkat == "provinsi":
            anak.setdefault((tahun, "nasional", "", skala), []).append(
                (tahun, tingkat, kode, skala)
            )
    for total in sorted(anak):
        # the province's size-class cells and its kab/kota totals are both its parts: two
        # equations for one total, both published
        groups: dict[str, list[Kunci]] = {}
        for part in anak[total]:
            groups.setdefault("skala" if part[1] == total[1] else "wilayah", []).append(part)
        for parts in groups.values():
            sama.append((total, sorted(parts)))
    return sama


def tertentu(dirahasiakan: set[Kunci], sama: list[tuple[Kunci, list[Kunci]]]) -> set[Kunci]:
    """The suppressed cells whose values the published cells determine: x_i is determined by
    A x = b exactly when row i of a basis of A's null space is zero."""
    if not dirahasiakan:
        return set()
    index = {k: i for i, k in enumerate(sorted(dirahasiakan))}
    rows = []
    for total, parts in sama:
        row = np.zeros(len(index))
        for key, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            if key in index:
                row[index[key]] = sign
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    _, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > 1e-9 * max(1.0, singular[0])).sum())
    null = vt[rank:].T  # one column per free direction
    free = np.abs(null).max(axis=1) > 1e-9 if null.size else np.zeros(len(index), bool)
    keys = sorted(dirahasiakan)
    return {keys[i] for i in range(len(keys)) if not free[i]}


def _primer(cell: Sel, aturan: Aturan) -> str | None:
    if 0 < cell.jumlah_unit < aturan.ambang_unit:
        return "ambang"
    for name in DOMINASI:
        total = cell.nilai[name]
        largest = sum(cell.teratas[name][: aturan.dominasi_unit])
        if total > 0 and largest * 100 > aturan.dominasi_persen * total:
            return "dominasi"
    return None


def _biaya(cell: Sel) -> tuple:
    """Which published cell to give up for another: a kab/kota cell before a province's, a
    size class before a total, the smallest first (the least information lost)."""
    _, tingkat, _kode, skala = cell.kunci
    return (TINGKAT.index(tingkat), skala == SEMUA, cell.jumlah_unit, cell.nilai["nilai_produksi"])


def tekan(sel: dict[Kunci, Sel], aturan: Aturan) -> dict[Kunci, Sel]:
    """Set each cell's ``alasan``: primary suppression, then secondary until no suppressed
    cell is determined by the published ones. Raises when no pattern protects them all (then
    nothing may be published)."""
    for cell in sel.values():
        cell.alasan = _primer(cell, aturan)
    sama = persamaan(sel)
    of_cell: dict[Kunci, list[int]] = {}
    for i, (total, parts) in enumerate(sama):
        for key in (total, *parts):
            of_cell.setdefault(key, []).append(i)
    hidden = {k for k, c in sel.items() if c.alasan}
    while exposed := tertentu(hidden, sama):
        touched: set[int] = set()
        added = False
        for key in sorted(exposed):
            if touched & set(of_cell[key]):
                continue  # an equation of it changed in this round: look again first
            choice = None
            for i in of_cell[key]:
                total, parts = sama[i]
                members = [total, *parts]
                unknown = sum(1 for m in members if m in hidden)
                for member in members:
                    if member in hidden:
                        continue
                    rank = (unknown != 1, _biaya(sel[member]))
                    if choice is None or rank < choice[0]:
                        choice = (rank, member, i)
            if choice is None:
                continue
            _, member, i = choice
            sel[member].alasan = "sekunder"
            hidden.add(member)
            touched.update(of_cell[member])
            added = True
        if not added:
            raise RuntimeError(
                f"no suppression pattern protects {len(exposed)} cell(s), e.g. "
                f"{sorted(exposed)[0]}: nothing is published"
            )
    return sel
