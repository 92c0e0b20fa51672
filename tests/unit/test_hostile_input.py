"""Hostile values at the writers and path checks that need no warehouse: every spreadsheet
cell neutralised, every HTML cell escaped, paths outside the landing or feedback folder refused."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from etl import contract
from etl.stages import s2_extract as extract
from etl.stages import s5_publish as publish
from etl.stages.s5_publish import completeness_report as completeness

pytestmark = pytest.mark.unit

FORMULAS = ['=HYPERLINK("http://x","k")', "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
HTML = "<script>alert('ikm')</script><img src=x onerror=alert(1)>"


@pytest.mark.parametrize("value", FORMULAS)
def test_neutralise_makes_every_formula_start_text(value: str) -> None:
    assert publish.neutralise(value) == "'" + value
    assert publish.neutralise("UD Maju") == "UD Maju" and publish.neutralise(None) == ""


def test_the_completeness_report_escapes_html_and_neutralises_formulas(tmp_path, monkeypatch):
    row = dict.fromkeys(completeness.COLUMNS, 0) | {
        "jenis": "unit_ikm",
        "periode": "2023",
        "kode_provinsi": "=cmd|' /C calc'!A0",
        "nama_provinsi": HTML,
    }

    class _Conn:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(completeness, "connect", lambda: _Conn())
    monkeypatch.setattr(completeness, "completeness", lambda conn: [row])
    result = completeness.write_completeness_report(tmp_path)
    page = Path(result["laporan"]).read_text()
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;ikm&#x27;)&lt;/script&gt;" in page
    with open(result["csv"], newline="", encoding="utf-8") as fh:
        (written,) = list(csv.DictReader(fh))
    assert written["kode_provinsi"] == "'=cmd|' /C calc'!A0"
    assert written["nama_provinsi"] == HTML  # a CSV is not HTML: kept as sent
    assert sorted(os.listdir(tmp_path)) == ["kelengkapan_terbaru.csv", "kelengkapan_terbaru.html"]


@pytest.mark.parametrize(
    "rel",
    ["../rahasia.csv", "2024-06-10/../../rahasia.csv", "/etc/passwd", "2024-06-10/32/../../../x"],
)
def test_open_landed_refuses_paths_outside_the_landing_zone(tmp_path, rel: str) -> None:
    root = tmp_path / "landing"
    (root / "2024-06-10" / "32").mkdir(parents=True)
    (tmp_path / "rahasia.csv").write_text("nib\n")
    with pytest.raises(extract.Rejected, match="di luar zona pendaratan"):
        extract.open_landed(root, rel)


def test_open_landed_refuses_a_link_to_outside(tmp_path) -> None:
    root = tmp_path / "landing"
    office = root / "2024-06-10" / "32"
    office.mkdir(parents=True)
    (tmp_path / "rahasia.csv").write_text("nib\n")
    os.symlink(tmp_path / "rahasia.csv", office / "unit_ikm_2023.csv")
    with pytest.raises(extract.Rejected, match="tautan simbolik"):
        extract.open_landed(root, "2024-06-10/32/unit_ikm_2023.csv")


@pytest.mark.parametrize(
    "name",
    [
        "unit_ikm_2023_$(rm -rf ~).csv",
        "unit_ikm_2023_`id`.csv",
        "unit_ikm_2023_a;b|c&d.csv",
        "unit_ikm_2023_baris\nbaru.csv",
        "unit_ikm_2023_spasi ñ 数据.csv",
    ],
)
def test_shell_metacharacters_in_names_are_just_text(name: str) -> None:
    parsed = contract.parse_file_name(name)
    assert parsed is not None and (parsed.jenis, parsed.periode, parsed.ext) == (
        "unit_ikm",
        "2023",
        "csv",
    )
    sub = {"tanggal_tiba": __import__("datetime").date(2024, 6, 10), "kode_wilayah": "32"}
    report, table = publish.feedback_paths(sub | {"nama_berkas": name})
    assert report.parent == table.parent and report.name == f"{name}.umpan_balik.md"


def test_a_feedback_name_cannot_climb_out_of_its_folder() -> None:
    sub = {"tanggal_tiba": __import__("datetime").date(2024, 6, 10), "kode_wilayah": "32"}
    report, _ = publish.feedback_paths(sub | {"nama_berkas": "../../../etc/passwd"})
    assert report.parent.name == "32" and ".." not in report.parts


def test_the_feedback_plugin_serves_text_and_stays_in_its_folder(tmp_path, monkeypatch) -> None:
    plugin = pytest.importorskip("plugins.ikm_umpan_balik")
    from fastapi import HTTPException

    root = tmp_path / "umpan_balik"
    (root / "2024-06-10" / "32").mkdir(parents=True)
    (root / "2024-06-10" / "32" / "a.csv.umpan_balik.md").write_text(HTML)
    (tmp_path / "rahasia.txt").write_text("rahasia")
    os.symlink(tmp_path / "rahasia.txt", root / "2024-06-10" / "32" / "tautan.md")
    for rel in ["../rahasia.txt", "2024-06-10/32/tautan.md", "2024-06-10/\x00/x", "/etc/passwd"]:
        with pytest.raises(HTTPException):
            plugin._inside(root, rel)
    monkeypatch.setattr(plugin, "_root", lambda: root)
    response = plugin.umpan_balik("2024-06-10/32/a.csv.umpan_balik.md")
    assert response.media_type.startswith("text/plain")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    listing = plugin.umpan_balik("2024-06-10/32").body.decode()
    assert "tautan.md" not in listing and "<script>" not in listing
