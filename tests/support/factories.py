"""Rows of a unit_ikm register as an office types them, for tests to break one cell at a time."""

from __future__ import annotations

from etl import contract

UNIT_IKM = contract.get_kind("unit_ikm")
HEADER = [c.nama for c in UNIT_IKM.columns]


def unit_ikm_row(nib: str | None = "1234567890123", **overrides: object) -> dict[str, object]:
    """A clean row (text cells, blank optional columns); ``overrides`` change single cells."""
    row: dict[str, object] = {
        "nib": nib,
        "nama_usaha": "UD Maju",
        "nama_pemilik": "Siti",
        "nik_pemilik": "",
        "no_telepon": "081234567890",
        "alamat": "Jl. Merdeka 1",
        "kode_kabkota": "3201",
        "kbli": "10792",
        "produk_utama": "roti",
        "skala": "kecil",
        "tenaga_kerja_laki": "3",
        "tenaga_kerja_perempuan": "2",
        "nilai_investasi": "50000000",
        "nilai_produksi_setahun": "120000000",
        "tahun_berdiri": "2010",
        "terdaftar_siinas": "ya",
        "sertifikat_tkdn_ik": "tidak",
        "penjualan_online": "Ya",
        "kode_sentra": "",
        "tanggal_pendataan": "2023-05-30",
    }
    row.update(overrides)
    return row


def land_csv(rel_path: str, header: list[str], rows: list[dict]) -> str:
    """Write a CSV into the landing zone of the test's warehouse; return its landing path."""
    import csv
    import os
    from pathlib import Path

    target = Path(os.environ["IKM_LANDING_DIR"]) / rel_path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return rel_path
