"""The national landing zone of 2022 (issue 4): exact published totals, valid rows, same bytes."""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pytest

from etl.contract import kinds, skala_menurut_aturan
from etl.generators import national
from etl.settings import get_settings

pytestmark = pytest.mark.unit

REFERENCE = get_settings().reference_dir
TIBA = "2023-03-20"
TEKS = ("nib", "nik_pemilik", "no_telepon", "kode_kabkota", "kbli", "kode_sentra")


def _referensi(nama: str) -> list[dict[str, str]]:
    with (REFERENCE / nama).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


KABKOTA = {r["kode_kabkota"]: r["kode_provinsi"] for r in _referensi("wilayah_kabkota.csv")}
PROVINSI = {r["kode_provinsi"] for r in _referensi("wilayah_provinsi.csv")}
KBLI = {r["kode_kbli"] for r in _referensi("kbli_industri.csv") if r["tingkat"] == "kelompok"}


@pytest.fixture(scope="module")
def seribu(tmp_path_factory) -> tuple[Path, national.NationalSummary]:
    """One per mille of the country: 4,400 units."""
    out = tmp_path_factory.mktemp("nasional_0001")
    return out, national.generate_national(out, REFERENCE, fraction=0.001)


@pytest.fixture(scope="module")
def register_seribu(seribu) -> dict[str, pa.Table]:
    """The 514 registers of that set, read once: kode_kabkota -> rows."""
    return _units(seribu[0])


def _units(root: Path) -> dict[str, pa.Table]:
    opsi = pcsv.ConvertOptions(
        column_types=dict.fromkeys(TEKS, pa.string()), strings_can_be_null=True
    )
    return {
        d.name: pcsv.read_csv(d / "unit_ikm_2022.csv", convert_options=opsi)
        for d in sorted((root / TIBA).iterdir())
        if len(d.name) == 4
    }


def _tenaga_kerja(root: Path) -> dict[str, list[dict[str, str]]]:
    hasil = {}
    for d in sorted((root / TIBA).iterdir()):
        if len(d.name) == 2:
            with (d / "tenaga_kerja_2022.csv").open(encoding="utf-8", newline="") as f:
                hasil[d.name] = list(csv.DictReader(f))
    return hasil


def _pekerja(t: pa.Table) -> int:
    return pc.sum(pc.add(t["tenaga_kerja_laki"], t["tenaga_kerja_perempuan"])).as_py()


def _sidik(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.csv"))
    }


def test_published_totals_exactly(seribu, register_seribu):
    _, s = seribu
    assert (s.units, s.ikm_workers) == (4_400, 12_390)
    assert s.persen_ikm == Decimal("66.25")
    assert s.industry_workers == 12_390 + national.besar_untuk_pangsa(12_390)
    units = register_seribu
    assert sum(t.num_rows for t in units.values()) == s.units
    assert sum(_pekerja(t) for t in units.values()) == s.ikm_workers
    assert {k: t.num_rows for k, t in units.items()} == s.units_per_kabkota


def test_one_file_per_kabkota_and_province(seribu):
    root, s = seribu
    files = sorted((root / TIBA).rglob("*"))
    files = [p for p in files if p.is_file()]
    assert len(files) == s.files == 514 + 38
    assert {p.parent.name for p in files if p.name == "unit_ikm_2022.csv"} == set(KABKOTA)
    assert {p.parent.name for p in files if p.name == "tenaga_kerja_2022.csv"} == PROVINSI
    assert sum(p.stat().st_size for p in files) == s.bytes
    tk_rows = sum(len(rows) for rows in _tenaga_kerja(root).values())
    assert s.rows == s.units + tk_rows


def test_every_unit_row_keeps_the_contract(register_seribu):
    header = [c.nama for c in kinds()["unit_ikm"].columns]
    nibs = []
    for kode, t in register_seribu.items():
        assert t.column_names == header
        assert t.num_rows >= 1
        assert set(t["kode_kabkota"].to_pylist()) == {kode}
        assert set(t["kbli"].to_pylist()) <= KBLI
        for nib in t["nib"].to_pylist():
            assert re.fullmatch(r"[0-9]{13}", nib)
        nibs += t["nib"].to_pylist()
        for nik in t["nik_pemilik"].drop_null().to_pylist():
            assert re.fullmatch(r"[0-9]{16}", nik) and nik.startswith(kode)
        for hp in t["no_telepon"].drop_null().to_pylist():
            assert re.fullmatch(r"0[0-9]{9,12}", hp)
        for kolom in ("nama_usaha", "alamat", "produk_utama"):
            assert t[kolom].null_count == 0
        laki, perempuan = t["tenaga_kerja_laki"], t["tenaga_kerja_perempuan"]
        assert pc.min(laki).as_py() >= 0 and pc.min(perempuan).as_py() >= 0
        assert pc.min(pc.add(laki, perempuan)).as_py() >= 1
        assert t["nilai_investasi"].type == t["nilai_produksi_setahun"].type == pa.int64()
        aturan = skala_menurut_aturan(laki, perempuan, t["nilai_investasi"])
        assert aturan.to_pylist() == t["skala"].to_pylist()
        assert 1970 <= pc.min(t["tahun_berdiri"]).as_py() <= pc.max(t["tahun_berdiri"]).as_py()
        assert pc.max(t["tahun_berdiri"]).as_py() <= 2022
        for flag in ("terdaftar_siinas", "sertifikat_tkdn_ik", "penjualan_online"):
            assert set(t[flag].to_pylist()) <= {"ya", "tidak"}
        tanggal = t["tanggal_pendataan"]
        assert tanggal.type == pa.date32()
        assert date(2022, 1, 1) <= pc.min(tanggal).as_py() <= pc.max(tanggal).as_py()
        assert pc.max(tanggal).as_py() <= date(2022, 12, 31)
    assert len(set(nibs)) == len(nibs)


def test_mostly_small_units_and_optional_columns_often_empty(seribu, register_seribu):
    s = seribu[1]
    tables = list(register_seribu.values())
    skala = Counter(x for t in tables for x in t["skala"].to_pylist())
    assert set(skala) == {"kecil", "menengah"}
    assert skala["kecil"] > 0.95 * s.units
    for kolom in ("nik_pemilik", "no_telepon", "kode_sentra"):
        kosong = sum(t[kolom].null_count for t in tables)
        assert 0.05 * s.units < kosong < s.units


def test_tenaga_kerja_agrees_with_the_registers(seribu, register_seribu):
    root, s = seribu
    register: Counter[tuple[str, str, str]] = Counter()
    pekerja_register: Counter[str] = Counter()
    for kode, t in register_seribu.items():
        for kbli, skala in zip(t["kbli"].to_pylist(), t["skala"].to_pylist(), strict=True):
            register[(kode, kbli[:2], skala)] += 1
        pekerja_register[kode] = _pekerja(t)
    header = [c.nama for c in kinds()["tenaga_kerja"].columns]
    tk: Counter[tuple[str, str, str]] = Counter()
    pekerja_ikm: Counter[str] = Counter()
    besar = 0
    for provinsi, rows in _tenaga_kerja(root).items():
        assert list(rows[0]) == header
        kunci = [(r["kode_kabkota"], r["kbli_golongan_pokok"], r["skala"]) for r in rows]
        assert len(set(kunci)) == len(kunci)
        for r in rows:
            assert KABKOTA[r["kode_kabkota"]] == provinsi
            assert 10 <= int(r["kbli_golongan_pokok"]) <= 33
            unit = int(r["jumlah_unit"])
            pekerja = int(r["tenaga_kerja_laki"]) + int(r["tenaga_kerja_perempuan"])
            assert unit >= 1 and pekerja >= unit
            if r["skala"] == "besar":
                besar += pekerja
            else:
                tk[(r["kode_kabkota"], r["kbli_golongan_pokok"], r["skala"])] += unit
                pekerja_ikm[r["kode_kabkota"]] += pekerja
    assert tk == register
    assert pekerja_ikm == pekerja_register
    assert s.ikm_workers + besar == s.industry_workers
    persen = round(Decimal(100 * s.ikm_workers) / Decimal(s.industry_workers), 2)
    assert persen == Decimal("66.25")


def test_java_heavy_papua_light(seribu):
    _, s = seribu

    def jumlah(provinsi: frozenset[str]) -> tuple[int, int]:
        kab = [k for k in s.units_per_kabkota if k[:2] in provinsi]
        return sum(s.units_per_kabkota[k] for k in kab), len(kab)

    jawa, n_jawa = jumlah(national.JAWA)
    papua, n_papua = jumlah(national.PAPUA)
    assert jawa > 0.5 * s.units
    assert jawa > 20 * papua
    assert jawa / n_jawa > 5 * papua / n_papua
    assert min(s.units_per_kabkota.values()) >= 1


def test_command_line_writes_the_same_bytes(seribu, tmp_path, capsys):
    """Same seed and fraction, same bytes; through `python -m etl national`."""
    root = seribu[0]
    parser = argparse.ArgumentParser()
    national.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["national", "--out", str(tmp_path), "--fraction", "0.001", "--seed", "2022"]
    )
    assert args.func(args) == 0
    keluaran = capsys.readouterr().out.strip().splitlines()
    assert len(keluaran) == 1 and "4400 units" in keluaran[0] and "66.25 %" in keluaran[0]
    assert _sidik(tmp_path) == _sidik(root)


def test_one_percent_totals(tmp_path):
    s = national.generate_national(tmp_path, REFERENCE, fraction=0.01, seed=7)
    assert (s.units, s.ikm_workers) == (44_000, 123_900)
    assert s.persen_ikm == Decimal("66.25")
    units = _units(tmp_path)
    assert sum(t.num_rows for t in units.values()) == 44_000
    assert sum(_pekerja(t) for t in units.values()) == 123_900
    nibs = pa.chunked_array([t["nib"] for t in units.values()])
    assert pc.count_distinct(nibs).as_py() == 44_000


@pytest.mark.parametrize("ikm", [1_447, 12_390, 123_900, 1_239_000, 12_390_000, 99_991])
def test_large_industry_makes_the_share_66_25(ikm):
    besar = national.besar_untuk_pangsa(ikm)
    assert round(Decimal(100 * ikm) / Decimal(ikm + besar), 2) == Decimal("66.25")


def test_the_seed_moves_the_regions():
    wilayah = national.muat_wilayah(REFERENCE)
    a = national.unit_per_kabkota(wilayah, 44_000, 1)
    b = national.unit_per_kabkota(wilayah, 44_000, 2)
    assert a.sum() == b.sum() == 44_000
    assert (a != b).any()


def test_too_small_a_fraction_is_refused(tmp_path):
    with pytest.raises(ValueError, match="kab/kota"):
        national.generate_national(tmp_path, REFERENCE, fraction=0.0001)
