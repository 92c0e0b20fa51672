"""XLS and ODS through the whole pipeline as their XLSX twin goes; a file refused for its format
or its header still recorded as what it was; a template's version and office in its record."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import psycopg
import pytest

from etl import flow
from etl.warehouse import submission
from tests.conftest import dsn, query
from tests.support import spreadsheet_twins as twins
from tests.support.factories import HEADER, land_csv, unit_ikm_row

pytestmark = pytest.mark.integration

DAY = dt.date(2024, 6, 3)


def landed(rel: str) -> Path:
    target = Path(os.environ["IKM_LANDING_DIR"]) / DAY.isoformat() / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def record(url, rel: str) -> dict:
    cols = "status, status_validasi, jenis, periode, jumlah_baris, jumlah_baris_diterima, "
    cols += "jumlah_baris_ditolak, pesan, catatan, versi_templat, submission_id"
    row = query(url, f"select {cols} from audit.submission where path = %s", (rel,))[0]
    return dict(zip([c.strip() for c in cols.split(",")], row, strict=True))


def test_xls_and_ods_load_as_their_xlsx_twin(warehouse) -> None:
    for ext in ("xlsx", "ods", "xls"):
        path = landed(f"3201/unit_ikm_2023.{ext}")
        if ext == "xls":
            shutil.copyfile(twins.FORMATS / "unit_ikm_2023.xls", path)
        else:
            getattr(twins, f"write_{ext}")(path, twins.register_sheets())
    flow.run_day(DAY)
    outcome = {}
    for ext in ("xlsx", "ods", "xls"):
        sub = record(warehouse, f"{DAY}/3201/unit_ikm_2023.{ext}")
        sid = sub.pop("submission_id")
        for key in ("status", "pesan"):  # the latest by name is in force, the others replaced
            sub.pop(key)
        rows = query(
            warehouse,
            "select to_jsonb(b) - 'submission_id' from core.baris_unit_ikm b "
            "where submission_id = %s order by baris",
            (sid,),
        )
        quarantined = query(
            warehouse,
            "select baris, kolom, nilai, kode_aturan, alasan from audit.karantina "
            "where submission_id = %s order by 1, 2, 4",
            (sid,),
        )
        outcome[ext] = (sub, rows, quarantined)
    assert outcome["ods"] == outcome["xlsx"] and outcome["xls"] == outcome["xlsx"]
    sub, rows, quarantined = outcome["xlsx"]
    assert (sub["status_validasi"], sub["jumlah_baris_diterima"], sub["jumlah_baris_ditolak"]) == (
        "diterima_sebagian",
        10,
        2,
    )
    assert {(q[0], q[1]) for q in quarantined} == twins.BAD_CELLS
    assert rows[0][0]["kode_kabkota"] == "3201" and rows[0][0]["terdaftar_siinas"] is True
    (in_force,) = query(
        warehouse,
        "select count(*) from core.fakta_unit_ikm f join audit.submission s "
        "using (submission_id) where s.path = %s",
        (f"{DAY}/3201/unit_ikm_2023.xlsx",),
    )[0]
    assert in_force == 10  # "unit_ikm_2023.xlsx" sorts last of the three: its rows are in force


HTML = b'\xef\xbb\xbf<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table>'


def test_a_file_refused_for_its_format_counts_as_sent_and_refused(warehouse) -> None:
    """Without its name's kind and period, a refused file leaves its office "belum_dikirim"."""
    land_csv(
        f"{DAY}/3201/unit_ikm_2023.csv",
        HEADER,
        [unit_ikm_row(f"320100000000{i}") for i in range(5)],
    )
    landed("3578/unit_ikm_2023.xls").write_bytes(HTML + b"<tr><td>NIB</td></tr></table>")
    landed("1271/unit_ikm_2023_kota_medan.pdf").write_bytes(b"%PDF-1.4\n")
    flow.run_day(DAY)
    web = record(warehouse, f"{DAY}/3578/unit_ikm_2023.xls")
    assert (web["status"], web["jenis"], web["periode"]) == ("ditolak", "unit_ikm", "2023")
    assert "halaman web (HTML)" in web["pesan"] and "Simpan Sebagai" in web["pesan"]
    pdf = record(warehouse, f"{DAY}/1271/unit_ikm_2023_kota_medan.pdf")
    assert (pdf["status"], pdf["jenis"], pdf["periode"]) == ("ditolak", "unit_ikm", "2023")
    status = dict(
        query(
            warehouse,
            "select kode_wilayah, status from mart.status_pengiriman "
            "where jenis = 'unit_ikm' and periode = '2023' and kode_wilayah in "
            "('3201', '3578', '1271', '3273')",
        )
    )
    assert status == {
        "3201": "diterima",
        "3578": "ditolak",
        "1271": "ditolak",
        "3273": "belum_dikirim",
    }


def test_a_header_rejection_records_and_reports_its_rows(warehouse) -> None:
    header = ["Kode Usaha" if c == "kbli" else c for c in HEADER]
    rows = [unit_ikm_row(f"{3201000000000 + i}") for i in range(68)]
    for row in rows:
        row["Kode Usaha"] = row.pop("kbli")
    rel = land_csv(f"{DAY}/3201/unit_ikm_2023.csv", header, rows)
    flow.run_day(DAY)
    sub = record(warehouse, rel)
    assert (sub["status"], sub["jumlah_baris"], sub["jumlah_baris_ditolak"]) == ("ditolak", 68, 68)
    assert "kbli" in sub["pesan"] and "68 baris data" in sub["pesan"]
    report = Path(os.environ["IKM_FEEDBACK_DIR"]) / str(DAY) / "3201"
    text = (report / "unit_ikm_2023.csv.umpan_balik.md").read_text(encoding="utf-8")
    assert "Jumlah baris: 68;" in text


def test_a_template_records_its_version_and_the_office_it_was_made_for(warehouse) -> None:
    twins.write_xlsx(landed("32/kiriman dinas.xlsx"), twins.template_sheets())
    twins.write_ods(landed("3273/tenaga_kerja_2023.ods"), twins.template_sheets())
    flow.run_day(DAY)
    made = record(warehouse, f"{DAY}/32/kiriman dinas.xlsx")
    assert (made["status"], made["jenis"], made["periode"]) == ("diterima", "unit_ikm", "2023")
    assert made["versi_templat"] == twins.TEMPLATE_VERSION
    assert any("dibuat untuk kantor 3201" in n for n in made["catatan"])
    with psycopg.connect(dsn(warehouse)) as conn:
        assert submission.get(conn, made["submission_id"]).versi_templat == twins.TEMPLATE_VERSION
    wrong = record(warehouse, f"{DAY}/3273/tenaga_kerja_2023.ods")
    assert wrong["status"] == "ditolak" and wrong["versi_templat"] == twins.TEMPLATE_VERSION
    assert "jenis tenaga_kerja" in wrong["pesan"] and "templat unit_ikm" in wrong["pesan"]
    assert (wrong["jenis"], wrong["periode"]) == ("tenaga_kerja", "2023")  # what its name says
