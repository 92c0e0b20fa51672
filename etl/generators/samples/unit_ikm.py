"""The ``unit_ikm`` files of the sample landing zone: the first plan (clean files, bad rows, a
missing column, a late correction) and the messy files offices send (a title above the header,
their own header names, Indonesian numbers, an old Kemendagri region code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random

from etl.generators.samples.manifest import TIBA_FEB, SampleFile
from etl.generators.samples.units import JENIS, KOLOM, Pembuat
from etl.generators.samples.vocabulary import Referensi
from etl.generators.samples.writers import catat, tulis_csv


@dataclass(frozen=True)
class Rencana:
    """What one file should contain; the landing zone is a fixed list of these."""

    tanggal: date
    kode_wilayah: str
    nama_file: str
    cakupan: tuple[tuple[str, int], ...]  # (kode_kabkota, rows) covered by the file
    cacat: tuple[str, ...] = ()  # defect kinds planted, see _CACAT
    tanpa_kolom: str | None = None  # a required column left out: whole file rejected
    revisi_dari: str | None = None  # path of the earlier file this one corrects
    diharapkan: str = "diterima"


_HARI_1 = date(2024, 3, 4)


_HARI_2 = date(2024, 3, 11)


_HARI_3 = date(2024, 4, 15)  # after the 31 March 2024 deadline for periode 2023


# Offices spread over Java, Sumatra, Sulawesi and Papua; no two offices share a kab/kota except the
# deliberate correction, so "digantikan" has exactly one cause.
# fmt: off
RENCANA: tuple[Rencana, ...] = (
    Rencana(_HARI_1, "32", "unit_ikm_2023.csv",
             (("3273", 95), ("3204", 80), ("3209", 65)), diharapkan="digantikan"),
    Rencana(_HARI_1, "3578", "unit_ikm_2023.xlsx", (("3578", 180),),
             cacat=("nib_12_digit", "nib_ganda", "kbli_bukan_industri"),
             diharapkan="diterima_sebagian"),
    Rencana(_HARI_1, "1271", "unit_ikm_2023_kota_medan.csv", (("1271", 130),)),
    Rencana(_HARI_2, "73", "unit_ikm_2023.xlsx",
             (("7371", 120), ("7308", 75), ("7302", 55)),
             cacat=("kabkota_provinsi_lain", "skala_tidak_sesuai", "tanggal_luar_periode",
                    "nib_ganda"),
             diharapkan="diterima_sebagian"),
    Rencana(_HARI_2, "3372", "unit_ikm_2023.csv", (("3372", 60),),
             tanpa_kolom="kbli", diharapkan="ditolak"),
    Rencana(_HARI_2, "9171", "unit_ikm_2023.xlsx", (("9171", 45),)),
    Rencana(_HARI_3, "32", "unit_ikm_2023_revisi1.xlsx", (),
             revisi_dari="2024-03-04/32/unit_ikm_2023.csv"),
    Rencana(_HARI_3, "1371", "unit_ikm_2023.csv", (("1371", 90),),
             cacat=("tenaga_kerja_negatif", "siinas_tidak_valid", "nib_12_digit"),
             diharapkan="diterima_sebagian"),
)


# Papua Barat Daya (96) got its code in 2025; offices still type the 2023-edition codes. Kota Sorong
# is 9271 in the 2023 edition and 9671 today. 9271 is also Kota Sorong's BPS code, so the old code
# means the same place whichever list the clerk copied it from: translated, never ambiguous.
KODE_LAMA = ("9271", "9671")


@dataclass(frozen=True)
class _RencanaBerantakan:
    tanggal: date
    kode_wilayah: str
    nama_file: str
    cakupan: tuple[tuple[str, int], ...]
    bentuk: str  # "indonesia" | "cp1252"


RENCANA_BERANTAKAN: tuple[_RencanaBerantakan, ...] = (
    # Indonesian formats throughout and one row with the 2023-edition code of Kota Sorong.
    _RencanaBerantakan(TIBA_FEB, "96", "unit_ikm_2023.csv", (("9601", 22), ("9671", 30)),
                       "indonesia"),
    # Excel's "CSV" in an Indonesian Windows: ';' between fields, Windows-1252, CRLF.
    _RencanaBerantakan(date(2024, 3, 11), "3471", "unit_ikm_2023_dari_excel.csv",
                       (("3471", 48),), "cp1252"),
)  # fmt: skip


def unit_ikm_berantakan(
    out_dir: Path, ref: Referensi, seed: int, nib_terpakai: set[str]
) -> list[SampleFile]:
    """Correct registers in the forms offices export them; they all load (diterima)."""
    hasil = []
    for rencana in RENCANA_BERANTAKAN:
        pembuat = Pembuat(Random(f"{seed}/unit_ikm/{rencana.kode_wilayah}"), ref)
        pembuat.nib_terpakai = nib_terpakai  # NIBs stay unique over the whole zone
        rows = [pembuat.unit(k) for k, n in rencana.cakupan for _ in range(n)]
        relatif, penuh = catat(out_dir, rencana.tanggal, rencana.kode_wilayah, rencana.nama_file)
        peringatan: frozenset[int] = frozenset()
        if rencana.bentuk == "indonesia":
            lama, baru = KODE_LAMA
            i = pembuat.rng.choice([i for i, b in enumerate(rows) if b["kode_kabkota"] == baru])
            rows[i]["kode_kabkota"] = lama
            peringatan = frozenset({i + 2})
            tulis_csv(penuh, list(KOLOM), rows, indonesia=True)
            catatan = (
                f"Indonesian formats (Rp 1.250.000, dd/mm/yyyy, Ya/TIDAK); row {i + 2} has "
                f"kode_kabkota {lama} (Kemendagri 2023) for {baru}"
            )
        else:
            i, j = pembuat.rng.sample(range(len(rows)), 2)
            rows[i]["nama_usaha"] = "UD Sumber Rejéki"
            rows[j]["alamat"] = rows[j]["alamat"].replace(", ", " – ", 1)
            tulis_csv(penuh, list(KOLOM), rows, pemisah=";", encoding="cp1252", akhir_baris="\r\n")
            catatan = (
                f"';' delimiter, Windows-1252, CRLF; row {i + 2} nama_usaha 'UD Sumber Rejéki', "
                f"row {j + 2} alamat with an en dash"
            )
        hasil.append(
            SampleFile(
                relatif, rencana.kode_wilayah, rencana.tanggal, len(rows), {}, "diterima", JENIS,
                peringatan=peringatan, catatan=catatan,
            )
        )  # fmt: skip
    return hasil
