"""`make bi` as a user meets it: Superset started by ``python -m etl bi`` on a loaded warehouse,
a login through the form in Chromium, the dashboard with the national IKM count the warehouse
holds, and the database Superset queries connected as ``bi_reader`` (which cannot read core);
the public dashboard with what ``publik_reader`` reads, its suppressed cells shown as such, and
its database connected as ``publik_reader`` (which cannot read mart, core or audit).

The warehouse is the test template loaded with every sample arrival day by the ``etl`` package;
Superset's venv is built if missing (``etl.ops.superset.ensure_venv``, as ``make bi`` does), its
metadata is a database of this session and its state folder is temporary. A second start must
skip every set-up step (the reason a second ``make bi`` is quick) and Ctrl-C (SIGTERM) must stop
it all.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
import yaml
from sqlalchemy.engine import URL, make_url

from etl.settings import PROJECT_ROOT
from tests.conftest import _admin, _fresh_warehouse, query
from tests.services.conftest import ARTIFACTS, _free_port

LOGIN = ("admin", "rahasia-uji-bi")
TIMINGS: dict[str, float] = {}


@dataclass
class Superset:
    """``python -m etl bi`` in a subprocess, as ``make bi`` runs it."""

    env: dict[str, str]
    warehouse: URL
    output: list[str] = field(default_factory=list)
    process: subprocess.Popen | None = None
    url: str = ""

    def start(self, timeout: float = 600) -> str:
        """Start and wait for the banner; return what it printed."""
        port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "etl", "bi", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Ctrl-C stops Superset" in line:
                break
        text = "".join(lines)
        self.output.append(text)
        assert f"Superset is up: http://127.0.0.1:{port}" in text, text
        self.url = f"http://127.0.0.1:{port}"
        return text

    def stop(self) -> None:
        """SIGTERM, as Ctrl-C in a terminal; nothing it started may outlive it."""
        if self.process is None or self.process.poll() is not None:
            return
        children = psutil.Process(self.process.pid).children(recursive=True)
        self.process.send_signal(signal.SIGTERM)
        rest = self.process.communicate(timeout=60)[0]
        assert self.process.returncode == 0, rest
        assert "stopping Superset" in rest, rest
        _, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, [p.pid for p in alive]


@pytest.fixture(scope="module")
def loaded_warehouse(
    template_db: URL, samples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[URL]:
    """The template with every sample arrival day loaded through the etl package."""
    from etl import flow
    from etl.stages import s1_landing as landing

    with _fresh_warehouse(template_db, samples_dir, tmp_path_factory.mktemp("superset_wh")) as url:
        start = time.monotonic()
        for day in landing.arrival_days():
            flow.run_day(day)
        TIMINGS["warehouse load"] = time.monotonic() - start
        yield url


@pytest.fixture(scope="module")
def superset(
    loaded_warehouse: URL, samples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Superset]:
    from etl.ops import superset
    from etl.settings import bi_reader_password, publik_reader_password

    start = time.monotonic()
    superset.ensure_venv()
    TIMINGS["venv (install if missing)"] = time.monotonic() - start
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERSET_", "AIRFLOW"))}
    env.update(
        {
            "IKM_STATE_DIR": str(tmp_path_factory.mktemp("superset_state")),
            "IKM_LANDING_DIR": str(samples_dir),
            "WAREHOUSE_URL": loaded_warehouse.render_as_string(hide_password=False),
            # bi_reader is one role on the whole server: the migrations Superset's start runs
            # must keep the password the rest of this session connects with.
            "IKM_BI_READER_PASSWORD": bi_reader_password(),
            "IKM_PUBLIK_READER_PASSWORD": publik_reader_password(),
            "IKM_BI_USER": LOGIN[0],
            "IKM_BI_PASSWORD": LOGIN[1],
        }
    )
    run = Superset(env, loaded_warehouse)
    metadata = loaded_warehouse.set(database=f"superset_{loaded_warehouse.database}")
    try:
        start = time.monotonic()
        run.start()
        TIMINGS["first start"] = time.monotonic() - start
        yield run
    finally:
        run.stop()
        _admin(metadata, f'drop database if exists "{metadata.database}" with (force)')
        print("\nSuperset test timings (s): " + str({k: round(v, 1) for k, v in TIMINGS.items()}))


def _log_in(page, url: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#username", LOGIN[0])
    page.fill("#password", LOGIN[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/superset/welcome/.*"))


def _database_id(page, url: str, name: str, username: str, database: str) -> int:
    """The id of Superset's database ``name``, checked to connect as ``username``."""
    found = page.request.get(f"{url}/api/v1/database/").json()["result"]
    (entry,) = [d for d in found if d["database_name"] == name]
    connection = page.request.get(f"{url}/api/v1/database/{entry['id']}/connection")
    uri = make_url(connection.json()["result"]["sqlalchemy_uri"])
    assert (uri.username, uri.database) == (username, database)
    return entry["id"]


def _sql_lab(page, url: str, database_id: int):
    """A function running one statement in SQL Lab on that database, through the API."""
    token = page.request.get(f"{url}/api/v1/security/csrf_token/").json()["result"]

    def run(sql: str):
        return page.request.post(
            f"{url}/api/v1/sqllab/execute/",
            data={"database_id": database_id, "sql": sql, "runAsync": False},
            headers={"X-CSRFToken": token, "Referer": url},
        )

    return run


@pytest.mark.browser
def test_dashboard_shows_the_national_ikm_count_the_warehouse_holds(superset: Superset, page):
    from playwright.sync_api import expect

    wh = superset.warehouse
    (units,) = query(
        wh,
        "select sum(jumlah_unit) from mart.ikm_per_wilayah "
        "where tahun = (select max(tahun) from mart.ikm_per_wilayah)",
    )[0]
    assert units > 0
    (top_province,) = query(
        wh,
        "select nama_provinsi from mart.ikm_per_wilayah "
        "where tahun = (select max(tahun) from mart.ikm_per_wilayah) "
        "group by nama_provinsi order by sum(jumlah_unit) desc limit 1",
    )[0]

    start = time.monotonic()
    _log_in(page, superset.url)
    page.goto(f"{superset.url}/superset/dashboard/ikm-ringkasan/")
    expect(page.get_by_text("IKM – Ringkasan nasional").first).to_be_visible()
    # The Big Number as the chart formats it: a plain integer with thousands separators.
    expect(page.locator(".dashboard-chart .header-line")).to_have_text(f"{int(units):,}")
    charts = page.locator(".dashboard-chart")
    expect(charts).to_have_count(6)
    # The province table, largest first, starts with the province that has the most units.
    table = page.locator(".dashboard-component-chart-holder").filter(
        has_text="Unit dan tenaga kerja IKM per provinsi"
    )
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text(top_province)
    expect(page.locator(".dashboard-chart canvas")).to_have_count(2)  # the two bar charts
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Data error").count() == 0
    TIMINGS["dashboard in the browser"] = time.monotonic() - start
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "superset-dashboard.png"), full_page=True)

    # The database the charts query is the warehouse, logged in as bi_reader.
    database_id = _database_id(page, superset.url, "Gudang IKM", "bi_reader", wh.database)

    # SQL Lab on that database: the mart answers with the same count, core is refused.
    sql_lab = _sql_lab(page, superset.url, database_id)
    mart = sql_lab(
        "select sum(jumlah_unit) as n from mart.ikm_per_wilayah "
        "where tahun = (select max(tahun) from mart.ikm_per_wilayah)"
    )
    assert mart.ok, mart.text()
    assert mart.json()["data"] == [{"n": units}]
    core = sql_lab("select count(*) from core.dim_unit_ikm")
    assert not core.ok
    assert "permission denied for schema core" in core.text(), core.text()


def _as_publik_reader(wh: URL) -> URL:
    """The warehouse as the public dashboard's role reaches it (what it may read, it reads)."""
    from etl.settings import PUBLIK_READER_ROLE, publik_reader_password

    return wh.set(username=PUBLIK_READER_ROLE, password=publik_reader_password())


@pytest.mark.browser
def test_the_public_dashboard_shows_the_public_layer_with_its_suppressed_cells(
    superset: Superset, page
):
    """ "IKM – Data publik": the published national count and the number of suppressed cells as
    publik_reader reads them, the suppressed kab/kota cells first with their reason and no
    value, and a database connected as publik_reader that SQL Lab cannot take to mart, core or
    audit."""
    from playwright.sync_api import expect

    publik = _as_publik_reader(superset.warehouse)
    latest = "tahun = (select max(tahun) from publik.ikm_per_wilayah)"
    (units,) = query(
        publik,
        "select jumlah_unit from publik.ikm_per_wilayah "
        f"where tingkat = 'nasional' and skala = 'semua' and {latest}",
    )[0]
    (suppressed,) = query(
        publik,
        "select sum(jumlah_sel) from publik.ringkasan_penekanan where alasan_penekanan is not "
        "null and tahun = (select max(tahun) from publik.ringkasan_penekanan)",
    )[0]
    reasons = dict(
        query(
            publik,
            "select alasan_penekanan, count(*) from publik.ikm_per_wilayah "
            f"where ditekan and {latest} group by 1",
        )
    )
    # The kab/kota table's first rows, in its order: every suppressed cell before the others.
    cells = query(
        publik,
        "select nama_provinsi, nama_kabkota, skala, jumlah_unit, alasan_penekanan "
        f"from publik.ikm_per_wilayah where tingkat = 'kabkota' and {latest} "
        "order by ditekan desc, nama_provinsi, nama_kabkota, skala limit 25",
    )
    assert units > 0 and suppressed > 0, (units, suppressed)
    assert cells[0][4] is not None, "no suppressed kab/kota cell in the samples"
    assert sum(reasons.values()) <= suppressed  # the summary counts every level

    start = time.monotonic()
    _log_in(page, superset.url)
    page.goto(f"{superset.url}/superset/dashboard/ikm-data-publik/")
    expect(page.get_by_text("IKM – Data publik").first).to_be_visible()
    charts = page.locator(".dashboard-chart")
    expect(charts).to_have_count(6)

    def holder(name: str):
        return page.locator(".dashboard-component-chart-holder").filter(has_text=name)

    expect(holder("Unit IKM nasional (dipublikasikan)").locator(".header-line")).to_have_text(
        f"{int(units):,}"
    )
    expect(holder("Sel ditekan").first.locator(".header-line")).to_have_text(f"{int(suppressed):,}")
    expect(holder("Sel ditekan per alasan").locator("canvas")).to_have_count(1)  # the pie

    # Suppressed cells: their count of units published, their values empty, their reason shown.
    table = holder("Sel kab/kota per skala dan penekanannya")
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()
    for index, (provinsi, kabkota, skala, jumlah, alasan) in enumerate(cells[:10]):
        row = rows.nth(index).locator("td")
        status = f"ditekan: {alasan}" if alasan else "dipublikasikan"
        expect(row.nth(0)).to_have_text(provinsi)
        expect(row.nth(1)).to_have_text(kabkota)
        expect(row.nth(2)).to_have_text(skala)
        expect(row.nth(3)).to_have_text(status)
        expect(row.nth(4)).to_have_text(f"{jumlah:,}")
        if alasan:
            for value in range(5, 8):  # tenaga_kerja, nilai_investasi, nilai_produksi
                assert not re.search(r"\d", row.nth(value).inner_text()), row.all_inner_texts()
    # The province totals as published: one row per province.
    (provinces,) = query(
        publik,
        f"select count(*) from publik.ikm_per_wilayah where tingkat = 'provinsi' "
        f"and skala = 'semua' and {latest}",
    )[0]
    expect(holder("Total dipublikasikan per provinsi").locator("tbody tr")).to_have_count(provinces)
    (threshold,) = query(publik, "select ambang_unit from publik.aturan_penekanan")[0]
    expect(holder("Aturan penekanan").locator("tbody tr td").first).to_have_text(str(threshold))
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Data error").count() == 0
    TIMINGS["public dashboard in the browser"] = time.monotonic() - start
    # The whole page in the viewport first: a full-page screenshot resizes it, and the grid
    # caught repainting after that resize came out blank.
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1400, "height": height})
    last = min(len(cells), 10) - 1
    expect(rows.nth(last).locator("td").nth(1)).to_have_text(cells[last][1])
    expect(holder("Sel ditekan per alasan").locator("canvas")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the pie's animation
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "superset-dashboard-publik.png"), full_page=True)

    # Its database is the warehouse logged in as publik_reader, which reads publik only.
    database_id = _database_id(
        page, superset.url, "Data publik IKM", "publik_reader", superset.warehouse.database
    )
    sql_lab = _sql_lab(page, superset.url, database_id)
    answer = sql_lab(
        "select jumlah_unit as n from publik.ikm_per_wilayah "
        f"where tingkat = 'nasional' and skala = 'semua' and {latest}"
    )
    assert answer.ok, answer.text()
    assert answer.json()["data"] == [{"n": units}]
    for schema, relation in (
        ("mart", "ikm_per_wilayah"),
        ("core", "dim_unit_ikm"),
        ("audit", "submission"),
    ):
        refused = sql_lab(f"select count(*) from {schema}.{relation}")
        assert not refused.ok, refused.text()
        assert f"permission denied for schema {schema}" in refused.text(), refused.text()


@pytest.mark.browser  # needs the running Superset, as the browser test does
def test_a_second_start_skips_the_set_up_and_ctrl_c_stops_it(superset: Superset):
    first = superset.output[0]
    assert "db upgrade, init" in first, first
    assert "dashboards from bi/dashboard and bi/dashboard_publik" in first, first
    assert "/superset/dashboard/ikm-data-publik/" in first, first
    assert f"login      {LOGIN[0]} / {LOGIN[1]}" in first, first
    superset.stop()
    start = time.monotonic()
    second = superset.start(timeout=120)
    TIMINGS["second start"] = time.monotonic() - start
    assert "db upgrade" not in second and "dashboards from" not in second, second


@pytest.mark.unit
def test_the_versioned_export_holds_no_password_and_reads_only_mart():
    """What the repo keeps: a placeholder URI, datasets of schema mart, every chart on the
    dashboard and every chart's dataset in the export."""
    from etl.ops.superset import DASHBOARD_SLUG, EXPORT_DIR

    def load(kind: str) -> list[dict]:
        return [yaml.safe_load(p.read_text()) for p in sorted((EXPORT_DIR / kind).rglob("*.yaml"))]

    (database,) = load("databases")
    uri = make_url(database["sqlalchemy_uri"])
    assert (uri.username, uri.password) == ("bi_reader", "XXXXXXXXXX")
    datasets = {d["uuid"]: d for d in load("datasets")}
    assert {d["schema"] for d in datasets.values()} == {"mart"}
    assert all(d["database_uuid"] == database["uuid"] for d in datasets.values())
    charts = {c["uuid"]: c for c in load("charts")}
    assert all(c["dataset_uuid"] in datasets for c in charts.values())
    (dashboard,) = load("dashboards")
    assert (dashboard["slug"], dashboard["dashboard_title"]) == (
        DASHBOARD_SLUG,
        "IKM – Ringkasan nasional",
    )
    placed = {
        item["meta"]["uuid"]
        for item in dashboard["position"].values()
        if isinstance(item, dict) and item.get("type") == "CHART"
    }
    assert placed == set(charts)
    marts = {datasets[c["dataset_uuid"]]["table_name"] for c in charts.values()}
    assert marts >= {
        "indikator_ikm",
        "ikm_per_wilayah",
        "pangsa_tenaga_kerja",
        "serapan_anggaran_terkini",
        "tingkat_pelaporan",
    }


@pytest.mark.unit
def test_the_public_export_holds_no_password_and_reads_only_publik():
    """The public dashboard's export: its own database, connected as publik_reader with a
    placeholder password, datasets of schema publik only, every chart placed on it."""
    from etl.ops.superset import DASHBOARD_PUBLIK_SLUG, EXPORT_DIR, EXPORT_PUBLIK_DIR

    def load(folder: Path, kind: str) -> list[dict]:
        return [yaml.safe_load(p.read_text()) for p in sorted((folder / kind).rglob("*.yaml"))]

    (database,) = load(EXPORT_PUBLIK_DIR, "databases")
    uri = make_url(database["sqlalchemy_uri"])
    assert (uri.username, uri.password) == ("publik_reader", "XXXXXXXXXX")
    assert database["database_name"] == "Data publik IKM"
    (bi_database,) = load(EXPORT_DIR, "databases")
    assert database["uuid"] != bi_database["uuid"]
    datasets = {d["uuid"]: d for d in load(EXPORT_PUBLIK_DIR, "datasets")}
    assert {d["schema"] for d in datasets.values()} == {"publik"}
    assert {d["table_name"] for d in datasets.values()} == {
        "ikm_per_wilayah",
        "ringkasan_penekanan",
        "aturan_penekanan",
    }
    assert all(d["database_uuid"] == database["uuid"] for d in datasets.values())
    charts = {c["uuid"]: c for c in load(EXPORT_PUBLIK_DIR, "charts")}
    assert all(c["dataset_uuid"] in datasets for c in charts.values())
    # Custom SQL in the charts reads the public layer only.
    for chart in charts.values():
        text = yaml.safe_dump(chart["params"])
        assert not re.search(r"\b(mart|core|audit|staging)\.", text), chart["slice_name"]
    (dashboard,) = load(EXPORT_PUBLIK_DIR, "dashboards")
    assert (dashboard["slug"], dashboard["dashboard_title"]) == (
        DASHBOARD_PUBLIK_SLUG,
        "IKM – Data publik",
    )
    placed = {
        item["meta"]["uuid"]
        for item in dashboard["position"].values()
        if isinstance(item, dict) and item.get("type") == "CHART"
    }
    assert placed == set(charts)
    bi_uuids = {yaml.safe_load(p.read_text()).get("uuid") for p in EXPORT_DIR.rglob("*.yaml")}
    assert not bi_uuids & {*datasets, *charts, dashboard["uuid"]}
