"""Feedback to each office: one report per submission, in Indonesian, by its own Excel rows.

Each submission gets a report under ``<feedback>/<date>/<office>/``: a Markdown file with its
status, counts and what to do, and a CSV of every quarantined cell (row as the office sees it
in its own file, column, value, reason). Values are neutralised against formula injection,
since offices open the CSV in a spreadsheet.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

from etl.settings import get_settings

STATUS_TEXT = {
    "diterima": "DITERIMA — semua baris dimuat",
    "diterima_sebagian": "DITERIMA SEBAGIAN — baris yang bermasalah dikarantina, sisanya dimuat",
    "ditolak": "DITOLAK — tidak ada baris yang dimuat; data sebelumnya tetap berlaku",
    "digantikan": "DIGANTIKAN — sudah diganti oleh kiriman yang lebih baru",
    "diproses": "BELUM SELESAI — terjadi gangguan sistem; berkas akan diproses ulang",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """A cell value that a spreadsheet will show as text, never evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def feedback_paths(sub: dict[str, Any]) -> tuple[Path, Path]:
    folder = (
        get_settings().feedback_dir
        / sub["tanggal_tiba"].isoformat()
        / (sub["kode_wilayah"] or "_tanpa_kantor")
    )
    stem = Path(sub["nama_berkas"]).name
    return folder / f"{stem}.umpan_balik.md", folder / f"{stem}.baris_ditolak.csv"


def _cell_rows(cells: list[dict[str, Any]], limit: int = 1000) -> list[str]:
    """Markdown table rows for quarantined or flagged cells, values shown as text."""
    return [
        f"| {c['baris']} | {c['kolom']} | {neutralise(c['nilai']).replace('|', chr(92) + '|')} "
        f"| {c['alasan']} |"
        for c in cells[:limit]
    ]


def write_feedback(conn: psycopg.Connection, submission_id: int) -> Path:
    with conn.cursor(row_factory=dict_row) as cur:
        sub = cur.execute(
            "select * from audit.submission where submission_id = %s", (submission_id,)
        ).fetchone()
        rows = cur.execute(
            "select baris, kolom, nilai, alasan from audit.karantina where submission_id = %s "
            "order by baris, kolom",
            (submission_id,),
        ).fetchall()
        warnings = cur.execute(
            "select baris, kolom, nilai, alasan from audit.peringatan where submission_id = %s "
            "order by baris, kolom",
            (submission_id,),
        ).fetchall()
    assert sub is not None
    report, table = feedback_paths(sub)
    report.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# Umpan balik pengiriman: {sub['nama_berkas']}",
        "",
        f"- Kantor pengirim: {sub['kode_wilayah']}",
        f"- Tanggal tiba: {sub['tanggal_tiba'].isoformat()}",
        f"- Jenis / periode: {sub['jenis'] or '-'} / {sub['periode'] or '-'}",
        f"- Status: **{STATUS_TEXT.get(sub['status'], sub['status'])}**",
        f"- Jumlah baris: {sub['jumlah_baris'] or 0}; "
        f"diterima: {sub['jumlah_baris_diterima'] or 0}; "
        f"ditolak: {sub['jumlah_baris_ditolak'] or 0}",
        f"- Keterangan: {sub['pesan'] or '-'}",
    ]
    lines += [f"- Catatan: {note}" for note in sub["catatan"] or []]
    if rows:
        lines += [
            "",
            "## Baris yang bermasalah",
            "",
            "Nomor baris = nomor baris di berkas Anda seperti terlihat di Excel "
            "(untuk JSON: urutan data + 1). "
            f"Daftar lengkap juga ada di `{table.name}`.",
            "",
            "| Baris | Kolom | Nilai | Alasan dan cara memperbaiki |",
            "|---|---|---|---|",
        ]
        lines += _cell_rows(rows)
        if len(rows) > 1000:
            lines.append(f"| … | | | {len(rows) - 1000} masalah lain ada di `{table.name}` |")
    if warnings and sub["status"] != "ditolak":  # a rejected file loaded nothing to warn about
        lines += [
            "",
            "## Peringatan (baris tetap dimuat)",
            "",
            "| Baris | Kolom | Nilai | Keterangan |",
            "|---|---|---|---|",
        ]
        lines += _cell_rows(warnings)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if rows:
        with table.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh, delimiter=";")
            writer.writerow(["baris", "kolom", "nilai", "alasan"])
            for r in rows:
                # every text cell: reasons may quote the value, column names come from headers
                writer.writerow(
                    [r["baris"], *(neutralise(r[k]) for k in ("kolom", "nilai", "alasan"))]
                )
    else:
        table.unlink(missing_ok=True)
    return report
