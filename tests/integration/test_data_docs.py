"""Great Expectations Data Docs of an arrival day, on a real PostgreSQL: built by GX from the
stored results of every suite run, showing what failed in the suites' Indonesian words, and
replaced (never duplicated) when the day is validated again."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from pathlib import Path

import pytest

from etl import flow
from etl.__main__ import main
from etl.contract import get_kind
from etl.stages.s3_validate import data_docs, gx
from tests.conftest import query

pytestmark = pytest.mark.integration

DAY = dt.date(2024, 3, 11)
"""The samples' day with a file missing a required column and partly accepted files."""
BAD = f"{DAY}/3471/unit_ikm_2023_ulang.csv"
"""Added to the day: 40 % of its NIBs wrong (rejected for too many bad rows), some of them
markup that must show as text."""
HOSTILE = "<script>alert('ikm')</script>"


@pytest.fixture
def day(warehouse, tmp_path, monkeypatch) -> dict:
    """The day run end to end, every suite run it made recorded as it happened."""
    monkeypatch.setenv("IKM_DATA_DOCS_DIR", str(tmp_path / "data_docs"))
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "http://airflow.contoh:8080/")
    landing = Path(os.environ["IKM_LANDING_DIR"])
    source = landing / DAY.isoformat() / "3471" / "unit_ikm_2023_dari_excel.csv"
    header, *rows = source.read_text(encoding="cp1252").splitlines()
    for i in range(0, len(rows), 5):
        for j in (i, i + 1):
            if j < len(rows):
                cells = rows[j].split(";")
                cells[0] = HOSTILE if j == 0 else f"<b>{j}</b>"
                rows[j] = ";".join(cells)
    (landing / BAD).write_text("\n".join([header, *rows]) + "\n", encoding="cp1252")
    runs: list[dict] = []
    validate_table = gx.validate_table

    def recorded(kind, table, parameters):
        outcome = validate_table(kind, table, parameters)
        runs.append({"jenis": kind.jenis, "table": table, "file_errors": outcome.file_errors})
        return outcome

    monkeypatch.setattr(gx, "validate_table", recorded)
    flow.run_day(DAY)
    return {"url": warehouse, "runs": runs, "root": tmp_path / "data_docs"}


def stored(root: Path) -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((root / "_hasil" / DAY.isoformat()).rglob("*.json"))
    ]


def page_of(root: Path, result: dict) -> Path:
    run = result["meta"]["run_id"]
    run_time = dt.datetime.fromisoformat(run["run_time"]).strftime("%Y%m%dT%H%M%S.%fZ")
    folder = root / DAY.isoformat() / "validations" / result["suite_name"] / run["run_name"]
    pages = list((folder / run_time).glob("*.html"))
    assert len(pages) == 1, (folder, run_time)
    return pages[0]


def pesan(jenis: str) -> dict[tuple, dict]:
    """The suite's Indonesian reason of each rule, by rule code and column."""
    found = {}
    for e in gx.suite_spec(get_kind(jenis))["expectations"]:
        meta = e["meta"]
        column = meta.get("kolom") or e["kwargs"].get("column") or e["kwargs"].get("column_A")
        found[(meta["kode"], column or (e["kwargs"].get("column_list") or [None])[0])] = meta
    return found


def test_the_days_data_docs_show_every_suite_run_and_what_failed(day):
    url, root = day["url"], day["root"]
    statuses = dict(
        query(url, "select path, status from audit.submission where tanggal_tiba = %s", (DAY,))
    )
    assert statuses[BAD] == "ditolak"
    assert statuses[f"{DAY}/3372/unit_ikm_2023.csv"] == "ditolak"  # a required column missing
    assert statuses[f"{DAY}/73/unit_ikm_2023.xlsx"] == "diterima_sebagian"
    (message,) = query(url, "select pesan from audit.submission where path = %s", (BAD,))[0]
    assert "melebihi batas" in message

    # One suite run per kind and period (no file-level rule split a batch on this day), each
    # stored once with the files it covered; every file the suites saw is in exactly one.
    assert day["runs"] and not any(r["file_errors"] for r in day["runs"])
    results = stored(root)
    assert sorted((r["meta"]["batch_parameters"]["jenis"]) for r in results) == sorted(
        r["jenis"] for r in day["runs"]
    )
    covered = [p for r in results for p in r["meta"]["berkas"]]
    (validated,) = query(
        url,
        "select array_agg(path order by path) from audit.submission where tanggal_tiba = %s "
        "and submission_id in (select submission_id from audit.hasil_validasi)",
        (DAY,),
    )[0]
    assert sorted(covered) == validated and BAD in covered

    index = (root / DAY.isoformat() / "index.html").read_text(encoding="utf-8")
    # the plain list at the top links every run without any script (no CDN offline)
    plain = index.split("<section id='daftar-hasil'", 1)[1].split("</section>", 1)[0]
    for result in results:
        page = page_of(root, result)
        assert page.relative_to(root / DAY.isoformat()).as_posix() in index
        assert f"href='{page.relative_to(root / DAY.isoformat()).as_posix()}'" in plain
        text = page.read_text(encoding="utf-8")
        rules = pesan(result["meta"]["batch_parameters"]["jenis"])
        failed = [r for r in result["results"] if not r["success"]]
        assert result["success"] == (not failed)
        for item in failed:
            config = item["expectation_config"]
            kwargs = config["kwargs"]
            column = kwargs.get("column") or kwargs.get("column_A")
            column = column or (kwargs.get("column_list") or [None])[0]
            meta = rules[(config["meta"]["kode"], config["meta"].get("kolom") or column)]
            assert html.escape(meta["pesan"]) in text, (page, meta["pesan"])
            # its row in the results table shows it failed
            row = text[: text.index(html.escape(meta["pesan"]))].rsplit("<tr", 1)[1]
            assert "fa-times" in row or "text-danger" in row, row
        passed_rules = [r for r in result["results"] if r["success"]]
        assert passed_rules, "the passing expectations are on the page too"
        assert html.escape(passed_rules[0]["expectation_config"]["description"]) in text

    (bad,) = [r for r in results if BAD in r["meta"]["berkas"]]
    assert not bad["success"] and bad["statistics"]["unsuccessful_expectations"] >= 1
    nib = [r for r in bad["results"] if r["expectation_config"]["kwargs"].get("column") == "nib"]
    assert any(not r["success"] and r["result"]["unexpected_count"] >= 20 for r in nib)
    text = page_of(root, bad).read_text(encoding="utf-8")
    assert html.escape(HOSTILE) in text and HOSTILE not in text  # shown, never run
    assert "&lt;b&gt;5&lt;/b&gt;" in text and "<b>5</b>" not in text
    assert f"{DAY}/73/unit_ikm_2023.xlsx" in bad["meta"]["berkas"]  # the partly accepted one
    (bad_id,) = query(url, "select submission_id from audit.submission where path = %s", (BAD,))[0]
    assert f"{BAD} (_berkas {bad_id})" in text  # the run's files, on its page


def test_the_validate_log_links_the_days_data_docs(warehouse, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("IKM_DATA_DOCS_DIR", str(tmp_path / "data_docs"))
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "http://airflow.contoh:8080/")
    with caplog.at_level("INFO", logger="etl.stages.s3_validate.stage"):
        flow.run_day(DAY)
    link = f"http://airflow.contoh:8080{data_docs.ROUTE}/{DAY}/index.html"
    assert any(link in r.getMessage() for r in caplog.records), caplog.text
    assert (tmp_path / "data_docs" / DAY.isoformat() / "index.html").is_file()


def test_validating_the_day_again_replaces_its_runs(day, capsys):
    root = day["root"]
    before = stored(root)
    pages = sorted(p.name for p in (root / DAY.isoformat() / "validations").rglob("*.html"))
    files = sorted(p for r in before for p in r["meta"]["berkas"])

    flow.run_day(DAY)  # nothing changed: nothing validated, the site stays
    assert stored(root) == before

    flow.process_files(DAY, files, force=True)  # every file validated again
    again = stored(root)
    assert len(again) == len(before)
    assert sorted(p for r in again for p in r["meta"]["berkas"]) == files
    assert {r["meta"]["run_id"]["run_time"] for r in again}.isdisjoint(
        {r["meta"]["run_id"]["run_time"] for r in before}
    )
    after = sorted(p.name for p in (root / DAY.isoformat() / "validations").rglob("*.html"))
    assert len(after) == len(pages)  # the replaced runs' pages are gone

    # One file again, twice: a run of its own, replaced the second time; the batch run that
    # also covered the others stays, still their latest word.
    for _ in range(2):
        flow.process_files(DAY, [BAD], force=True, whole_day=False)
        runs = [r["meta"]["berkas"] for r in stored(root)]
        assert len(runs) == len(before) + 1 and runs.count([BAD]) == 1

    index = root / DAY.isoformat() / "index.html"
    index.unlink()
    assert main(["data-docs", DAY.isoformat()]) == 0  # rebuilt from the stored results
    assert index.is_file() and str(index) in capsys.readouterr().out
    rebuilt = sorted(p.name for p in (root / DAY.isoformat() / "validations").rglob("*.html"))
    assert len(rebuilt) == len(pages) + 1
    assert not [p for p in root.iterdir() if p.name.startswith(".")]  # no build left over
