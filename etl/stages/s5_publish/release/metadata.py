"""Metadata statistik (Peraturan BPS Nomor 5 Tahun 2020): the activity form (MS-Keg), a
variable form (MS-Var) for every column of every CSV, and an indicator form (MS-Ind) for every
measure, as one JSON file of the package.

Built from the same column list as the CSVs and their Table Schemas (:mod:`.tables`), so the
metadata covers every column by construction; it holds no date, so that it changes only when
the content does.
"""

from __future__ import annotations

from typing import Any

from etl.stages.s5_publish.release.source import Content
from etl.stages.s5_publish.release.tables import TABLES, Column, Table

PATH = "metadata/metadata_statistik.json"
PENYELENGGARA = {
    "instansi": "Kementerian Perindustrian Republik Indonesia",
    "unit_eselon_i": "Direktorat Jenderal Industri Kecil, Menengah, dan Aneka (IKMA)",
    "alamat": "Jl. Jend. Gatot Subroto Kav. 52-53, Jakarta Selatan 12950",
}
KLASIFIKASI_SKALA = (
    "Permenperin Nomor 64 Tahun 2016: kecil = paling banyak 19 tenaga kerja dan investasi kurang "
    "dari Rp1 miliar (tanpa tanah dan bangunan); menengah = paling banyak 19 tenaga kerja dengan "
    "investasi Rp1-15 miliar, atau 20 tenaga kerja atau lebih dengan investasi paling banyak "
    "Rp15 miliar; semua = kecil dan menengah bersama"
)
KBLI = (
    "KBLI 2020 (Klasifikasi Baku Lapangan Usaha Indonesia, Peraturan BPS Nomor 2 Tahun 2020), "
    "kategori C (industri pengolahan), golongan pokok 10-33: cakupan unit yang dihitung"
)


def _wilayah(isi: Content) -> str:
    labels = isi.label_edisi or {}
    editions = ", ".join(
        f"edisi nomor {e}: {labels[e]}" if e in labels else f"edisi nomor {e}"
        for e in isi.edisi_referensi
    )
    return (
        "Kode dan data wilayah administrasi pemerintahan (Kemendagri), edisi referensi yang "
        f"berlaku pada 1 Januari {isi.tahun}: {editions or '-'}"
    )


def klasifikasi(isi: Content) -> dict[str, str]:
    """The classifications a release uses, by the names the columns refer to."""
    return {
        "wilayah": _wilayah(isi),
        "skala": KLASIFIKASI_SKALA,
        "kbli": KBLI,
        "tingkat": "Tingkat penyajian: nasional, provinsi, kabkota (kabupaten/kota)",
        "penekanan": "Alasan penekanan sel: ambang, dominasi, sekunder",
    }


def pengendalian(isi: Content) -> dict[str, Any]:
    """The disclosure rules applied, with the values of the settings the snapshot used."""
    a = isi.aturan
    return {
        "dasar_hukum": (
            "UU Nomor 16 Tahun 1997 tentang Statistik (kerahasiaan data responden); UU Nomor 27 "
            "Tahun 2022 tentang Pelindungan Data Pribadi"
        ),
        "aturan": [
            {
                "nama": "ambang",
                "uraian": (
                    f"Sel dengan kurang dari {a.ambang_unit} unit usaha ditekan (nilainya "
                    "dikosongkan); jumlah unitnya tetap diterbitkan."
                ),
                "ambang_unit": a.ambang_unit,
            },
            {
                "nama": "dominasi",
                "uraian": (
                    f"Sel ditekan bila {a.dominasi_unit} unit terbesarnya menguasai lebih dari "
                    f"{a.nilai()['dominasi_persen']} % nilai investasi atau nilai produksi sel."
                ),
                "dominasi_unit": a.dominasi_unit,
                "dominasi_persen": a.nilai()["dominasi_persen"],
            },
            {
                "nama": "sekunder",
                "uraian": (
                    "Sel lain ikut ditekan sehingga tidak ada nilai yang ditekan dapat dihitung "
                    "kembali dari total baris dan kolom dalam provinsi, total provinsi dan total "
                    "nasional yang diterbitkan."
                ),
            },
        ],
        "pengaturan": a.nilai(),
    }


def _var(tabel: Table, k: Column, isi: Content, classes: dict[str, str]) -> dict[str, Any]:
    tipe = {"integer": "numerik (bilangan bulat)", "boolean": "boolean", "string": "teks"}
    validate = []
    if k.wajib:
        validate.append("wajib terisi")
    if k.pola:
        validate.append(f"pola {k.pola}")
    if k.pilihan:
        validate.append("salah satu dari: " + ", ".join(k.pilihan))
    if k.minimum is not None:
        validate.append(f"paling kecil {k.minimum}")
    return {
        "formulir": "MS-Var",
        "sumber_data": tabel.path,
        "nama_variabel": k.nama,
        "alias": k.judul,
        "konsep": k.judul,
        "definisi": k.id,
        "definition": k.en,
        "referensi_pemilihan": classes[k.klasifikasi] if k.klasifikasi else None,
        "referensi_waktu": f"Tahun {isi.tahun} (register yang berlaku untuk periode {isi.tahun})",
        "tipe_data": tipe[k.tipe],
        "satuan": k.satuan,
        "klasifikasi_isian": list(k.pilihan) if k.pilihan else None,
        "aturan_validasi": "; ".join(validate) or None,
        "kalimat_pertanyaan": None,  # administrative data: no questionnaire
        "akses_umum": True,
    }


_RUMUS = {
    "jumlah_unit": "banyaknya unit IKM dalam register yang berlaku pada sel",
    "tenaga_kerja": "tenaga_kerja_laki + tenaga_kerja_perempuan, dijumlahkan atas unit sel",
    "jumlah_sel": "banyaknya sel tabel ikm_per_wilayah per tingkat dan alasan penekanan",
}


def _ind(tabel: Table, k: Column, isi: Content) -> dict[str, Any]:
    tingkat = "nasional, provinsi, kabupaten/kota" if tabel is TABLES[0] else "nasional"
    rumus = _RUMUS.get(k.nama, f"jumlah {k.nama} seluruh unit IKM pada sel")
    return {
        "formulir": "MS-Ind",
        "sumber_data": tabel.path,
        "nama_indikator": k.judul,
        "kolom": k.nama,
        "konsep": k.judul,
        "definisi": k.id,
        "definition": k.en,
        "interpretasi": (
            f"Semakin besar nilainya, semakin banyak {k.satuan} pada wilayah dan skala itu; "
            "sel kosong berarti ditekan, bukan nol."
            if k.nama != "jumlah_sel"
            else "Banyaknya sel yang diterbitkan atau ditekan oleh setiap aturan."
        ),
        "metode_perhitungan": "penjumlahan (agregasi) data administrasi per sel",
        "rumus": rumus,
        "ukuran": "jumlah",
        "satuan": k.satuan,
        "klasifikasi_penyajian": ["tingkat", "wilayah", "skala"]
        if tabel is TABLES[0]
        else ["tingkat", "penekanan"],
        "indikator_komposit": False,
        "indikator_pembangun": None,
        "variabel_pembangun": [
            {
                "kegiatan_penghasil": "Pendataan IKM (register unit_ikm)",
                "nama_variabel": k.nama
                if k.nama != "tenaga_kerja"
                else "tenaga_kerja_laki, tenaga_kerja_perempuan",
            }
        ],
        "level_estimasi": tingkat,
        "periode_referensi": str(isi.tahun),
        "akses_umum": True,
    }


def ms_keg(isi: Content) -> dict[str, Any]:
    """The activity: an annual compilation of administrative data sent by the regions."""
    return {
        "formulir": "MS-Keg",
        "judul_kegiatan": "Pendataan Industri Kecil dan Menengah (IKM) per wilayah",
        "tahun_kegiatan": isi.tahun,
        "cara_pengumpulan_data": "Pemanfaatan data administrasi (kompilasi produk administrasi)",
        "sektor_kegiatan": "Industri",
        "jenis_statistik": "Statistik sektoral",
        "penyelenggara": PENYELENGGARA,
        "latar_belakang": (
            "Dinas perindustrian 38 provinsi dan 514 kabupaten/kota mendata unit IKM di wilayahnya "
            "dan mengirim register unit_ikm ke Kementerian Perindustrian; data dipublikasikan "
            "sebagai data terbuka sesuai Perpres Nomor 39 Tahun 2019 tentang Satu Data Indonesia."
        ),
        "tujuan_kegiatan": (
            "Menyediakan statistik jumlah unit, tenaga kerja, investasi, produksi dan capaian "
            "program (SIINas, TKDN IK, penjualan daring) IKM per wilayah dan skala usaha."
        ),
        "frekuensi_penyelenggaraan": "Tahunan",
        "tipe_pengumpulan_data": "Cross sectional",
        "cakupan_wilayah": "Seluruh Indonesia (38 provinsi, 514 kabupaten/kota)",
        "metode_pengumpulan_data": (
            "Register unit IKM (satu baris per unit, dengan NIB) dikirim dinas sebagai berkas "
            "CSV/XLSX/JSON; setiap berkas divalidasi (Great Expectations), baris yang salah "
            "dikarantina dan dilaporkan kembali ke dinas."
        ),
        "unit_pengumpulan_data": "Dinas perindustrian provinsi dan kabupaten/kota",
        "unit_analisis": "Unit usaha IKM",
        "tingkat_penyajian": ["nasional", "provinsi", "kabupaten/kota"],
        "periode_referensi": f"Tahun {isi.tahun}",
        "klasifikasi": klasifikasi(isi),
        "edisi_referensi_wilayah": isi.edisi_referensi,
        "pengolahan_data": (
            "Untuk setiap kabupaten/kota dipakai register terakhir yang diterima; unit dijumlahkan "
            "per kabupaten/kota dan skala, lalu per provinsi dan nasional."
        ),
        "pengendalian_pengungkapan": pengendalian(isi),
        "produk_tersedia_untuk_umum": [t.path for t in TABLES],
        "lisensi": "CC-BY-4.0",
    }


def metadata_statistik(isi: Content) -> dict[str, Any]:
    """The three forms of the release: MS-Keg, one MS-Var per column, one MS-Ind per measure."""
    classes = klasifikasi(isi)
    return {
        "standar": "Peraturan BPS Nomor 5 Tahun 2020 tentang Petunjuk Teknis Metadata Statistik",
        "ms_keg": ms_keg(isi),
        "ms_var": [_var(t, k, isi, classes) for t in TABLES for k in t.kolom],
        "ms_ind": [_ind(t, k, isi) for t in TABLES for k in t.kolom if k.ukuran],
    }
