"""The national landing zone of 2022: every kab/kota's `unit_ikm` register and every province's
`tenaga_kerja` figures, at the published scale (issue 4).

In 2022 Indonesia counted 4,400,000 IKM units employing 12,390,000 people, 66.25 % of the
industrial workforce. `generate_national` writes a landing zone with exactly those totals (or a
fraction of them, for 1 % and 10 % runs), for the benchmark and the national end-to-end test:

- `<tanggal_tiba>/<kode_kabkota>/unit_ikm_2022.csv` for all 514 kab/kota, one row per unit, valid
  against the contract (NIBs unique over the whole set, size class by Permenperin 64/2016);
- `<tanggal_tiba>/<kode_provinsi>/tenaga_kerja_2022.csv` for all 38 provinces, one row per
  kab/kota x KBLI division x size class. Its `kecil`/`menengah` rows are the unit registers summed,
  so IKM workers agree with the registers kab/kota by kab/kota; its `besar` rows carry large
  industry, sized so that the national IKM share rounds to 66.25 %.

Sizes are skewed as real regions are: Java heavy, Papua light. Units are drawn with numpy and the
files formatted with Arrow compute kernels, one kab/kota at a time, so that 4.4 million rows take
seconds and memory stays bounded by the largest kab/kota. Same seed and fraction, same bytes: the
worker counts come from one stream, and every kab/kota draws the rest from its own.

The vocabulary (names, products, streets) is that of :mod:`etl.generators.samples`.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

from etl.contract import kinds
from etl.generators.national.plan import (
    ALUR_BESAR,
    ALUR_NIB,
    DEFAULT_SEED,
    DEFAULT_TANGGAL_TIBA,
    JAWA,
    PAPUA,
    PERIODE,
    TENAGA_KERJA_NASIONAL,
    UNIT_NASIONAL,
    NationalSummary,
    bagi_pekerja,
    besar_untuk_pangsa,
    muat_vokabulari,
    muat_wilayah,
    unit_per_kabkota,
)
from etl.generators.national.registers import nib_acak, nomor_nib, tulis_kabkota
from etl.generators.national.workforce import baris_besar, tulis_tenaga_kerja
from etl.settings import get_settings


def generate_national(
    out_dir: Path,
    reference_dir: Path,
    fraction: float = 1.0,
    seed: int = DEFAULT_SEED,
    tanggal_tiba: date = DEFAULT_TANGGAL_TIBA,
) -> NationalSummary:
    """Write the national 2022 landing zone (or a fraction of it) under out_dir/<tanggal_tiba>/.

    Exactly round(4,400,000 x fraction) units with round(12,390,000 x fraction) workers; large
    industry such that the national IKM share of industrial workers rounds to 66.25 %.
    """
    if not fraction > 0:
        raise ValueError("fraction must be positive")
    reference_dir = Path(reference_dir)
    wilayah = muat_wilayah(reference_dir)
    vok = muat_vokabulari(reference_dir)
    units = round(UNIT_NASIONAL * fraction)
    workers = round(TENAGA_KERJA_NASIONAL * fraction)
    per_kabkota = unit_per_kabkota(wilayah, units, seed)
    pekerja, menengah = bagi_pekerja(units, workers, seed)
    a, b = nib_acak(np.random.default_rng([seed, ALUR_NIB]))

    partisi = Path(out_dir) / f"{tanggal_tiba:%Y-%m-%d}"
    header = tuple(c.nama for c in kinds()["unit_ikm"].columns)
    agregat = np.zeros((len(wilayah.kode), 24, 2, 3), dtype=np.int64)
    ukuran = 0
    awal = 0
    for i, n in enumerate(per_kabkota.tolist()):
        folder = partisi / wilayah.kode[i]
        folder.mkdir(parents=True, exist_ok=True)
        rng_nib = np.random.default_rng([seed, ALUR_NIB, int(wilayah.kode[i])])
        nib = nomor_nib(awal + rng_nib.permutation(n), rng_nib.integers(8, 10, n), a, b)
        irisan = slice(awal, awal + n)
        ditulis, agr = tulis_kabkota(
            folder / f"unit_ikm_{PERIODE}.csv",
            i,
            wilayah,
            vok,
            pekerja[irisan],
            menengah[irisan],
            nib,
            seed,
            header,
        )
        ukuran += ditulis
        agregat[i] = np.stack([agr.unit, agr.laki, agr.perempuan], axis=-1)
        awal += n
    del pekerja, menengah

    ikm = int(agregat[..., 1:].sum())
    if ikm != workers or int(agregat[..., 0].sum()) != units:
        raise AssertionError("unit registers do not add up to the national totals")
    total_besar = besar_untuk_pangsa(ikm)
    rng = np.random.default_rng([seed, ALUR_BESAR])
    besar = baris_besar(rng, agregat, per_kabkota.astype(np.float64), total_besar)
    rows_tk = 0
    for kode_prov in wilayah.kode_provinsi:
        kabkota = [i for i, p in enumerate(wilayah.provinsi) if p == kode_prov]
        folder = partisi / kode_prov
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"tenaga_kerja_{PERIODE}.csv"
        ditulis, rows = tulis_tenaga_kerja(path, kabkota, wilayah, agregat, besar, rng)
        ukuran += ditulis
        rows_tk += rows
    return NationalSummary(
        units=units,
        ikm_workers=ikm,
        industry_workers=ikm + total_besar,
        files=len(wilayah.kode) + len(wilayah.kode_provinsi),
        rows=units + rows_tk,
        bytes=ukuran,
        units_per_kabkota=dict(zip(wilayah.kode, per_kabkota.tolist(), strict=True)),
    )


def generate_register(
    path: Path, reference_dir: Path, kode_kabkota: str, units: int, seed: int = DEFAULT_SEED
) -> int:
    """One kab/kota register of ``units`` rows (e.g. a million, for the memory bound): the same
    rows as the national set draws, national workers per unit. Returns the bytes written."""
    wilayah = muat_wilayah(Path(reference_dir))
    vok = muat_vokabulari(Path(reference_dir))
    i = wilayah.kode.index(kode_kabkota)
    workers = round(units * TENAGA_KERJA_NASIONAL / UNIT_NASIONAL)
    pekerja, menengah = bagi_pekerja(units, workers, seed)
    a, b = nib_acak(np.random.default_rng([seed, ALUR_NIB]))
    rng_nib = np.random.default_rng([seed, ALUR_NIB, int(kode_kabkota)])
    nib = nomor_nib(rng_nib.permutation(units), rng_nib.integers(8, 10, units), a, b)
    header = tuple(c.nama for c in kinds()["unit_ikm"].columns)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    ditulis, _ = tulis_kabkota(Path(path), i, wilayah, vok, pekerja, menengah, nib, seed, header)
    return ditulis


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `national`: python -m etl national --out DIR [--fraction F] [--seed N]."""
    parser = subparsers.add_parser(
        "national", help="write the national 2022 landing zone (4.4 million IKM units)"
    )
    parser.add_argument("--out", required=True, type=Path, help="landing zone root to write")
    parser.add_argument(
        "--fraction", type=float, default=1.0, help="share of the national set (0.01, 0.1, 1)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--tanggal-tiba",
        type=date.fromisoformat,
        default=DEFAULT_TANGGAL_TIBA,
        help="arrival-date partition (default: %(default)s)",
    )
    parser.add_argument(
        "--reference-dir",
        type=Path,
        default=None,
        help="official code lists (default: $IKM_REFERENCE_DIR or ../shared/reference)",
    )
    parser.set_defaults(func=_jalankan)


def _jalankan(args: argparse.Namespace) -> int:
    reference_dir = args.reference_dir or get_settings().reference_dir
    mulai = time.perf_counter()
    try:
        s = generate_national(args.out, reference_dir, args.fraction, args.seed, args.tanggal_tiba)
    except (OSError, ValueError) as exc:
        print(f"nasional: {exc}", file=sys.stderr)
        return 1
    detik = time.perf_counter() - mulai
    print(
        f"{s.units} units, {s.ikm_workers} IKM workers of {s.industry_workers} "
        f"({s.persen_ikm} %), {s.files} files, {s.rows} rows, {s.bytes / 2**20:.1f} MiB "
        f"under {args.out / f'{args.tanggal_tiba:%Y-%m-%d}'} in {detik:.1f} s"
    )
    return 0


__all__ = [
    "JAWA",
    "PAPUA",
    "NationalSummary",
    "besar_untuk_pangsa",
    "generate_national",
    "generate_register",
    "muat_wilayah",
    "register",
    "unit_per_kabkota",
]
