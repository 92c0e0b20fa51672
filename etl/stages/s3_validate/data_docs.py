"""Great Expectations Data Docs: every suite run of an arrival day, kept as GX validation
results and rendered by GX's own site builder into one static site per day.

``<data_docs_dir>/_hasil/<day>/`` is the day's validations store (GX's filesystem store: one
JSON ExpectationSuiteValidationResult per suite run, ``<suite>/<jenis>_<periode>/<run
time>/<files>.json``); ``<data_docs_dir>/<day>/index.html`` is the site, served in Airflow by
``plugins/ikm_umpan_balik.py`` at ``/data-docs/<day>/`` and linked from the validate task's
log. Validating a file again replaces the runs that covered only files validated again, so a
re-run or a reprocess of a day never piles up copies of the same run. ``python -m etl
data-docs <day>`` rebuilds a day's site from its stored results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from etl.contract import get_kind
from etl.settings import get_settings
from etl.stages.s3_validate import gx

ROUTE = "/data-docs"
"""Where the Airflow plugin ``plugins/ikm_umpan_balik.py`` serves the Data Docs folder."""
STORE_FOLDER = "_hasil"
"""The stored results, beside the sites (never served: the plugin serves day folders only)."""

log = logging.getLogger(__name__)


def site_dir(tanggal: dt.date) -> Path:
    return get_settings().data_docs_dir / tanggal.isoformat()


def store_dir(tanggal: dt.date) -> Path:
    return get_settings().data_docs_dir / STORE_FOLDER / tanggal.isoformat()


def _store(folder: Path):
    """The day's validations store: GX's own, on the filesystem."""
    from great_expectations.data_context.store import ValidationResultsStore

    return ValidationResultsStore(
        store_backend={"class_name": "TupleFilesystemStoreBackend", "base_directory": str(folder)}
    )


def _label(paths: list[str]) -> str:
    """The batch identifier of a run (a file name in the store and the site): its one file
    (office and name), or how many files it held."""
    if len(paths) > 1:
        return f"{len(paths)}_berkas"
    _, office, name = paths[0].split("/", 2)
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"{office}_{name}")


def forget(tanggal: dt.date, paths: Iterable[str]) -> int:
    """Drop the day's stored runs that covered only files among ``paths`` (about to be
    validated again); return how many. A run that also covered other files stays: it is still
    the latest word on those."""
    folder = store_dir(tanggal)
    if not folder.is_dir():
        return 0
    store, again, dropped = _store(folder), set(paths), 0
    for key in store.list_keys():
        if set(store.get(key).meta.get("berkas") or ()) <= again:
            store.remove_key(key)
            dropped += 1
    return dropped


def keep(tanggal: dt.date, jenis: str, periode: str, files: dict[int, str], result: dict) -> str:
    """Store one suite run's GX result for the day, with the files it covered (submission id
    → path: the id is the ``_berkas`` of the flagged rows on its page); return the path of its
    page in the day's site."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    paths = sorted(files.values())
    run_id = RunIdentifier(run_name=f"{jenis}_{periode}", run_time=dt.datetime.now(dt.UTC))
    key = ValidationResultIdentifier(
        ExpectationSuiteIdentifier(name=result["suite_name"]), run_id, _label(paths)
    )
    meta = dict(result.get("meta") or {})
    meta["run_id"] = run_id.to_json_dict()
    meta["validation_time"] = run_id.run_time.isoformat()
    meta["berkas"] = paths
    meta["batch_parameters"] = {
        "tanggal_tiba": tanggal.isoformat(),
        "jenis": jenis,
        "periode": periode,
        "berkas": ", ".join(f"{path} (_berkas {i})" for i, path in sorted(files.items())),
    }
    _store(store_dir(tanggal)).set(key, _loaded(result | {"meta": meta}))
    return "/".join(("validations", *key.to_tuple())) + ".html"


def _escaped(value: Any) -> Any:
    """Every text inside, HTML-escaped: GX's templates insert values raw, and the values are
    what offices sent (a cell ``<script>`` must show as text, never run in Airflow's UI)."""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {_escaped(k): _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    return value


def _loaded(data: dict[str, Any]):
    """A GX result from its JSON."""
    from great_expectations.core.expectation_validation_result import (
        expectationSuiteValidationResultSchema,
    )

    return expectationSuiteValidationResultSchema.load(data)


def _safe(validation):
    """The stored run as the site may render it: office data and file names escaped."""
    data = validation.to_json_dict()
    for item in data["results"]:
        for field in ("result", "exception_info"):
            item[field] = _escaped(item.get(field))
        config = item["expectation_config"]
        if config.get("description"):
            config["description"] = html.escape(config["description"])
    data["meta"]["batch_parameters"] = _escaped(data["meta"].get("batch_parameters") or {})
    return _loaded(data)


def _site_context(folder: Path):
    """An in-memory GX context whose one Data Docs site is ``folder``."""
    import great_expectations as gx_api
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(folder),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "site_section_builders": {"profiling": "False"},
    }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        data_docs_sites={"hari": site},
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx_api.get_context(mode="ephemeral", project_config=config)


def build(tanggal: dt.date) -> Path:
    """Render the day's stored runs with GX's site builder; return the site's index page.

    The site is built whole into a fresh folder and then put in place of the old one, so a
    page of a run since replaced never lingers and a reader never sees half a site.
    """
    root = get_settings().data_docs_dir
    root.mkdir(parents=True, exist_ok=True)
    folder = store_dir(tanggal)
    fresh = Path(tempfile.mkdtemp(prefix=f".{tanggal}-baru-", dir=root))
    try:
        context = _site_context(fresh)
        suites: set[str] = set()
        if folder.is_dir():
            store = _store(folder)
            for key in store.list_keys():
                validation = store.get(key)
                context.validation_results_store.set(key, _safe(validation))
                suites.add(validation.meta["batch_parameters"]["jenis"])
        for jenis in sorted(suites):  # the suites' own pages, which the run pages link to
            context.suites.add(gx.load_suite(get_kind(jenis)))
        context.build_data_docs()
        _prune_static(fresh)
        _list_runs_without_scripts(fresh)
        os.chmod(fresh, 0o755)  # noqa: S103 (mkdtemp's 0700; the api-server may be another user)
        site = site_dir(tanggal)
        old = site.rename(root / f".{tanggal}-lama-{time.time_ns()}") if site.exists() else None
        fresh.rename(site)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return site / "index.html"


def _list_runs_without_scripts(site: Path) -> None:
    """GX's index lists the runs through bootstrap-table, a script from a public CDN: on a
    network without the internet (a ministry's, this machine's) the list stays empty. The
    index also gets the same links as plain HTML, at its top."""
    index = site / "index.html"
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "validations").rglob("*.html"))
    if not index.is_file() or not pages:
        return
    items = "".join(
        f"<li><a href='{html.escape(rel)}'>{html.escape(' / '.join(rel.split('/')[1:]))}</a></li>"
        for rel in pages
    )
    block = (
        "<section id='daftar-hasil' class='container-fluid'>"
        f"<h2>Hasil validasi hari ini ({len(pages)})</h2><ul>{items}</ul></section>"
    )
    text = index.read_text(encoding="utf-8")
    text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + block, text, count=1)
    index.write_text(text, encoding="utf-8")


def _prune_static(site: Path) -> None:
    """Drop the static files no page uses: GX copies 4 MB of them (the animations of its
    how-to buttons, which these sites hide) into every day's site."""
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    used = {m for page in pages for m in re.findall(r"static/([^\"'\s)]+)", page)}
    for path in (site / "static").rglob("*"):
        if path.is_file() and path.relative_to(site / "static").as_posix() not in used:
            path.unlink()
    for folder in sorted((site / "static").rglob("*"), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def site_link(tanggal: dt.date) -> str:
    """The day's Data Docs in the Airflow UI (the index page's path when Airflow's URL is
    unknown)."""
    base = os.environ.get("AIRFLOW__API__BASE_URL", "").rstrip("/")
    if base:
        return f"{base}{ROUTE}/{tanggal.isoformat()}/index.html"
    return str(site_dir(tanggal) / "index.html")


def _rebuild(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    index = build(args.tanggal)
    print(f"{index} ({time.perf_counter() - started:.1f} s)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "data-docs", help="rebuild an arrival day's GX Data Docs from its stored results"
    )
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.set_defaults(func=_rebuild)
