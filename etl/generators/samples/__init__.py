"""Deterministic sample landing zone covering the four submission kinds.

The pipeline, its tests and first-time demos need submissions that look like what regional offices
really send: province and kab/kota offices, CSV, XLSX and JSON, clean files, files with a few bad
rows, a file missing a required column, a late correction, monthly budget reports whose totals only
go wrong across files, and the messy files Excel produces (a `;` Windows-1252 CSV, a title above
the header, Indonesian number, date and flag formats, an old Kemendagri region code). Every file
comes with its expected outcome, so tests can compare the pipeline's verdicts with what was planted.
Same seed, same bytes.

The `unit_ikm` files of the first plan (`RENCANA`) are drawn first from `Random(seed)`, exactly as
before the other kinds existed; every later group draws from its own `Random`, so adding or changing
one group never shifts the bytes of another.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from random import Random

from etl.generators.samples.defects import KABKOTA_PROVINSI_LAIN, revisi, tanam_cacat
from etl.generators.samples.manifest import SampleFile
from etl.generators.samples.peserta_program import register_berlaku, zona_program
from etl.generators.samples.realisasi_program import SATKER
from etl.generators.samples.tenaga_kerja import RENCANA_TK, zona_tenaga_kerja
from etl.generators.samples.unit_ikm import (
    KODE_LAMA,
    RENCANA,
    RENCANA_BERANTAKAN,
    Rencana,
    unit_ikm_berantakan,
)
from etl.generators.samples.units import DEFAULT_SEED, JENIS, KOLOM, Baris, Pembuat
from etl.generators.samples.vocabulary import KBLI_UMUM, Referensi, muat_referensi
from etl.generators.samples.writers import tulis
from etl.settings import get_settings


def _periksa_rencana(ref: Referensi) -> None:
    """Fail loudly if the reference lists changed under the hard-coded plan."""
    for rencana in RENCANA:
        kode = rencana.kode_wilayah
        if kode not in ref.provinsi and kode not in ref.kabkota:
            raise ValueError(f"office {kode} is not in the reference lists")
        for kode_kabkota, _ in rencana.cakupan:
            if kode_kabkota not in ref.kabkota or not kode_kabkota.startswith(kode):
                raise ValueError(f"{kode_kabkota} is not a kab/kota of office {kode}")
    if KABKOTA_PROVINSI_LAIN not in ref.kabkota:
        raise ValueError(f"{KABKOTA_PROVINSI_LAIN} is not in wilayah_kabkota.csv")
    for kbli in KBLI_UMUM:
        if kbli.kode not in ref.kbli_kelompok:
            raise ValueError(f"KBLI {kbli.kode} is not a kelompok in kbli_industri.csv")
    if ref.golongan_pokok != tuple(str(n) for n in range(10, 34)):
        raise ValueError("kbli_industri.csv: golongan_pokok are not exactly 10..33")
    lama, baru = KODE_LAMA
    if lama in ref.kabkota or ref.kode_lama.get(lama) != baru:
        raise ValueError(f"wilayah_padanan_kode.csv no longer translates {lama} to {baru}")
    cakupan = [(r.kode_wilayah, tuple(k for k, _ in r.cakupan)) for r in RENCANA_BERANTAKAN]
    cakupan += [(r.kode_wilayah, r.kabkota) for r in RENCANA_TK]
    for kode, daftar in cakupan:
        for kode_kabkota in daftar:
            if kode_kabkota not in ref.kabkota or not kode_kabkota.startswith(kode):
                raise ValueError(f"{kode_kabkota} is not a kab/kota of office {kode}")
    kantor_unit = {r.kode_wilayah for r in RENCANA if not r.tanpa_kolom}
    for satker in SATKER:
        if satker.kode_wilayah not in kantor_unit:
            raise ValueError(f"satker {satker.kode_satker}: office has no unit_ikm register")


def generate_landing_zone(
    out_dir: Path, reference_dir: Path, seed: int = DEFAULT_SEED
) -> list[SampleFile]:
    """Write the sample landing zone under out_dir; return the files and their expected outcomes.

    The files come back ordered by arrival day (stable: within a day, in the order of the plans).
    """
    ref = muat_referensi(Path(reference_dir))
    _periksa_rencana(ref)
    out = Path(out_dir)
    pembuat = Pembuat(Random(seed), ref)
    ditulis: dict[str, list[Baris]] = {}
    rencana_ditulis: list[tuple[Rencana, SampleFile]] = []
    for rencana in RENCANA:
        relatif = Path(f"{rencana.tanggal:%Y-%m-%d}") / rencana.kode_wilayah / rencana.nama_file
        if rencana.revisi_dari:
            rows, buruk = revisi(pembuat, ditulis[rencana.revisi_dari]), {}
        else:
            rows = [pembuat.unit(k) for k, n in rencana.cakupan for _ in range(n)]
            buruk = tanam_cacat(pembuat, rows, rencana.cacat)
        ditulis[relatif.as_posix()] = rows
        tulis(out / relatif, [k for k in KOLOM if k != rencana.tanpa_kolom], rows)
        catatan = ""
        if rencana.tanpa_kolom:
            catatan = f"required column {rencana.tanpa_kolom} missing"
        elif rencana.revisi_dari:
            catatan = f"correction of {rencana.revisi_dari}"
        sample = SampleFile(
            relatif, rencana.kode_wilayah, rencana.tanggal, len(rows), buruk, rencana.diharapkan,
            JENIS, catatan=catatan,
        )  # fmt: skip
        rencana_ditulis.append((rencana, sample))
    hasil = [f for _, f in rencana_ditulis]
    # Every later group draws from its own Random: the files above never change.
    hasil += unit_ikm_berantakan(out, ref, seed, pembuat.nib_terpakai)
    hasil += zona_tenaga_kerja(out, ref, seed)
    pembuat_nib = Pembuat(Random(f"{seed}/nib_baru"), ref)
    pembuat_nib.nib_terpakai = pembuat.nib_terpakai
    register = register_berlaku(rencana_ditulis, ditulis)
    hasil += zona_program(out, seed, register, pembuat_nib.nib)
    return sorted(hasil, key=lambda f: f.tanggal_tiba)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `samples` sub-command: python -m etl samples --out DIR [--seed N]."""
    parser = subparsers.add_parser(
        "samples", help="write a sample landing zone of the four submission kinds"
    )
    parser.add_argument("--out", required=True, type=Path, help="landing zone root to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--reference-dir",
        type=Path,
        default=get_settings().reference_dir,
        help="official code lists (default: $IKM_REFERENCE_DIR or ../shared/reference)",
    )
    parser.set_defaults(func=_jalankan)


def _jalankan(args: argparse.Namespace) -> int:
    try:
        files = generate_landing_zone(args.out, args.reference_dir, args.seed)
    except (OSError, ValueError) as exc:
        print(f"samples: {exc}", file=sys.stderr)
        return 1
    for f in files:
        print(
            f"{f.path.as_posix()}\t{f.jenis}\t{f.jumlah_baris} rows\t{f.diharapkan}"
            f"\t{len(f.baris_buruk)} bad rows\t{len(f.nib_tidak_terdaftar)} flagged"
            f"\t{len(f.peringatan)} warnings"
        )
    print(f"{len(files)} files written under {args.out}")
    return 0
