"""What the sample rows are made of: the official code lists the samples must agree with, and the
vocabulary of Indonesian small industry (common KBLI codes with their products and shop-sign
words, business names, given and family names by region, streets, villages, phone prefixes)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Referensi:
    """The official code lists the samples must agree with."""

    kabkota: dict[str, tuple[str, str]]  # kode_kabkota -> (kode_provinsi, nama_kabkota)
    provinsi: dict[str, str]
    kbli_kelompok: dict[str, str]  # 5-digit KBLI -> title
    golongan_pokok: tuple[str, ...] = ()  # 2-digit KBLI divisions of section C, 10..33
    kode_lama: dict[str, str] = field(default_factory=dict)  # older Kemendagri kab/kota -> today


def _baca_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def muat_referensi(reference_dir: Path) -> Referensi:
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
    return Referensi(kabkota, provinsi, kbli, golongan_pokok, kode_lama)


@dataclass(frozen=True)
class _Kbli:
    """A KBLI common among IKM, with products and shop-sign words that fit it."""

    kode: str
    bobot: int
    produk: tuple[str, ...]
    kata: tuple[str, ...]


# fmt: off
KBLI_UMUM: tuple[_Kbli, ...] = (
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
GOLONGAN_POKOK_LAIN = ("10", "13", "14", "15", "16", "31", "32")


# fmt: off
MEREK = (
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


NAMA: dict[str, _KumpulanNama] = {
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


CAMPURAN_NAMA: dict[str, tuple[tuple[str, int], ...]] = {
    "12": (("batak", 85), ("jawa", 15)),
    "13": (("minang", 90), ("jawa", 10)),
    "32": (("sunda", 90), ("jawa", 10)),
    "36": (("sunda", 70), ("jawa", 30)),
    "73": (("bugis", 95), ("jawa", 5)),
    "91": (("papua", 55), ("jawa", 30), ("bugis", 15)),
    "96": (("papua", 50), ("jawa", 25), ("bugis", 25)),
}


JALAN = (
    "Merdeka", "Diponegoro", "Sudirman", "Ahmad Yani", "Gatot Subroto", "Pahlawan", "Kartini",
    "Imam Bonjol", "Hasanuddin", "Pattimura", "Veteran", "Cendana", "Melati", "Mawar", "Kenanga",
    "Raya Pasar", "Pemuda", "Gajah Mada", "Teuku Umar", "Dr. Sutomo", "Ki Hajar Dewantara",
    "Perintis Kemerdekaan", "Sam Ratulangi", "Sisingamangaraja", "Masjid", "Pramuka",
)


DESA = (
    "Sukamaju", "Sukamulya", "Sidomulyo", "Mekarsari", "Tanjungsari", "Karangrejo", "Sumberejo",
    "Margomulyo", "Sindangsari", "Tegalrejo",
)


PREFIKS_HP = (
    "0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0856", "0857", "0858", "0877",
    "0878", "0881", "0895", "0896",
)


def produk_dari_judul(judul: str) -> str:
    """A short product phrase from a KBLI title, e.g. 'Industri Kain Rajutan' -> 'kain rajutan'."""
    teks = re.sub(r"^(Industri|Kegiatan|Jasa)\s+", "", judul, flags=re.IGNORECASE)
    return teks.split(",")[0].split(" (")[0].strip().lower()
