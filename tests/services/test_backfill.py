"""Backfills of ikm_ingest_nightly on a running Airflow: from the UI's dialog in Chromium, through
the REST API and through the CLI, with each reprocess choice, against one clean run."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime

import pytest

from tests.services.conftest import (
    ARTIFACTS,
    BACKFILL_DAYS,
    CORRECTION_DAY,
    DAG_ID,
    logical_date,
    pool_usage,
    runs_overlapped,
    warehouse_state,
)


def _backfill_of(services, days) -> int:
    """The id of the backfill that covers ``days`` (the newest one)."""
    backfills = services.api("GET", f"/backfills?dag_id={DAG_ID}&limit=100")["backfills"]
    first, last = logical_date(days[0]), logical_date(days[-1])
    for b in sorted(backfills, key=lambda b: b["id"], reverse=True):
        start = b["from_date"].replace("Z", "+00:00")
        end = b["to_date"].replace("Z", "+00:00")
        if datetime.fromisoformat(start) <= first and last <= datetime.fromisoformat(end):
            return b["id"]
    raise AssertionError(f"no backfill covering {days}: {backfills}")


def _assert_all_succeeded(runs: dict, days) -> None:
    assert sorted(runs) == sorted(days), runs
    assert {d: r["state"] for d, r in runs.items()} == {d: "success" for d in days}
    assert all(r["run_type"] == "backfill" for r in runs.values())


@pytest.mark.browser
def test_three_day_backfill_from_the_ui_dialog(airflow_services, clean_run, page):
    """A data engineer logs in, sets the UI to Jakarta time, opens ikm_ingest_nightly, and runs
    the Backfill dialog over three arrival days (missing runs): the warehouse ends exactly as one
    clean run of those days, and the loads never overlapped (pool ikm_gudang)."""
    services = airflow_services
    services.reset()
    started = time.monotonic()

    page.goto(services.url)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("admin")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/$"))

    # Arrival days are Jakarta days: pick the UI's timezone as an engineer in Jakarta does.
    page.get_by_role("button", name="+00:00").click()
    page.get_by_role("dialog").get_by_role("combobox").click()
    page.keyboard.type("Asia/Jakarta")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="+07:00").wait_for()

    page.goto(f"{services.url}/dags/{DAG_ID}")
    page.get_by_role("button", name="Trigger").click()
    page.get_by_text("Backfill", exact=True).click()
    dates = page.get_by_test_id("datetime-input")
    for i, (day, clock) in enumerate([(BACKFILL_DAYS[0], "00:00"), (BACKFILL_DAYS[-1], "23:59")]):
        dates.nth(i).click()
        picker = page.get_by_role("dialog").last
        picker.get_by_placeholder("YYYY/MM/DD").fill(day.strftime("%Y/%m/%d"))
        picker.get_by_placeholder("HH:mm").fill(clock)
        page.keyboard.press("Escape")
    dialog = page.get_by_role("dialog").first
    dialog.get_by_text("Missing Runs", exact=True).click()
    dialog.locator("input[name=max_active_runs]").fill("3")
    # the dialog's own dry run: three runs are about to be created
    dialog.get_by_text(re.compile(r"\b3 runs? will be triggered", re.I)).wait_for()
    page.screenshot(path=str(ARTIFACTS / "backfill-dialog.png"))
    dialog.get_by_role("button", name="Run Backfill").click()

    backfill_id = None
    deadline = time.monotonic() + 60
    while backfill_id is None and time.monotonic() < deadline:
        try:
            backfill_id = _backfill_of(services, BACKFILL_DAYS)
        except AssertionError:
            time.sleep(1)
    assert backfill_id is not None, "the dialog created no backfill"
    runs = services.wait_for_backfill(backfill_id, BACKFILL_DAYS)
    seconds = time.monotonic() - started
    _assert_all_succeeded(runs, BACKFILL_DAYS)

    # What the engineer sees: the three runs, green, in the DAG's run list.
    page.goto(f"{services.url}/dags/{DAG_ID}/runs")
    for run in runs.values():
        page.get_by_text(run["dag_run_id"]).first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "backfill-runs.png"), full_page=True)

    services.wait_published()
    assert warehouse_state(services.warehouse) == clean_run(BACKFILL_DAYS)
    # the three days ran side by side, and their loads took turns in the pool ikm_gudang
    assert runs_overlapped(list(runs.values()))
    used, overlaps = pool_usage(services)
    assert sum(f"{DAG_ID}/backfill__" in t and t.endswith("/load") for t in used) == 3
    assert overlaps == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "backfill-ui.json").write_text(
        json.dumps({"days": len(BACKFILL_DAYS), "seconds": round(seconds, 1)})
    )


@pytest.mark.airflow
def test_rest_api_backfill_reprocessing_all_runs_keeps_a_later_correction(
    airflow_services, clean_run
):
    """Backfill through /api/v2/backfills with "all runs" after a later correction already
    loaded: the old files are processed again and never override the correction; the warehouse
    equals one clean run of all four days. The publish DAG ran from the asset events."""
    services = airflow_services
    services.reset()
    body = {
        "dag_id": DAG_ID,
        "from_date": logical_date(BACKFILL_DAYS[0]).isoformat(),
        "to_date": logical_date(BACKFILL_DAYS[-1]).isoformat(),
        "max_active_runs": 3,
    }
    services.api("PATCH", f"/dags/{DAG_ID}", {"is_paused": False})
    first = services.api("POST", "/backfills", body | {"reprocess_behavior": "none"})
    _assert_all_succeeded(services.wait_for_backfill(first["id"], BACKFILL_DAYS), BACKFILL_DAYS)

    # the correction day runs (as its night would), after the first three days
    correction = services.api(
        "POST",
        f"/dags/{DAG_ID}/dagRuns",
        {"logical_date": logical_date(CORRECTION_DAY).isoformat()},
    )
    run = services.wait_for_run(DAG_ID, correction["dag_run_id"])
    assert run["state"] == "success"
    services.wait_published()
    expected = clean_run([*BACKFILL_DAYS, CORRECTION_DAY])
    assert warehouse_state(services.warehouse) == expected

    # then the engineer reprocesses every run of the three earlier days
    again = services.api("POST", "/backfills", body | {"reprocess_behavior": "completed"})
    runs = services.wait_for_backfill(again["id"], BACKFILL_DAYS)
    _assert_all_succeeded(runs, BACKFILL_DAYS)
    assert all(r["dag_run_id"].startswith("backfill__") for r in runs.values())
    services.wait_published()
    assert warehouse_state(services.warehouse) == expected
    used, overlaps = pool_usage(services)
    assert sum(f"{DAG_ID}/backfill__" in t and t.endswith("/load") for t in used) == 3
    assert any(t.endswith("/refresh_marts") for t in used)  # publish waits for loads too
    assert overlaps == []

    # asset events: every changing run announced the warehouse; ikm_publish followed them
    events = services.api("GET", "/assets/events?limit=100")["asset_events"]
    announced = [e for e in events if e["uri"] == "ikm://gudang/core"]
    assert announced, events
    published = services.runs("ikm_publish")
    assert published and all(r["state"] == "success" for r in published)
    assert all(r["run_type"] == "asset_triggered" for r in published)
    report = services.folders["umpan_balik"] / "_kelengkapan" / "kelengkapan_terbaru.csv"
    assert report.is_file() and "unit_ikm" in report.read_text()


@pytest.mark.airflow
def test_cli_backfill_of_missing_and_errored_runs(airflow_services, clean_run):
    """`airflow backfill create --reprocess-behavior failed`: a day whose run failed and a day
    never run are processed, and the warehouse equals one clean run of the three days."""
    services = airflow_services
    services.reset()
    services.api("PATCH", f"/dags/{DAG_ID}", {"is_paused": False})
    first_day = BACKFILL_DAYS[:1]
    created = services.api(
        "POST",
        "/backfills",
        {
            "dag_id": DAG_ID,
            "from_date": logical_date(first_day[0]).isoformat(),
            "to_date": logical_date(first_day[0]).isoformat(),
            "reprocess_behavior": "none",
        },
    )
    runs = services.wait_for_backfill(created["id"], first_day)
    _assert_all_succeeded(runs, first_day)
    services.wait_idle()
    # the night's warehouse was lost and the run is marked failed, as after an outage
    services.reset_warehouse_only()
    services.api(
        "PATCH",
        f"/dags/{DAG_ID}/dagRuns/{runs[first_day[0]]['dag_run_id']}",
        {"state": "failed"},
    )

    result = services.airflow(
        "backfill",
        "create",
        "--dag-id",
        DAG_ID,
        "--from-date",
        logical_date(BACKFILL_DAYS[0]).isoformat(),
        "--to-date",
        logical_date(BACKFILL_DAYS[-1]).isoformat(),
        "--reprocess-behavior",
        "failed",
        "--max-active-runs",
        "3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    backfill_id = _backfill_of(services, BACKFILL_DAYS)
    runs = services.wait_for_backfill(backfill_id, BACKFILL_DAYS)
    assert {d: r["state"] for d, r in runs.items()} == {d: "success" for d in BACKFILL_DAYS}
    services.wait_published()
    assert warehouse_state(services.warehouse) == clean_run(BACKFILL_DAYS)


@pytest.mark.airflow
def test_a_run_past_its_deadline_sends_a_lateness_alert(airflow_services):
    """The lateness alert (a Deadline Alert the scheduler records and the triggerer runs)
    reaches the webhook for a run not finished IKM_PERINGATAN_TERLAMBAT_MENIT (3 s here) after
    it was queued. Runs the scheduler creates carry the deadline (scheduled and backfill runs;
    Airflow 3.3.2 gives none to runs triggered through the API)."""
    services = airflow_services
    services.api("PATCH", f"/dags/{DAG_ID}", {"is_paused": False})
    day = BACKFILL_DAYS[0].replace(year=2023)  # an arrival day with nothing landed
    created = services.api(
        "POST",
        "/backfills",
        {
            "dag_id": DAG_ID,
            "from_date": logical_date(day).isoformat(),
            "to_date": logical_date(day).isoformat(),
            "reprocess_behavior": "completed",
        },
    )
    (run,) = services.wait_for_backfill(created["id"], [day]).values()
    deadline = time.monotonic() + 120
    late: list[dict] = []
    while not late and time.monotonic() < deadline:
        late = [
            a
            for a in services.alerts
            if a.get("jenis") == "terlambat" and a.get("run_id") == run["dag_run_id"]
        ]
        time.sleep(1)
    assert late, services.alerts
    assert late[0]["dag_id"] == DAG_ID and "terlambat" in late[0]["text"].lower()
    assert not [a for a in services.alerts if a.get("jenis") == "gagal"]  # nothing failed


@pytest.mark.airflow
def test_feedback_reports_are_served_to_logged_in_users_only(airflow_services):
    """The link a rejected file's log line gives opens its report in Airflow (plugin
    ikm_umpan_balik): for a logged-in user only, and never outside the feedback folder."""
    import urllib.error
    import urllib.request

    services = airflow_services
    folder = services.folders["umpan_balik"] / "2024-03-09" / "32"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "unit_ikm_2023.csv.umpan_balik.md").write_text("# Umpan balik\n- Status: DITOLAK\n")
    (services.folders["umpan_balik"].parent / "rahasia.txt").write_text("jangan dibaca")

    def get(path: str, token: str | None) -> tuple[int, str]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        request = urllib.request.Request(f"{services.url}{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    token = services.token()
    status, body = get("/umpan-balik/2024-03-09/32/unit_ikm_2023.csv.umpan_balik.md", token)
    assert status == 200 and "DITOLAK" in body
    assert get("/umpan-balik/2024-03-09/32/unit_ikm_2023.csv.umpan_balik.md", None)[0] == 401
    status, body = get("/umpan-balik/2024-03-09/", token)
    assert status == 200 and "32" in body
    assert get("/umpan-balik/../rahasia.txt", token)[0] == 404
    assert get("/umpan-balik/%2e%2e/rahasia.txt", token)[0] == 404
