"""The ``tenaga_kerja`` files of the sample landing zone: workforce by kab/kota, KBLI division and
size class, the IKM share close to the national 66.25 %, in the offices' own layouts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from random import Random

from etl.generators.samples.manifest import TIBA_FEB, SampleFile, status
from etl.generators.samples.units import PERIODE, Baris, log_uniform
from etl.generators.samples.vocabulary import Referensi
from etl.generators.samples.writers import (
    FORMAT_PER_JENIS,
    KOLOM_TENAGA_KERJA,
    catat,
    tulis_csv,
    tulis_xlsx,
)

_SKALA_TK = ("kecil", "menengah", "besar")


# Chance that a KBLI division has any industry at all in a kab/kota.
_PELUANG_GOLONGAN = {
    "10": 1.0, "11": 0.8, "12": 0.3, "13": 0.7, "14": 0.95, "15": 0.7, "16": 0.9, "17": 0.4,
    "18": 0.85, "19": 0.05, "20": 0.5, "21": 0.3, "22": 0.7, "23": 0.9, "24": 0.15, "25": 0.9,
    "26": 0.25, "27": 0.3, "28": 0.35, "29": 0.25, "30": 0.3, "31": 0.95, "32": 0.8, "33": 0.7,
}  # fmt: skip


_GOLONGAN_BERAT = frozenset({"19", "24"})  # refineries, basic metals: hardly any small units


GOLONGAN_PABRIK = frozenset({"12", "13", "14", "15", "20", "22", "24", "26", "29"})


PEREMPUAN_GOLONGAN = {"10": 0.55, "12": 0.7, "13": 0.6, "14": 0.75, "15": 0.55, "26": 0.5,
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


RENCANA_TK: tuple[_RencanaTk, ...] = (
    _RencanaTk(date(2024, 3, 11), "32", "tenaga_kerja_2023.csv", ("3273", "3204", "3209"), 1.6),
    _RencanaTk(date(2024, 3, 11), "73", "tenaga_kerja_2023.csv", ("7371", "7308", "7302"), 0.8,
               skala_sedang=True),
    _RencanaTk(TIBA_FEB, "3578", "tenaga_kerja_2023.xlsx", ("3578",), 2.0),
    _RencanaTk(TIBA_FEB, "1207", "tenaga_kerja_2023_deli_serdang.xlsx", ("1207",), 1.2,
               judul=True),
)  # fmt: skip


_HEADER_TK_KANTOR = [
    "Kode Kab/Kota", "KBLI (Golongan Pokok)", "Skala Usaha", "Jumlah Unit Usaha", "TK Laki-laki",
    "TK Perempuan",
]  # fmt: skip


def _bagi_gender(rng: Random, golongan: str, pekerja: int) -> tuple[int, int]:
    p = PEREMPUAN_GOLONGAN.get(golongan, 0.25) + rng.uniform(-0.08, 0.08)
    perempuan = round(pekerja * p)
    return pekerja - perempuan, perempuan


def _tenaga_kerja_file(
    rng: Random, ref: Referensi, rencana: _RencanaTk
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
            unit_kecil = 0 if berat else int(log_uniform(rng, rendah, tinggi, 1) * rencana.ukuran)
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
            p_besar = 0.8 if berat else 0.55 if golongan in GOLONGAN_PABRIK else 0.25
            if rng.random() < p_besar:
                bobot = rng.lognormvariate(0, 0.8) * (2.0 if golongan in GOLONGAN_PABRIK else 1.0)
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


def zona_tenaga_kerja(out_dir: Path, ref: Referensi, seed: int) -> list[SampleFile]:
    hasil = []
    for rencana in RENCANA_TK:
        rng = Random(f"{seed}/tenaga_kerja/{rencana.kode_wilayah}")
        rows, buruk = _tenaga_kerja_file(rng, ref, rencana)
        relatif, penuh = catat(out_dir, rencana.tanggal, rencana.kode_wilayah, rencana.nama_file)
        kolom = list(KOLOM_TENAGA_KERJA)
        catatan = ""
        if rencana.judul:
            # Title in row 1, blank row 2, header row 3: the first data row is Excel row 4.
            buruk = {n + 2: alasan for n, alasan in buruk.items()}
            nama = ref.kabkota[rencana.kabkota[0]][1].upper()
            judul = f"DATA TENAGA KERJA INDUSTRI {nama} TAHUN {PERIODE}"
            tulis_xlsx(
                penuh, kolom, rows, judul_sheet="TK Industri 2023",
                format_sel=FORMAT_PER_JENIS["tenaga_kerja"], judul=judul,
                header=_HEADER_TK_KANTOR,
            )  # fmt: skip
            catatan = f"title '{judul}' in row 1, blank row 2, office's own headers in row 3"
        elif penuh.suffix == ".xlsx":
            tulis_xlsx(
                penuh, kolom, rows, judul_sheet="tenaga_kerja",
                format_sel=FORMAT_PER_JENIS["tenaga_kerja"],
            )  # fmt: skip
        else:
            tulis_csv(penuh, kolom, rows)
        _periksa_tenaga_kerja(rows, relatif)
        hasil.append(
            SampleFile(
                relatif, rencana.kode_wilayah, rencana.tanggal, len(rows), buruk,
                status(len(rows), buruk), "tenaga_kerja", catatan=catatan,
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
