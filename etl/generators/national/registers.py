"""One kab/kota's ``unit_ikm`` register: its units drawn with numpy from the kab/kota's own
stream, NIBs unique over the whole set, written as CSV; and what the workforce figures need of
them (workers by KBLI division and size class)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.generators.national.csv_text import gabung, ke_csv, kosongkan, kutip, sebagai_teks
from etl.generators.national.plan import (
    ADA_SENTRA,
    ALUR_UNIT,
    HARI_PENDATAAN,
    HARI_PERTAMA,
    KOSONG_NIK,
    KOSONG_PEMILIK,
    KOSONG_TELEPON,
    LAHIR_PERTAMA,
    MAKS_KECIL,
    PEREMPUAN_UNIT,
    PEREMPUAN_UNIT_LAIN,
    TAHUN,
    Vokabulari,
    Wilayah,
)
from etl.generators.samples.vocabulary import (
    CAMPURAN_NAMA,
    DESA,
    JALAN,
    MEREK,
    PREFIKS_HP,
)


@dataclass(frozen=True)
class _Agregat:
    """A kab/kota's units summed by KBLI division x (kecil, menengah)."""

    unit: np.ndarray  # [24, 2]
    laki: np.ndarray
    perempuan: np.ndarray


def log_uniform(rng: np.random.Generator, rendah: float, tinggi: float, bulat: int, n: int):
    nilai = rendah * (tinggi / rendah) ** rng.random(n)
    return np.clip((nilai // bulat).astype(np.int64) * bulat, int(rendah), int(tinggi))


def _nama_pemilik(rng, u, n: int, vok: Vokabulari, provinsi: str, golongan, sex):
    """Owners' names by the province's name customs, sex, family name and hajj title."""
    campuran = CAMPURAN_NAMA.get(provinsi, (("jawa", 1),))
    grup_idx = np.array([vok.kelompok_nama[c] for c, _ in campuran])
    grup_p = np.array([b for _, b in campuran], dtype=np.float64)
    grup = grup_idx[rng.choice(len(campuran), size=n, p=grup_p / grup_p.sum())]
    depan = (vok.nama_awal[grup, sex] + u[8] * vok.nama_jumlah[grup, sex]).astype(np.int64)
    keluarga = (vok.keluarga_awal[grup] + u[9] * vok.keluarga_jumlah[grup]).astype(np.int64)
    pakai_keluarga = u[10] < vok.p_keluarga[grup]
    haji = vok.gelar_haji[grup] & (u[11] < 0.06)
    gelar = pa.array(["", "H. ", "Hj. "]).take(pa.array(haji * (1 + sex)))
    sambung_keluarga = pc.if_else(
        pa.array(pakai_keluarga), gabung(" ", vok.keluarga.take(pa.array(keluarga))), ""
    )
    nama_pemilik = gabung(gelar, vok.nama.take(pa.array(depan)), sambung_keluarga)
    return kosongkan(nama_pemilik, u[12] < KOSONG_PEMILIK), depan


def _nama_usaha(rng, u, n: int, vok: Vokabulari, menengah, kata, ada_kata, sex, depan):
    """Business names: "UD Berkah", "Keripik Berkah", "CV Keripik Berkah", "Keripik Bu Siti"."""
    badan = np.where(menengah, np.searchsorted([0.6, 0.9], u[13]), (u[13] >= 0.7).astype(int))
    badan_teks = pa.array(["UD", "CV", "PT"]).take(pa.array(badan))
    merek = pa.array(MEREK).take(pa.array(rng.integers(0, len(MEREK), n)))
    jenis = vok.kata.take(pa.array(kata))
    pola = np.where(ada_kata, u[14], 0.0)
    sapaan = pa.array(["Pak", "Bu"]).take(pa.array(sex))
    return pc.case_when(
        pc.make_struct(pa.array(pola < 0.4), pa.array(pola < 0.7), pa.array(pola < 0.88)),
        gabung(badan_teks, " ", merek),
        gabung(jenis, " ", merek),
        gabung(badan_teks, " ", jenis, " ", merek),
        gabung(jenis, " ", sapaan, " ", vok.panggilan.take(pa.array(depan))),
    )


def _nik(rng, u, n: int, kode: str, sex) -> pa.Array:
    """NIK: kab/kota, kecamatan, birth date (day + 40 for women), serial; some left empty."""
    lahir = LAHIR_PERTAMA + rng.integers(0, 46 * 365, n).astype("timedelta64[D]")
    bulan = lahir.astype("datetime64[M]")
    hari = (lahir - bulan).astype(np.int64) + 1 + 40 * sex
    bulan_ke = bulan.astype(np.int64) % 12 + 1
    yy = lahir.astype("datetime64[Y]").astype(np.int64) % 100
    kecamatan = rng.integers(1, 21, n)
    nomor = rng.integers(1, 1000, n)
    nik = (
        int(kode) * 10**12 + kecamatan * 10**10 + hari * 10**8 + bulan_ke * 10**6 + yy * 10**4
    ) + nomor
    return kosongkan(sebagai_teks(nik), u[15] < KOSONG_NIK)


def _telepon(rng, n: int) -> pa.Array:
    """Mobile numbers: 0 + operator prefix + 6-9 digits; some left empty."""
    digit = rng.integers(6, 10, n)
    prefiks = np.array([int(p) for p in PREFIKS_HP], dtype=np.int64)
    hp = prefiks[rng.integers(0, len(prefiks), n)] * 10**digit + rng.integers(0, 10**digit)
    return kosongkan(gabung("0", sebagai_teks(hp)), rng.random(n) < KOSONG_TELEPON)


def _alamat(rng, n: int, kabupaten: bool, nama_wilayah: str) -> pa.Array:
    """Street, number, RT/RW for half of them, a village in a kabupaten, the kab/kota."""
    jalan = pa.array(JALAN).take(pa.array(rng.integers(0, len(JALAN), n)))
    no_rumah = sebagai_teks(rng.integers(1, 251, n))
    rt = pc.utf8_lpad(sebagai_teks(rng.integers(1, 13, n)), 3, "0")
    rw = pc.utf8_lpad(sebagai_teks(rng.integers(1, 10, n)), 3, "0")
    ada_rt = pa.array(rng.random(n) < 0.5)
    rt_rw = pc.if_else(ada_rt, gabung(" RT ", rt, "/RW ", rw), "")
    ada_desa = pa.array(kabupaten & (rng.random(n) < 0.6))
    desa_nama = pa.array(DESA).take(pa.array(rng.integers(0, len(DESA), n)))
    desa = pc.if_else(ada_desa, gabung(", Desa ", desa_nama), "")
    return gabung("Jl. ", jalan, " No. ", no_rumah, rt_rw, desa, ", " + nama_wilayah)


def _sentra(rng, n: int, kode: str) -> pa.Array:
    """IKM centres: a handful per kab/kota, for some of its units."""
    nomor_sentra = np.sort(rng.choice(np.arange(1, 40), 3, replace=False))
    sentra_kode = pa.array([f"S{kode}-{s:03d}" for s in nomor_sentra])
    sentra = sentra_kode.take(pa.array(rng.integers(0, 3, n)))
    return kosongkan(sentra, rng.random(n) >= ADA_SENTRA)


def tulis_kabkota(
    path: Path,
    i: int,
    wilayah: Wilayah,
    vok: Vokabulari,
    pekerja: np.ndarray,
    menengah: np.ndarray,
    nib: np.ndarray,
    seed: int,
    header: tuple[str, ...],
) -> tuple[int, _Agregat]:
    """Write one kab/kota's register; return its bytes and its sums for tenaga_kerja.

    Every draw comes from the kab/kota's own stream, in a fixed order (the helpers are called
    in it): the same seed gives the same bytes."""
    kode = wilayah.kode[i]
    rng = np.random.default_rng([seed, ALUR_UNIT, int(kode)])
    n = len(pekerja)
    w = pekerja.astype(np.int64)
    u = rng.random((16, n))  # uniform draws, one row per use below

    # KBLI, product, workers by sex
    opsi = rng.choice(len(vok.kbli), size=n, p=vok.kbli_p)
    golongan = vok.kbli_golongan[opsi]
    p_perempuan = np.full(24, PEREMPUAN_UNIT_LAIN)
    for g, p in PEREMPUAN_UNIT.items():
        p_perempuan[int(g) - 10] = p
    perempuan = rng.binomial(w, p_perempuan[golongan])
    laki = w - perempuan
    produk = (vok.produk_awal[opsi] + u[0] * vok.produk_jumlah[opsi]).astype(np.int64)
    ada_kata = vok.kata_jumlah[opsi] > 0
    kata = vok.kata_awal[opsi] + (u[1] * np.maximum(1, vok.kata_jumlah[opsi])).astype(np.int64)
    kata = np.where(ada_kata, kata, 0)

    # size: investment by the class the workers allow (Permenperin 64/2016)
    investasi = log_uniform(rng, 5e6, 9.5e8, 100_000, n)
    staf_kecil = menengah & (w <= MAKS_KECIL)
    investasi[staf_kecil] = log_uniform(rng, 1e9, 1.45e10, 1_000_000, int(staf_kecil.sum()))
    staf_besar = menengah & (w > MAKS_KECIL)
    investasi[staf_besar] = log_uniform(rng, 4e8, 1.45e10, 1_000_000, int(staf_besar.sum()))
    kecil = (w <= MAKS_KECIL) & (investasi < 1_000_000_000)
    if not np.array_equal(kecil, ~menengah) or (investasi > 15_000_000_000).any():
        raise AssertionError(f"{kode}: size class does not follow the rule")
    produksi = np.maximum(investasi * (0.8 + 2.2 * u[2]), w * (18e6 + 42e6 * u[3]))
    produksi = (np.round(produksi / 100_000) * 100_000).astype(np.int64)
    tahun = TAHUN - np.minimum(TAHUN - 1970, rng.exponential(9.0, n).astype(np.int64))
    tanggal = HARI_PERTAMA + rng.integers(0, HARI_PENDATAAN, n).astype("timedelta64[D]")

    # flags
    siinas = u[4] < np.where(menengah, 0.75, 0.35)
    tkdn = siinas & (u[5] < np.where(menengah, 0.4, 0.12))
    online = u[6] < 0.45
    ya_tidak = pa.array(["tidak", "ya"])

    sex = (u[7] < np.where(np.isin(golongan, [0, 3, 4]), 0.55, 0.3)).astype(np.int64)
    nama_pemilik, depan = _nama_pemilik(rng, u, n, vok, wilayah.provinsi[i], golongan, sex)
    nama_usaha = _nama_usaha(rng, u, n, vok, menengah, kata, ada_kata, sex, depan)
    nik_teks = _nik(rng, u, n, kode, sex)
    telepon = _telepon(rng, n)
    alamat = _alamat(rng, n, wilayah.kabupaten[i], wilayah.nama[i])
    sentra = _sentra(rng, n, kode)

    kolom = {
        "nib": sebagai_teks(nib),
        "nama_usaha": kutip(nama_usaha),
        "nama_pemilik": kutip(nama_pemilik),
        "nik_pemilik": nik_teks,
        "no_telepon": telepon,
        "alamat": kutip(alamat),
        "kode_kabkota": pa.array([kode] * n, pa.string()),
        "kbli": vok.kbli.take(pa.array(opsi)),
        "produk_utama": kutip(vok.produk.take(pa.array(produk))),
        "skala": pa.array(["kecil", "menengah"]).take(pa.array(menengah.astype(np.int8))),
        "tenaga_kerja_laki": sebagai_teks(laki),
        "tenaga_kerja_perempuan": sebagai_teks(perempuan),
        "nilai_investasi": sebagai_teks(investasi),
        "nilai_produksi_setahun": sebagai_teks(produksi),
        "tahun_berdiri": sebagai_teks(tahun),
        "terdaftar_siinas": ya_tidak.take(pa.array(siinas.astype(np.int8))),
        "sertifikat_tkdn_ik": ya_tidak.take(pa.array(tkdn.astype(np.int8))),
        "penjualan_online": ya_tidak.take(pa.array(online.astype(np.int8))),
        "kode_sentra": sentra,
        "tanggal_pendataan": pc.cast(pa.array(tanggal, pa.date32()), pa.string()),
    }
    ukuran = ke_csv(path, header, [kolom[k] for k in header])

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


def nib_acak(rng: np.random.Generator) -> tuple[int, int]:
    """(a, b) of x -> (a x + b) mod 10**12: a bijection of unit numbers onto 12 digits, so NIBs
    are unique over the whole set without a set of those already handed out."""
    while True:
        a = int(rng.integers(10**11, _NIB_MODULUS))
        if a % 2 and a % 5:  # coprime with 10**12
            return a, int(rng.integers(0, _NIB_MODULUS))


def nomor_nib(nomor: np.ndarray, prefiks: np.ndarray, a: int, b: int) -> np.ndarray:
    """13-digit NIBs: prefix 8/9, then (a * nomor + b) mod 10**12, in int64 without overflow.

    With a = a1 10**6 + a0 and nomor = x1 10**6 + x0, a * nomor mod 10**12 is
    ((a1 x0 + a0 x1) mod 10**6) 10**6 + a0 x0, every term below 2 10**12.
    """
    a1, a0 = divmod(a, 10**6)
    x1, x0 = np.divmod(nomor, 10**6)
    tengah = (a1 * x0 + a0 * x1) % 10**6 * 10**6
    return prefiks * _NIB_MODULUS + (tengah + a0 * x0 + b) % _NIB_MODULUS
