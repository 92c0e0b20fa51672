"""Airflow plugin: the feedback reports of the offices and the Great Expectations Data Docs,
readable from the Airflow UI.

Mounted by the api-server at ``/umpan-balik/``: ``/umpan-balik/<date>/<office>/<file>`` is the
report that the task log of ``publish`` links for each rejected or partly accepted file, and
the "Umpan balik" entry in the UI's navigation lists them. Only logged-in Airflow users can read
them (the reports quote the rejected values). Files are served as plain text, never rendered,
and only from inside the feedback folder.

And at ``/data-docs/``: ``/data-docs/<date>/index.html`` is the static site GX built from that
arrival day's validation results (``etl/stages/s3_validate/data_docs.py``), which the task log
of ``validate`` links; the "Data Docs" entry lists the days. Logged-in users only too, and only
the day folders' pages and their assets.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import ClassVar

from airflow.api_fastapi.core_api.security import get_user
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

PREFIX = "/umpan-balik"
MEDIA = {".md": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8"}
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
"""A report quotes what offices sent (HTML too): browsers must show it as text, never sniff it
as a page or run anything in it."""


DOCS_PREFIX = "/data-docs"
DOCS_MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".ico": "image/x-icon",
    ".png": "image/png",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".otf": "font/otf",
}
GX_CDN = {
    "script-src": (
        "https://cdn.jsdelivr.net/npm/vega@5",
        "https://cdn.jsdelivr.net/npm/vega-lite@5",
        "https://cdn.jsdelivr.net/npm/vega-embed@6",
        "https://code.jquery.com/jquery-3.7.1.min.js",
        "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/",
        "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/",
        "https://unpkg.com/bootstrap-table@1.19.1/",
        "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/",
    ),
    "style-src": (
        "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/",
        "https://unpkg.com/bootstrap-table@1.19.1/",
        "https://unpkg.com/bootstrap-table@1.19.0/",
        "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/",
        "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/",
        "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/",
    ),
    "font-src": ("https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/",),
    "img-src": ("https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/",),
}
"""What GX 1.x's page templates load from CDNs: those libraries, not whole hosts (a CDN host
serves anyone's code)."""
DOCS_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; "
    + "; ".join(
        f"{kind} {extra} {' '.join(GX_CDN[kind])}"
        for kind, extra in (
            ("script-src", "'unsafe-inline'"),
            ("style-src", "'self' 'unsafe-inline'"),
            ("font-src", "'self' data:"),
            ("img-src", "'self' data:"),
        )
    )
    + "; connect-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'",
}
"""GX's pages need their scripts (inline ones too), styles and images: not the reports'
sandbox, but nothing else loads and nothing is sent anywhere. The offices' values on them were
escaped when the site was built, so none of them is markup."""
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _root() -> Path:
    from etl.settings import get_settings

    return get_settings().feedback_dir


def _docs_root() -> Path:
    from etl.settings import get_settings

    return get_settings().data_docs_dir


def _inside(root: Path, rel: str) -> Path:
    """The path under root that rel names; 404 for anything else (``..``, links, absolute)."""
    parts = [p for p in rel.split("/") if p]
    if any(p in (".", "..") or "\x00" in p for p in parts):
        raise HTTPException(status_code=404)
    path = root.joinpath(*parts)
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            raise HTTPException(status_code=404)
    if not path.resolve().is_relative_to(root.resolve()) or not path.exists():
        raise HTTPException(status_code=404)
    return path


app = FastAPI(title="Umpan balik IKM", dependencies=[Depends(get_user)])


@app.get("/", response_class=HTMLResponse)
@app.get("/{rel:path}")
def umpan_balik(rel: str = ""):
    root = _root()
    if not root.is_dir():
        raise HTTPException(status_code=404, detail="belum ada umpan balik")
    path = _inside(root, rel)
    if path.is_file():
        return FileResponse(
            path,
            media_type=MEDIA.get(path.suffix, "text/plain; charset=utf-8"),
            headers=SAFE_HEADERS,
        )
    base = f"{PREFIX}/{rel.strip('/')}/".replace("//", "/")
    items = sorted(os.scandir(path), key=lambda e: e.name, reverse=not rel)
    links = "".join(
        f"<li><a href='{html.escape(base + e.name)}{'/' if e.is_dir() else ''}'>"
        f"{html.escape(e.name)}</a></li>"
        for e in items
        if not e.is_symlink()
    )
    title = html.escape(rel or "semua tanggal tiba")
    return HTMLResponse(
        f"<!doctype html><meta charset='utf-8'><title>Umpan balik: {title}</title>"
        f"<h1>Umpan balik kepada kantor daerah: {title}</h1><ul>{links}</ul>"
    )


docs_app = FastAPI(title="Data Docs IKM", dependencies=[Depends(get_user)])


@docs_app.get("/", response_class=HTMLResponse)
@docs_app.get("/{rel:path}")
def data_docs(rel: str = ""):
    """A day's site (``<day>/...``), or the list of days; nothing outside the day folders
    (the stored results beside them are not for the browser)."""
    root, rel = _docs_root(), rel.strip("/")
    if not root.is_dir():
        raise HTTPException(status_code=404, detail="belum ada Data Docs")
    if not rel:
        days = sorted(
            (
                e.name
                for e in os.scandir(root)
                if DAY.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
            ),
            reverse=True,
        )
        links = "".join(f"<li><a href='{DOCS_PREFIX}/{d}/index.html'>{d}</a></li>" for d in days)
        return HTMLResponse(
            "<!doctype html><meta charset='utf-8'><title>Data Docs</title>"
            f"<h1>Data Docs Great Expectations per tanggal tiba</h1><ul>{links}</ul>",
            headers=DOCS_HEADERS,
        )
    if not DAY.fullmatch(rel.split("/", 1)[0]):
        raise HTTPException(status_code=404)
    path = _inside(root, rel)
    if path.is_dir() and (path / "index.html").is_file():
        return RedirectResponse(f"{DOCS_PREFIX}/{rel}/index.html")
    if not path.is_file() or path.suffix not in DOCS_MEDIA:
        raise HTTPException(status_code=404)
    return FileResponse(path, media_type=DOCS_MEDIA[path.suffix], headers=DOCS_HEADERS)


class UmpanBalikPlugin(AirflowPlugin):
    name = "ikm_umpan_balik"
    fastapi_apps: ClassVar[list[dict]] = [
        {"app": app, "url_prefix": PREFIX, "name": "Umpan balik kantor daerah"},
        {"app": docs_app, "url_prefix": DOCS_PREFIX, "name": "Data Docs Great Expectations"},
    ]
    external_views: ClassVar[list[dict]] = [
        {
            "name": "Umpan balik",
            "href": f"{PREFIX}/",
            "destination": "nav",
            "url_route": "umpan-balik",
        },
        {
            "name": "Data Docs",
            "href": f"{DOCS_PREFIX}/",
            "destination": "nav",
            "url_route": "data-docs",
        },
    ]
