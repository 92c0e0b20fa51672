"""The national plan of 2022: the published totals, how units and workers spread over provinces
and kab/kota (Java heavy, Papua light), the reference lists and the vocabulary they are drawn
from, and the large industry that makes the IKM share 66.25 %."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa

from etl.generators.samples.vocabulary import (
    KBLI_UMUM,
    NAMA,
    produk_dari_judul,
)

UNIT_NASIONAL = 4_400_000


TENAGA_KERJA_NASIONAL = 12_390_000


PANGSA_IKM = Decimal("0.6625")


TAHUN = 2022


PERIODE = str(TAHUN)


DEFAULT_SEED = 2022


DEFAULT_TANGGAL_TIBA = date(2023, 3, 20)  # before the 31 March 2023 deadline for periode 2022


JAWA = frozenset({"31", "32", "33", "34", "35", "36"})


PAPUA = frozenset({"91", "92", "93", "94", "95", "96"})


# Relative number of IKM units per province, roughly as the 2020-2022 counts fall: Central and
# East Java lead, then West Java; the six Papua provinces hold a few thousand units between them.
# A province missing here (a new code) gets _BOBOT_LAIN. Jittered from the seed, a little.
# fmt: off
_BOBOT_PROVINSI: dict[str, float] = {
    "11": 90, "12": 130, "13": 110, "14": 40, "15": 35, "16": 80, "17": 20, "18": 100, "19": 12,
    "21": 15, "31": 70, "32": 600, "33": 900, "34": 90, "35": 850, "36": 110, "51": 120, "52": 150,
    "53": 180, "61": 55, "62": 20, "63": 70, "64": 25, "65": 5, "71": 30, "72": 45, "73": 170,
    "74": 60, "75": 20, "76": 25, "81": 30, "82": 15, "91": 4, "92": 3, "93": 2.5, "94": 2.5,
    "95": 2, "96": 2.5,
}


# fmt: on
_BOBOT_LAIN = 20.0


_SEBARAN_PROVINSI = 0.1  # sigma of the lognormal jitter of a province's weight


_SEBARAN_KABKOTA = 0.6  # sigma of the lognormal share of a kab/kota within its province


_PELUANG_MENENGAH = 0.015  # share of units that are menengah


_PELUANG_MENENGAH_STAF_KECIL = 0.35  # menengah by investment (Rp1-15 billion) with <= 19 workers


MAKS_KECIL = 19  # workers


_BAGIAN_KBLI_UMUM = (
    0.9  # units in the common IKM KBLI of etl.generators.samples; the rest: any kelompok
)


PEREMPUAN_UNIT = {"10": 0.6, "13": 0.65, "14": 0.7}  # share of women among a unit's workers


PEREMPUAN_UNIT_LAIN = 0.25


_PEMILIK_PEREMPUAN = frozenset({"10", "13", "14"})  # divisions where many owners are women


# Optional columns left empty, as registers compiled in the field leave them.
KOSONG_PEMILIK = 0.05


KOSONG_NIK = 0.35


KOSONG_TELEPON = 0.3


ADA_SENTRA = 0.12


PEKERJA_PER_BARIS_BESAR = 1000  # large-industry workers per tenaga_kerja `besar` row, about


MIN_PEKERJA_BESAR = 50


# Independent random streams (numpy SeedSequence entropy: [seed, stream, ...]).
_ALUR_WILAYAH, _ALUR_PEKERJA, ALUR_BESAR, ALUR_UNIT, ALUR_NIB = 1, 2, 3, 4, 5


SKALA_TK = ("kecil", "menengah", "besar")


HARI_PERTAMA = np.datetime64("2022-01-03")


HARI_PENDATAAN = 362  # tanggal_pendataan from 3 January to 30 December 2022


LAHIR_PERTAMA = np.datetime64("1955-01-01")


@dataclass(frozen=True)
class NationalSummary:
    """What `generate_national` wrote: exact totals, for benchmarks and end-to-end checks."""

    units: int  # unit_ikm rows
    ikm_workers: int  # workers of those units (= kecil + menengah in tenaga_kerja)
    industry_workers: int  # all industrial workers in tenaga_kerja (kecil + menengah + besar)
    files: int
    rows: int  # data rows of every file written (unit_ikm and tenaga_kerja)
    bytes: int
    units_per_kabkota: dict[str, int] = field(hash=False)

    @property
    def persen_ikm(self) -> Decimal:
        """100 x IKM / industry workers, rounded half up to two decimals as the mart does."""
        persen = Decimal(100 * self.ikm_workers) / Decimal(self.industry_workers)
        return persen.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Wilayah:
    kode: list[str]  # kab/kota codes, sorted
    provinsi: list[str]  # the province of each
    nama: list[str]  # the place name without "Kabupaten"/"Kota"
    kabupaten: np.ndarray  # bool per kab/kota
    kode_provinsi: list[str]  # all provinces, sorted


def _baca_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def muat_wilayah(reference_dir: Path) -> Wilayah:
    rows = sorted(_baca_csv(reference_dir / "wilayah_kabkota.csv"), key=lambda r: r["kode_kabkota"])
    provinsi = sorted(r["kode_provinsi"] for r in _baca_csv(reference_dir / "wilayah_provinsi.csv"))
    for r in rows:
        if r["kode_provinsi"] not in provinsi or not r["kode_kabkota"].startswith(
            r["kode_provinsi"]
        ):
            raise ValueError(f"kab/kota {r['kode_kabkota']}: unknown province")
    return Wilayah(
        kode=[r["kode_kabkota"] for r in rows],
        provinsi=[r["kode_provinsi"] for r in rows],
        nama=[r["nama_kabkota"].removeprefix("Kabupaten ").removeprefix("Kota ") for r in rows],
        kabupaten=np.array([r["nama_kabkota"].startswith("Kabupaten") for r in rows]),
        kode_provinsi=provinsi,
    )


@dataclass(frozen=True)
class Vokabulari:
    """Every choice a row can make, as flat Arrow arrays indexed by numpy."""

    kbli: pa.Array  # KBLI options: common ones first, then every other kelompok
    kbli_golongan: np.ndarray  # division index (0 = "10" .. 23 = "33") of each option
    kbli_p: np.ndarray  # probability of each option
    produk: pa.Array
    produk_awal: np.ndarray
    produk_jumlah: np.ndarray
    kata: pa.Array
    kata_awal: np.ndarray
    kata_jumlah: np.ndarray  # 0: no shop-sign word (names use the "UD Merek" pattern)
    nama: pa.Array  # given names, per (name group, sex)
    nama_awal: np.ndarray  # [group, perempuan]
    nama_jumlah: np.ndarray
    panggilan: pa.Array  # the last word of each given name ("Keripik Bu Siti")
    keluarga: pa.Array
    keluarga_awal: np.ndarray
    keluarga_jumlah: np.ndarray
    p_keluarga: np.ndarray
    gelar_haji: np.ndarray
    kelompok_nama: dict[str, int]  # name group -> index, by order of NAMA


def _flat(groups: list[tuple[str, ...]]) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    jumlah = np.array([len(g) for g in groups], dtype=np.int64)
    awal = np.concatenate([[0], np.cumsum(jumlah)[:-1]]).astype(np.int64)
    return pa.array([x for g in groups for x in g], pa.string()), awal, jumlah


def muat_vokabulari(reference_dir: Path) -> Vokabulari:
    kbli_semua = _baca_csv(reference_dir / "kbli_industri.csv")
    golongan = sorted(r["kode_kbli"] for r in kbli_semua if r["tingkat"] == "golongan_pokok")
    if golongan != [str(n) for n in range(10, 34)]:
        raise ValueError("kbli_industri.csv: golongan_pokok are not exactly 10..33")
    kelompok = {r["kode_kbli"]: r["judul"] for r in kbli_semua if r["tingkat"] == "kelompok"}
    umum = [k for k in KBLI_UMUM if k.kode in kelompok]
    if len(umum) != len(KBLI_UMUM):
        raise ValueError(
            "a common IKM KBLI of etl.generators.samples is not a kelompok in kbli_industri.csv"
        )
    lain = sorted(set(kelompok) - {k.kode for k in umum})
    kode = [k.kode for k in umum] + lain
    bobot = np.array([k.bobot for k in umum], dtype=np.float64)
    p = np.concatenate(
        [
            _BAGIAN_KBLI_UMUM * bobot / bobot.sum(),
            np.full(len(lain), (1 - _BAGIAN_KBLI_UMUM) / len(lain)),
        ]
    )
    produk, produk_awal, produk_jumlah = _flat(
        [k.produk for k in umum] + [(produk_dari_judul(kelompok[k]),) for k in lain]
    )
    kata, kata_awal, kata_jumlah = _flat([k.kata for k in umum] + [() for _ in lain])
    kelompok_nama = list(NAMA)
    nama_grup = [g for k in kelompok_nama for g in (NAMA[k].laki, NAMA[k].perempuan)]
    nama, nama_awal, nama_jumlah = _flat(nama_grup)
    panggilan = pa.array([n.split()[-1] for g in nama_grup for n in g], pa.string())
    keluarga, keluarga_awal, keluarga_jumlah = _flat([NAMA[k].keluarga for k in kelompok_nama])
    return Vokabulari(
        kbli=pa.array(kode, pa.string()),
        kbli_golongan=np.array([int(k[:2]) - 10 for k in kode], dtype=np.int64),
        kbli_p=p / p.sum(),
        produk=produk,
        produk_awal=produk_awal,
        produk_jumlah=produk_jumlah,
        kata=kata,
        kata_awal=kata_awal,
        kata_jumlah=kata_jumlah,
        nama=nama,
        nama_awal=nama_awal.reshape(-1, 2),
        nama_jumlah=nama_jumlah.reshape(-1, 2),
        panggilan=panggilan,
        keluarga=keluarga,
        keluarga_awal=keluarga_awal,
        keluarga_jumlah=keluarga_jumlah,
        p_keluarga=np.array([NAMA[k].p_keluarga for k in kelompok_nama]),
        gelar_haji=np.array([NAMA[k].gelar_haji for k in kelompok_nama]),
        kelompok_nama={k: i for i, k in enumerate(kelompok_nama)},
    )


def _alokasi(total: int, bobot: np.ndarray) -> np.ndarray:
    """Split total into integers proportional to bobot, summing exactly (largest remainder)."""
    kuota = total * bobot / bobot.sum()
    bagian = np.floor(kuota).astype(np.int64)
    sisa = total - int(bagian.sum())
    urutan = np.argsort(-(kuota - bagian), kind="stable")
    bagian[urutan[:sisa]] += 1
    return bagian


def unit_per_kabkota(wilayah: Wilayah, units: int, seed: int) -> np.ndarray:
    """Units of each kab/kota: at least one each, the rest by province weight then kab/kota."""
    n = len(wilayah.kode)
    if units < n:
        raise ValueError(f"{units} units cannot cover {n} kab/kota; raise the fraction")
    rng = np.random.default_rng([seed, _ALUR_WILAYAH])
    prov = wilayah.kode_provinsi
    jitter = rng.lognormal(0.0, _SEBARAN_PROVINSI, len(prov))
    bobot_prov = {
        p: _BOBOT_PROVINSI.get(p, _BOBOT_LAIN) * j for p, j in zip(prov, jitter, strict=True)
    }
    bagian = rng.lognormal(0.0, _SEBARAN_KABKOTA, n)
    prov_idx = np.array([prov.index(p) for p in wilayah.provinsi])
    jumlah_bagian = np.bincount(prov_idx, weights=bagian, minlength=len(prov))
    bobot = np.array([bobot_prov[p] for p in wilayah.provinsi]) * bagian / jumlah_bagian[prov_idx]
    return 1 + _alokasi(units - n, bobot)


def bagi_pekerja(units: int, workers: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(workers per unit, menengah flag per unit), summing exactly to workers.

    menengah units: some by investment with 8-19 workers, most with 20+; kecil units 1-19 workers,
    geometric with the mean that makes the total, then nudged by one worker here and there.
    """
    rng = np.random.default_rng([seed, _ALUR_PEKERJA])
    menengah = rng.random(units) < _PELUANG_MENENGAH
    n_men = int(menengah.sum())
    staf_kecil = rng.random(n_men) < _PELUANG_MENENGAH_STAF_KECIL
    pekerja_men = np.where(
        staf_kecil,
        rng.integers(8, MAKS_KECIL + 1, n_men),
        20 + np.minimum(130, rng.exponential(25.0, n_men).astype(np.int64)),
    )
    n_kecil = units - n_men
    target = workers - int(pekerja_men.sum())
    if not n_kecil <= target <= MAKS_KECIL * n_kecil:
        raise ValueError(f"{workers} workers cannot be spread over {units} units")
    pekerja = np.empty(units, dtype=np.int64)
    pekerja[menengah] = pekerja_men
    kecil = ~menengah
    pekerja[kecil] = np.minimum(MAKS_KECIL, rng.geometric(n_kecil / target, n_kecil))
    selisih = target - int(pekerja[kecil].sum())
    while selisih:
        langkah = 1 if selisih > 0 else -1
        bisa = kecil & ((pekerja < MAKS_KECIL) if langkah > 0 else (pekerja > 1))
        calon = np.flatnonzero(bisa)
        pilih = rng.choice(calon, min(abs(selisih), len(calon)), replace=False)
        pekerja[pilih] += langkah
        selisih -= langkah * len(pilih)
    return pekerja.astype(np.int16), menengah


def besar_untuk_pangsa(ikm_workers: int) -> int:
    """Large-industry workers that make the IKM share round (half up) to exactly 66.25 %."""
    besar = int((Decimal(ikm_workers) * (1 / PANGSA_IKM - 1)).to_integral_value(ROUND_HALF_UP))
    for geser in sorted(range(-50, 51), key=abs):
        industri = ikm_workers + besar + geser
        if industri > ikm_workers and _pangsa_tepat(ikm_workers, industri):
            return besar + geser
    raise ValueError(f"no large-industry total gives 66.25 % for {ikm_workers} IKM workers")


def _pangsa_tepat(ikm: int, industri: int) -> bool:
    # 66.245 <= 100 * ikm / industri < 66.255, in integers
    return 66245 * industri <= 100_000 * ikm < 66255 * industri
