"""Each province's ``tenaga_kerja`` figures: its kab/kota registers summed by KBLI division and
size class, plus the ``besar`` rows of large industry."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from etl.contract import kinds
from etl.generators.national.plan import (
    MIN_PEKERJA_BESAR,
    PEKERJA_PER_BARIS_BESAR,
    SKALA_TK,
    Wilayah,
)
from etl.generators.samples.tenaga_kerja import GOLONGAN_PABRIK, PEREMPUAN_GOLONGAN


def baris_besar(
    rng: np.random.Generator, agregat: np.ndarray, bobot_kabkota: np.ndarray, total: int
) -> np.ndarray:
    """Large-industry workers per kab/kota x division, summing to total.

    Placed where IKM of that division exist, more in big regions and factory divisions.
    """
    ada = agregat[..., 0].sum(axis=2) > 0  # [kabkota, golongan]: IKM units there
    k_idx, g_idx = np.nonzero(ada)
    pabrik = np.array([2.0 if str(g + 10) in GOLONGAN_PABRIK else 1.0 for g in range(24)])
    bobot = bobot_kabkota[k_idx] ** 1.2 * pabrik[g_idx] * rng.lognormal(0.0, 0.8, len(k_idx))
    jumlah = max(1, min(len(k_idx), total // PEKERJA_PER_BARIS_BESAR))
    pilih = np.sort(rng.choice(len(k_idx), jumlah, replace=False, p=bobot / bobot.sum()))
    dasar = min(MIN_PEKERJA_BESAR, total // jumlah)
    p = bobot[pilih] / bobot[pilih].sum()
    pekerja = dasar + rng.multinomial(total - dasar * jumlah, p)
    hasil = np.zeros(ada.shape, dtype=np.int64)
    hasil[k_idx[pilih], g_idx[pilih]] = pekerja
    return hasil


def tulis_tenaga_kerja(
    path: Path,
    kabkota: list[int],
    wilayah: Wilayah,
    agregat: np.ndarray,
    besar: np.ndarray,
    rng: np.random.Generator,
) -> tuple[int, int]:
    """One province's file: kecil/menengah from the registers, besar as placed; (bytes, rows)."""
    baris: list[tuple[str, str, str, int, int, int]] = []
    for i in kabkota:
        for g in range(24):
            for s in range(2):
                unit, laki, perempuan = agregat[i, g, s]
                if unit:
                    skala = SKALA_TK[s]
                    baris.append((wilayah.kode[i], str(g + 10), skala, unit, laki, perempuan))
            pekerja = int(besar[i, g])
            if pekerja:
                golongan = str(g + 10)
                p = PEREMPUAN_GOLONGAN.get(golongan, 0.25) + rng.uniform(-0.08, 0.08)
                perempuan = int(rng.binomial(pekerja, p))
                unit = max(1, round(pekerja / rng.uniform(250, 900)))
                baris.append(
                    (wilayah.kode[i], golongan, "besar", unit, pekerja - perempuan, perempuan)
                )
    header = tuple(c.nama for c in kinds()["tenaga_kerja"].columns)
    teks = "".join(",".join(str(x) for x in b) + "\n" for b in baris)
    isi = (",".join(header) + "\n" + teks).encode()
    path.write_bytes(isi)
    return len(isi), len(baris)
