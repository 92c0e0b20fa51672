"""One realistic IKM unit at a time: the template's columns, the size rule of Permenperin
64/2016, and the maker that draws every field of a unit from one seeded ``Random``."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Any

from etl.generators.samples.vocabulary import (
    CAMPURAN_NAMA,
    DESA,
    GOLONGAN_POKOK_LAIN,
    JALAN,
    KBLI_UMUM,
    MEREK,
    NAMA,
    PREFIKS_HP,
    Referensi,
    produk_dari_judul,
)

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


BATAS_KECIL_INVESTASI = 1_000_000_000


BATAS_MENENGAH_INVESTASI = 15_000_000_000


BATAS_KECIL_TENAGA_KERJA = 19


Baris = dict[str, Any]


def skala_menurut_aturan(tenaga_kerja: int, nilai_investasi: int) -> str:
    """Size class by Permenperin 64/2016, from workers and investment (land/buildings excluded)."""
    if tenaga_kerja <= BATAS_KECIL_TENAGA_KERJA and nilai_investasi < BATAS_KECIL_INVESTASI:
        return "kecil"
    if nilai_investasi <= BATAS_MENENGAH_INVESTASI:
        return "menengah"
    return "besar"


class Pembuat:
    """Makes realistic rows; holds the one Random and the NIBs already handed out."""

    def __init__(self, rng: Random, ref: Referensi) -> None:
        self.rng = rng
        self.ref = ref
        self.nib_terpakai: set[str] = set()
        self.sentra: dict[str, list[str]] = {}
        self._kbli_lain = sorted(
            k
            for k in ref.kbli_kelompok
            if k[:2] in GOLONGAN_POKOK_LAIN and k not in {x.kode for x in KBLI_UMUM}
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
            return kode, produk_dari_judul(self.ref.kbli_kelompok[kode]), ()
        pilihan = rng.choices(KBLI_UMUM, weights=[k.bobot for k in KBLI_UMUM])[0]
        return pilihan.kode, rng.choice(pilihan.produk), pilihan.kata

    def _ukuran(self, skala: str, kbli: str) -> tuple[int, int, int]:
        """Workers (men, women) and investment that fall in the given size class."""
        rng = self.rng
        if skala == "kecil":
            total = min(BATAS_KECIL_TENAGA_KERJA, 1 + int(rng.expovariate(1 / 3.5)))
            investasi = log_uniform(rng, 5_000_000, 950_000_000, 100_000)
        elif rng.random() < 0.35:
            total = rng.randint(8, BATAS_KECIL_TENAGA_KERJA)
            investasi = log_uniform(rng, 1_000_000_000, 14_500_000_000, 1_000_000)
        else:
            total = min(150, 20 + int(rng.expovariate(1 / 25)))
            investasi = log_uniform(rng, 400_000_000, 14_500_000_000, 1_000_000)
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
        campuran = CAMPURAN_NAMA.get(kode_provinsi, (("jawa", 1),))
        kumpulan = NAMA[rng.choices([c for c, _ in campuran], [w for _, w in campuran])[0]]
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
        merek = rng.choice(MEREK)
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
        return rng.choice(PREFIKS_HP) + f"{rng.randrange(10**digit):0{digit}d}"

    def _alamat(self, kode_kabkota: str) -> str:
        rng = self.rng
        nama_kabkota = self.ref.kabkota[kode_kabkota][1]
        kota = nama_kabkota.removeprefix("Kabupaten ").removeprefix("Kota ")
        jalan = f"Jl. {rng.choice(JALAN)} No. {rng.randint(1, 250)}"
        if rng.random() < 0.5:
            jalan += f" RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 9):03d}"
        if nama_kabkota.startswith("Kabupaten") and rng.random() < 0.6:
            jalan += f", Desa {rng.choice(DESA)}"
        return f"{jalan}, {kota}"

    def _sentra(self, kode_kabkota: str) -> str:
        """Units of one kab/kota share a handful of IKM centres."""
        if kode_kabkota not in self.sentra:
            nomor = sorted(self.rng.sample(range(1, 40), 3))
            self.sentra[kode_kabkota] = [f"S{kode_kabkota}-{n:03d}" for n in nomor]
        return self.rng.choice(self.sentra[kode_kabkota])


def _ya_tidak(nilai: bool) -> str:
    return "ya" if nilai else "tidak"


def log_uniform(rng: Random, rendah: int, tinggi: int, bulat: int) -> int:
    """Money spread over orders of magnitude, rounded as people report it."""
    nilai = rendah * (tinggi / rendah) ** rng.random()
    return max(rendah, min(tinggi, int(nilai // bulat) * bulat))
