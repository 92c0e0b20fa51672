"""The public layer (schema ``publik``): the IKM marts under disclosure control.

Computed in the transaction that refreshes the marts (:func:`.marts.refresh`), so the public
cells always match the marts of the same commit, and written whole into ``core.sel_publik_ikm``
with the values of every suppressed cell left out: what ``publik_reader`` can read holds
nothing that a suppression hides. The decision itself is :mod:`.disclosure`'s.
"""

from __future__ import annotations

import time
from typing import Any

from etl.contract import SQL_DIR
from etl.settings import Settings, get_settings
from etl.stages.s5_publish import disclosure

MAX_SQL = SQL_DIR / "publik" / "unit_terbesar.sql"
TOP_SQL = SQL_DIR / "publik" / "unit_teratas.sql"
COLUMNS = (
    "tahun",
    "tingkat",
    "kode_wilayah",
    "skala",
    "kode_provinsi",
    "nama_provinsi",
    "kode_kabkota",
    "nama_kabkota",
    "jumlah_unit",
    *disclosure.VALUE_COLUMNS,
    "alasan_penekanan",
    "edisi_referensi",
)


def rules(settings: Settings | None = None) -> disclosure.Rules:
    settings = settings or get_settings()
    return disclosure.Rules(
        settings.sdc_ambang_unit, settings.sdc_dominasi_unit, settings.sdc_dominasi_persen
    )


def cells_from_warehouse(conn, in_force: disclosure.Rules) -> dict:
    """The table's cells, from ``mart.ikm_per_wilayah`` and the largest units behind it.

    One hashed pass reads each leaf's largest unit, which bounds the second largest; only the
    leaves of cells that the bounds leave undecided are read again for their exact two largest
    (a sort of those units alone, not of the whole register).
    """
    cur = conn.execute(
        "select tahun, kode_provinsi, nama_provinsi, kode_kabkota, nama_kabkota, skala, "
        f"jumlah_unit, {', '.join(disclosure.VALUE_COLUMNS)}, edisi_referensi "
        "from mart.ikm_per_wilayah"
    )
    names = [d.name for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    leaf_rows = {(int(r["tahun"]), r["kode_kabkota"], r["skala"]): r for r in rows}
    largest: dict[disclosure.Leaf, dict[str, disclosure.Largest]] = {}
    for tahun, kabkota, skala, *maxima in conn.execute(MAX_SQL.read_text(encoding="utf-8")):
        row = leaf_rows.get((tahun, kabkota, skala))
        if row is None:
            continue
        largest[(tahun, kabkota, skala)] = {
            name: disclosure.bounded(int(value), int(row[name]), int(row["jumlah_unit"]))
            for name, value in zip(disclosure.DOMINANCE_COLUMNS, maxima, strict=True)
        }
    cells = disclosure.table_cells(rows, largest)
    undecided = sorted(disclosure.undecided_leaves(cells, in_force))
    if not undecided:
        return cells
    params = {
        "tahun": [leaf[0] for leaf in undecided],
        "kabkota": [leaf[1] for leaf in undecided],
        "skala": [leaf[2] for leaf in undecided],
    }
    for tahun, kabkota, skala, *tops in conn.execute(TOP_SQL.read_text(encoding="utf-8"), params):
        largest[(tahun, kabkota, skala)] = {
            name: [(int(v), True) for v in values or []]
            for name, values in zip(disclosure.DOMINANCE_COLUMNS, tops, strict=True)
        }
    return disclosure.table_cells(rows, largest)


def _row(cell: disclosure.Cell) -> tuple:
    tahun, tingkat, kode, skala = cell.key
    labels = cell.labels
    values = [None if cell.reason else cell.values[name] for name in disclosure.VALUE_COLUMNS]
    return (
        tahun,
        tingkat,
        kode,
        skala,
        labels.get("kode_provinsi"),
        labels.get("nama_provinsi"),
        labels.get("kode_kabkota"),
        labels.get("nama_kabkota"),
        cell.jumlah_unit,
        *values,
        cell.reason,
        labels.get("edisi_referensi"),
    )


def build(conn, settings: Settings | None = None) -> dict[str, Any]:
    """Recompute the public cells in ``conn``'s transaction; return counts per rule."""
    started = time.monotonic()
    in_force = rules(settings)
    cells = disclosure.suppress(cells_from_warehouse(conn, in_force), in_force)
    conn.execute("delete from core.sel_publik_ikm")
    with conn.cursor().copy(f"copy core.sel_publik_ikm ({', '.join(COLUMNS)}) from stdin") as copy:
        for key in sorted(cells):
            copy.write_row(_row(cells[key]))
    conn.execute(
        "insert into core.aturan_penekanan as a (ambang_unit, dominasi_unit, dominasi_persen) "
        "values (%s, %s, %s) on conflict (satu) do update set "
        "ambang_unit = excluded.ambang_unit, dominasi_unit = excluded.dominasi_unit, "
        "dominasi_persen = excluded.dominasi_persen "
        "where (a.ambang_unit, a.dominasi_unit, a.dominasi_persen) is distinct from "
        "(excluded.ambang_unit, excluded.dominasi_unit, excluded.dominasi_persen)",
        (in_force.ambang_unit, in_force.dominasi_unit, in_force.dominasi_persen),
    )
    seconds = round(time.monotonic() - started, 3)
    counts: dict[str, int] = {}
    for cell in cells.values():
        counts[cell.reason or "terbit"] = counts.get(cell.reason or "terbit", 0) + 1
    return {"sel_publik": counts, "detik_publik": seconds}
