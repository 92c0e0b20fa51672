"""An intruder with the public IKM table and nothing else: it tries to recover the suppressed
values from the published ones, by subtraction and by solving the published totals as a
linear system.

Written apart from ``etl.stages.s5_publish.penekanan`` on purpose: it knows only what anyone
reading ``publik.ikm_per_wilayah`` knows (the table adds up: size classes to ``semua``, kab/kota
to their province, provinces to the nation; a cell absent from the table has no units, so its
values are zero).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

VALUES = (
    "tenaga_kerja_laki",
    "tenaga_kerja_perempuan",
    "tenaga_kerja",
    "nilai_investasi",
    "nilai_produksi",
    "unit_terdaftar_siinas",
    "unit_bersertifikat_tkdn_ik",
    "unit_penjualan_online",
)

Key = tuple[int, str, str, str]


def _key(row: Mapping) -> Key:
    code = {"nasional": "", "provinsi": row["kode_provinsi"], "kabkota": row["kode_kabkota"]}
    return (int(row["tahun"]), row["tingkat"], code[row["tingkat"]], row["skala"])


def equations(rows: Iterable[Mapping]) -> tuple[dict[Key, Mapping], list[tuple[Key, list[Key]]]]:
    """The published cells by key, and (total, parts) for every sum the table shows."""
    cells = {_key(r): r for r in rows}
    eqs: list[tuple[Key, list[Key]]] = []
    years = {k[0] for k in cells}
    for year in years:
        provinces = sorted(
            {r["kode_provinsi"] for k, r in cells.items() if k[0] == year and r["kode_provinsi"]}
        )
        kabkota = {
            p: sorted(
                {
                    r["kode_kabkota"]
                    for k, r in cells.items()
                    if k[0] == year and k[1] == "kabkota" and r["kode_provinsi"] == p
                }
            )
            for p in provinces
        }
        levels = (
            [("nasional", "")]
            + [("provinsi", p) for p in provinces]
            + [("kabkota", k) for p in provinces for k in kabkota[p]]
        )
        for level, code in levels:
            eqs.append(
                (
                    (year, level, code, "semua"),
                    [(year, level, code, s) for s in ("kecil", "menengah")],
                )
            )
        for skala in ("kecil", "menengah", "semua"):
            eqs.append(
                ((year, "nasional", "", skala), [(year, "provinsi", p, skala) for p in provinces])
            )
            for p in provinces:
                eqs.append(
                    (
                        (year, "provinsi", p, skala),
                        [(year, "kabkota", k, skala) for k in kabkota[p]],
                    )
                )
    return cells, eqs


def _value(cells: Mapping[Key, Mapping], key: Key, column: str):
    """The published value; 0 for a cell absent from the table; None when suppressed."""
    row = cells.get(key)
    if row is None:
        return 0
    value = row[column]
    return None if value is None else int(value)


def by_subtraction(rows: Iterable[Mapping], column: str) -> dict[Key, int]:
    """Every suppressed value that some sum gives away once the others are known, repeated
    with what was recovered until nothing more comes out."""
    cells, eqs = equations(rows)
    known: dict[Key, int] = {}

    def value(key: Key):
        v = _value(cells, key, column)
        return known.get(key) if v is None else v

    progress = True
    while progress:
        progress = False
        for total, parts in eqs:
            members = [total, *parts]
            unknown = [m for m in members if value(m) is None]
            if len(unknown) != 1:
                continue
            (u,) = unknown
            t = value(total)
            s = sum(value(p) for p in parts if p != u)
            known[u] = (t - s) if u != total else s
            progress = True
    return known


def by_linear_system(rows: Iterable[Mapping], column: str) -> dict[Key, int]:
    """Every suppressed value the published totals determine as a linear system: x_i is
    determined exactly when e_i lies in the row space of the system (row i of a null-space
    basis is zero); it is then the least-squares solution's x_i."""
    cells, eqs = equations(rows)
    unknown = sorted(k for k in cells if _value(cells, k, column) is None)
    if not unknown:
        return {}
    index = {k: i for i, k in enumerate(unknown)}
    a, b = [], []
    for total, parts in eqs:
        row = np.zeros(len(unknown))
        rhs = 0.0
        for key, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            if key in index:
                row[index[key]] += sign
            else:
                rhs -= sign * _value(cells, key, column)
        if row.any():
            a.append(row)
            b.append(rhs)
    if not a:
        return {}
    matrix, rhs = np.array(a), np.array(b)
    solution, *_ = np.linalg.lstsq(matrix, rhs, rcond=None)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9 * max(1.0, singular[0])).sum())
    null = vt[rank:]
    return {
        k: round(float(solution[i]))
        for k, i in index.items()
        if not null.size or np.abs(null[:, i]).max() < 1e-9
    }
