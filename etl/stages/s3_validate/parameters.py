"""What a suite refers to as ``$PARAMETER``: the reference lists and the batch's period, read
from the warehouse at run time (a new edition of the code lists counts from the next file)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg


def suite_parameters(conn: psycopg.Connection, periode: str) -> dict[str, Any]:
    """Values the suites refer to as ``$PARAMETER``: reference lists and the batch's period.

    The sender is not a parameter: every staged row carries its office (``_kantor``), so one
    suite run checks the files of many offices, each against its own region.
    """

    def codes(query: str) -> list[str]:
        return [r[0] for r in conn.execute(query)]

    kabkota = codes(
        "select kode_wilayah from core.dim_wilayah where tingkat = 'kabkota' order by 1"
    )
    # KBLI codes of the latest edition only: a code a new edition dropped is refused from then
    # on (rows already loaded keep it); titles of older codes stay in core.dim_kbli for BI.
    kbli = codes(
        "select kode_kbli from core.dim_kbli where tingkat = 'kelompok' and "
        "coalesce(edisi_terakhir, 0) >= (select coalesce(max(edisi_id), 0) "
        "from core.edisi_referensi) order by 1"
    )
    if not kabkota or not kbli:
        raise RuntimeError("reference lists are not loaded; run `python -m etl migrate`")
    year = int(periode[:4])
    if len(periode) == 7:
        month = int(periode[5:7])
        start = dt.date(year, month, 1)
        end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return {
        "kode_kabkota_referensi": kabkota,
        "kode_wilayah_referensi": codes("select kode_wilayah from core.dim_wilayah order by 1"),
        "kbli_kelompok_industri": kbli,
        "kbli_golongan_pokok_industri": codes(
            "select kode_kbli from core.dim_kbli where tingkat = 'golongan_pokok' order by 1"
        ),
        "tahun_periode": year,
        "awal_periode": start.isoformat(),
        "akhir_periode": end.isoformat(),
    }


def unknown_office_message(kode_wilayah: str) -> str:
    return (
        f"folder kantor '{kode_wilayah}' bukan kode provinsi (2 digit) atau kabupaten/kota "
        "(4 digit) Kemendagri; unggah berkas ke folder kode kantor Anda"
    )
