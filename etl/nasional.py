"""The national landing zone of 2022: every kab/kota's `unit_ikm` register and every province's
`tenaga_kerja` figures, at the published scale (issue 4).

In 2022 Indonesia counted 4,400,000 IKM units employing 12,390,000 people, 66.25 % of the
industrial workforce. `generate_national` writes a landing zone with exactly those totals (or a
fraction of them, for 1 % and 10 % runs), for the benchmark and the national end-to-end test:

- `<tanggal_tiba>/<kode_kabkota>/unit_ikm_2022.csv` for all 514 kab/kota, one row per unit, valid
  against the contract (NIBs unique over the whole set, size class by Permenperin 64/2016);
- `<tanggal_tiba>/<kode_provinsi>/tenaga_kerja_2022.csv` for all 38 provinces, one row per
  kab/kota x KBLI division x size class. Its `kecil`/`menengah` rows are the unit registers summed,
  so IKM workers agree with the registers kab/kota by kab/kota; its `besar` rows carry large
  industry, sized so that the national IKM share rounds to 66.25 %.

Sizes are skewed as real regions are: Java heavy, Papua light. Units are drawn with numpy and the
files formatted with Arrow compute kernels, one kab/kota at a time, so that 4.4 million rows take
seconds and memory stays bounded by the largest kab/kota. Same seed and fraction, same bytes: the
worker counts come from one stream, and every kab/kota draws the rest from its own.

The vocabulary (names, products, streets) is that of `etl.samples`.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.contract import kinds
from etl.samples import (
    _CAMPURAN_NAMA,
    _DESA,
    _GOLONGAN_PABRIK,
    _JALAN,
    _KBLI_UMUM,
    _MEREK,
    _NAMA,
    _PEREMPUAN_GOLONGAN,
    _PREFIKS_HP,
    _produk_dari_judul,
)
from etl.settings import get_settings

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
_MAKS_KECIL = 19  # workers
_BAGIAN_KBLI_UMUM = 0.9  # units in the common IKM KBLI of etl.samples; the rest: any kelompok
_PEREMPUAN_UNIT = {"10": 0.6, "13": 0.65, "14": 0.7}  # share of women among a unit's workers
_PEREMPUAN_UNIT_LAIN = 0.25
_PEMILIK_PEREMPUAN = frozenset({"10", "13", "14"})  # divisions where many owners are women

# Optional columns left empty, as registers compiled in the field leave them.
_KOSONG_PEMILIK = 0.05
_KOSONG_NIK = 0.35
_KOSONG_TELEPON = 0.3
_ADA_SENTRA = 0.12

_PEKERJA_PER_BARIS_BESAR = 1000  # large-industry workers per tenaga_kerja `besar` row, about
_MIN_PEKERJA_BESAR = 50

# Independent random streams (numpy SeedSequence entropy: [seed, stream, ...]).
_ALUR_WILAYAH, _ALUR_PEKERJA, _ALUR_BESAR, _ALUR_UNIT, _ALUR_NIB = 1, 2, 3, 4, 5

_SKALA_TK = ("kecil", "menengah", "besar")
_HARI_PERTAMA = np.datetime64("2022-01-03")
_HARI_PENDATAAN = 362  # tanggal_pendataan from 3 January to 30 December 2022
_LAHIR_PERTAMA = np.datetime64("1955-01-01")


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


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class _Wilayah:
    kode: list[str]  # kab/kota codes, sorted
    provinsi: list[str]  # the province of each
    nama: list[str]  # the place name without "Kabupaten"/"Kota"
    kabupaten: np.ndarray  # bool per kab/kota
    kode_provinsi: list[str]  # all provinces, sorted


def _baca_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _muat_wilayah(reference_dir: Path) -> _Wilayah:
    rows = sorted(_baca_csv(reference_dir / "wilayah_kabkota.csv"), key=lambda r: r["kode_kabkota"])
    provinsi = sorted(r["kode_provinsi"] for r in _baca_csv(reference_dir / "wilayah_provinsi.csv"))
    for r in rows:
        if r["kode_provinsi"] not in provinsi or not r["kode_kabkota"].startswith(
            r["kode_provinsi"]
        ):
            raise ValueError(f"kab/kota {r['kode_kabkota']}: unknown province")
    return _Wilayah(
        kode=[r["kode_kabkota"] for r in rows],
        provinsi=[r["kode_provinsi"] for r in rows],
        nama=[r["nama_kabkota"].removeprefix("Kabupaten ").removeprefix("Kota ") for r in rows],
        kabupaten=np.array([r["nama_kabkota"].startswith("Kabupaten") for r in rows]),
        kode_provinsi=provinsi,
    )


@dataclass(frozen=True)
class _Vokabulari:
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
    kelompok_nama: dict[str, int]  # name group -> index, by order of _NAMA


def _flat(groups: list[tuple[str, ...]]) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    jumlah = np.array([len(g) for g in groups], dtype=np.int64)
    awal = np.concatenate([[0], np.cumsum(jumlah)[:-1]]).astype(np.int64)
    return pa.array([x for g in groups for x in g], pa.string()), awal, jumlah


def _muat_vokabulari(reference_dir: Path) -> _Vokabulari:
    kbli_semua = _baca_csv(reference_dir / "kbli_industri.csv")
    golongan = sorted(r["kode_kbli"] for r in kbli_semua if r["tingkat"] == "golongan_pokok")
    if golongan != [str(n) for n in range(10, 34)]:
        raise ValueError("kbli_industri.csv: golongan_pokok are not exactly 10..33")
    kelompok = {r["kode_kbli"]: r["judul"] for r in kbli_semua if r["tingkat"] == "kelompok"}
    umum = [k for k in _KBLI_UMUM if k.kode in kelompok]
    if len(umum) != len(_KBLI_UMUM):
        raise ValueError("a common IKM KBLI of etl.samples is not a kelompok in kbli_industri.csv")
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
        [k.produk for k in umum] + [(_produk_dari_judul(kelompok[k]),) for k in lain]
    )
    kata, kata_awal, kata_jumlah = _flat([k.kata for k in umum] + [() for _ in lain])
    kelompok_nama = list(_NAMA)
    nama_grup = [g for k in kelompok_nama for g in (_NAMA[k].laki, _NAMA[k].perempuan)]
    nama, nama_awal, nama_jumlah = _flat(nama_grup)
    panggilan = pa.array([n.split()[-1] for g in nama_grup for n in g], pa.string())
    keluarga, keluarga_awal, keluarga_jumlah = _flat([_NAMA[k].keluarga for k in kelompok_nama])
    return _Vokabulari(
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
        p_keluarga=np.array([_NAMA[k].p_keluarga for k in kelompok_nama]),
        gelar_haji=np.array([_NAMA[k].gelar_haji for k in kelompok_nama]),
        kelompok_nama={k: i for i, k in enumerate(kelompok_nama)},
    )


# --------------------------------------------------------------------------- national plan


def _alokasi(total: int, bobot: np.ndarray) -> np.ndarray:
    """Split total into integers proportional to bobot, summing exactly (largest remainder)."""
    kuota = total * bobot / bobot.sum()
    bagian = np.floor(kuota).astype(np.int64)
    sisa = total - int(bagian.sum())
    urutan = np.argsort(-(kuota - bagian), kind="stable")
    bagian[urutan[:sisa]] += 1
    return bagian


def _unit_per_kabkota(wilayah: _Wilayah, units: int, seed: int) -> np.ndarray:
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


def _pekerja(units: int, workers: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
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
        rng.integers(8, _MAKS_KECIL + 1, n_men),
        20 + np.minimum(130, rng.exponential(25.0, n_men).astype(np.int64)),
    )
    n_kecil = units - n_men
    target = workers - int(pekerja_men.sum())
    if not n_kecil <= target <= _MAKS_KECIL * n_kecil:
        raise ValueError(f"{workers} workers cannot be spread over {units} units")
    pekerja = np.empty(units, dtype=np.int64)
    pekerja[menengah] = pekerja_men
    kecil = ~menengah
    pekerja[kecil] = np.minimum(_MAKS_KECIL, rng.geometric(n_kecil / target, n_kecil))
    selisih = target - int(pekerja[kecil].sum())
    while selisih:
        langkah = 1 if selisih > 0 else -1
        bisa = kecil & ((pekerja < _MAKS_KECIL) if langkah > 0 else (pekerja > 1))
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


# --------------------------------------------------------------------------- formatting


def _teks(angka: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(angka), pa.string())


def _gabung(*bagian: pa.Array | str, pemisah: str = "") -> pa.Array:
    return pc.binary_join_element_wise(
        *bagian, pemisah, null_handling="replace", null_replacement=""
    )


def _kutip(kolom: pa.Array) -> pa.Array:
    """CSV quoting where a value needs it (comma, quote, line break), as Excel writes it."""
    perlu = pc.fill_null(pc.match_substring_regex(kolom, '[",\r\n]'), False)
    if not pc.any(perlu).as_py():
        return kolom
    dikutip = _gabung('"', pc.replace_substring(kolom, '"', '""'), '"')
    return pc.if_else(perlu, dikutip, kolom)


def _kosongkan(kolom: pa.Array, kosong: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(kosong), pa.scalar(None, pa.string()), kolom)


def _ke_csv(path: Path, header: tuple[str, ...], kolom: list[pa.Array]) -> int:
    """Write header and rows (columns already text) as UTF-8 CSV, '\\n' line ends; return bytes.

    Every line is one string of an Arrow array, so the file is that array's value buffer.
    """
    baris = _gabung(_gabung(*kolom, pemisah=","), "\n")
    offsets = np.frombuffer(baris.buffers()[1], dtype=np.int32)
    awal, akhir = offsets[baris.offset], offsets[baris.offset + len(baris)]
    isi = memoryview(baris.buffers()[2])[awal:akhir]
    kepala = (",".join(header) + "\n").encode()
    with path.open("wb") as f:
        f.write(kepala)
        f.write(isi)
    return len(kepala) + len(isi)


# --------------------------------------------------------------------------- one kab/kota


@dataclass(frozen=True)
class _Agregat:
    """A kab/kota's units summed by KBLI division x (kecil, menengah)."""

    unit: np.ndarray  # [24, 2]
    laki: np.ndarray
    perempuan: np.ndarray


def _log_uniform(rng: np.random.Generator, rendah: float, tinggi: float, bulat: int, n: int):
    nilai = rendah * (tinggi / rendah) ** rng.random(n)
    return np.clip((nilai // bulat).astype(np.int64) * bulat, int(rendah), int(tinggi))


def _tulis_kabkota(
    path: Path,
    i: int,
    wilayah: _Wilayah,
    vok: _Vokabulari,
    pekerja: np.ndarray,
    menengah: np.ndarray,
    nib: np.ndarray,
    seed: int,
    header: tuple[str, ...],
) -> tuple[int, _Agregat]:
    """Write one kab/kota's register; return its bytes and its sums for tenaga_kerja."""
    kode = wilayah.kode[i]
    rng = np.random.default_rng([seed, _ALUR_UNIT, int(kode)])
    n = len(pekerja)
    w = pekerja.astype(np.int64)
    u = rng.random((16, n))  # uniform draws, one row per use below

    # KBLI, product, workers by sex
    opsi = rng.choice(len(vok.kbli), size=n, p=vok.kbli_p)
    golongan = vok.kbli_golongan[opsi]
    p_perempuan = np.full(24, _PEREMPUAN_UNIT_LAIN)
    for g, p in _PEREMPUAN_UNIT.items():
        p_perempuan[int(g) - 10] = p
    perempuan = rng.binomial(w, p_perempuan[golongan])
    laki = w - perempuan
    produk = (vok.produk_awal[opsi] + u[0] * vok.produk_jumlah[opsi]).astype(np.int64)
    ada_kata = vok.kata_jumlah[opsi] > 0
    kata = vok.kata_awal[opsi] + (u[1] * np.maximum(1, vok.kata_jumlah[opsi])).astype(np.int64)
    kata = np.where(ada_kata, kata, 0)

    # size: investment by the class the workers allow (Permenperin 64/2016)
    investasi = _log_uniform(rng, 5e6, 9.5e8, 100_000, n)
    staf_kecil = menengah & (w <= _MAKS_KECIL)
    investasi[staf_kecil] = _log_uniform(rng, 1e9, 1.45e10, 1_000_000, int(staf_kecil.sum()))
    staf_besar = menengah & (w > _MAKS_KECIL)
    investasi[staf_besar] = _log_uniform(rng, 4e8, 1.45e10, 1_000_000, int(staf_besar.sum()))
    kecil = (w <= _MAKS_KECIL) & (investasi < 1_000_000_000)
    if not np.array_equal(kecil, ~menengah) or (investasi > 15_000_000_000).any():
        raise AssertionError(f"{kode}: size class does not follow the rule")
    produksi = np.maximum(investasi * (0.8 + 2.2 * u[2]), w * (18e6 + 42e6 * u[3]))
    produksi = (np.round(produksi / 100_000) * 100_000).astype(np.int64)
    tahun = TAHUN - np.minimum(TAHUN - 1970, rng.exponential(9.0, n).astype(np.int64))
    tanggal = _HARI_PERTAMA + rng.integers(0, _HARI_PENDATAAN, n).astype("timedelta64[D]")

    # flags
    siinas = u[4] < np.where(menengah, 0.75, 0.35)
    tkdn = siinas & (u[5] < np.where(menengah, 0.4, 0.12))
    online = u[6] < 0.45
    ya_tidak = pa.array(["tidak", "ya"])

    # owner: name customs of the province, sex, family name, hajj title
    pemilik_perempuan = u[7] < np.where(np.isin(golongan, [0, 3, 4]), 0.55, 0.3)
    campuran = _CAMPURAN_NAMA.get(wilayah.provinsi[i], (("jawa", 1),))
    grup_idx = np.array([vok.kelompok_nama[c] for c, _ in campuran])
    grup_p = np.array([b for _, b in campuran], dtype=np.float64)
    grup = grup_idx[rng.choice(len(campuran), size=n, p=grup_p / grup_p.sum())]
    sex = pemilik_perempuan.astype(np.int64)
    depan = (vok.nama_awal[grup, sex] + u[8] * vok.nama_jumlah[grup, sex]).astype(np.int64)
    keluarga = (vok.keluarga_awal[grup] + u[9] * vok.keluarga_jumlah[grup]).astype(np.int64)
    pakai_keluarga = u[10] < vok.p_keluarga[grup]
    haji = vok.gelar_haji[grup] & (u[11] < 0.06)
    gelar = pa.array(["", "H. ", "Hj. "]).take(pa.array(haji * (1 + sex)))
    sambung_keluarga = pc.if_else(
        pa.array(pakai_keluarga), _gabung(" ", vok.keluarga.take(pa.array(keluarga))), ""
    )
    nama_pemilik = _gabung(gelar, vok.nama.take(pa.array(depan)), sambung_keluarga)
    nama_pemilik = _kosongkan(nama_pemilik, u[12] < _KOSONG_PEMILIK)

    # business name: "UD Berkah", "Keripik Berkah", "CV Keripik Berkah", "Keripik Bu Siti"
    badan = np.where(menengah, np.searchsorted([0.6, 0.9], u[13]), (u[13] >= 0.7).astype(int))
    badan_teks = pa.array(["UD", "CV", "PT"]).take(pa.array(badan))
    merek = pa.array(_MEREK).take(pa.array(rng.integers(0, len(_MEREK), n)))
    jenis = vok.kata.take(pa.array(kata))
    pola = np.where(ada_kata, u[14], 0.0)
    sapaan = pa.array(["Pak", "Bu"]).take(pa.array(sex))
    nama_usaha = pc.case_when(
        pc.make_struct(pa.array(pola < 0.4), pa.array(pola < 0.7), pa.array(pola < 0.88)),
        _gabung(badan_teks, " ", merek),
        _gabung(jenis, " ", merek),
        _gabung(badan_teks, " ", jenis, " ", merek),
        _gabung(jenis, " ", sapaan, " ", vok.panggilan.take(pa.array(depan))),
    )

    # NIK: kab/kota, kecamatan, birth date (day + 40 for women), serial
    lahir = _LAHIR_PERTAMA + rng.integers(0, 46 * 365, n).astype("timedelta64[D]")
    bulan = lahir.astype("datetime64[M]")
    hari = (lahir - bulan).astype(np.int64) + 1 + 40 * sex
    bulan_ke = bulan.astype(np.int64) % 12 + 1
    yy = lahir.astype("datetime64[Y]").astype(np.int64) % 100
    kecamatan = rng.integers(1, 21, n)
    nomor = rng.integers(1, 1000, n)
    nik = (
        int(kode) * 10**12 + kecamatan * 10**10 + hari * 10**8 + bulan_ke * 10**6 + yy * 10**4
    ) + nomor
    nik_teks = _kosongkan(_teks(nik), u[15] < _KOSONG_NIK)

    # mobile number: 0 + operator prefix + 6-9 digits
    digit = rng.integers(6, 10, n)
    prefiks = np.array([int(p) for p in _PREFIKS_HP], dtype=np.int64)
    hp = prefiks[rng.integers(0, len(prefiks), n)] * 10**digit + rng.integers(0, 10**digit)
    telepon = _kosongkan(_gabung("0", _teks(hp)), rng.random(n) < _KOSONG_TELEPON)

    # address
    jalan = pa.array(_JALAN).take(pa.array(rng.integers(0, len(_JALAN), n)))
    no_rumah = _teks(rng.integers(1, 251, n))
    rt = pc.utf8_lpad(_teks(rng.integers(1, 13, n)), 3, "0")
    rw = pc.utf8_lpad(_teks(rng.integers(1, 10, n)), 3, "0")
    ada_rt = pa.array(rng.random(n) < 0.5)
    rt_rw = pc.if_else(ada_rt, _gabung(" RT ", rt, "/RW ", rw), "")
    ada_desa = pa.array(wilayah.kabupaten[i] & (rng.random(n) < 0.6))
    desa_nama = pa.array(_DESA).take(pa.array(rng.integers(0, len(_DESA), n)))
    desa = pc.if_else(ada_desa, _gabung(", Desa ", desa_nama), "")
    alamat = _gabung("Jl. ", jalan, " No. ", no_rumah, rt_rw, desa, ", " + wilayah.nama[i])

    # IKM centre: a handful per kab/kota
    nomor_sentra = np.sort(rng.choice(np.arange(1, 40), 3, replace=False))
    sentra_kode = pa.array([f"S{kode}-{s:03d}" for s in nomor_sentra])
    sentra = sentra_kode.take(pa.array(rng.integers(0, 3, n)))
    sentra = _kosongkan(sentra, rng.random(n) >= _ADA_SENTRA)

    kolom = {
        "nib": _teks(nib),
        "nama_usaha": _kutip(nama_usaha),
        "nama_pemilik": _kutip(nama_pemilik),
        "nik_pemilik": nik_teks,
        "no_telepon": telepon,
        "alamat": _kutip(alamat),
        "kode_kabkota": pa.array([kode] * n, pa.string()),
        "kbli": vok.kbli.take(pa.array(opsi)),
        "produk_utama": _kutip(vok.produk.take(pa.array(produk))),
        "skala": pa.array(["kecil", "menengah"]).take(pa.array(menengah.astype(np.int8))),
        "tenaga_kerja_laki": _teks(laki),
        "tenaga_kerja_perempuan": _teks(perempuan),
        "nilai_investasi": _teks(investasi),
        "nilai_produksi_setahun": _teks(produksi),
        "tahun_berdiri": _teks(tahun),
        "terdaftar_siinas": ya_tidak.take(pa.array(siinas.astype(np.int8))),
        "sertifikat_tkdn_ik": ya_tidak.take(pa.array(tkdn.astype(np.int8))),
        "penjualan_online": ya_tidak.take(pa.array(online.astype(np.int8))),
        "kode_sentra": sentra,
        "tanggal_pendataan": pc.cast(pa.array(tanggal, pa.date32()), pa.string()),
    }
    ukuran = _ke_csv(path, header, [kolom[k] for k in header])

    kunci = golongan * 2 + menengah
    agregat = _Agregat(
        unit=np.bincount(kunci, minlength=48).reshape(24, 2),
        laki=np.bincount(kunci, weights=laki, minlength=48).astype(np.int64).reshape(24, 2),
        perempuan=np.bincount(kunci, weights=perempuan, minlength=48)
        .astype(np.int64)
        .reshape(24, 2),
    )
    return ukuran, agregat


_NIB_MODULUS = 10**12


def _nib_acak(rng: np.random.Generator) -> tuple[int, int]:
    """(a, b) of x -> (a x + b) mod 10**12: a bijection of unit numbers onto 12 digits, so NIBs
    are unique over the whole set without a set of those already handed out."""
    while True:
        a = int(rng.integers(10**11, _NIB_MODULUS))
        if a % 2 and a % 5:  # coprime with 10**12
            return a, int(rng.integers(0, _NIB_MODULUS))


def _nib(nomor: np.ndarray, prefiks: np.ndarray, a: int, b: int) -> np.ndarray:
    """13-digit NIBs: prefix 8/9, then (a * nomor + b) mod 10**12, in int64 without overflow.

    With a = a1 10**6 + a0 and nomor = x1 10**6 + x0, a * nomor mod 10**12 is
    ((a1 x0 + a0 x1) mod 10**6) 10**6 + a0 x0, every term below 2 10**12.
    """
    a1, a0 = divmod(a, 10**6)
    x1, x0 = np.divmod(nomor, 10**6)
    tengah = (a1 * x0 + a0 * x1) % 10**6 * 10**6
    return prefiks * _NIB_MODULUS + (tengah + a0 * x0 + b) % _NIB_MODULUS


# --------------------------------------------------------------------------- tenaga_kerja


def _besar(
    rng: np.random.Generator, agregat: np.ndarray, bobot_kabkota: np.ndarray, total: int
) -> np.ndarray:
    """Large-industry workers per kab/kota x division, summing to total.

    Placed where IKM of that division exist, more in big regions and factory divisions.
    """
    ada = agregat[..., 0].sum(axis=2) > 0  # [kabkota, golongan]: IKM units there
    k_idx, g_idx = np.nonzero(ada)
    pabrik = np.array([2.0 if str(g + 10) in _GOLONGAN_PABRIK else 1.0 for g in range(24)])
    bobot = bobot_kabkota[k_idx] ** 1.2 * pabrik[g_idx] * rng.lognormal(0.0, 0.8, len(k_idx))
    jumlah = max(1, min(len(k_idx), total // _PEKERJA_PER_BARIS_BESAR))
    pilih = np.sort(rng.choice(len(k_idx), jumlah, replace=False, p=bobot / bobot.sum()))
    dasar = min(_MIN_PEKERJA_BESAR, total // jumlah)
    p = bobot[pilih] / bobot[pilih].sum()
    pekerja = dasar + rng.multinomial(total - dasar * jumlah, p)
    hasil = np.zeros(ada.shape, dtype=np.int64)
    hasil[k_idx[pilih], g_idx[pilih]] = pekerja
    return hasil


def _tulis_tenaga_kerja(
    path: Path,
    kabkota: list[int],
    wilayah: _Wilayah,
    agregat: np.ndarray,
    besar: np.ndarray,
    rng: np.random.Generator,
) -> tuple[int, int]:
    """One province's file: kecil/menengah from the registers, besar as placed; (bytes, rows)."""
    baris: list[tuple[str, str, str, int, int, int]] = []
    for i in kabkota:
        for g in range(24):
            for s in range(2):
                unit, laki, perempuan = agregat[i, g, s]
                if unit:
                    skala = _SKALA_TK[s]
                    baris.append((wilayah.kode[i], str(g + 10), skala, unit, laki, perempuan))
            pekerja = int(besar[i, g])
            if pekerja:
                golongan = str(g + 10)
                p = _PEREMPUAN_GOLONGAN.get(golongan, 0.25) + rng.uniform(-0.08, 0.08)
                perempuan = int(rng.binomial(pekerja, p))
                unit = max(1, round(pekerja / rng.uniform(250, 900)))
                baris.append(
                    (wilayah.kode[i], golongan, "besar", unit, pekerja - perempuan, perempuan)
                )
    header = tuple(c.nama for c in kinds()["tenaga_kerja"].columns)
    teks = "".join(",".join(str(x) for x in b) + "\n" for b in baris)
    isi = (",".join(header) + "\n" + teks).encode()
    path.write_bytes(isi)
    return len(isi), len(baris)


# --------------------------------------------------------------------------- the landing zone


def generate_national(
    out_dir: Path,
    reference_dir: Path,
    fraction: float = 1.0,
    seed: int = DEFAULT_SEED,
    tanggal_tiba: date = DEFAULT_TANGGAL_TIBA,
) -> NationalSummary:
    """Write the national 2022 landing zone (or a fraction of it) under out_dir/<tanggal_tiba>/.

    Exactly round(4,400,000 x fraction) units with round(12,390,000 x fraction) workers; large
    industry such that the national IKM share of industrial workers rounds to 66.25 %.
    """
    if not fraction > 0:
        raise ValueError("fraction must be positive")
    reference_dir = Path(reference_dir)
    wilayah = _muat_wilayah(reference_dir)
    vok = _muat_vokabulari(reference_dir)
    units = round(UNIT_NASIONAL * fraction)
    workers = round(TENAGA_KERJA_NASIONAL * fraction)
    per_kabkota = _unit_per_kabkota(wilayah, units, seed)
    pekerja, menengah = _pekerja(units, workers, seed)
    a, b = _nib_acak(np.random.default_rng([seed, _ALUR_NIB]))

    partisi = Path(out_dir) / f"{tanggal_tiba:%Y-%m-%d}"
    header = tuple(c.nama for c in kinds()["unit_ikm"].columns)
    agregat = np.zeros((len(wilayah.kode), 24, 2, 3), dtype=np.int64)
    ukuran = 0
    awal = 0
    for i, n in enumerate(per_kabkota.tolist()):
        folder = partisi / wilayah.kode[i]
        folder.mkdir(parents=True, exist_ok=True)
        rng_nib = np.random.default_rng([seed, _ALUR_NIB, int(wilayah.kode[i])])
        nib = _nib(awal + rng_nib.permutation(n), rng_nib.integers(8, 10, n), a, b)
        irisan = slice(awal, awal + n)
        ditulis, agr = _tulis_kabkota(
            folder / f"unit_ikm_{PERIODE}.csv",
            i,
            wilayah,
            vok,
            pekerja[irisan],
            menengah[irisan],
            nib,
            seed,
            header,
        )
        ukuran += ditulis
        agregat[i] = np.stack([agr.unit, agr.laki, agr.perempuan], axis=-1)
        awal += n
    del pekerja, menengah

    ikm = int(agregat[..., 1:].sum())
    if ikm != workers or int(agregat[..., 0].sum()) != units:
        raise AssertionError("unit registers do not add up to the national totals")
    total_besar = besar_untuk_pangsa(ikm)
    rng = np.random.default_rng([seed, _ALUR_BESAR])
    besar = _besar(rng, agregat, per_kabkota.astype(np.float64), total_besar)
    rows_tk = 0
    for kode_prov in wilayah.kode_provinsi:
        kabkota = [i for i, p in enumerate(wilayah.provinsi) if p == kode_prov]
        folder = partisi / kode_prov
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"tenaga_kerja_{PERIODE}.csv"
        ditulis, rows = _tulis_tenaga_kerja(path, kabkota, wilayah, agregat, besar, rng)
        ukuran += ditulis
        rows_tk += rows
    return NationalSummary(
        units=units,
        ikm_workers=ikm,
        industry_workers=ikm + total_besar,
        files=len(wilayah.kode) + len(wilayah.kode_provinsi),
        rows=units + rows_tk,
        bytes=ukuran,
        units_per_kabkota=dict(zip(wilayah.kode, per_kabkota.tolist(), strict=True)),
    )


def generate_register(
    path: Path, reference_dir: Path, kode_kabkota: str, units: int, seed: int = DEFAULT_SEED
) -> int:
    """One kab/kota register of ``units`` rows (e.g. a million, for the memory bound): the same
    rows as the national set draws, national workers per unit. Returns the bytes written."""
    wilayah = _muat_wilayah(Path(reference_dir))
    vok = _muat_vokabulari(Path(reference_dir))
    i = wilayah.kode.index(kode_kabkota)
    workers = round(units * TENAGA_KERJA_NASIONAL / UNIT_NASIONAL)
    pekerja, menengah = _pekerja(units, workers, seed)
    a, b = _nib_acak(np.random.default_rng([seed, _ALUR_NIB]))
    rng_nib = np.random.default_rng([seed, _ALUR_NIB, int(kode_kabkota)])
    nib = _nib(rng_nib.permutation(units), rng_nib.integers(8, 10, units), a, b)
    header = tuple(c.nama for c in kinds()["unit_ikm"].columns)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    ditulis, _ = _tulis_kabkota(Path(path), i, wilayah, vok, pekerja, menengah, nib, seed, header)
    return ditulis


# --------------------------------------------------------------------------- command line


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `nasional`: python -m etl nasional --out DIR [--fraction F] [--seed N]."""
    parser = subparsers.add_parser(
        "nasional", help="write the national 2022 landing zone (4.4 million IKM units)"
    )
    parser.add_argument("--out", required=True, type=Path, help="landing zone root to write")
    parser.add_argument(
        "--fraction", type=float, default=1.0, help="share of the national set (0.01, 0.1, 1)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--tanggal-tiba",
        type=date.fromisoformat,
        default=DEFAULT_TANGGAL_TIBA,
        help="arrival-date partition (default: %(default)s)",
    )
    parser.add_argument(
        "--reference-dir",
        type=Path,
        default=None,
        help="official code lists (default: $IKM_REFERENCE_DIR or ../shared/reference)",
    )
    parser.set_defaults(func=_jalankan)


def _jalankan(args: argparse.Namespace) -> int:
    reference_dir = args.reference_dir or get_settings().reference_dir
    mulai = time.perf_counter()
    try:
        s = generate_national(args.out, reference_dir, args.fraction, args.seed, args.tanggal_tiba)
    except (OSError, ValueError) as exc:
        print(f"nasional: {exc}", file=sys.stderr)
        return 1
    detik = time.perf_counter() - mulai
    print(
        f"{s.units} units, {s.ikm_workers} IKM workers of {s.industry_workers} "
        f"({s.persen_ikm} %), {s.files} files, {s.rows} rows, {s.bytes / 2**20:.1f} MiB "
        f"under {args.out / f'{args.tanggal_tiba:%Y-%m-%d}'} in {detik:.1f} s"
    )
    return 0
