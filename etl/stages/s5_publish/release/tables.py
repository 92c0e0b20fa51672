"""The release's tables: which views of ``publik`` they come from, in which row order, and their
Table Schemas (Frictionless), field by field with bilingual descriptions.

One list of fields per resource serves the CSV writer, the Table Schema and the metadata
statistik (MS-Var), so a column cannot appear in a CSV without being described.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KODE_PROVINSI = "^[0-9]{2}$"
KODE_KABKOTA = "^[0-9]{4}$"
TINGKAT = ("nasional", "provinsi", "kabkota")
SKALA = ("kecil", "menengah", "semua")
ALASAN = ("ambang", "dominasi", "sekunder")


@dataclass(frozen=True)
class Column:
    """One column: its Table Schema type and constraints, and what it means (id / en)."""

    nama: str
    tipe: str  # Table Schema type: string, integer, boolean
    judul: str
    id: str  # Indonesian description
    en: str  # English description
    satuan: str | None = None  # unit of a measure (for MS-Var / MS-Ind)
    wajib: bool = False
    pola: str | None = None
    pilihan: tuple[str, ...] | None = None
    minimum: int | None = None
    ukuran: bool = False  # a measure (an indicator), not a classifier
    klasifikasi: str | None = None

    def table_schema(self) -> dict[str, Any]:
        """The Table Schema field descriptor (strings are never cast: codes stay text)."""
        descriptor: dict[str, Any] = {
            "name": self.nama,
            "type": self.tipe,
            "title": self.judul,
            "description": f"{self.id} / {self.en}",
        }
        constraints: dict[str, Any] = {}
        if self.wajib:
            constraints["required"] = True
        if self.pola:
            constraints["pattern"] = self.pola
        if self.pilihan:
            constraints["enum"] = list(self.pilihan)
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            descriptor["constraints"] = constraints
        return descriptor


@dataclass(frozen=True)
class Table:
    """One tabular resource: a ``publik`` view, the rows of one year, in a stable order."""

    nama: str
    source: str  # the publik view read
    judul: str
    id: str
    en: str
    kolom: tuple[Column, ...]
    kunci: tuple[str, ...]
    urutan: str  # SQL order by: the CSV's rows never change order between builds
    indikator: tuple[str, ...] = field(default=())

    @property
    def path(self) -> str:
        return f"data/{self.nama}.csv"

    @property
    def nama_kolom(self) -> list[str]:
        return [k.nama for k in self.kolom]

    def table_schema(self) -> dict[str, Any]:
        return {
            "fields": [k.table_schema() for k in self.kolom],
            "primaryKey": list(self.kunci),
            "missingValues": [""],
        }


def _ukuran(nama: str, judul: str, id_: str, en: str, satuan: str) -> Column:
    return Column(nama, "integer", judul, id_, en, satuan=satuan, minimum=0, ukuran=True)


_KOSONG = "; kosong bila sel ditekan"
_EMPTY = "; empty when the cell is suppressed"

_TAHUN = Column(
    "tahun",
    "integer",
    "Tahun",
    "Tahun referensi register unit IKM (periode kiriman unit_ikm)",
    "Reference year of the IKM unit registers (period of the unit_ikm submissions)",
    wajib=True,
    minimum=1900,
)
_TINGKAT = Column(
    "tingkat",
    "string",
    "Tingkat wilayah",
    "Tingkat penyajian: nasional, provinsi atau kabkota (kabupaten/kota)",
    "Level of presentation: national, province or regency/city",
    wajib=True,
    pilihan=TINGKAT,
    klasifikasi="tingkat",
)

IKM_PER_WILAYAH = Table(
    nama="ikm_per_wilayah",
    source="publik.ikm_per_wilayah",
    judul="IKM per wilayah dan skala usaha",
    id=(
        "Jumlah unit, tenaga kerja, investasi, produksi, dan unit terdaftar SIINas, bersertifikat "
        "TKDN IK dan berjualan daring dari industri kecil dan menengah, per tingkat wilayah "
        "(nasional, provinsi, kabupaten/kota) dan skala usaha, dengan pengendalian pengungkapan "
        "statistik: nilai sel yang dapat mengungkap satu usaha dikosongkan."
    ),
    en=(
        "Units, workers, investment, production, and units registered in SIINas, holding a TKDN "
        "IK certificate and selling online, of small and medium industry, by level (national, "
        "province, regency/city) and size class, under statistical disclosure control: the "
        "values of a cell that could disclose one enterprise are left empty."
    ),
    kolom=(
        _TAHUN,
        _TINGKAT,
        Column(
            "kode_provinsi",
            "string",
            "Kode provinsi",
            "Kode provinsi Kemendagri (2 digit, teks); kosong di tingkat nasional",
            "Province code (Kemendagri, 2 digits, text); empty at national level",
            pola=KODE_PROVINSI,
            klasifikasi="wilayah",
        ),
        Column(
            "nama_provinsi",
            "string",
            "Nama provinsi",
            "Nama provinsi menurut edisi referensi kode wilayah",
            "Province name as in the reference edition of the region codes",
        ),
        Column(
            "kode_kabkota",
            "string",
            "Kode kabupaten/kota",
            "Kode kabupaten/kota Kemendagri (4 digit, teks); hanya di tingkat kabkota",
            "Regency/city code (Kemendagri, 4 digits, text); at regency/city level only",
            pola=KODE_KABKOTA,
            klasifikasi="wilayah",
        ),
        Column(
            "nama_kabkota",
            "string",
            "Nama kabupaten/kota",
            "Nama kabupaten/kota menurut edisi referensi kode wilayah",
            "Regency/city name as in the reference edition of the region codes",
        ),
        Column(
            "skala",
            "string",
            "Skala usaha",
            "Skala usaha: kecil, menengah (Permenperin 64/2016) atau semua (jumlah keduanya)",
            "Size class: small, medium (Permenperin 64/2016) or semua (both together)",
            wajib=True,
            pilihan=SKALA,
            klasifikasi="skala",
        ),
        Column(
            "jumlah_unit",
            "integer",
            "Jumlah unit",
            "Jumlah unit IKM dalam register yang berlaku; selalu diterbitkan",
            "Number of IKM units in the registers in force; always published",
            satuan="unit usaha",
            wajib=True,
            minimum=0,
            ukuran=True,
        ),
        _ukuran(
            "tenaga_kerja_laki",
            "Tenaga kerja laki-laki",
            "Tenaga kerja laki-laki unit IKM" + _KOSONG,
            "Male workers of the IKM units" + _EMPTY,
            "orang",
        ),
        _ukuran(
            "tenaga_kerja_perempuan",
            "Tenaga kerja perempuan",
            "Tenaga kerja perempuan unit IKM" + _KOSONG,
            "Female workers of the IKM units" + _EMPTY,
            "orang",
        ),
        _ukuran(
            "tenaga_kerja",
            "Tenaga kerja",
            "Seluruh tenaga kerja (laki-laki + perempuan)" + _KOSONG,
            "All workers (male + female)" + _EMPTY,
            "orang",
        ),
        _ukuran(
            "nilai_investasi",
            "Nilai investasi",
            "Nilai investasi, tanpa tanah dan bangunan" + _KOSONG,
            "Investment, land and buildings excluded" + _EMPTY,
            "rupiah",
        ),
        _ukuran(
            "nilai_produksi",
            "Nilai produksi",
            "Nilai produksi setahun" + _KOSONG,
            "Yearly production value" + _EMPTY,
            "rupiah",
        ),
        _ukuran(
            "unit_terdaftar_siinas",
            "Unit terdaftar SIINas",
            "Unit yang terdaftar di SIINas (Sistem Informasi Industri Nasional)" + _KOSONG,
            "Units registered in SIINas (the national industry information system)" + _EMPTY,
            "unit usaha",
        ),
        _ukuran(
            "unit_bersertifikat_tkdn_ik",
            "Unit bersertifikat TKDN IK",
            "Unit yang memiliki sertifikat TKDN IK (tingkat komponen dalam negeri industri kecil)"
            + _KOSONG,
            "Units holding a TKDN IK (local content, small industry) certificate" + _EMPTY,
            "unit usaha",
        ),
        _ukuran(
            "unit_penjualan_online",
            "Unit berjualan daring",
            "Unit yang berjualan daring (online)" + _KOSONG,
            "Units selling online" + _EMPTY,
            "unit usaha",
        ),
        Column(
            "ditekan",
            "boolean",
            "Ditekan",
            "Apakah nilai sel ini ditekan (dikosongkan) oleh pengendalian pengungkapan",
            "Whether the cell's values are suppressed by disclosure control",
            wajib=True,
        ),
        Column(
            "alasan_penekanan",
            "string",
            "Alasan penekanan",
            "Alasan penekanan: ambang (kurang dari ambang unit), dominasi (1-2 unit terbesar "
            "menguasai nilainya), sekunder (agar sel lain tidak dapat dihitung kembali); kosong "
            "bila diterbitkan",
            "Why suppressed: ambang (fewer units than the threshold), dominasi (the largest 1-2 "
            "units dominate), sekunder (so that no other cell can be recovered); empty when "
            "published",
            pilihan=ALASAN,
            klasifikasi="penekanan",
        ),
        Column(
            "edisi_referensi",
            "string",
            "Edisi referensi wilayah",
            "Edisi daftar kode wilayah Kemendagri yang menempatkan kab/kota pada tahun itu",
            "Edition of the Kemendagri region code list that places the regency/city that year",
        ),
    ),
    kunci=("tahun", "tingkat", "kode_provinsi", "kode_kabkota", "skala"),
    urutan=(
        "array_position(array['nasional', 'provinsi', 'kabkota'], tingkat), "
        "kode_provinsi nulls first, kode_kabkota nulls first, "
        "array_position(array['kecil', 'menengah', 'semua'], skala)"
    ),
)

RINGKASAN_PENEKANAN = Table(
    nama="ringkasan_penekanan",
    source="publik.ringkasan_penekanan",
    judul="Ringkasan penekanan sel",
    id="Jumlah sel tabel ikm_per_wilayah per tingkat wilayah dan alasan penekanan.",
    en="Cells of the table ikm_per_wilayah by level and suppression reason.",
    kolom=(
        _TAHUN,
        _TINGKAT,
        Column(
            "alasan_penekanan",
            "string",
            "Alasan penekanan",
            "Alasan penekanan (ambang, dominasi, sekunder); kosong untuk sel yang diterbitkan",
            "Suppression reason (ambang, dominasi, sekunder); empty for the published cells",
            pilihan=ALASAN,
            klasifikasi="penekanan",
        ),
        Column(
            "jumlah_sel",
            "integer",
            "Jumlah sel",
            "Jumlah sel tabel ikm_per_wilayah",
            "Number of cells of the table ikm_per_wilayah",
            satuan="sel",
            wajib=True,
            minimum=0,
            ukuran=True,
        ),
    ),
    kunci=("tahun", "tingkat", "alasan_penekanan"),
    urutan=(
        "array_position(array['nasional', 'provinsi', 'kabkota'], tingkat), "
        "array_position(array['ambang', 'dominasi', 'sekunder'], alasan_penekanan) nulls first"
    ),
)

TABLES: tuple[Table, ...] = (IKM_PER_WILAYAH, RINGKASAN_PENEKANAN)
"""The CSV resources of a release, in the order of ``datapackage.json``."""

NILAI = tuple(k.nama for k in IKM_PER_WILAYAH.kolom if k.ukuran and k.nama != "jumlah_unit")
"""The values that suppression empties (``jumlah_unit`` is always published)."""
