"""Data Docs on the running Airflow: the validate task's log of a nightly run links the day's
Great Expectations site, and the api-server serves it (plugin ``ikm_umpan_balik``) to a
logged-in user only, never outside the day folders."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from etl.contract import kinds
from tests.services.conftest import ARTIFACTS, BACKFILL_DAYS, DAG_ID, logical_date

pytestmark = pytest.mark.airflow


def _get(url: str, token: str | None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.mark.browser
def test_the_validate_log_links_data_docs_served_to_logged_in_users(airflow_services, page):
    services = airflow_services
    services.reset()
    day = BACKFILL_DAYS[-1]  # partly accepted files
    services.api("PATCH", f"/dags/{DAG_ID}", {"is_paused": False})
    created = services.api(
        "POST", f"/dags/{DAG_ID}/dagRuns", {"logical_date": logical_date(day).isoformat()}
    )
    assert services.wait_for_run(DAG_ID, created["dag_run_id"])["state"] == "success"

    link = f"{services.url.rstrip('/')}/data-docs/{day}/index.html"
    run_id = urllib.parse.quote(created["dag_run_id"], safe="")
    log = services.api("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/validate/logs/1")
    assert link in json.dumps(log["content"]), log

    token = services.token()
    status, body = _get(link, token)
    assert status == 200 and "Expectation" in body and "unit_ikm" in body
    assert _get(link, None)[0] == 401
    status, body = _get(f"{services.url.rstrip('/')}/data-docs/", token)
    assert status == 200 and f"/data-docs/{day}/index.html" in body
    for path in (f"/data-docs/{day}/%2e%2e/_hasil/{day}/", "/data-docs/_hasil/", "/data-docs/.."):
        assert _get(f"{services.url.rstrip('/')}{path}", token)[0] == 404, path
    plugins = services.api("GET", "/plugins")["plugins"]
    views = [v for p in plugins for v in p.get("external_views") or []]
    assert any(v["name"] == "Data Docs" and v["href"] == "/data-docs/" for v in views), views

    # A data engineer signed in to the Airflow UI follows the log's link in Chromium: the
    # day's index lists the suite runs, and a run's page shows its expectations with the
    # Indonesian descriptions the offices' feedback uses.
    page.goto(services.url)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("admin")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(link)
    runs = page.locator("a[href*='validations/']")
    runs.first.wait_for()
    assert runs.count() >= 1
    runs.first.click()
    page.wait_for_load_state()
    text = page.inner_text("body")
    described = {
        e["meta"]["pesan"]
        for kind in kinds().values()
        for e in json.loads(kind.suite_path.read_text(encoding="utf-8"))["expectations"]
    }
    assert any(pesan in text for pesan in described), text[:2000]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "data-docs-hari.png"), full_page=True)
