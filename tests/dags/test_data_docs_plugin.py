"""The Data Docs of an arrival day in the Airflow UI (plugin ``ikm_umpan_balik``, mount
``/data-docs``): served to logged-in users only, through Airflow's own authentication (its
auth manager and a JWT of its own, checked against its metadata database), and nothing outside
the day folders."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from starlette.testclient import TestClient

from etl import flow

pytestmark = pytest.mark.dags

DAY = dt.date(2024, 3, 11)


@pytest.fixture
def served(airflow_home, warehouse, tmp_path, monkeypatch) -> dict:
    """A day run end to end, its Data Docs served by the plugin's app, and a logged-in
    user's token."""
    from airflow.api_fastapi.app import init_auth_manager
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    root = tmp_path / "data_docs"
    monkeypatch.setenv("IKM_DATA_DOCS_DIR", str(root))
    flow.run_day(DAY)
    (tmp_path / "rahasia.txt").write_text("jangan dibaca")
    os.symlink(tmp_path / "rahasia.txt", root / DAY.isoformat() / "tautan.html")
    plugin = pytest.importorskip("plugins.ikm_umpan_balik")
    token = init_auth_manager().generate_jwt(SimpleAuthManagerUser(username="admin", role="admin"))
    return {
        "client": TestClient(plugin.docs_app, follow_redirects=False),
        "token": token,
        "root": root,
        "plugin": plugin,
    }


def test_data_docs_are_served_to_logged_in_users_only(served):
    client, token = served["client"], served["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    index = f"/{DAY}/index.html"
    assert client.get(index).status_code == 401
    assert client.get("/").status_code == 401
    assert client.get(index, headers={"Authorization": "Bearer palsu"}).status_code == 403

    response = client.get(index, headers=bearer)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    pages = set(re.findall(r"validations/[^\"'\s]+\.html", response.text))
    assert pages
    for page in pages:
        shown = client.get(f"/{DAY}/{page}", headers=bearer)
        assert shown.status_code == 200
        assert "wajib diisi" in shown.text  # the suites' Indonesian descriptions
    with TestClient(served["plugin"].docs_app, cookies={"_token": token}) as browser:
        assert browser.get(index).status_code == 200  # the UI's session cookie works too

    listing = client.get("/", headers=bearer)
    assert listing.status_code == 200 and f"/data-docs/{DAY}/index.html" in listing.text
    folder = client.get(f"/{DAY}/", headers=bearer)
    assert folder.status_code in (302, 307) and folder.headers["location"].endswith(index)
    icon = client.get(f"/{DAY}/static/images/favicon.ico", headers=bearer)
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"


def test_data_docs_stay_inside_the_day_folders(served):
    client, bearer = served["client"], {"Authorization": f"Bearer {served['token']}"}
    stored = next((served["root"] / "_hasil" / DAY.isoformat()).rglob("*.json"))
    for path in [
        f"/_hasil/{stored.relative_to(served['root'] / '_hasil').as_posix()}",
        f"/{DAY}/%2e%2e/_hasil/{DAY}/.ge_store_backend_id",
        f"/{DAY}/%2e%2e/%2e%2e/rahasia.txt",
        "/%2e%2e/rahasia.txt",
        f"/{DAY}/tautan.html",  # a link, even to a page
        f"/{DAY}/tidak_ada.html",
        f"/{DAY}/..%2f..%2frahasia.txt",
    ]:
        assert client.get(path, headers=bearer).status_code == 404, path


def test_the_policy_lets_gx_pages_load_what_they_need(served):
    """Every script and stylesheet the built pages load from elsewhere is one the policy
    names; a GX upgrade that moves them fails here, not silently in the browser."""
    policy = served["plugin"].GX_CDN
    for page in (served["root"] / DAY.isoformat()).rglob("*.html"):
        if page.is_symlink():
            continue
        text = page.read_text(encoding="utf-8")
        for kind, urls in (
            ("script-src", re.findall(r'<script[^>]+src="(https://[^"]+)"', text)),
            ("style-src", re.findall(r'<link[^>]+href="(https://[^"]+)"', text)),
        ):
            for url in urls:
                allowed = [
                    s for s in policy[kind] if url == s or (s.endswith("/") and url.startswith(s))
                ]
                assert allowed, (page.name, kind, url)
