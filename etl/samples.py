"""Deterministic sample landing zone covering the four submission kinds.

The pipeline, its tests and first-time demos need submissions that look like what regional offices
really send: province and kab/kota offices, CSV, XLSX and JSON, clean files, files with a few bad
rows, a file missing a required column, a late correction, monthly budget reports whose totals only
go wrong across files, and the messy files Excel produces (a `;` Windows-1252 CSV, a title above
the header, Indonesian number, date and flag formats, an old Kemendagri region code). Every file
comes with its expected outcome, so tests can compare the pipeline's verdicts with what was planted.
Same seed, same bytes.

The `unit_ikm` files of the first plan (`_RENCANA`) are drawn first from `Random(seed)`, exactly as
before the other kinds existed; every later group draws from its own `Random`, so adding or changing
one group never shifts the bytes of another.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from random import Random
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Font

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
    """One written submission and the outcome the pipeline should reach for it.

    Row numbers are those the office sees in its own file: the spreadsheet row (header = 1; below
    a title, the Excel row). No JSON sample plants a row-level defect.
    """

    path: Path  # relative to the landing root: <arrival date>/<office>/<file>
    kode_wilayah: str  # the sending office
    tanggal_tiba: date
    jumlah_baris: int  # data rows (records), title and header rows excluded
    baris_buruk: dict[int, str]  # row number -> why the row must be quarantined
    diharapkan: str  # final status once every day is processed in order: diterima |
    # diterima_sebagian | ditolak | digantikan
    jenis: str  # unit_ikm | tenaga_kerja | realisasi_program | peserta_program
    nib_tidak_terdaftar: frozenset[int] = frozenset()  # rows flagged (NIB not in the register)
    # but loaded: never in baris_buruk
    peringatan: frozenset[int] = frozenset()  # rows loaded with a warning (old region code)
    catatan: str = ""  # what is special about the file, for people and test names


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
    golongan_pokok: tuple[str, ...] = ()  # 2-digit KBLI divisions of section C, 10..33
    kode_lama: dict[str, str] = field(default_factory=dict)  # older Kemendagri kab/kota -> today


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
    kbli_semua = _baca_csv(reference_dir / "kbli_industri.csv")
    kbli = {r["kode_kbli"]: r["judul"] for r in kbli_semua if r["tingkat"] == "kelompok"}
    golongan_pokok = tuple(
        sorted(r["kode_kbli"] for r in kbli_semua if r["tingkat"] == "golongan_pokok")
    )
    kode_lama: dict[str, str] = {}
    for r in _baca_csv(reference_dir / "wilayah_padanan_kode.csv"):
        if r["tingkat"] != "kabkota":
            continue
        for lama in (r["kode_kemendagri_2023"], r["kode_kemendagri_2022"]):
            if lama and lama != r["kode_kemendagri"]:
                kode_lama[lama] = r["kode_kemendagri"]
    return _Referensi(kabkota, provinsi, kbli, golongan_pokok, kode_lama)


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
    if ref.golongan_pokok != tuple(str(n) for n in range(10, 34)):
        raise ValueError("kbli_industri.csv: golongan_pokok are not exactly 10..33")
    lama, baru = _KODE_LAMA
    if lama in ref.kabkota or ref.kode_lama.get(lama) != baru:
        raise ValueError(f"wilayah_padanan_kode.csv no longer translates {lama} to {baru}")
    cakupan = [(r.kode_wilayah, tuple(k for k, _ in r.cakupan)) for r in _RENCANA_BERANTAKAN]
    cakupan += [(r.kode_wilayah, r.kabkota) for r in _RENCANA_TK]
    for kode, daftar in cakupan:
        for kode_kabkota in daftar:
            if kode_kabkota not in ref.kabkota or not kode_kabkota.startswith(kode):
                raise ValueError(f"{kode_kabkota} is not a kab/kota of office {kode}")
    kantor_unit = {r.kode_wilayah for r in _RENCANA if not r.tanpa_kolom}
    for satker in _SATKER:
        if satker.kode_wilayah not in kantor_unit:
            raise ValueError(f"satker {satker.kode_satker}: office has no unit_ikm register")


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
    "96": (("papua", 50), ("jawa", 25), ("bugis", 25)),
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


# --------------------------------------------------------------------------- the other kinds

# Column order of the templates (expectations/schemas/<jenis>.json).
KOLOM_TENAGA_KERJA: tuple[str, ...] = (
    "kode_kabkota", "kbli_golongan_pokok", "skala", "jumlah_unit", "tenaga_kerja_laki",
    "tenaga_kerja_perempuan",
)  # fmt: skip
KOLOM_REALISASI: tuple[str, ...] = (
    "kode_satker", "nama_satker", "kode_wilayah", "mekanisme", "fokus", "kegiatan", "pagu",
    "realisasi", "target_output", "capaian_output", "satuan_output",
)  # fmt: skip
KOLOM_PESERTA: tuple[str, ...] = (
    "kode_satker", "fokus", "kegiatan", "nib", "tanggal", "hasil", "nomor_sertifikat",
    "nilai_tkdn_persen", "bintang_ovop",
)  # fmt: skip
KOLOM_PER_JENIS: dict[str, tuple[str, ...]] = {
    JENIS: KOLOM,
    "tenaga_kerja": KOLOM_TENAGA_KERJA,
    "realisasi_program": KOLOM_REALISASI,
    "peserta_program": KOLOM_PESERTA,
}
_FORMAT_PER_JENIS: dict[str, dict[str, str]] = {
    JENIS: _FORMAT_SEL,
    "tenaga_kerja": dict.fromkeys(("kode_kabkota", "kbli_golongan_pokok"), "@"),
    "realisasi_program": dict.fromkeys(("kode_satker", "kode_wilayah"), "@"),
    "peserta_program": {
        **dict.fromkeys(("kode_satker", "nib", "nomor_sertifikat"), "@"),
        "tanggal": "yyyy-mm-dd",
        "nilai_tkdn_persen": "0.00",
    },
}

_TAHUN_PROGRAM = 2024
_BULAN_REALISASI = (1, 2, 3)
_NAMA_BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember")  # fmt: skip

# Arrival days of the later groups. Day 1 (4 March) stays the three unit_ikm files of the first
# plan; monthly reports are due 10 days after their month (realisasi of March by 10 April).
_TIBA_JAN = date(2024, 2, 8)
_TIBA_FEB = date(2024, 3, 8)
_TIBA_MAR = date(2024, 4, 8)
_TIBA_MAR_TELAT = date(2024, 4, 15)  # after the 10 April deadline: late


def _catat(out_dir: Path, tanggal: date, kode_wilayah: str, nama_file: str) -> tuple[Path, Path]:
    """(path relative to the landing root, absolute path with its folder made)."""
    relatif = Path(f"{tanggal:%Y-%m-%d}") / kode_wilayah / nama_file
    penuh = out_dir / relatif
    penuh.parent.mkdir(parents=True, exist_ok=True)
    return relatif, penuh


def _status(jumlah_baris: int, buruk: dict[int, str]) -> str:
    if len(buruk) * 5 > jumlah_baris:
        raise ValueError("planted defects must stay under 20 % of a file's rows")
    return "diterima_sebagian" if buruk else "diterima"


# --------------------------------------------------------------------------- messy unit_ikm files

# Papua Barat Daya (96) got its code in 2025; offices still type the 2023-edition codes. Kota Sorong
# is 9271 in the 2023 edition and 9671 today. 9271 is also Kota Sorong's BPS code, so the old code
# means the same place whichever list the clerk copied it from: translated, never ambiguous.
_KODE_LAMA = ("9271", "9671")


@dataclass(frozen=True)
class _RencanaBerantakan:
    tanggal: date
    kode_wilayah: str
    nama_file: str
    cakupan: tuple[tuple[str, int], ...]
    bentuk: str  # "indonesia" | "cp1252"


_RENCANA_BERANTAKAN: tuple[_RencanaBerantakan, ...] = (
    # Indonesian formats throughout and one row with the 2023-edition code of Kota Sorong.
    _RencanaBerantakan(_TIBA_FEB, "96", "unit_ikm_2023.csv", (("9601", 22), ("9671", 30)),
                       "indonesia"),
    # Excel's "CSV" in an Indonesian Windows: ';' between fields, Windows-1252, CRLF.
    _RencanaBerantakan(date(2024, 3, 11), "3471", "unit_ikm_2023_dari_excel.csv",
                       (("3471", 48),), "cp1252"),
)  # fmt: skip


def _unit_ikm_berantakan(
    out_dir: Path, ref: _Referensi, seed: int, nib_terpakai: set[str]
) -> list[SampleFile]:
    """Correct registers in the forms offices export them; they all load (diterima)."""
    hasil = []
    for rencana in _RENCANA_BERANTAKAN:
        pembuat = _Pembuat(Random(f"{seed}/unit_ikm/{rencana.kode_wilayah}"), ref)
        pembuat.nib_terpakai = nib_terpakai  # NIBs stay unique over the whole zone
        rows = [pembuat.unit(k) for k, n in rencana.cakupan for _ in range(n)]
        relatif, penuh = _catat(out_dir, rencana.tanggal, rencana.kode_wilayah, rencana.nama_file)
        peringatan: frozenset[int] = frozenset()
        if rencana.bentuk == "indonesia":
            lama, baru = _KODE_LAMA
            i = pembuat.rng.choice([i for i, b in enumerate(rows) if b["kode_kabkota"] == baru])
            rows[i]["kode_kabkota"] = lama
            peringatan = frozenset({i + 2})
            _tulis_csv(penuh, list(KOLOM), rows, indonesia=True)
            catatan = (
                f"Indonesian formats (Rp 1.250.000, dd/mm/yyyy, Ya/TIDAK); row {i + 2} has "
                f"kode_kabkota {lama} (Kemendagri 2023) for {baru}"
            )
        else:
            i, j = pembuat.rng.sample(range(len(rows)), 2)
            rows[i]["nama_usaha"] = "UD Sumber Rejéki"
            rows[j]["alamat"] = rows[j]["alamat"].replace(", ", " – ", 1)
            _tulis_csv(penuh, list(KOLOM), rows, pemisah=";", encoding="cp1252", akhir_baris="\r\n")
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


# --------------------------------------------------------------------------- tenaga_kerja

_SKALA_TK = ("kecil", "menengah", "besar")
# Chance that a KBLI division has any industry at all in a kab/kota.
_PELUANG_GOLONGAN = {
    "10": 1.0, "11": 0.8, "12": 0.3, "13": 0.7, "14": 0.95, "15": 0.7, "16": 0.9, "17": 0.4,
    "18": 0.85, "19": 0.05, "20": 0.5, "21": 0.3, "22": 0.7, "23": 0.9, "24": 0.15, "25": 0.9,
    "26": 0.25, "27": 0.3, "28": 0.35, "29": 0.25, "30": 0.3, "31": 0.95, "32": 0.8, "33": 0.7,
}  # fmt: skip
_GOLONGAN_BERAT = frozenset({"19", "24"})  # refineries, basic metals: hardly any small units
_GOLONGAN_PABRIK = frozenset({"12", "13", "14", "15", "20", "22", "24", "26", "29"})
_PEREMPUAN_GOLONGAN = {"10": 0.55, "12": 0.7, "13": 0.6, "14": 0.75, "15": 0.55, "26": 0.5,
                       "32": 0.45}  # fmt: skip


@dataclass(frozen=True)
class _RencanaTk:
    tanggal: date
    kode_wilayah: str
    nama_file: str
    kabkota: tuple[str, ...]
    ukuran: float  # how industrial the area is: scales unit counts
    skala_sedang: bool = False  # plant one row with skala "sedang"
    judul: bool = False  # XLSX with a title row and the office's own header wording


_RENCANA_TK: tuple[_RencanaTk, ...] = (
    _RencanaTk(date(2024, 3, 11), "32", "tenaga_kerja_2023.csv", ("3273", "3204", "3209"), 1.6),
    _RencanaTk(date(2024, 3, 11), "73", "tenaga_kerja_2023.csv", ("7371", "7308", "7302"), 0.8,
               skala_sedang=True),
    _RencanaTk(_TIBA_FEB, "3578", "tenaga_kerja_2023.xlsx", ("3578",), 2.0),
    _RencanaTk(_TIBA_FEB, "1207", "tenaga_kerja_2023_deli_serdang.xlsx", ("1207",), 1.2,
               judul=True),
)  # fmt: skip
_HEADER_TK_KANTOR = [
    "Kode Kab/Kota", "KBLI (Golongan Pokok)", "Skala Usaha", "Jumlah Unit Usaha", "TK Laki-laki",
    "TK Perempuan",
]  # fmt: skip


def _bagi_gender(rng: Random, golongan: str, pekerja: int) -> tuple[int, int]:
    p = _PEREMPUAN_GOLONGAN.get(golongan, 0.25) + rng.uniform(-0.08, 0.08)
    perempuan = round(pekerja * p)
    return pekerja - perempuan, perempuan


def _tenaga_kerja_file(
    rng: Random, ref: _Referensi, rencana: _RencanaTk
) -> tuple[list[Baris], dict[int, str]]:
    """Rows per kab/kota x division x size; large industry sized for an IKM share of 60-70 %."""
    rows: list[Baris] = []
    calon_besar: list[tuple[Baris, float]] = []  # (kecil/menengah row of a division, weight)
    for kode_kabkota in rencana.kabkota:
        kota = ref.kabkota[kode_kabkota][1].startswith("Kota")
        for golongan in ref.golongan_pokok:
            if rng.random() >= _PELUANG_GOLONGAN.get(golongan, 0.3):
                continue  # no industry of this division here
            berat = golongan in _GOLONGAN_BERAT
            peluang = _PELUANG_GOLONGAN.get(golongan, 0.3)
            rendah, tinggi = (2, 40) if peluang < 0.5 else (8, 250) if peluang < 0.85 else (40, 900)
            unit_kecil = 0 if berat else int(_log_uniform(rng, rendah, tinggi, 1) * rencana.ukuran)
            if golongan in ("10", "14", "31") and not berat:
                unit_kecil *= 2 if kota else 3
            baris_gol: list[Baris] = []
            if unit_kecil:
                pekerja = round(unit_kecil * rng.uniform(1.8, 3.8))
                baris_gol.append(_baris_tk(rng, kode_kabkota, golongan, "kecil", unit_kecil,
                                           pekerja))  # fmt: skip
            if rng.random() < (0.3 if berat else 0.75):
                unit = max(1, round(max(unit_kecil, 40) * rng.uniform(0.01, 0.05)))
                pekerja = round(unit * rng.uniform(22, 70))
                baris_gol.append(_baris_tk(rng, kode_kabkota, golongan, "menengah", unit,
                                           pekerja))  # fmt: skip
            if not baris_gol:
                continue
            rows.extend(baris_gol)
            p_besar = 0.8 if berat else 0.55 if golongan in _GOLONGAN_PABRIK else 0.25
            if rng.random() < p_besar:
                bobot = rng.lognormvariate(0, 0.8) * (2.0 if golongan in _GOLONGAN_PABRIK else 1.0)
                calon_besar.append((baris_gol[0], bobot))
    sedang = None
    if rencana.skala_sedang:  # before sizing large industry: its workers are not IKM's
        sedang = rng.choice([b for b in rows if b["skala"] == "menengah"])
        sedang["skala"] = "sedang"
    _tambah_besar(rng, rows, calon_besar)
    buruk = {
        i + 2: "skala 'sedang' is not one of kecil/menengah/besar"
        for i, b in enumerate(rows)
        if b is sedang
    }
    return rows, buruk


def _baris_tk(
    rng: Random, kode_kabkota: str, golongan: str, skala: str, unit: int, pekerja: int
) -> Baris:
    laki, perempuan = _bagi_gender(rng, golongan, pekerja)
    return {
        "kode_kabkota": kode_kabkota,
        "kbli_golongan_pokok": golongan,
        "skala": skala,
        "jumlah_unit": unit,
        "tenaga_kerja_laki": laki,
        "tenaga_kerja_perempuan": perempuan,
    }


def _tambah_besar(rng: Random, rows: list[Baris], calon: list[tuple[Baris, float]]) -> None:
    """Insert 'besar' rows after their division, so that IKM workers make 61-69 % of the file's."""
    ikm = sum(
        b["tenaga_kerja_laki"] + b["tenaga_kerja_perempuan"]
        for b in rows
        if b["skala"] in ("kecil", "menengah")
    )
    bagian = rng.uniform(0.61, 0.69)
    besar_total = round(ikm * (1 - bagian) / bagian)
    jumlah = max(1, min(len(calon), besar_total // 600))
    calon = sorted(calon, key=lambda c: -c[1])[:jumlah]
    total_bobot = sum(w for _, w in calon)
    sisa = besar_total
    for nomor, (dasar, bobot) in enumerate(calon):
        pekerja = sisa if nomor == len(calon) - 1 else round(besar_total * bobot / total_bobot)
        sisa -= pekerja
        unit = max(1, round(pekerja / rng.uniform(250, 900)))
        golongan = dasar["kbli_golongan_pokok"]
        baris = _baris_tk(rng, dasar["kode_kabkota"], golongan, "besar", unit, pekerja)
        akhir = max(
            i
            for i, b in enumerate(rows)
            if (b["kode_kabkota"], b["kbli_golongan_pokok"]) == (dasar["kode_kabkota"], golongan)
        )
        rows.insert(akhir + 1, baris)


def _zona_tenaga_kerja(out_dir: Path, ref: _Referensi, seed: int) -> list[SampleFile]:
    hasil = []
    for rencana in _RENCANA_TK:
        rng = Random(f"{seed}/tenaga_kerja/{rencana.kode_wilayah}")
        rows, buruk = _tenaga_kerja_file(rng, ref, rencana)
        relatif, penuh = _catat(out_dir, rencana.tanggal, rencana.kode_wilayah, rencana.nama_file)
        kolom = list(KOLOM_TENAGA_KERJA)
        catatan = ""
        if rencana.judul:
            # Title in row 1, blank row 2, header row 3: the first data row is Excel row 4.
            buruk = {n + 2: alasan for n, alasan in buruk.items()}
            nama = ref.kabkota[rencana.kabkota[0]][1].upper()
            judul = f"DATA TENAGA KERJA INDUSTRI {nama} TAHUN {PERIODE}"
            _tulis_xlsx(
                penuh, kolom, rows, judul_sheet="TK Industri 2023",
                format_sel=_FORMAT_PER_JENIS["tenaga_kerja"], judul=judul,
                header=_HEADER_TK_KANTOR,
            )  # fmt: skip
            catatan = f"title '{judul}' in row 1, blank row 2, office's own headers in row 3"
        elif penuh.suffix == ".xlsx":
            _tulis_xlsx(
                penuh, kolom, rows, judul_sheet="tenaga_kerja",
                format_sel=_FORMAT_PER_JENIS["tenaga_kerja"],
            )  # fmt: skip
        else:
            _tulis_csv(penuh, kolom, rows)
        _periksa_tenaga_kerja(rows, relatif)
        hasil.append(
            SampleFile(
                relatif, rencana.kode_wilayah, rencana.tanggal, len(rows), buruk,
                _status(len(rows), buruk), "tenaga_kerja", catatan=catatan,
            )
        )  # fmt: skip
    return hasil


def _periksa_tenaga_kerja(rows: list[Baris], relatif: Path) -> None:
    kunci = [(b["kode_kabkota"], b["kbli_golongan_pokok"], b["skala"]) for b in rows]
    if len(set(kunci)) != len(kunci):
        raise ValueError(f"{relatif}: duplicate (kode_kabkota, kbli_golongan_pokok, skala)")
    pekerja = {s: 0 for s in _SKALA_TK}
    for b in rows:
        if b["skala"] in pekerja:
            pekerja[b["skala"]] += b["tenaga_kerja_laki"] + b["tenaga_kerja_perempuan"]
    bagian = (pekerja["kecil"] + pekerja["menengah"]) / sum(pekerja.values())
    if not 0.6 <= bagian <= 0.7:
        raise ValueError(f"{relatif}: IKM share of workers {bagian:.1%} is outside 60-70 %")


# --------------------------------------------------------------------------- programme kinds


@dataclass(frozen=True)
class _Kegiatan:
    """A programme activity as a province would run it; kab/kota budgets are scaled down."""

    fokus: str
    nama: str
    satuan: str
    pagu: int  # typical year ceiling of a province work unit, rupiah
    target: int  # typical yearly output of a province work unit, in satuan


# fmt: off
_KEGIATAN: dict[str, _Kegiatan] = {
    "alat": _Kegiatan("kemiskinan_ekstrem",
                      "Bantuan peralatan produksi bagi IKM di wilayah kemiskinan ekstrem", "IKM",
                      1_250_000_000, 45),
    "latih": _Kegiatan("kemiskinan_ekstrem",
                       "Pelatihan keterampilan produksi bagi warga miskin ekstrem", "orang",
                       600_000_000, 120),
    "siinas": _Kegiatan("siinas", "Pendataan dan pendampingan registrasi IKM ke SIINas", "IKM",
                        450_000_000, 140),
    "tkdn": _Kegiatan("tkdn_ik", "Fasilitasi sertifikasi TKDN IK", "sertifikat", 750_000_000, 60),
    "ovop": _Kegiatan("ovop", "Pembinaan dan kurasi produk unggulan OVOP", "IKM", 500_000_000, 30),
    "sentra": _Kegiatan("ovop", "Revitalisasi sentra IKM unggulan OVOP", "sentra",
                        900_000_000, 2),
    "promosi": _Kegiatan("lainnya", "Fasilitasi promosi dan pameran produk IKM", "IKM",
                         350_000_000, 25),
    "monev": _Kegiatan("lainnya", "Koordinasi, monitoring dan evaluasi program IKM", "laporan",
                       175_000_000, 12),
}
# fmt: on
_SATUAN_PESERTA = frozenset({"IKM", "sertifikat"})  # outputs counted in IKM units served


@dataclass(frozen=True)
class _Satker:
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
_SATKER: tuple[_Satker, ...] = (
    _Satker("32", "320145", "Dinas Perindustrian dan Perdagangan Provinsi Jawa Barat",
            ("alat", "latih", "siinas", "tkdn", "ovop", "sentra", "promosi", "monev"), 1.0,
            (_TIBA_JAN, _TIBA_FEB, _TIBA_MAR_TELAT), "csv", "csv",
            dekonsentrasi=("monev",), lebih_pagu="sentra", nib_baru=2),
    _Satker("73", "730112", "Dinas Perindustrian dan Perdagangan Provinsi Sulawesi Selatan",
            ("alat", "siinas", "tkdn", "ovop", "sentra", "promosi", "monev"), 0.8,
            (_TIBA_JAN, _TIBA_FEB, _TIBA_MAR), "xlsx", "xlsx",
            dekonsentrasi=("monev",), bintang_salah=True),
    _Satker("3578", "357803", "Dinas Perindustrian dan Tenaga Kerja Kota Surabaya",
            ("alat", "siinas", "tkdn", "ovop", "promosi", "monev"), 0.4,
            (_TIBA_JAN, _TIBA_FEB, _TIBA_MAR), "csv", "json", ganti_satuan="alat"),
)
# fmt: on
_TIBA_PESERTA = _TIBA_MAR_TELAT

_ALAT = {
    "10": ("mesin pengemas vakum", "oven gas", "spinner peniris minyak", "mesin giling bumbu"),
    "13": ("alat tenun bukan mesin", "mesin jahit high speed"),
    "14": ("mesin jahit high speed", "mesin obras", "mesin bordir"),
    "16": ("mesin serut kayu", "gergaji mesin"),
    "31": ("mesin serut kayu", "mesin amplas"),
    "25": ("mesin las listrik", "mesin bor duduk"),
}
_PAMERAN = ("INACRAFT 2024", "Pameran Produk IKM Pangan", "Gelar Produk OVOP Tingkat Provinsi",
            "Pameran Hari Jadi Kabupaten/Kota")  # fmt: skip


@dataclass
class _Aktivitas:
    """One activity of one satker over January-March, before it is written month by month."""

    kunci: str
    kegiatan: _Kegiatan
    mekanisme: str
    pagu: int
    target: int
    realisasi: list[int]
    capaian: list[int]
    satuan: list[str]


def _rencana_aktivitas(rng: Random, satker: _Satker) -> list[_Aktivitas]:
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
            _Aktivitas(kunci, keg, mekanisme, pagu, target, realisasi, capaian,
                       [keg.satuan] * 3)
        )  # fmt: skip
    return hasil


def _tulis_menurut_bentuk(
    penuh: Path, jenis: str, rows: list[Baris], bentuk: str, judul_sheet: str
) -> None:
    kolom = list(KOLOM_PER_JENIS[jenis])
    if bentuk == "json":
        _tulis_json(penuh, kolom, rows)
    elif bentuk == "xlsx":
        _tulis_xlsx(
            penuh, kolom, rows, judul_sheet=judul_sheet, format_sel=_FORMAT_PER_JENIS[jenis]
        )
    else:
        _tulis_csv(penuh, kolom, rows)


def _zona_realisasi(
    out_dir: Path, satker: _Satker, aktivitas: list[_Aktivitas], rng: Random
) -> list[SampleFile]:
    """Three monthly reports; the planted cross-file errors sit in March."""
    hasil = []
    for nomor, bulan in enumerate(_BULAN_REALISASI):
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
        nama = f"realisasi_program_{_TAHUN_PROGRAM}-{bulan:02d}.{satker.bentuk}"
        relatif, penuh = _catat(out_dir, tanggal, satker.kode_wilayah, nama)
        _tulis_menurut_bentuk(penuh, "realisasi_program", rows, satker.bentuk, "Realisasi")
        catatan = f"{_NAMA_BULAN[bulan - 1]} {_TAHUN_PROGRAM}"
        if tanggal > date(_TAHUN_PROGRAM, bulan + 1, 10):
            catatan += ", late (after the 10th of the next month)"
        hasil.append(
            SampleFile(
                relatif, satker.kode_wilayah, tanggal, len(rows), buruk,
                _status(len(rows), buruk), "realisasi_program", catatan=catatan,
            )
        )  # fmt: skip
    return hasil


def _pool_peserta(keg: _Kegiatan, register: list[Baris]) -> list[Baris]:
    """Units an activity would serve: not yet in SIINas for data collection, registered ones for
    TKDN IK certification, small units for poverty aid; anyone else otherwise."""
    syarat: dict[str, Callable[[Baris], bool]] = {
        "siinas": lambda b: b["terdaftar_siinas"] == "tidak",
        "tkdn_ik": lambda b: b["terdaftar_siinas"] == "ya",
        "kemiskinan_ekstrem": lambda b: b["skala"] == "kecil",
    }
    cocok = [b for b in register if syarat.get(keg.fokus, lambda _: True)(b)]
    return cocok if len(cocok) >= 40 else register


def _hari_kerja(rng: Random, awal: date, akhir: date) -> date:
    """A weekday between awal and akhir inclusive."""
    hari = [
        awal + timedelta(days=n)
        for n in range((akhir - awal).days + 1)
        if (awal + timedelta(days=n)).weekday() < 5
    ]
    return rng.choice(hari)


def _baris_peserta(
    rng: Random, satker: _Satker, keg: _Kegiatan, unit: Baris, tanggal: date, terbit: bool
) -> Baris:
    baris: Baris = {
        "kode_satker": satker.kode_satker,
        "fokus": keg.fokus,
        "kegiatan": keg.nama,
        "nib": unit["nib"],
        "tanggal": tanggal,
        "hasil": "",
        "nomor_sertifikat": None,
        "nilai_tkdn_persen": None,
        "bintang_ovop": None,
    }
    if keg.fokus == "kemiskinan_ekstrem":
        alat = rng.choice(_ALAT.get(unit["kbli"][:2], ("peralatan produksi",)))
        baris["hasil"] = f"Menerima bantuan {alat}"
    elif keg.fokus == "siinas":
        baris["hasil"] = "Terdaftar di SIINas, laporan industri tahun 2023 terisi"
    elif keg.fokus == "tkdn_ik":
        baris["nilai_tkdn_persen"] = round(rng.uniform(40, 92), 2)
        if terbit:
            baris["hasil"] = "Sertifikat TKDN IK terbit"
            baris["nomor_sertifikat"] = (
                f"TKDN-IK/{tanggal:%Y/%m}/{satker.kode_wilayah}{rng.randrange(10**4):04d}"
            )
        else:
            baris["hasil"] = "Dokumen TKDN IK dalam verifikasi"
    elif keg.fokus == "ovop":
        bintang = rng.choices((1, 2, 3, 4, 5), (1, 4, 5, 3, 1))[0]
        baris["bintang_ovop"] = bintang
        baris["hasil"] = f"Produk dikurasi, bintang OVOP {bintang}"
    else:
        baris["hasil"] = f"Mengikuti {rng.choice(_PAMERAN)}"
    return baris


def _zona_peserta(
    out_dir: Path,
    satker: _Satker,
    aktivitas: list[_Aktivitas],
    register: list[Baris],
    rng: Random,
    nib_baru: Callable[[], str],
) -> SampleFile:
    """The IKM units behind the monthly outputs counted in IKM or certificates, to mid-April."""
    rows: list[Baris] = []
    for akt in aktivitas:
        if akt.kegiatan.satuan not in _SATUAN_PESERTA:
            continue
        pool = _pool_peserta(akt.kegiatan, register)
        per_bulan = [
            c if s == akt.kegiatan.satuan else 0
            for c, s in zip(akt.capaian, akt.satuan, strict=True)
        ]
        tambahan = rng.randint(2, 3) if akt.kegiatan.fokus == "tkdn_ik" else 0
        units = rng.sample(pool, sum(per_bulan) + tambahan)
        isi: list[Baris] = []
        for bulan, jumlah in enumerate(per_bulan, 1):
            akhir = date(_TAHUN_PROGRAM, bulan + 1, 1) - timedelta(days=1)
            for _ in range(jumlah):
                tanggal = _hari_kerja(rng, date(_TAHUN_PROGRAM, bulan, 1), akhir)
                isi.append(
                    _baris_peserta(rng, satker, akt.kegiatan, units[len(isi)], tanggal, True)
                )
        for _ in range(tambahan):  # certificates applied for in April, still being verified
            tanggal = _hari_kerja(
                rng, date(_TAHUN_PROGRAM, 4, 1), _TIBA_PESERTA - timedelta(days=3)
            )
            isi.append(_baris_peserta(rng, satker, akt.kegiatan, units[len(isi)], tanggal, False))
        rows.extend(sorted(isi, key=lambda b: (b["tanggal"], b["nib"])))
    buruk: dict[int, str] = {}
    tidak_terdaftar: set[int] = set()
    if satker.nib_baru:
        calon = [i for i, b in enumerate(rows) if b["fokus"] == "siinas"]
        for i in rng.sample(calon, satker.nib_baru):  # found in the field, on OSS, not registered
            rows[i]["nib"] = nib_baru()
            tidak_terdaftar.add(i + 2)
    if satker.bintang_salah:
        i = rng.choice([i for i, b in enumerate(rows) if b["bintang_ovop"] is not None])
        rows[i]["bintang_ovop"] = 7
        buruk[i + 2] = "bintang_ovop 7 is outside 1-5"
    kunci = [(b["kode_satker"], b["fokus"], b["kegiatan"], b["nib"]) for b in rows]
    if len(set(kunci)) != len(kunci):
        raise ValueError(f"peserta of satker {satker.kode_satker}: duplicate row key")
    nama = f"peserta_program_{_TAHUN_PROGRAM}.{satker.bentuk_peserta}"
    relatif, penuh = _catat(out_dir, _TIBA_PESERTA, satker.kode_wilayah, nama)
    _tulis_menurut_bentuk(penuh, "peserta_program", rows, satker.bentuk_peserta, "Peserta")
    catatan = "JSON array of records" if satker.bentuk_peserta == "json" else ""
    return SampleFile(
        relatif, satker.kode_wilayah, _TIBA_PESERTA, len(rows), buruk,
        _status(len(rows), buruk), "peserta_program",
        nib_tidak_terdaftar=frozenset(tidak_terdaftar), catatan=catatan,
    )  # fmt: skip


def _zona_program(
    out_dir: Path,
    seed: int,
    register: dict[str, list[Baris]],
    nib_baru: Callable[[], str],
) -> list[SampleFile]:
    hasil = []
    for satker in _SATKER:
        rng = Random(f"{seed}/program/{satker.kode_satker}")
        aktivitas = _rencana_aktivitas(rng, satker)
        hasil += _zona_realisasi(out_dir, satker, aktivitas, rng)
        hasil.append(
            _zona_peserta(out_dir, satker, aktivitas, register[satker.kode_wilayah], rng, nib_baru)
        )
    return hasil


def _register_berlaku(
    rencana_ditulis: list[tuple[_Rencana, SampleFile]], ditulis: dict[str, list[Baris]]
) -> dict[str, list[Baris]]:
    """Per office, the units sure to be in the register when peserta arrive, whatever the order
    within a day: loaded rows (not quarantined) of accepted files, and for a corrected register
    only the units both versions hold."""
    per_kantor: dict[str, list[Baris]] = {}
    for rencana, f in rencana_ditulis:
        if f.diharapkan == "ditolak" or rencana.revisi_dari:
            continue
        rows = [b for n, b in enumerate(ditulis[f.path.as_posix()], 2) if n not in f.baris_buruk]
        revisi = next((r for r, _ in rencana_ditulis if r.revisi_dari == f.path.as_posix()), None)
        if revisi is not None:
            jalur = Path(f"{revisi.tanggal:%Y-%m-%d}") / revisi.kode_wilayah / revisi.nama_file
            tetap = {b["nib"] for b in ditulis[jalur.as_posix()]}
            rows = [b for b in rows if b["nib"] in tetap]
        per_kantor.setdefault(f.kode_wilayah, []).extend(rows)
    return per_kantor


# --------------------------------------------------------------------------- writers


def _nilai_csv(nilai: Any) -> str:
    if nilai is None:
        return ""
    if isinstance(nilai, date):
        return nilai.isoformat()
    return str(nilai)


_RUPIAH = frozenset({"nilai_investasi", "nilai_produksi_setahun", "pagu", "realisasi"})


def _nilai_indonesia(kolom: str, nilai: Any) -> str:
    """A value as an Indonesian Excel shows it: 'Rp 1.250.000', '30/05/2023', 'Ya'/'TIDAK'."""
    if nilai is None:
        return ""
    if kolom in _RUPIAH:
        return "Rp " + f"{nilai:,}".replace(",", ".")
    if isinstance(nilai, date):
        return f"{nilai:%d/%m/%Y}"
    if nilai in ("ya", "tidak"):
        return "Ya" if nilai == "ya" else "TIDAK"
    return str(nilai)


def _tulis_csv(
    path: Path,
    kolom: list[str],
    rows: list[Baris],
    *,
    pemisah: str = ",",
    encoding: str = "utf-8",
    akhir_baris: str = "\n",
    indonesia: bool = False,
) -> None:
    """CSV with the header in row 1; encoding errors raise, so a sample never loses characters."""
    teks: Callable[[str, Any], str] = _nilai_indonesia if indonesia else lambda _, v: _nilai_csv(v)
    with path.open("w", encoding=encoding, errors="strict", newline="") as f:
        writer = csv.writer(f, delimiter=pemisah, lineterminator=akhir_baris)
        writer.writerow(kolom)
        for baris in rows:
            writer.writerow([teks(k, baris[k]) for k in kolom])


def _tulis_json(path: Path, kolom: list[str], rows: list[Baris]) -> None:
    """An array of objects keyed by the template's column names, as offices' own systems export."""
    data = [
        {k: (b[k].isoformat() if isinstance(b[k], date) else b[k]) for k in kolom} for b in rows
    ]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _tulis_xlsx(
    path: Path,
    kolom: list[str],
    rows: list[Baris],
    *,
    judul_sheet: str = JENIS,
    format_sel: dict[str, str] = _FORMAT_SEL,
    judul: str | None = None,
    header: list[str] | None = None,
) -> None:
    """One sheet, header in row 1; codes as text cells, dates as real Excel dates.

    With ``judul``, the sheet opens as offices' own workbooks do: a title row merged across the
    table, a blank row, then the header (``header``: the office's own wording) in row 3.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = judul_sheet
    if judul is not None:
        ws.append([judul])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(kolom))
        ws.cell(row=1, column=1).font = Font(bold=True)
        ws.append([None])
    baris_header = ws.max_row + 1 if judul is not None else 1
    ws.append(header or kolom)
    for baris in rows:
        ws.append([baris[k] for k in kolom])
    for nomor, nama in enumerate(kolom, start=1):
        if nama not in format_sel:
            continue
        for (sel,) in ws.iter_rows(min_row=baris_header + 1, min_col=nomor, max_col=nomor):
            sel.number_format = format_sel[nama]
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
    """Write the sample landing zone under out_dir; return the files and their expected outcomes.

    The files come back ordered by arrival day (stable: within a day, in the order of the plans).
    """
    ref = _muat_referensi(Path(reference_dir))
    _periksa_rencana(ref)
    out = Path(out_dir)
    pembuat = _Pembuat(Random(seed), ref)
    ditulis: dict[str, list[Baris]] = {}
    rencana_ditulis: list[tuple[_Rencana, SampleFile]] = []
    for rencana in _RENCANA:
        relatif = Path(f"{rencana.tanggal:%Y-%m-%d}") / rencana.kode_wilayah / rencana.nama_file
        if rencana.revisi_dari:
            rows, buruk = _revisi(pembuat, ditulis[rencana.revisi_dari]), {}
        else:
            rows = [pembuat.unit(k) for k, n in rencana.cakupan for _ in range(n)]
            buruk = _tanam_cacat(pembuat, rows, rencana.cacat)
        ditulis[relatif.as_posix()] = rows
        _tulis(out / relatif, [k for k in KOLOM if k != rencana.tanpa_kolom], rows)
        catatan = ""
        if rencana.tanpa_kolom:
            catatan = f"required column {rencana.tanpa_kolom} missing"
        elif rencana.revisi_dari:
            catatan = f"correction of {rencana.revisi_dari}"
        sample = SampleFile(
            relatif, rencana.kode_wilayah, rencana.tanggal, len(rows), buruk, rencana.diharapkan,
            JENIS, catatan=catatan,
        )  # fmt: skip
        rencana_ditulis.append((rencana, sample))
    hasil = [f for _, f in rencana_ditulis]
    # Every later group draws from its own Random: the files above never change.
    hasil += _unit_ikm_berantakan(out, ref, seed, pembuat.nib_terpakai)
    hasil += _zona_tenaga_kerja(out, ref, seed)
    pembuat_nib = _Pembuat(Random(f"{seed}/nib_baru"), ref)
    pembuat_nib.nib_terpakai = pembuat.nib_terpakai
    register = _register_berlaku(rencana_ditulis, ditulis)
    hasil += _zona_program(out, seed, register, pembuat_nib.nib)
    return sorted(hasil, key=lambda f: f.tanggal_tiba)


def _tulis(path: Path, kolom: list[str], rows: list[Baris]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        _tulis_xlsx(path, kolom, rows)
    else:
        _tulis_csv(path, kolom, rows)


# --------------------------------------------------------------------------- command line


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `samples` sub-command: python -m etl samples --out DIR [--seed N]."""
    parser = subparsers.add_parser(
        "samples", help="write a sample landing zone of the four submission kinds"
    )
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
            f"{f.path.as_posix()}\t{f.jenis}\t{f.jumlah_baris} rows\t{f.diharapkan}"
            f"\t{len(f.baris_buruk)} bad rows\t{len(f.nib_tidak_terdaftar)} flagged"
            f"\t{len(f.peringatan)} warnings"
        )
    print(f"{len(files)} files written under {args.out}")
    return 0
