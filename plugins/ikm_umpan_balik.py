"""Airflow plugin: the feedback reports of the offices, readable from the Airflow UI.

Mounted by the api-server at ``/umpan-balik/``: ``/umpan-balik/<date>/<office>/<file>`` is the
report that the task log of ``publish`` links for each rejected or partly accepted file, and
the "Umpan balik" entry in the UI's navigation lists them. Only logged-in Airflow users can read
them (the reports quote the rejected values). Files are served as plain text, never rendered,
and only from inside the feedback folder.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import ClassVar

from airflow.api_fastapi.core_api.security import get_user
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

PREFIX = "/umpan-balik"
MEDIA = {".md": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8"}
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
"""A report quotes what offices sent (HTML too): browsers must show it as text, never sniff it
as a page or run anything in it."""


def _root() -> Path:
    from etl.settings import get_settings

    return get_settings().feedback_dir


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


class UmpanBalikPlugin(AirflowPlugin):
    name = "ikm_umpan_balik"
    fastapi_apps: ClassVar[list[dict]] = [
        {"app": app, "url_prefix": PREFIX, "name": "Umpan balik kantor daerah"}
    ]
    external_views: ClassVar[list[dict]] = [
        {
            "name": "Umpan balik",
            "href": f"{PREFIX}/",
            "destination": "nav",
            "url_route": "umpan-balik",
        }
    ]
