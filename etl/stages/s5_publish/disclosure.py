"""Statistical disclosure control of the public IKM table: which cells may be published.

The table is hierarchical: per year, kab/kota × size class with the kab/kota total (``semua``),
the same per province (the sum of its kab/kota) and the national level (the sum of the
provinces). A cell made of fewer than ``ambang_unit`` units, or whose largest one or two units
hold more than ``dominasi_persen`` % of its investment or production, would disclose an
enterprise (UU 16/1997): primary suppression. Publishing the totals would then let anyone
subtract the suppressed value back, so more cells are suppressed (secondary suppression) until
no suppressed cell is determined by the published ones: the published totals, read as a linear
system in the suppressed values, must leave every one of them free.

This module is the pure decision, no database: :mod:`.public_layer` feeds it the marts and writes
what it decides. One pattern serves every value column (workers, investment, production and
the counts of units with an attribute), because they all share the table's equations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

SIZE_CLASSES = ("kecil", "menengah")
ALL_SIZES = "semua"
LEVELS = ("kabkota", "provinsi", "nasional")
VALUE_COLUMNS = (
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
DOMINANCE_COLUMNS = ("nilai_investasi", "nilai_produksi")
"""The magnitudes the dominance rule weighs: an enterprise's money figures."""

Key = tuple[int, str, str, str]
"""(tahun, tingkat, kode_wilayah, skala); kode_wilayah is '' at the national level."""


@dataclass(frozen=True)
class Rules:
    """The rules, from the settings ``IKM_SDC_*``."""

    ambang_unit: int = 3
    dominasi_unit: int = 2
    dominasi_persen: float = 85.0


Leaf = tuple[int, str, str]
"""(tahun, kode_kabkota, skala): the mart's own grain, of which every cell is a sum."""
Largest = list[tuple[int, bool]]
"""A cell's two largest unit values, largest first, each with whether it is exact or only an
upper bound (the second largest, when only the largest was read)."""


@dataclass
class Cell:
    """One public cell: its count of units, its values, and the largest units' magnitudes."""

    key: Key
    jumlah_unit: int
    values: dict[str, int]
    largest: dict[str, Largest]
    """Per DOMINANCE_COLUMNS column, the cell's two largest unit values (:data:`Largest`)."""
    leaves: list[Leaf] = field(default_factory=list)
    reason: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    """Names and codes to publish with it (province, kab/kota, reference edition)."""


def bounded(largest: int, total: int, units: int) -> Largest:
    """What the largest value alone tells of the two largest: the second is exact for one or
    two units, and otherwise at most both the largest and the rest of the total."""
    if units <= 1:
        return [(largest, True)]
    if units == 2:
        return [(largest, True), (total - largest, True)]
    return [(largest, True), (min(largest, total - largest), False)]


def table_cells(rows: Iterable[Mapping], largest: Mapping[Leaf, dict[str, Largest]]) -> dict:
    """Every cell of the table, from the mart's kab/kota × size-class rows and each one's two
    largest unit values per DOMINANCE_COLUMNS column (:data:`Largest`, keyed by its leaf)."""
    cells: dict[Key, Cell] = {}

    def add(key: Key, row: Mapping, leaf: Leaf, labels: dict) -> None:
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell(
                key, 0, dict.fromkeys(VALUE_COLUMNS, 0), {k: [] for k in DOMINANCE_COLUMNS}
            )
            cell.labels = labels
        cell.jumlah_unit += int(row["jumlah_unit"])
        cell.leaves.append(leaf)
        for name in VALUE_COLUMNS:
            cell.values[name] += int(row[name] or 0)
        for name in DOMINANCE_COLUMNS:
            # the two largest of a union are among the two largest of each part
            merged = [*cell.largest[name], *largest[leaf][name]]
            cell.largest[name] = sorted(merged, key=lambda v: v[0], reverse=True)[:2]

    for row in rows:
        tahun, kabkota, skala = int(row["tahun"]), row["kode_kabkota"], row["skala"]
        provinsi = row["kode_provinsi"] or kabkota[:2]
        leaf = (tahun, kabkota, skala)
        edition = {"edisi_referensi": row["edisi_referensi"]}
        in_province = {**edition, "kode_provinsi": provinsi, "nama_provinsi": row["nama_provinsi"]}
        in_kabkota = {**in_province, "kode_kabkota": kabkota, "nama_kabkota": row["nama_kabkota"]}
        for s in (skala, ALL_SIZES):
            add((tahun, "kabkota", kabkota, s), row, leaf, in_kabkota)
            add((tahun, "provinsi", provinsi, s), row, leaf, in_province)
            add((tahun, "nasional", "", s), row, leaf, edition)
    return cells


def equations(cells: Mapping[Key, Cell]) -> list[tuple[Key, list[Key]]]:
    """The table's additivity: (total, parts) per equation. A cell of no units is no unknown
    (every count is published, so anyone knows its values are zero) and is left out."""
    eqs: list[tuple[Key, list[Key]]] = []
    parts_of: dict[Key, list[Key]] = {}
    for tahun, tingkat, kode, skala in cells:
        if skala != ALL_SIZES:
            total = (tahun, tingkat, kode, ALL_SIZES)
            parts_of.setdefault(total, []).append((tahun, tingkat, kode, skala))
        if tingkat == "kabkota":
            parts_of.setdefault(
                (
                    tahun,
                    "provinsi",
                    cells[(tahun, tingkat, kode, skala)].labels["kode_provinsi"],
                    skala,
                ),
                [],
            ).append((tahun, tingkat, kode, skala))
        elif tingkat == "provinsi":
            parts_of.setdefault((tahun, "nasional", "", skala), []).append(
                (tahun, tingkat, kode, skala)
            )
    for total in sorted(parts_of):
        # the province's size-class cells and its kab/kota totals are both its parts: two
        # equations for one total, both published
        groups: dict[str, list[Key]] = {}
        for part in parts_of[total]:
            groups.setdefault("skala" if part[1] == total[1] else "wilayah", []).append(part)
        for parts in groups.values():
            eqs.append((total, sorted(parts)))
    return eqs


def determined(hidden: set[Key], eqs: list[tuple[Key, list[Key]]]) -> set[Key]:
    """The suppressed cells whose values the published cells determine: x_i is determined by
    A x = b exactly when row i of a basis of A's null space is zero."""
    if not hidden:
        return set()
    index = {k: i for i, k in enumerate(sorted(hidden))}
    rows = []
    for total, parts in eqs:
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
    keys = sorted(hidden)
    return {keys[i] for i in range(len(keys)) if not free[i]}


def _dominated(cell: Cell, rules: Rules) -> bool | None:
    """Do the cell's largest units hold more than the share? None: the bounds cannot tell."""
    unsure = False
    for name in DOMINANCE_COLUMNS:
        total = cell.values[name]
        top = cell.largest[name][: rules.dominasi_unit]
        if total <= 0 or sum(v for v, _ in top) * 100 <= rules.dominasi_persen * total:
            continue  # not dominated, even at the bounds
        if all(exact for _, exact in top):
            return True
        unsure = True
    return None if unsure else False


def _primary(cell: Cell, rules: Rules) -> str | None:
    if 0 < cell.jumlah_unit < rules.ambang_unit:
        return "ambang"
    dominated = _dominated(cell, rules)
    if dominated is None:
        raise ValueError(f"the dominance of {cell.key} needs its exact largest units")
    return "dominasi" if dominated else None


def undecided_leaves(cells: Mapping[Key, Cell], rules: Rules) -> set[Leaf]:
    """The leaves whose exact two largest units are needed: those of every cell that the
    threshold does not already suppress and whose dominance the bounds cannot decide."""
    return {
        leaf
        for cell in cells.values()
        if not 0 < cell.jumlah_unit < rules.ambang_unit and _dominated(cell, rules) is None
        for leaf in cell.leaves
    }


def _cost(cell: Cell) -> tuple:
    """Which published cell to give up for another: a kab/kota cell before a province's, a
    size class before a total, the smallest first (the least information lost)."""
    _, tingkat, _kode, skala = cell.key
    return (
        LEVELS.index(tingkat),
        skala == ALL_SIZES,
        cell.jumlah_unit,
        cell.values["nilai_produksi"],
    )


def suppress(cells: dict[Key, Cell], rules: Rules) -> dict[Key, Cell]:
    """Set each cell's ``reason``: primary suppression, then secondary until no suppressed
    cell is determined by the published ones. Raises when no pattern protects them all (then
    nothing may be published)."""
    for cell in cells.values():
        cell.reason = _primary(cell, rules)
    eqs = equations(cells)
    of_cell: dict[Key, list[int]] = {}
    for i, (total, parts) in enumerate(eqs):
        for key in (total, *parts):
            of_cell.setdefault(key, []).append(i)
    hidden = {k for k, c in cells.items() if c.reason}
    while exposed := determined(hidden, eqs):
        touched: set[int] = set()
        added = False
        for key in sorted(exposed):
            if touched & set(of_cell[key]):
                continue  # an equation of it changed in this round: look again first
            choice = None
            for i in of_cell[key]:
                total, parts = eqs[i]
                members = [total, *parts]
                unknown = sum(1 for m in members if m in hidden)
                for member in members:
                    if member in hidden:
                        continue
                    rank = (unknown != 1, _cost(cells[member]))
                    if choice is None or rank < choice[0]:
                        choice = (rank, member, i)
            if choice is None:
                continue
            _, member, i = choice
            cells[member].reason = "sekunder"
            hidden.add(member)
            touched.update(of_cell[member])
            added = True
        if not added:
            raise RuntimeError(
                f"no suppression pattern protects {len(exposed)} cell(s), e.g. "
                f"{sorted(exposed)[0]}: nothing is published"
            )
    return cells
