"""Deterministic sample landing zone for the `unit_ikm` kind.

The pipeline, its tests and first-time demos need submissions that look like what regional offices
really send: province and kab/kota offices, CSV and XLSX, clean files, files with a few bad rows, a
file missing a required column and a late correction. Every file comes with its expected outcome,
so tests can compare the pipeline's verdicts with what was planted. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from random import Random
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook

DEFAULT_SEED = 20240301
JENIS = "unit_ikm"
PERIODE = "2023"

# Column order of the template (expectations/schemas/unit_ikm.json).
# fmt: off
KOLOM: tuple[str, ...] = (
    "nib", "nama_usaha", "nama_pemilik", "nik_pemilik", "no_telepon", "alamat", "kode_kabkota",
    "kbli", "produk_utama", "skala", "tenaga_kerja_laki", "tenaga_kerja_perempuan",
    "nilai_investasi", "nilai_produksi_setahun", "tahun_berdiri", "terdaftar_siinas",
    "sertifikat_tkdn_ik", "penjualan_online", "kode_sentra", "tanggal_pendataan",
)
# fmt: on
# XLSX cell formats: codes are text so that leading zeros and 16-digit NIKs survive Excel.
_KOLOM_TEKS = ("nib", "nik_pemilik", "no_telepon", "kode_kabkota", "kbli", "kode_sentra")
_FORMAT_SEL: dict[str, str] = {**dict.fromkeys(_KOLOM_TEKS, "@"), "tanggal_pendataan": "yyyy-mm-dd"}

# Fixed timestamps keep XLSX bytes stable across runs.
_WAKTU_TETAP = datetime(2024, 3, 1, 8, 0, 0)
_ZIP_WAKTU = (2024, 3, 1, 8, 0, 0)

BATAS_KECIL_INVESTASI = 1_000_000_000
BATAS_MENENGAH_INVESTASI = 15_000_000_000
BATAS_KECIL_TENAGA_KERJA = 19

Baris = dict[str, Any]


@dataclass(frozen=True)
class SampleFile:
    """One written submission and the outcome the pipeline should reach for it."""

    path: Path
    kode_wilayah: str
    tanggal_tiba: date
    jumlah_baris: int
    baris_buruk: dict[int, str]
    diharapkan: str


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class _Rencana:
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
_RENCANA: tuple[_Rencana, ...] = (
    _Rencana(_HARI_1, "32", "unit_ikm_2023.csv",
             (("3273", 95), ("3204", 80), ("3209", 65)), diharapkan="digantikan"),
    _Rencana(_HARI_1, "3578", "unit_ikm_2023.xlsx", (("3578", 180),),
             cacat=("nib_12_digit", "nib_ganda", "kbli_bukan_industri"),
             diharapkan="diterima_sebagian"),
    _Rencana(_HARI_1, "1271", "unit_ikm_2023_kota_medan.csv", (("1271", 130),)),
    _Rencana(_HARI_2, "73", "unit_ikm_2023.xlsx",
             (("7371", 120), ("7308", 75), ("7302", 55)),
             cacat=("kabkota_provinsi_lain", "skala_tidak_sesuai", "tanggal_luar_periode",
                    "nib_ganda"),
             diharapkan="diterima_sebagian"),
    _Rencana(_HARI_2, "3372", "unit_ikm_2023.csv", (("3372", 60),),
             tanpa_kolom="kbli", diharapkan="ditolak"),
    _Rencana(_HARI_2, "9171", "unit_ikm_2023.xlsx", (("9171", 45),)),
    _Rencana(_HARI_3, "32", "unit_ikm_2023_revisi1.xlsx", (),
             revisi_dari="2024-03-04/32/unit_ikm_2023.csv"),
    _Rencana(_HARI_3, "1371", "unit_ikm_2023.csv", (("1371", 90),),
             cacat=("tenaga_kerja_negatif", "siinas_tidak_valid", "nib_12_digit"),
             diharapkan="diterima_sebagian"),
)
# fmt: on


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class _Referensi:
    """The official code lists the samples must agree with."""

    kabkota: dict[str, tuple[str, str]]  # kode_kabkota -> (kode_provinsi, nama_kabkota)
    provinsi: dict[str, str]
    kbli_kelompok: dict[str, str]  # 5-digit KBLI -> title


def _baca_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _muat_referensi(reference_dir: Path) -> _Referensi:
    """Read the code lists as text, as the reference README asks."""
    kabkota = {
        r["kode_kabkota"]: (r["kode_provinsi"], r["nama_kabkota"])
        for r in _baca_csv(reference_dir / "wilayah_kabkota.csv")
    }
    provinsi = {
        r["kode_provinsi"]: r["nama_provinsi"]
        for r in _baca_csv(reference_dir / "wilayah_provinsi.csv")
    }
    kbli = {
        r["kode_kbli"]: r["judul"]
        for r in _baca_csv(reference_dir / "kbli_industri.csv")
        if r["tingkat"] == "kelompok"
    }
    return _Referensi(kabkota, provinsi, kbli)


def _periksa_rencana(ref: _Referensi) -> None:
    """Fail loudly if the reference lists changed under the hard-coded plan."""
    for rencana in _RENCANA:
        kode = rencana.kode_wilayah
        if kode not in ref.provinsi and kode not in ref.kabkota:
            raise ValueError(f"office {kode} is not in the reference lists")
        for kode_kabkota, _ in rencana.cakupan:
            if kode_kabkota not in ref.kabkota or not kode_kabkota.startswith(kode):
                raise ValueError(f"{kode_kabkota} is not a kab/kota of office {kode}")
    if _KABKOTA_PROVINSI_LAIN not in ref.kabkota:
        raise ValueError(f"{_KABKOTA_PROVINSI_LAIN} is not in wilayah_kabkota.csv")
    for kbli in _KBLI_UMUM:
        if kbli.kode not in ref.kbli_kelompok:
            raise ValueError(f"KBLI {kbli.kode} is not a kelompok in kbli_industri.csv")


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Kbli:
    """A KBLI common among IKM, with products and shop-sign words that fit it."""

    kode: str
    bobot: int
    produk: tuple[str, ...]
    kata: tuple[str, ...]


# fmt: off
_KBLI_UMUM: tuple[_Kbli, ...] = (
    _Kbli("10710", 9, ("roti manis", "kue kering", "bolu kukus", "roti tawar"),
          ("Roti", "Bakery", "Kue")),
    _Kbli("10792", 6, ("kue basah", "lapis legit", "kue lumpur", "onde-onde"), ("Kue",)),
    _Kbli("10794", 9, ("keripik singkong", "kerupuk udang", "keripik tempe", "rempeyek kacang"),
          ("Keripik", "Kerupuk", "Snack")),
    _Kbli("10391", 4, ("tempe kedelai",), ("Tempe",)),
    _Kbli("10392", 4, ("tahu putih", "tahu goreng"), ("Tahu",)),
    _Kbli("10750", 5, ("abon sapi", "sambal kemasan", "rendang kemasan"), ("Dapur", "Boga")),
    _Kbli("10796", 2, ("dodol", "jenang"), ("Dodol",)),
    _Kbli("10722", 3, ("gula aren", "gula merah kelapa"), ("Gula Aren",)),
    _Kbli("10761", 3, ("kopi bubuk", "kopi robusta sangrai"), ("Kopi",)),
    _Kbli("10211", 2, ("ikan asin", "ikan teri kering"), ("Ikan Asin",)),
    _Kbli("10212", 2, ("ikan asap",), ("Ikan Asap",)),
    _Kbli("10740", 2, ("mie basah", "mie kering"), ("Mie",)),
    _Kbli("10772", 2, ("bumbu pecel", "bumbu instan"), ("Bumbu",)),
    _Kbli("11052", 2, ("air minum isi ulang",), ("Depot Air",)),
    _Kbli("13134", 4, ("batik tulis", "batik cap"), ("Batik",)),
    _Kbli("13122", 1, ("kain tenun ikat",), ("Tenun",)),
    _Kbli("14111", 6, ("kaos sablon", "seragam sekolah", "gamis"), ("Konveksi", "Garmen")),
    _Kbli("14120", 3, ("jahitan pakaian pesanan",), ("Penjahit", "Tailor")),
    _Kbli("14302", 2, ("mukena bordir", "kerudung bordir"), ("Bordir",)),
    _Kbli("15121", 2, ("tas kulit", "dompet kulit"), ("Tas", "Kulit")),
    _Kbli("15201", 2, ("sandal", "sepatu kulit"), ("Sepatu", "Sandal")),
    _Kbli("16291", 3, ("anyaman bambu", "keranjang rotan"), ("Anyaman",)),
    _Kbli("16293", 2, ("ukiran kayu",), ("Ukir",)),
    _Kbli("18111", 2, ("undangan cetak", "spanduk"), ("Percetakan", "Printing")),
    _Kbli("20231", 1, ("sabun cair",), ("Sabun",)),
    _Kbli("23921", 2, ("batu bata merah",), ("Bata",)),
    _Kbli("23932", 2, ("gerabah", "kendi tanah liat"), ("Gerabah",)),
    _Kbli("23953", 2, ("batako", "paving block"), ("Batako",)),
    _Kbli("25119", 3, ("teralis besi", "pagar besi", "kanopi baja ringan"),
          ("Las", "Bengkel Las")),
    _Kbli("25931", 2, ("cangkul", "parang", "sabit"), ("Pandai Besi",)),
    _Kbli("25992", 1, ("panci aluminium", "wajan"), ("Logam",)),
    _Kbli("31001", 5, ("meja kayu jati", "kursi kayu", "lemari kayu"), ("Mebel", "Furniture")),
    _Kbli("31002", 1, ("kursi rotan",), ("Rotan",)),
    _Kbli("32112", 1, ("perhiasan perak",), ("Perak",)),
    _Kbli("32120", 1, ("aksesori manik-manik",), ("Aksesoris",)),
    _Kbli("33121", 1, ("reparasi mesin pertanian",), ("Bengkel",)),
)
# fmt: on
# Now and then any kelompok of these divisions, so that less common codes show up too.
_GOLONGAN_POKOK_LAIN = ("10", "13", "14", "15", "16", "31", "32")

# fmt: off
_MEREK = (
    "Sumber Rejeki", "Berkah", "Barokah", "Maju Jaya", "Makmur", "Sinar Abadi", "Karya Mandiri",
    "Lestari", "Sejahtera", "Sari Rasa", "Mekar Sari", "Tunas Harapan", "Mitra Usaha", "Sentosa",
    "Jaya Abadi", "Cahaya", "Bintang Timur", "Rizki", "Amanah", "Nusantara", "Mulia",
    "Dua Putri", "Tiga Saudara", "Citra", "Harapan Baru", "Sumber Makmur", "Al Ikhlas",
    "Sinar Jaya", "Putra Mandiri", "Anugerah",
)


@dataclass(frozen=True)
class _KumpulanNama:
    """Given names and family names typical of one region."""

    laki: tuple[str, ...]
    perempuan: tuple[str, ...]
    keluarga: tuple[str, ...]
    p_keluarga: float  # chance that a family name follows the given name
    gelar_haji: bool = True  # "H." / "Hj." prefixes occur


_NAMA: dict[str, _KumpulanNama] = {
    "jawa": _KumpulanNama(
        ("Budi", "Agus", "Slamet", "Sutrisno", "Joko", "Bambang", "Heru", "Eko", "Wahyu",
         "Suparman", "Hadi", "Sugeng", "Teguh", "Rudi", "Yusuf", "Ahmad", "Darto", "Sukardi"),
        ("Siti", "Sri", "Dewi", "Endang", "Ratna", "Wulan", "Yuni", "Rini", "Tri", "Nur",
         "Sumarni", "Suryani", "Anik", "Tutik", "Lestari"),
        ("Santoso", "Wibowo", "Prasetyo", "Setiawan", "Susanto", "Hidayat", "Purnomo",
         "Kurniawan", "Saputra", "Hartono", "Nugroho", "Rahayu", "Wahyuni", "Handayani"),
        0.6),
    "sunda": _KumpulanNama(
        ("Asep", "Ujang", "Dede", "Cecep", "Iwan", "Yayan", "Dadang", "Ade", "Agus", "Encep",
         "Deden", "Ridwan"),
        ("Euis", "Neneng", "Iis", "Siti", "Imas", "Yanti", "Nining", "Cucu", "Eneng", "Rina"),
        ("Sunarya", "Hermawan", "Permana", "Kurnia", "Sopandi", "Suryana", "Rahmat", "Hidayat",
         "Gunawan", "Sumarna", "Nurjanah", "Rohaeti"),
        0.65),
    "batak": _KumpulanNama(
        ("Robert", "Hotman", "Parlindungan", "Togar", "Marulak", "Bonar", "Daniel", "Jhonson",
         "Rizal", "Ahmad", "Poltak", "Benny"),
        ("Rosmawati", "Lince", "Tiurma", "Nurhayati", "Sri", "Melati", "Rosdiana", "Hotnida"),
        ("Siregar", "Nasution", "Simanjuntak", "Harahap", "Lubis", "Sitompul", "Hutagalung",
         "Sinaga", "Pardede", "Tambunan", "Manurung", "Ginting", "Tarigan", "Sembiring"),
        0.95),
    "minang": _KumpulanNama(
        ("Syafrizal", "Rahmat", "Zulkifli", "Afrizal", "Yusrizal", "Hendra", "Irwan", "Dedi",
         "Fauzan", "Rusli"),
        ("Yulia", "Nurhasanah", "Rosmiati", "Yusnidar", "Elfi", "Desi", "Rahmi", "Fitri"),
        ("Chaniago", "Piliang", "Tanjung", "Koto", "Sikumbang", "Syahputra", "Putra", "Yanti"),
        0.5),
    "bugis": _KumpulanNama(
        ("Andi Baso", "Muhammad", "Syamsul", "Rahman", "Baharuddin", "Hasanuddin", "Arifin",
         "Muh. Idris", "Andi Amir", "Jufri", "Ilham"),
        ("Hasnah", "Nurhaedah", "Sitti", "Hasmawati", "Rosdiana", "Nurmiati", "Andi Nurlina",
         "Hadijah", "Marlina"),
        ("Rahim", "Amir", "Latif", "Basri", "Syam", "Mappa", "Tahir", "Hamzah", "Ridwan",
         "Daeng Ngalle"),
        0.6),
    "papua": _KumpulanNama(
        ("Yohanes", "Markus", "Yakob", "Petrus", "Frans", "Simon", "Yulius", "Daniel", "Nikolas"),
        ("Yosina", "Maria", "Martha", "Ester", "Agustina", "Dorkas", "Magdalena", "Yuliana"),
        ("Wenda", "Kambu", "Rumbiak", "Itaar", "Mandowen", "Ohee", "Wanimbo", "Yoku", "Sawaki",
         "Rumkorem", "Hamadi", "Sibi"),
        0.95, gelar_haji=False),
}
_CAMPURAN_NAMA: dict[str, tuple[tuple[str, int], ...]] = {
    "12": (("batak", 85), ("jawa", 15)),
    "13": (("minang", 90), ("jawa", 10)),
    "32": (("sunda", 90), ("jawa", 10)),
    "36": (("sunda", 70), ("jawa", 30)),
    "73": (("bugis", 95), ("jawa", 5)),
    "91": (("papua", 55), ("jawa", 30), ("bugis", 15)),
}
_JALAN = (
    "Merdeka", "Diponegoro", "Sudirman", "Ahmad Yani", "Gatot Subroto", "Pahlawan", "Kartini",
    "Imam Bonjol", "Hasanuddin", "Pattimura", "Veteran", "Cendana", "Melati", "Mawar", "Kenanga",
    "Raya Pasar", "Pemuda", "Gajah Mada", "Teuku Umar", "Dr. Sutomo", "Ki Hajar Dewantara",
    "Perintis Kemerdekaan", "Sam Ratulangi", "Sisingamangaraja", "Masjid", "Pramuka",
)
_DESA = (
    "Sukamaju", "Sukamulya", "Sidomulyo", "Mekarsari", "Tanjungsari", "Karangrejo", "Sumberejo",
    "Margomulyo", "Sindangsari", "Tegalrejo",
)
_PREFIKS_HP = (
    "0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0856", "0857", "0858", "0877",
    "0878", "0881", "0895", "0896",
)

# fmt: on

# --------------------------------------------------------------------------- size rule


def skala_menurut_aturan(tenaga_kerja: int, nilai_investasi: int) -> str:
    """Size class by Permenperin 64/2016, from workers and investment (land/buildings excluded)."""
    if tenaga_kerja <= BATAS_KECIL_TENAGA_KERJA and nilai_investasi < BATAS_KECIL_INVESTASI:
        return "kecil"
    if nilai_investasi <= BATAS_MENENGAH_INVESTASI:
        return "menengah"
    return "besar"


# --------------------------------------------------------------------------- one unit


class _Pembuat:
    """Makes realistic rows; holds the one Random and the NIBs already handed out."""

    def __init__(self, rng: Random, ref: _Referensi) -> None:
        self.rng = rng
        self.ref = ref
        self.nib_terpakai: set[str] = set()
        self.sentra: dict[str, list[str]] = {}
        self._kbli_lain = sorted(
            k
            for k in ref.kbli_kelompok
            if k[:2] in _GOLONGAN_POKOK_LAIN and k not in {x.kode for x in _KBLI_UMUM}
        )

    def nib(self) -> str:
        """A fresh 13-digit NIB, unique across the whole landing zone."""
        while True:
            nib = str(self.rng.choice((8, 9))) + f"{self.rng.randrange(10**12):012d}"
            if nib not in self.nib_terpakai:
                self.nib_terpakai.add(nib)
                return nib

    def unit(self, kode_kabkota: str) -> Baris:
        """One IKM unit located in kode_kabkota, consistent with the size rule."""
        rng = self.rng
        kbli, produk, kata = self._kbli()
        skala = "kecil" if rng.random() < 0.85 else "menengah"
        laki, perempuan, investasi = self._ukuran(skala, kbli)
        perempuan_pemilik = rng.random() < (0.55 if kbli[:2] in ("10", "13", "14") else 0.3)
        depan, nama_pemilik = self._nama_orang(kode_kabkota[:2], perempuan_pemilik)
        siinas = rng.random() < (0.75 if skala == "menengah" else 0.35)
        tkdn = siinas and rng.random() < (0.4 if skala == "menengah" else 0.12)
        baris: Baris = {
            "nib": self.nib(),
            "nama_usaha": self._nama_usaha(kata, depan, perempuan_pemilik, skala),
            "nama_pemilik": nama_pemilik if rng.random() > 0.02 else None,
            "nik_pemilik": self._nik(kode_kabkota, perempuan_pemilik),
            "no_telepon": self._telepon(),
            "alamat": self._alamat(kode_kabkota),
            "kode_kabkota": kode_kabkota,
            "kbli": kbli,
            "produk_utama": produk,
            "skala": skala,
            "tenaga_kerja_laki": laki,
            "tenaga_kerja_perempuan": perempuan,
            "nilai_investasi": investasi,
            "nilai_produksi_setahun": self._produksi(investasi, laki + perempuan),
            "tahun_berdiri": 2023 - min(48, int(rng.expovariate(1 / 9))),
            "terdaftar_siinas": _ya_tidak(siinas),
            "sertifikat_tkdn_ik": _ya_tidak(tkdn),
            "penjualan_online": _ya_tidak(rng.random() < 0.45),
            "kode_sentra": self._sentra(kode_kabkota) if rng.random() < 0.12 else None,
            "tanggal_pendataan": date(2023, 1, 2) + timedelta(days=rng.randrange(362)),
        }
        assert skala_menurut_aturan(laki + perempuan, investasi) == skala
        return baris

    def _kbli(self) -> tuple[str, str, tuple[str, ...]]:
        rng = self.rng
        if rng.random() < 0.08:
            kode = rng.choice(self._kbli_lain)
            return kode, _produk_dari_judul(self.ref.kbli_kelompok[kode]), ()
        pilihan = rng.choices(_KBLI_UMUM, weights=[k.bobot for k in _KBLI_UMUM])[0]
        return pilihan.kode, rng.choice(pilihan.produk), pilihan.kata

    def _ukuran(self, skala: str, kbli: str) -> tuple[int, int, int]:
        """Workers (men, women) and investment that fall in the given size class."""
        rng = self.rng
        if skala == "kecil":
            total = min(BATAS_KECIL_TENAGA_KERJA, 1 + int(rng.expovariate(1 / 3.5)))
            investasi = _log_uniform(rng, 5_000_000, 950_000_000, 100_000)
        elif rng.random() < 0.35:
            total = rng.randint(8, BATAS_KECIL_TENAGA_KERJA)
            investasi = _log_uniform(rng, 1_000_000_000, 14_500_000_000, 1_000_000)
        else:
            total = min(150, 20 + int(rng.expovariate(1 / 25)))
            investasi = _log_uniform(rng, 400_000_000, 14_500_000_000, 1_000_000)
        p_perempuan = {"10": 0.6, "13": 0.65, "14": 0.7}.get(kbli[:2], 0.25)
        perempuan = sum(rng.random() < p_perempuan for _ in range(total))
        return total - perempuan, perempuan, investasi

    def _produksi(self, investasi: int, tenaga_kerja: int) -> int:
        rng = self.rng
        nilai = max(investasi * rng.uniform(0.8, 3.0), tenaga_kerja * rng.uniform(18e6, 60e6))
        return int(round(nilai, -5))

    def _nama_orang(self, kode_provinsi: str, perempuan: bool) -> tuple[str, str]:
        """(given name, full name) drawn from the region's naming customs."""
        rng = self.rng
        campuran = _CAMPURAN_NAMA.get(kode_provinsi, (("jawa", 1),))
        kumpulan = _NAMA[rng.choices([c for c, _ in campuran], [w for _, w in campuran])[0]]
        depan = rng.choice(kumpulan.perempuan if perempuan else kumpulan.laki)
        nama = depan
        if rng.random() < kumpulan.p_keluarga:
            nama = f"{nama} {rng.choice(kumpulan.keluarga)}"
        if kumpulan.gelar_haji and rng.random() < 0.06:
            nama = f"{'Hj.' if perempuan else 'H.'} {nama}"
        return depan.split()[-1], nama

    def _nama_usaha(self, kata: tuple[str, ...], depan: str, perempuan: bool, skala: str) -> str:
        rng = self.rng
        badan = rng.choices(("UD", "CV", "PT"), (6, 3, 1) if skala == "menengah" else (7, 3, 0))[0]
        merek = rng.choice(_MEREK)
        pola = rng.random() if kata else 0.0
        if pola < 0.4:
            return f"{badan} {merek}"
        jenis = rng.choice(kata)
        if pola < 0.7:
            return f"{jenis} {merek}"
        if pola < 0.88:
            return f"{badan} {jenis} {merek}"
        return f"{jenis} {'Bu' if perempuan else 'Pak'} {depan}"

    def _nik(self, kode_kabkota: str, perempuan: bool) -> str | None:
        """16-digit NIK: kab/kota, kecamatan, birth date (day + 40 for women), serial."""
        rng = self.rng
        if rng.random() < 0.08:
            return None
        lahir = date(1955, 1, 1) + timedelta(days=rng.randrange(46 * 365))
        hari = lahir.day + (40 if perempuan else 0)
        kecamatan = rng.randint(1, 20)
        nomor = rng.randint(1, 999)
        return f"{kode_kabkota}{kecamatan:02d}{hari:02d}{lahir:%m%y}{nomor:04d}"

    def _telepon(self) -> str | None:
        rng = self.rng
        if rng.random() < 0.1:
            return None
        digit = rng.randint(6, 9)
        return rng.choice(_PREFIKS_HP) + f"{rng.randrange(10**digit):0{digit}d}"

    def _alamat(self, kode_kabkota: str) -> str:
        rng = self.rng
        nama_kabkota = self.ref.kabkota[kode_kabkota][1]
        kota = nama_kabkota.removeprefix("Kabupaten ").removeprefix("Kota ")
        jalan = f"Jl. {rng.choice(_JALAN)} No. {rng.randint(1, 250)}"
        if rng.random() < 0.5:
            jalan += f" RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 9):03d}"
        if nama_kabkota.startswith("Kabupaten") and rng.random() < 0.6:
            jalan += f", Desa {rng.choice(_DESA)}"
        return f"{jalan}, {kota}"

    def _sentra(self, kode_kabkota: str) -> str:
        """Units of one kab/kota share a handful of IKM centres."""
        if kode_kabkota not in self.sentra:
            nomor = sorted(self.rng.sample(range(1, 40), 3))
            self.sentra[kode_kabkota] = [f"S{kode_kabkota}-{n:03d}" for n in nomor]
        return self.rng.choice(self.sentra[kode_kabkota])


def _ya_tidak(nilai: bool) -> str:
    return "ya" if nilai else "tidak"


def _log_uniform(rng: Random, rendah: int, tinggi: int, bulat: int) -> int:
    """Money spread over orders of magnitude, rounded as people report it."""
    nilai = rendah * (tinggi / rendah) ** rng.random()
    return max(rendah, min(tinggi, int(nilai // bulat) * bulat))


def _produk_dari_judul(judul: str) -> str:
    """A short product phrase from a KBLI title, e.g. 'Industri Kain Rajutan' -> 'kain rajutan'."""
    teks = re.sub(r"^(Industri|Kegiatan|Jasa)\s+", "", judul, flags=re.IGNORECASE)
    return teks.split(",")[0].split(" (")[0].strip().lower()


# --------------------------------------------------------------------------- planted defects


def _cacat_nib_12(_: _Pembuat, baris: Baris) -> str:
    baris["nib"] = baris["nib"][:12]
    return "nib has 12 digits, expected 13"


def _cacat_kbli(_: _Pembuat, baris: Baris) -> str:
    baris["kbli"] = "46100"
    return "kbli 46100 is not manufacturing (KBLI section C)"


# Kota Kendari (Sulawesi Tenggara): a neighbour's code, and no office in this zone covers it.
_KABKOTA_PROVINSI_LAIN = "7471"


def _cacat_kabkota(_: _Pembuat, baris: Baris) -> str:
    baris["kode_kabkota"] = _KABKOTA_PROVINSI_LAIN
    return f"kode_kabkota {_KABKOTA_PROVINSI_LAIN} is in another province than the sending office"


def _jadikan_kecil(pembuat: _Pembuat, baris: Baris) -> None:
    """Reset size fields so the planted defect is the row's only defect."""
    baris["skala"] = "kecil"
    baris["nilai_investasi"] = _log_uniform(pembuat.rng, 20_000_000, 600_000_000, 100_000)


def _cacat_skala(pembuat: _Pembuat, baris: Baris) -> str:
    _jadikan_kecil(pembuat, baris)
    baris["tenaga_kerja_laki"], baris["tenaga_kerja_perempuan"] = 15, 10
    return "skala kecil but 25 workers (size rule gives menengah)"


def _cacat_tanggal(pembuat: _Pembuat, baris: Baris) -> str:
    baris["tanggal_pendataan"] = date(2022, 1, 3) + timedelta(days=pembuat.rng.randrange(360))
    return f"tanggal_pendataan {baris['tanggal_pendataan']:%Y-%m-%d} is outside periode {PERIODE}"


def _cacat_negatif(pembuat: _Pembuat, baris: Baris) -> str:
    _jadikan_kecil(pembuat, baris)
    baris["tenaga_kerja_laki"], baris["tenaga_kerja_perempuan"] = -3, 4
    return "tenaga_kerja_laki is negative"


def _cacat_siinas(_: _Pembuat, baris: Baris) -> str:
    baris["terdaftar_siinas"] = "mungkin"
    baris["sertifikat_tkdn_ik"] = "tidak"
    return "terdaftar_siinas 'mungkin' is not ya/tidak"


_CACAT: dict[str, Callable[[_Pembuat, Baris], str]] = {
    "nib_12_digit": _cacat_nib_12,
    "kbli_bukan_industri": _cacat_kbli,
    "kabkota_provinsi_lain": _cacat_kabkota,
    "skala_tidak_sesuai": _cacat_skala,
    "tanggal_luar_periode": _cacat_tanggal,
    "tenaga_kerja_negatif": _cacat_negatif,
    "siinas_tidak_valid": _cacat_siinas,
}


def _tanam_cacat(pembuat: _Pembuat, rows: list[Baris], jenis: tuple[str, ...]) -> dict[int, str]:
    """Spoil distinct rows in place; return spreadsheet row number (header = 1) -> reason."""
    bebas = list(range(len(rows)))
    pembuat.rng.shuffle(bebas)
    buruk: dict[int, str] = {}
    for cacat in jenis:
        i = bebas.pop()
        if cacat == "nib_ganda":
            j = bebas.pop()
            rows[j]["nib"] = rows[i]["nib"]
            a, b = sorted((i + 2, j + 2))
            buruk[a] = buruk[b] = f"nib duplicated in file (rows {a} and {b})"
        else:
            buruk[i + 2] = _CACAT[cacat](pembuat, rows[i])
    if len(buruk) * 5 >= len(rows):
        raise ValueError("planted defects must stay under 20 % of a file's rows")
    return dict(sorted(buruk.items()))


# --------------------------------------------------------------------------- correction


def _revisi(pembuat: _Pembuat, asli: list[Baris]) -> list[Baris]:
    """The office's corrected register: same kab/kota, some units fixed, dropped or added."""
    rng = pembuat.rng
    rows = [dict(b) for b in asli]
    pilih = rng.sample(range(len(rows)), 18)
    for i in pilih[:10]:
        _ubah_tenaga_kerja(rng, rows[i])
    for i in pilih[10:14]:
        merek = rng.choice(_MEREK)
        rows[i]["nama_usaha"] = f"CV {merek}"
    hapus = set(pilih[14:])
    rows = [b for i, b in enumerate(rows) if i not in hapus]
    for kode_kabkota in dict.fromkeys(b["kode_kabkota"] for b in rows):
        akhir = max(i for i, b in enumerate(rows) if b["kode_kabkota"] == kode_kabkota)
        baru = [pembuat.unit(kode_kabkota) for _ in range(rng.randint(2, 3))]
        rows[akhir + 1 : akhir + 1] = baru
    return rows


def _ubah_tenaga_kerja(rng: Random, baris: Baris) -> None:
    """A recount of workers; the size class follows the rule, as the office would recompute it."""
    laki = max(0, baris["tenaga_kerja_laki"] + rng.choice((-2, -1, 1, 2, 3, 5)))
    if laki + baris["tenaga_kerja_perempuan"] == 0:
        laki = 1
    baris["tenaga_kerja_laki"] = laki
    baris["skala"] = skala_menurut_aturan(
        laki + baris["tenaga_kerja_perempuan"], baris["nilai_investasi"]
    )


# --------------------------------------------------------------------------- writers


def _nilai_csv(nilai: Any) -> str:
    if nilai is None:
        return ""
    if isinstance(nilai, date):
        return nilai.isoformat()
    return str(nilai)


def _tulis_csv(path: Path, kolom: list[str], rows: list[Baris]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(kolom)
        for baris in rows:
            writer.writerow([_nilai_csv(baris[k]) for k in kolom])


def _tulis_xlsx(path: Path, kolom: list[str], rows: list[Baris]) -> None:
    """One sheet, header in row 1; codes as text cells, dates as real Excel dates."""
    wb = Workbook()
    ws = wb.active
    ws.title = JENIS
    ws.append(kolom)
    for baris in rows:
        ws.append([baris[k] for k in kolom])
    for nomor, nama in enumerate(kolom, start=1):
        if nama not in _FORMAT_SEL:
            continue
        for (sel,) in ws.iter_rows(min_row=2, min_col=nomor, max_col=nomor):
            sel.number_format = _FORMAT_SEL[nama]
    wb.properties.creator = "Dinas Perindustrian"
    wb.properties.created = wb.properties.modified = _WAKTU_TETAP
    _simpan_tetap(wb, path)


def _simpan_tetap(wb: Workbook, path: Path) -> None:
    """Save with fixed zip entry times and 'modified' stamp, which openpyxl sets to now."""
    buffer = BytesIO()
    wb.save(buffer)
    stempel = _WAKTU_TETAP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with ZipFile(buffer) as sumber, ZipFile(path, "w", ZIP_DEFLATED) as tujuan:
        for info in sumber.infolist():
            data = sumber.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stempel, data)
            entri = ZipInfo(info.filename, date_time=_ZIP_WAKTU)
            entri.compress_type = ZIP_DEFLATED
            tujuan.writestr(entri, data)


# --------------------------------------------------------------------------- the landing zone


def generate_landing_zone(
    out_dir: Path, reference_dir: Path, seed: int = DEFAULT_SEED
) -> list[SampleFile]:
    """Write the sample landing zone under out_dir; return the files and their expected outcomes."""
    ref = _muat_referensi(Path(reference_dir))
    _periksa_rencana(ref)
    pembuat = _Pembuat(Random(seed), ref)
    ditulis: dict[str, list[Baris]] = {}
    hasil: list[SampleFile] = []
    for rencana in _RENCANA:
        relatif = Path(f"{rencana.tanggal:%Y-%m-%d}") / rencana.kode_wilayah / rencana.nama_file
        if rencana.revisi_dari:
            rows, buruk = _revisi(pembuat, ditulis[rencana.revisi_dari]), {}
        else:
            rows = [pembuat.unit(k) for k, n in rencana.cakupan for _ in range(n)]
            buruk = _tanam_cacat(pembuat, rows, rencana.cacat)
        ditulis[relatif.as_posix()] = rows
        _tulis(Path(out_dir) / relatif, [k for k in KOLOM if k != rencana.tanpa_kolom], rows)
        hasil.append(
            SampleFile(
                relatif, rencana.kode_wilayah, rencana.tanggal, len(rows), buruk, rencana.diharapkan
            )
        )
    return hasil


def _tulis(path: Path, kolom: list[str], rows: list[Baris]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        _tulis_xlsx(path, kolom, rows)
    else:
        _tulis_csv(path, kolom, rows)


# --------------------------------------------------------------------------- command line


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `samples` sub-command: python -m etl samples --out DIR [--seed N]."""
    parser = subparsers.add_parser("samples", help="write a sample unit_ikm landing zone")
    parser.add_argument("--out", required=True, type=Path, help="landing zone root to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--reference-dir",
        type=Path,
        default=Path(os.environ.get("IKM_REFERENCE_DIR", "../shared/reference")),
        help="official code lists (default: $IKM_REFERENCE_DIR or ../shared/reference)",
    )
    parser.set_defaults(func=_jalankan)


def _jalankan(args: argparse.Namespace) -> int:
    try:
        files = generate_landing_zone(args.out, args.reference_dir, args.seed)
    except (OSError, ValueError) as exc:
        print(f"samples: {exc}", file=sys.stderr)
        return 1
    for f in files:
        print(
            f"{f.path.as_posix()}\t{f.jumlah_baris} rows\t{f.diharapkan}"
            f"\t{len(f.baris_buruk)} bad rows"
        )
    print(f"{len(files)} files written under {args.out}")
    return 0
