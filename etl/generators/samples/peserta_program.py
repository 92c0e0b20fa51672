"""The ``peserta_program`` files of the sample landing zone: the IKM units each activity served,
drawn from the registers in force, a few outside them (flagged, not quarantined)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from random import Random

from etl.generators.samples.manifest import TAHUN_PROGRAM, SampleFile, status
from etl.generators.samples.realisasi_program import (
    ALAT,
    PAMERAN,
    SATKER,
    SATUAN_PESERTA,
    TIBA_PESERTA,
    Aktivitas,
    Kegiatan,
    Satker,
    rencana_aktivitas,
    tulis_menurut_bentuk,
    zona_realisasi,
)
from etl.generators.samples.unit_ikm import Rencana
from etl.generators.samples.units import Baris
from etl.generators.samples.writers import catat


def _pool_peserta(keg: Kegiatan, register: list[Baris]) -> list[Baris]:
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
    rng: Random, satker: Satker, keg: Kegiatan, unit: Baris, tanggal: date, terbit: bool
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
        alat = rng.choice(ALAT.get(unit["kbli"][:2], ("peralatan produksi",)))
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
        baris["hasil"] = f"Mengikuti {rng.choice(PAMERAN)}"
    return baris


def _zona_peserta(
    out_dir: Path,
    satker: Satker,
    aktivitas: list[Aktivitas],
    register: list[Baris],
    rng: Random,
    nib_baru: Callable[[], str],
) -> SampleFile:
    """The IKM units behind the monthly outputs counted in IKM or certificates, to mid-April."""
    rows: list[Baris] = []
    for akt in aktivitas:
        if akt.kegiatan.satuan not in SATUAN_PESERTA:
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
            akhir = date(TAHUN_PROGRAM, bulan + 1, 1) - timedelta(days=1)
            for _ in range(jumlah):
                tanggal = _hari_kerja(rng, date(TAHUN_PROGRAM, bulan, 1), akhir)
                isi.append(
                    _baris_peserta(rng, satker, akt.kegiatan, units[len(isi)], tanggal, True)
                )
        for _ in range(tambahan):  # certificates applied for in April, still being verified
            tanggal = _hari_kerja(rng, date(TAHUN_PROGRAM, 4, 1), TIBA_PESERTA - timedelta(days=3))
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
    nama = f"peserta_program_{TAHUN_PROGRAM}.{satker.bentuk_peserta}"
    relatif, penuh = catat(out_dir, TIBA_PESERTA, satker.kode_wilayah, nama)
    tulis_menurut_bentuk(penuh, "peserta_program", rows, satker.bentuk_peserta, "Peserta")
    catatan = "JSON array of records" if satker.bentuk_peserta == "json" else ""
    return SampleFile(
        relatif, satker.kode_wilayah, TIBA_PESERTA, len(rows), buruk,
        status(len(rows), buruk), "peserta_program",
        nib_tidak_terdaftar=frozenset(tidak_terdaftar), catatan=catatan,
    )  # fmt: skip


def zona_program(
    out_dir: Path,
    seed: int,
    register: dict[str, list[Baris]],
    nib_baru: Callable[[], str],
) -> list[SampleFile]:
    hasil = []
    for satker in SATKER:
        rng = Random(f"{seed}/program/{satker.kode_satker}")
        aktivitas = rencana_aktivitas(rng, satker)
        hasil += zona_realisasi(out_dir, satker, aktivitas, rng)
        hasil.append(
            _zona_peserta(out_dir, satker, aktivitas, register[satker.kode_wilayah], rng, nib_baru)
        )
    return hasil


def register_berlaku(
    rencana_ditulis: list[tuple[Rencana, SampleFile]], ditulis: dict[str, list[Baris]]
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
