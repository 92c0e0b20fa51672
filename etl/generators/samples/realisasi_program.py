"""The ``realisasi_program`` files of the sample landing zone: the work units (satker), their
activities by focus area, and monthly budget reports whose totals only go wrong across files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random

from etl.generators.samples.manifest import (
    BULAN_REALISASI,
    NAMA_BULAN,
    TAHUN_PROGRAM,
    TIBA_FEB,
    TIBA_JAN,
    TIBA_MAR,
    TIBA_MAR_TELAT,
    SampleFile,
    status,
)
from etl.generators.samples.units import Baris
from etl.generators.samples.writers import (
    FORMAT_PER_JENIS,
    KOLOM_PER_JENIS,
    catat,
    tulis_csv,
    tulis_json,
    tulis_xlsx,
)


@dataclass(frozen=True)
class Kegiatan:
    """A programme activity as a province would run it; kab/kota budgets are scaled down."""

    fokus: str
    nama: str
    satuan: str
    pagu: int  # typical year ceiling of a province work unit, rupiah
    target: int  # typical yearly output of a province work unit, in satuan


# fmt: off
_KEGIATAN: dict[str, Kegiatan] = {
    "alat": Kegiatan("kemiskinan_ekstrem",
                      "Bantuan peralatan produksi bagi IKM di wilayah kemiskinan ekstrem", "IKM",
                      1_250_000_000, 45),
    "latih": Kegiatan("kemiskinan_ekstrem",
                       "Pelatihan keterampilan produksi bagi warga miskin ekstrem", "orang",
                       600_000_000, 120),
    "siinas": Kegiatan("siinas", "Pendataan dan pendampingan registrasi IKM ke SIINas", "IKM",
                        450_000_000, 140),
    "tkdn": Kegiatan("tkdn_ik", "Fasilitasi sertifikasi TKDN IK", "sertifikat", 750_000_000, 60),
    "ovop": Kegiatan("ovop", "Pembinaan dan kurasi produk unggulan OVOP", "IKM", 500_000_000, 30),
    "sentra": Kegiatan("ovop", "Revitalisasi sentra IKM unggulan OVOP", "sentra",
                        900_000_000, 2),
    "promosi": Kegiatan("lainnya", "Fasilitasi promosi dan pameran produk IKM", "IKM",
                         350_000_000, 25),
    "monev": Kegiatan("lainnya", "Koordinasi, monitoring dan evaluasi program IKM", "laporan",
                       175_000_000, 12),
}


# fmt: on
SATUAN_PESERTA = frozenset({"IKM", "sertifikat"})  # outputs counted in IKM units served


@dataclass(frozen=True)
class Satker:
    """A work unit (satker) of a regional office, its activities and when its files arrive."""

    kode_wilayah: str
    kode_satker: str
    nama: str
    kegiatan: tuple[str, ...]
    skala: float  # budget and output scale against a province
    tiba: tuple[date, date, date]  # arrival of the January, February and March reports
    bentuk: str  # "csv" | "xlsx" for the monthly reports
    bentuk_peserta: str  # "csv" | "xlsx" | "json"
    dekonsentrasi: tuple[str, ...] = ()  # activities run as dekonsentrasi (provinces only)
    lebih_pagu: str | None = None  # March realisasi pushes Jan-Mar over the ceiling
    ganti_satuan: str | None = None  # March report changes the output unit to "orang"
    nib_baru: int = 0  # peserta rows with NIBs not (yet) in the register: flagged, loaded
    bintang_salah: bool = False  # one peserta row with bintang_ovop 7


# fmt: off
SATKER: tuple[Satker, ...] = (
    Satker("32", "320145", "Dinas Perindustrian dan Perdagangan Provinsi Jawa Barat",
            ("alat", "latih", "siinas", "tkdn", "ovop", "sentra", "promosi", "monev"), 1.0,
            (TIBA_JAN, TIBA_FEB, TIBA_MAR_TELAT), "csv", "csv",
            dekonsentrasi=("monev",), lebih_pagu="sentra", nib_baru=2),
    Satker("73", "730112", "Dinas Perindustrian dan Perdagangan Provinsi Sulawesi Selatan",
            ("alat", "siinas", "tkdn", "ovop", "sentra", "promosi", "monev"), 0.8,
            (TIBA_JAN, TIBA_FEB, TIBA_MAR), "xlsx", "xlsx",
            dekonsentrasi=("monev",), bintang_salah=True),
    Satker("3578", "357803", "Dinas Perindustrian dan Tenaga Kerja Kota Surabaya",
            ("alat", "siinas", "tkdn", "ovop", "promosi", "monev"), 0.4,
            (TIBA_JAN, TIBA_FEB, TIBA_MAR), "csv", "json", ganti_satuan="alat"),
)


# fmt: on
TIBA_PESERTA = TIBA_MAR_TELAT


ALAT = {
    "10": ("mesin pengemas vakum", "oven gas", "spinner peniris minyak", "mesin giling bumbu"),
    "13": ("alat tenun bukan mesin", "mesin jahit high speed"),
    "14": ("mesin jahit high speed", "mesin obras", "mesin bordir"),
    "16": ("mesin serut kayu", "gergaji mesin"),
    "31": ("mesin serut kayu", "mesin amplas"),
    "25": ("mesin las listrik", "mesin bor duduk"),
}


PAMERAN = ("INACRAFT 2024", "Pameran Produk IKM Pangan", "Gelar Produk OVOP Tingkat Provinsi",
            "Pameran Hari Jadi Kabupaten/Kota")  # fmt: skip


@dataclass
class Aktivitas:
    """One activity of one satker over January-March, before it is written month by month."""

    kunci: str
    kegiatan: Kegiatan
    mekanisme: str
    pagu: int
    target: int
    realisasi: list[int]
    capaian: list[int]
    satuan: list[str]


def rencana_aktivitas(rng: Random, satker: Satker) -> list[Aktivitas]:
    """Budgets absorb slowly in the first quarter (a few % a month), outputs follow."""
    hasil = []
    for kunci in satker.kegiatan:
        keg = _KEGIATAN[kunci]
        pagu = int(round(keg.pagu * satker.skala * rng.uniform(0.8, 1.25), -3))
        if keg.satuan == "laporan":
            target = 12
        elif keg.satuan == "sentra":
            target = max(1, round(keg.target * satker.skala))
        else:
            target = max(5, round(keg.target * satker.skala * rng.uniform(0.8, 1.2)))
        realisasi, capaian = [], []
        for bulan, (rendah, tinggi) in enumerate(((0.0, 0.03), (0.01, 0.06), (0.03, 0.12)), 1):
            bagian = rng.uniform(0.06, 0.09) if kunci == "monev" else rng.uniform(rendah, tinggi)
            if bulan == 1 and kunci != "monev" and rng.random() < 0.4:
                bagian = 0.0  # nothing spent yet in January: common
            realisasi.append(int(round(pagu * bagian, -2)))
            if keg.satuan == "laporan":
                capaian.append(1)
            elif keg.satuan == "sentra" or bagian == 0.0:
                capaian.append(0)
            else:
                capaian.append(round(target * bagian * rng.uniform(1.0, 2.2)))
        mekanisme = "dekonsentrasi" if kunci in satker.dekonsentrasi else "tugas_pembantuan"
        hasil.append(
            Aktivitas(kunci, keg, mekanisme, pagu, target, realisasi, capaian,
                       [keg.satuan] * 3)
        )  # fmt: skip
    return hasil


def tulis_menurut_bentuk(
    penuh: Path, jenis: str, rows: list[Baris], bentuk: str, judul_sheet: str
) -> None:
    kolom = list(KOLOM_PER_JENIS[jenis])
    if bentuk == "json":
        tulis_json(penuh, kolom, rows)
    elif bentuk == "xlsx":
        tulis_xlsx(penuh, kolom, rows, judul_sheet=judul_sheet, format_sel=FORMAT_PER_JENIS[jenis])
    else:
        tulis_csv(penuh, kolom, rows)


def zona_realisasi(
    out_dir: Path, satker: Satker, aktivitas: list[Aktivitas], rng: Random
) -> list[SampleFile]:
    """Three monthly reports; the planted cross-file errors sit in March."""
    hasil = []
    for nomor, bulan in enumerate(BULAN_REALISASI):
        rows: list[Baris] = []
        buruk: dict[int, str] = {}
        for akt in aktivitas:
            if bulan == 3 and akt.kunci == satker.lebih_pagu:
                sebelum = sum(akt.realisasi[:2])
                akt.realisasi[2] = (
                    akt.pagu - sebelum + int(round(akt.pagu * rng.uniform(0.03, 0.08), -3))
                )
                buruk[len(rows) + 2] = (
                    f"realisasi January-March {sum(akt.realisasi):,} exceeds pagu {akt.pagu:,}"
                )
            if bulan == 3 and akt.kunci == satker.ganti_satuan:
                akt.satuan[2] = "orang"
                akt.capaian[2] = max(3, akt.capaian[2]) * rng.randint(2, 4)
                buruk[len(rows) + 2] = (
                    f"satuan_output 'orang' differs from '{akt.kegiatan.satuan}' reported for "
                    "this activity in earlier months"
                )
            rows.append(
                {
                    "kode_satker": satker.kode_satker,
                    "nama_satker": satker.nama,
                    "kode_wilayah": satker.kode_wilayah,
                    "mekanisme": akt.mekanisme,
                    "fokus": akt.kegiatan.fokus,
                    "kegiatan": akt.kegiatan.nama,
                    "pagu": akt.pagu,
                    "realisasi": akt.realisasi[nomor],
                    "target_output": akt.target,
                    "capaian_output": akt.capaian[nomor],
                    "satuan_output": akt.satuan[nomor],
                }
            )
        tanggal = satker.tiba[nomor]
        nama = f"realisasi_program_{TAHUN_PROGRAM}-{bulan:02d}.{satker.bentuk}"
        relatif, penuh = catat(out_dir, tanggal, satker.kode_wilayah, nama)
        tulis_menurut_bentuk(penuh, "realisasi_program", rows, satker.bentuk, "Realisasi")
        catatan = f"{NAMA_BULAN[bulan - 1]} {TAHUN_PROGRAM}"
        if tanggal > date(TAHUN_PROGRAM, bulan + 1, 10):
            catatan += ", late (after the 10th of the next month)"
        hasil.append(
            SampleFile(
                relatif, satker.kode_wilayah, tanggal, len(rows), buruk,
                status(len(rows), buruk), "realisasi_program", catatan=catatan,
            )
        )  # fmt: skip
    return hasil
