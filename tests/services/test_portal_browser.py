"""A clerk of Kota Surabaya uses the portal in Chromium, as a person would: logs in, downloads
the template, fills it (openpyxl, as Excel would save it: two bad rows, NIBs kept as text),
uploads it, sees both bad rows by their Excel row numbers, fixes them, sends; the night runs
(``flow.run_day``); the clerk sees ``diterima`` and the feedback page. Another kab/kota sees
none of it; the province office sees the kab/kota's status. The portal is the real server
(``python -m etl portal``); its log must hold no password and no session secret.

Screenshots of each page a clerk meets are kept under ``test-artifacts/portal/``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from etl import flow
from etl.contract.template import DATA_SHEET
from etl.portal.uploads import today
from etl.warehouse import connect
from tests.services.conftest import ARTIFACTS, _free_port
from tests.support.factories import unit_ikm_row
from tests.support.portal import PASSWORD, SECRET, portal  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "portal"


@pytest.fixture(scope="module")
def server(portal, tmp_path_factory):  # noqa: F811
    """``python -m etl portal`` on a free port, with the test warehouse's settings."""
    port = _free_port()
    log = tmp_path_factory.mktemp("portal-log") / "portal.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "etl", "portal", "--port", str(port)],
            env=os.environ.copy(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/masuk", timeout=2).close()
                break
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def log_in(page, url: str, name: str) -> None:
    page.goto(url + "/masuk")
    page.get_by_label("Nama pengguna").fill(name)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(url + "/status")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


GOOD = [
    unit_ikm_row(
        f"357800000{i:04d}",
        kode_kabkota="3578",
        nama_usaha=f"CV Sinar {i}",
        tanggal_pendataan="2024-06-01",
    )
    for i in range(1, 13)
]


def fill(template: Path, out: Path, rows: list[dict[str, object]]) -> None:
    """Type rows into the template's data sheet from row 2, every cell as text (as a clerk
    types into the template's text-formatted columns), and save."""
    book = openpyxl.load_workbook(template)
    sheet = book[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    for r, row in enumerate(rows, start=2):
        for c, name in enumerate(header, start=1):
            value = row.get(name)
            if value not in (None, ""):
                sheet.cell(r, c).value = str(value)
    book.save(out)


def upload(page, url: str, path: Path) -> None:
    page.goto(url + "/unggah")
    page.get_by_label("Berkas").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.wait_for_selector("#status-uji")


def test_a_clerk_sends_a_register_and_follows_it(server, page, tmp_path):
    url, log = server
    page.goto(url + "/masuk")
    shot(page, "01_masuk")
    log_in(page, url, "surabaya")
    shot(page, "02_status")
    assert "Status pelaporan" in page.content()

    # the template, as the clerk downloads it
    page.goto(url + "/templat")
    row = page.locator("tr", has_text="unit_ikm")
    row.locator("input[name=periode]").first.fill("2024")
    with page.expect_download() as download:
        row.get_by_role("button", name="Unduh templat").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "unit_ikm_2024.xlsx"

    # two bad rows of twelve: an NIB of 12 digits (Excel row 3), a size class that does not
    # exist (row 6)
    bad = [dict(r) for r in GOOD]
    bad[1]["nib"] = "357800000002"
    bad[4]["skala"] = "raksasa"
    filled = tmp_path / "kirim" / template.name
    filled.parent.mkdir()
    fill(template, filled, bad)
    upload(page, url, filled)
    shot(page, "03_hasil_uji_dengan_baris_buruk")
    problems = page.locator("table.masalah tr").all_inner_texts()
    assert any(t.startswith("3\tnib") for t in problems), problems
    assert any(t.startswith("6\tskala") for t in problems), problems
    assert "DITERIMA SEBAGIAN" in page.locator("#status-uji").inner_text()
    with connect() as conn:  # checked, nothing sent, nothing in the warehouse
        assert not conn.execute(
            "select 1 from audit.submission where kode_wilayah = '3578' "
            "and jenis = 'unit_ikm' and periode = '2024'"
        ).fetchone()

    # fixed, uploaded again, sent
    fill(template, filled, GOOD)
    upload(page, url, filled)
    assert "DITERIMA" in page.locator("#status-uji").inner_text()
    assert not page.locator("table.masalah").count()
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_selector("text=Berkas terkirim")
    shot(page, "04_terkirim")
    day = today()
    assert (Path(os.environ["IKM_LANDING_DIR"]) / day.isoformat() / "3578" / template.name).exists()
    page.goto(url + "/riwayat")
    assert "Menunggu proses malam" in page.content()

    # the night
    summary = flow.run_day(day)
    assert summary

    page.goto(url + "/riwayat")
    first = page.locator("table.riwayat tr", has_text=template.name).first
    assert "Diterima" in first.inner_text()
    assert "surabaya" in first.inner_text()
    shot(page, "05_riwayat")
    first.get_by_role("link", name="Lihat umpan balik").click()
    page.wait_for_selector("article.umpan-balik")
    shot(page, "06_umpan_balik")
    assert "DITERIMA" in page.content()
    feedback_url = page.url
    # an earlier register of the samples, accepted in part: its quarantined rows by Excel row
    page.goto(url + "/riwayat")
    earlier = page.locator("table.riwayat tr", has_text="unit_ikm_2023.xlsx").first
    assert "Diterima sebagian" in earlier.inner_text()
    earlier.get_by_role("link", name="Lihat umpan balik").click()
    page.wait_for_selector("text=Baris yang bermasalah")
    assert page.get_by_role("link", name="Unduh daftar baris yang ditolak (CSV)").count()
    shot(page, "06b_umpan_balik_baris_ditolak")
    page.goto(url + "/status")
    assert "Tepat waktu" in page.content() or "tepat waktu" in page.content()
    shot(page, "07_status_setelah_malam")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(url + "/masuk")

    # another kab/kota of the same province sees none of it
    log_in(page, url, "malang")
    page.goto(url + "/riwayat")
    assert template.name not in page.content()
    page.goto(feedback_url)
    assert "Kiriman tidak ditemukan" in page.content()
    page.goto(url + "/status?kantor=3578")
    assert "tidak berhak" in page.content()
    page.get_by_role("button", name="Keluar").click()

    # the province office sees the kab/kota's status
    log_in(page, url, "jatim")
    rates = page.locator("table.tingkat").inner_text()
    assert "3578" in rates
    shot(page, "08_status_provinsi")
    page.goto(url + "/status?kantor=3578")
    assert "unit_ikm" in page.content() or "Unit IKM" in page.content()
    page.goto(feedback_url)
    assert "DITERIMA" in page.content()

    text = log.read_text()
    assert "masuk: surabaya" in text
    for secret in (PASSWORD, SECRET):
        assert secret not in text
