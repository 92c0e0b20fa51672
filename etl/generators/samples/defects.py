"""Defects planted in sample rows (a 12-digit NIB, a KBLI outside manufacturing, a region of
another province, ...) with the reason the pipeline must give, and the office's correction of
an earlier register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from random import Random

from etl.generators.samples.units import PERIODE, Baris, Pembuat, log_uniform, skala_menurut_aturan
from etl.generators.samples.vocabulary import MEREK


def _cacat_nib_12(_: Pembuat, baris: Baris) -> str:
    baris["nib"] = baris["nib"][:12]
    return "nib has 12 digits, expected 13"


def _cacat_kbli(_: Pembuat, baris: Baris) -> str:
    baris["kbli"] = "46100"
    return "kbli 46100 is not manufacturing (KBLI section C)"


# Kota Kendari (Sulawesi Tenggara): a neighbour's code, and no office in this zone covers it.
KABKOTA_PROVINSI_LAIN = "7471"


def _cacat_kabkota(_: Pembuat, baris: Baris) -> str:
    baris["kode_kabkota"] = KABKOTA_PROVINSI_LAIN
    return f"kode_kabkota {KABKOTA_PROVINSI_LAIN} is in another province than the sending office"


def _jadikan_kecil(pembuat: Pembuat, baris: Baris) -> None:
    """Reset size fields so the planted defect is the row's only defect."""
    baris["skala"] = "kecil"
    baris["nilai_investasi"] = log_uniform(pembuat.rng, 20_000_000, 600_000_000, 100_000)


def _cacat_skala(pembuat: Pembuat, baris: Baris) -> str:
    _jadikan_kecil(pembuat, baris)
    baris["tenaga_kerja_laki"], baris["tenaga_kerja_perempuan"] = 15, 10
    return "skala kecil but 25 workers (size rule gives menengah)"


def _cacat_tanggal(pembuat: Pembuat, baris: Baris) -> str:
    baris["tanggal_pendataan"] = date(2022, 1, 3) + timedelta(days=pembuat.rng.randrange(360))
    return f"tanggal_pendataan {baris['tanggal_pendataan']:%Y-%m-%d} is outside periode {PERIODE}"


def _cacat_negatif(pembuat: Pembuat, baris: Baris) -> str:
    _jadikan_kecil(pembuat, baris)
    baris["tenaga_kerja_laki"], baris["tenaga_kerja_perempuan"] = -3, 4
    return "tenaga_kerja_laki is negative"


def _cacat_siinas(_: Pembuat, baris: Baris) -> str:
    baris["terdaftar_siinas"] = "mungkin"
    baris["sertifikat_tkdn_ik"] = "tidak"
    return "terdaftar_siinas 'mungkin' is not ya/tidak"


_CACAT: dict[str, Callable[[Pembuat, Baris], str]] = {
    "nib_12_digit": _cacat_nib_12,
    "kbli_bukan_industri": _cacat_kbli,
    "kabkota_provinsi_lain": _cacat_kabkota,
    "skala_tidak_sesuai": _cacat_skala,
    "tanggal_luar_periode": _cacat_tanggal,
    "tenaga_kerja_negatif": _cacat_negatif,
    "siinas_tidak_valid": _cacat_siinas,
}


def tanam_cacat(pembuat: Pembuat, rows: list[Baris], jenis: tuple[str, ...]) -> dict[int, str]:
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


def revisi(pembuat: Pembuat, asli: list[Baris]) -> list[Baris]:
    """The office's corrected register: same kab/kota, some units fixed, dropped or added."""
    rng = pembuat.rng
    rows = [dict(b) for b in asli]
    pilih = rng.sample(range(len(rows)), 18)
    for i in pilih[:10]:
        _ubah_tenaga_kerja(rng, rows[i])
    for i in pilih[10:14]:
        merek = rng.choice(MEREK)
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
