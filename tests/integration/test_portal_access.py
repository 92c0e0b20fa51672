"""Who sees what in the offices' portal, tried on every route: each forbidden thing is
attempted and must be refused, with nothing landed and nothing shown.

The portal runs in-process (Starlette's TestClient, a real ASGI call) on a warehouse loaded
with the samples' nights; accounts are made as an administrator makes them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import logging
import time
import uuid
from pathlib import Path

import itsdangerous
import pytest
from starlette.testclient import TestClient

from etl.portal import accounts
from etl.portal.app import create_app
from etl.portal.uploads import today
from etl.warehouse import connect
from tests.support.factories import HEADER, unit_ikm_row
from tests.support.portal import PASSWORD, SECRET, csrf_of, portal, unit_ikm_workbook  # noqa: F401

pytestmark = pytest.mark.integration

SURABAYA_ROWS = [
    unit_ikm_row(
        f"35780000000{i:02d}",
        kode_kabkota="3578",
        nama_usaha=f"UD Uji {i}",
        tanggal_pendataan="2024-05-30",
    )
    for i in range(1, 6)
]


def client() -> TestClient:
    return TestClient(create_app(), follow_redirects=False)


def login(name: str, password: str = PASSWORD) -> TestClient:
    c = client()
    token = csrf_of(c.get("/masuk").text)
    r = c.post("/masuk", data={"csrf": token, "nama_pengguna": name, "sandi": password})
    assert r.status_code == 303, r.text
    return c


def upload(c: TestClient, name: str, data: bytes, token: str | None = None):
    token = token if token is not None else csrf_of(c.get("/unggah").text)
    return c.post("/unggah", data={"csrf": token}, files={"berkas": (name, data)})


def landed(portal) -> list[Path]:  # noqa: F811
    """Files in today's arrival day (where the portal lands) or half-written beside it."""
    folders = (portal.landing / today().isoformat(), portal.landing / ".portal-sementara")
    return sorted(p for f in folders for p in f.rglob("*") if p.is_file())


def kept(portal) -> list[Path]:  # noqa: F811
    """The uploads the portal keeps aside (one folder each)."""
    return sorted(portal.folder.iterdir())


def submission_of(office: str) -> int:
    with connect() as conn:
        (sid,) = conn.execute(
            "select min(submission_id) from audit.submission where kode_wilayah = %s", (office,)
        ).fetchone()
    return sid


ROUTES_GET = ["/", "/status", "/riwayat", "/templat", "/unggah", "/templat/unduh?jenis=unit_ikm"]


@pytest.mark.parametrize("route", [*ROUTES_GET, "/umpan-balik/1", f"/unggahan/{uuid.uuid4()}"])
def test_anonymous_is_sent_to_the_login(portal, route):  # noqa: F811
    r = client().get(route)
    assert r.status_code == 303 and r.headers["location"] == "/masuk"


@pytest.mark.parametrize("route", ["/keluar", "/unggah", f"/unggahan/{uuid.uuid4()}/kirim"])
def test_anonymous_posts_are_refused(portal, route):  # noqa: F811
    before, sent_before = kept(portal), landed(portal)
    c = client()
    token = csrf_of(c.get("/masuk").text)
    r = c.post(route, data={"csrf": token}, files={"berkas": ("unit_ikm_2023.csv", b"a,b\n")})
    assert r.status_code == 401
    assert kept(portal) == before and landed(portal) == sent_before


def test_a_wrong_password_is_refused_and_logins_are_throttled(portal, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    c = client()
    token = csrf_of(c.get("/masuk").text)
    for _ in range(5):
        r = c.post("/masuk", data={"csrf": token, "nama_pengguna": "malang", "sandi": "salah-x"})
        assert r.status_code == 401 and "salah" in r.text
    # the sixth try is refused even with the right password, before it is checked
    r = c.post("/masuk", data={"csrf": token, "nama_pengguna": "malang", "sandi": PASSWORD})
    assert r.status_code == 429 and "Tunggu 15 menit" in r.text
    assert "ikm_portal" not in c.cookies or "pengguna" not in _session(c)
    with connect() as conn:
        conn.execute("delete from portal.percobaan_masuk where nama_pengguna = 'malang'")
    login("malang")  # the window passed (here: the attempts are gone), the account works
    assert PASSWORD not in caplog.text and "salah-x" not in caplog.text
    assert SECRET not in caplog.text


def test_an_unknown_user_is_refused_like_a_wrong_password(portal):  # noqa: F811
    c = client()
    token = csrf_of(c.get("/masuk").text)
    r = c.post("/masuk", data={"csrf": token, "nama_pengguna": "tidakada", "sandi": PASSWORD})
    assert r.status_code == 401 and "Nama pengguna atau kata sandi salah" in r.text


def test_login_without_the_csrf_token_is_refused(portal):  # noqa: F811
    c = client()
    c.get("/masuk")
    r = c.post("/masuk", data={"nama_pengguna": "surabaya", "sandi": PASSWORD})
    assert r.status_code == 403


def _session(c: TestClient) -> dict:
    cookie = c.cookies.get("ikm_portal")
    if not cookie:
        return {}
    data = itsdangerous.TimestampSigner(SECRET).unsign(cookie)
    return json.loads(base64.b64decode(data))


def _cookie(payload: dict, secret: str = SECRET, age: int = 0) -> str:
    data = base64.b64encode(json.dumps(payload).encode())
    signer = itsdangerous.TimestampSigner(secret)
    if age:
        signer.get_timestamp = lambda: int(time.time()) - age  # type: ignore[method-assign]
    return signer.sign(data).decode()


def test_the_session_cookie_is_signed_http_only_and_expires(portal):  # noqa: F811
    c = client()
    token = csrf_of(c.get("/masuk").text)
    r = c.post("/masuk", data={"csrf": token, "nama_pengguna": "surabaya", "sandi": PASSWORD})
    header = r.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header and "max-age=28800" in header
    assert PASSWORD not in r.headers["set-cookie"]


def test_a_forged_or_expired_session_is_refused(portal):  # noqa: F811
    session = _session(login("surabaya"))
    forged = client()
    forged.cookies.set("ikm_portal", _cookie(session, secret="bukan-rahasianya"))
    assert forged.get("/status").headers.get("location") == "/masuk"
    # a cookie signed with the right key but older than the session lifetime
    old = client()
    old.cookies.set("ikm_portal", _cookie(session, age=9 * 3600))
    assert old.get("/status").headers.get("location") == "/masuk"
    # the cookie's signature renewed, but the login itself older than the lifetime
    stale = client()
    stale.cookies.set("ikm_portal", _cookie(session | {"sejak": time.time() - 9 * 3600}))
    assert stale.get("/status").headers.get("location") == "/masuk"
    # another user's id in a cookie not signed by the portal
    other = client()
    other.cookies.set("ikm_portal", _cookie(session | {"pengguna": 1}, secret="x"))
    assert other.get("/status").headers.get("location") == "/masuk"
    ok = client()
    ok.cookies.set("ikm_portal", _cookie(session))
    assert ok.get("/status").status_code == 200


def test_a_password_change_or_deactivation_ends_earlier_sessions(portal):  # noqa: F811
    c = login("semarang")
    assert c.get("/status").status_code == 200
    with connect() as conn:
        accounts.set_password(conn, "semarang", PASSWORD)
    assert c.get("/status").headers.get("location") == "/masuk"
    c = login("semarang")
    with connect() as conn:
        accounts.deactivate(conn, "semarang")
    assert c.get("/status").headers.get("location") == "/masuk"
    with connect() as conn:
        conn.execute("update portal.pengguna set aktif = true where nama_pengguna = 'semarang'")


def test_logout_needs_the_token_and_ends_the_session(portal):  # noqa: F811
    c = login("surabaya")
    assert c.post("/keluar", data={"csrf": "palsu"}).status_code == 403
    assert c.get("/status").status_code == 200
    token = csrf_of(c.get("/status").text)
    assert c.post("/keluar", data={"csrf": token}).headers["location"] == "/masuk"
    assert c.get("/status").headers.get("location") == "/masuk"


def test_a_kabkota_sees_only_its_own_office(portal):  # noqa: F811
    c = login("surabaya")
    page = c.get("/status").text
    assert "Kota Surabaya" in page or "3578" in page
    for other in ("3573", "35", "32", "1371"):
        assert c.get(f"/status?kantor={other}").status_code == 403
        assert c.get(f"/riwayat?kantor={other}").status_code == 403
    assert c.get(f"/umpan-balik/{submission_of('32')}").status_code == 404
    assert c.get(f"/umpan-balik/{submission_of('32')}/baris_ditolak.csv").status_code == 404
    own = c.get(f"/umpan-balik/{submission_of('3578')}")
    assert own.status_code == 200 and "Umpan balik pengiriman" in own.text
    assert "Tingkat pelaporan" not in page


def test_a_province_sees_its_kabkota_but_not_another_province(portal):  # noqa: F811
    c = login("jatim")
    page = c.get("/status").text
    assert "Tingkat pelaporan" in page and "3578" in page
    assert c.get("/status?kantor=3578").status_code == 200
    assert c.get(f"/umpan-balik/{submission_of('3578')}").status_code == 200
    for other in ("32", "3372", "73"):
        assert c.get(f"/status?kantor={other}").status_code == 403
    assert c.get(f"/umpan-balik/{submission_of('32')}").status_code == 404
    assert "3201" not in page and "Jawa Barat" not in page


def test_the_ministry_sees_every_office_but_sends_nothing(portal):  # noqa: F811
    c = login("pusat")
    assert c.get("/status?kantor=32").status_code == 200
    assert c.get(f"/umpan-balik/{submission_of('32')}").status_code == 200
    r = upload(c, "unit_ikm_2023.csv", b"nib\n")
    assert r.status_code == 403
    assert not landed(portal)


HOSTILE_NAMES = [
    "../unit_ikm_2023.csv",
    "../../etc/unit_ikm_2023.csv",
    "a/unit_ikm_2023.csv",
    "unit_ikm_2023.csv\x00.xlsx",
    "unit_ikm..2023.csv",
    "..",
    "unit_ikm_2023.exe",
    "catatan.csv",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_file_name_is_refused_and_nothing_kept(portal, name):  # noqa: F811
    before, sent_before = kept(portal), landed(portal)
    c = login("surabaya")
    r = upload(c, name, b"nib,nama_usaha\n1,2\n")
    assert r.status_code == 400, r.text
    assert kept(portal) == before and landed(portal) == sent_before


@pytest.mark.parametrize(
    "name, data",
    [
        ("unit_ikm_2023.xlsx", b"MZ\x90\x00 an executable"),
        ("unit_ikm_2023.xlsx", b"nib,nama_usaha\n1,2\n"),
        ("unit_ikm_2023.csv", b"PK\x03\x04" + b"\x00" * 100),
        ("unit_ikm_2023.xls", b"\x7fELF\x02\x01\x01"),
        ("unit_ikm_2023.ods", b"<html><table></table></html>"),
    ],
)
def test_a_file_whose_extension_lies_is_refused(portal, name, data):  # noqa: F811
    before, sent_before = kept(portal), landed(portal)
    c = login("surabaya")
    r = upload(c, name, data)
    assert r.status_code == 400 and "tidak sesuai dengan ekstensinya" in r.text
    assert kept(portal) == before and landed(portal) == sent_before


def test_an_oversize_upload_is_refused_before_it_is_read(portal, monkeypatch):  # noqa: F811
    before, sent_before = kept(portal), landed(portal)
    monkeypatch.setenv("IKM_PORTAL_BATAS_UNGGAH_MB", "1")
    c = login("surabaya")
    r = upload(c, "unit_ikm_2023.csv", b"nib\n" + b"1234567890123\n" * 100_000)
    assert r.status_code == 413
    assert kept(portal) == before and landed(portal) == sent_before


def test_an_upload_without_the_csrf_token_is_refused(portal):  # noqa: F811
    before, sent_before = kept(portal), landed(portal)
    c = login("surabaya")
    data = unit_ikm_workbook(SURABAYA_ROWS, HEADER)
    assert upload(c, "unit_ikm_2023.xlsx", data, token="").status_code == 403
    assert upload(c, "unit_ikm_2023.xlsx", data, token="palsu").status_code == 403
    assert kept(portal) == before and landed(portal) == sent_before


def test_upload_check_and_send_stays_within_the_office(portal):  # noqa: F811
    c = login("surabaya")
    with connect() as conn:
        before = conn.execute("select count(*) from audit.submission").fetchone()
    r = upload(c, "unit_ikm_2024.xlsx", unit_ikm_workbook(SURABAYA_ROWS, HEADER))
    assert r.status_code == 303
    result_url = r.headers["location"]
    page = c.get(result_url).text
    assert "DITERIMA" in page, page
    with connect() as conn:  # a dry run: nothing in the warehouse changed
        assert conn.execute("select count(*) from audit.submission").fetchone() == before
    # another kab/kota, another province, cannot see it or send it
    for name in ("malang", "semarang", "jabar"):
        other = login(name)
        assert other.get(result_url).status_code == 404
        token = csrf_of(other.get("/status").text)
        assert other.post(result_url + "/kirim", data={"csrf": token}).status_code == 404
    # its province sees it but cannot send it for the office
    province = login("jatim")
    assert province.get(result_url).status_code == 200
    token = csrf_of(province.get("/status").text)
    assert province.post(result_url + "/kirim", data={"csrf": token}).status_code == 403
    assert not landed(portal)
    # a send without the token is refused; with it, the file lands once
    assert c.post(result_url + "/kirim", data={"csrf": "palsu"}).status_code == 403
    token = csrf_of(c.get(result_url).text)
    sent = c.post(result_url + "/kirim", data={"csrf": token})
    assert sent.status_code == 200, sent.text
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date().isoformat()
    target = portal.landing / today / "3578" / "unit_ikm_2024.xlsx"
    with connect() as conn:
        (sha,) = conn.execute(
            "select sha256 from portal.unggahan where path_kirim = %s",
            (f"{today}/3578/unit_ikm_2024.xlsx",),
        ).fetchone()
    assert hashlib.sha256(target.read_bytes()).hexdigest() == sha
    assert c.post(result_url + "/kirim", data={"csrf": token}).status_code == 409
    # a second upload of the same name the same day never overwrites the landed file
    again = upload(c, "unit_ikm_2024.xlsx", unit_ikm_workbook(SURABAYA_ROWS[:2], HEADER))
    url = again.headers["location"]
    r = c.post(url + "/kirim", data={"csrf": csrf_of(c.get(url).text)})
    assert r.status_code == 409 and "_revisi1" in r.text
    assert len(list(target.parent.iterdir())) == 1
    assert not list((portal.landing / ".portal-sementara").iterdir())


def test_an_unknown_upload_id_is_not_found(portal):  # noqa: F811
    c = login("surabaya")
    assert c.get("/unggahan/bukan-uuid").status_code == 404
    assert c.get(f"/unggahan/{uuid.uuid4()}").status_code == 404


def test_logs_never_hold_passwords_or_secrets(portal, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    c = login("jabar")
    c.get("/status")
    c.post(
        "/masuk",
        data={
            "csrf": csrf_of(c.get("/masuk").text),
            "nama_pengguna": "jabar",
            "sandi": "Sandi-Salah-Sekali",
        },
    )
    text = caplog.text + io.StringIO().getvalue()
    assert "masuk: jabar" in text
    for secret in (PASSWORD, "Sandi-Salah-Sekali", SECRET):
        assert secret not in text


def test_an_upload_of_unknown_length_is_refused(portal):  # noqa: F811
    before, sent_before = kept(portal), landed(portal)
    c = login("surabaya")
    token = csrf_of(c.get("/unggah").text)
    boundary = "batas"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; '
        'filename="unit_ikm_2023.csv"\r\n\r\nnib\r\n1\r\n'
        f"--{boundary}--\r\n"
    ).encode()

    def chunks():  # streamed: no Content-Length header
        yield body

    r = c.post(
        "/unggah",
        content=chunks(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 411
    assert kept(portal) == before and landed(portal) == sent_before


def test_a_long_check_goes_on_in_the_background_with_its_progress_shown(portal, monkeypatch):  # noqa: F811
    monkeypatch.setenv("IKM_PORTAL_TUNGGU_DETIK", "0")
    rows = [
        unit_ikm_row(f"3578{i:09d}", kode_kabkota="3578", tanggal_pendataan="2024-02-01")
        for i in range(20_000)
    ]
    buffer = io.StringIO()
    buffer.write(",".join(HEADER) + "\n")
    for row in rows:
        buffer.write(",".join(str(row[h]) for h in HEADER) + "\n")
    c = login("surabaya")
    r = upload(c, "unit_ikm_2024_besar.csv", buffer.getvalue().encode())
    url = r.headers["location"]
    first = c.get(url).text
    assert "Sedang diperiksa" in first and 'http-equiv="refresh"' in first
    deadline = time.monotonic() + 120
    while "Sedang diperiksa" in (page := c.get(url).text):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    assert "DITERIMA" in page and "20000" in page
    assert 'http-equiv="refresh"' not in page


def test_accounts_are_made_from_the_command_line(portal):  # noqa: F811
    import subprocess
    import sys

    def akun(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "etl", "akun", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    made = akun(
        "tambah", "petugas.baru", "--kantor", "3578", "--sandi-stdin", stdin="Sandi-Baru-123\n"
    )
    assert made.returncode == 0, made.stderr
    login("petugas.baru", "Sandi-Baru-123")
    assert "Sandi-Baru-123" not in made.stdout + made.stderr
    assert (
        akun(
            "tambah", "x.lain", "--kantor", "9999", "--sandi-stdin", stdin="Sandi-Baru-123\n"
        ).returncode
        == 2
    )
    assert (
        akun("tambah", "x.pendek", "--kantor", "3578", "--sandi-stdin", stdin="pendek\n").returncode
        == 2
    )
    assert (
        akun(
            "tambah", "petugas.baru", "--kantor", "3578", "--sandi-stdin", stdin="Sandi-Baru-123\n"
        ).returncode
        == 2
    )
    listed = akun("daftar").stdout
    assert "petugas.baru\t3578\tTrue" in listed
    with connect() as conn:
        (stored,) = conn.execute(
            "select hash_sandi from portal.pengguna where nama_pengguna = 'petugas.baru'"
        ).fetchone()
    assert stored.startswith("$argon2id$") and "Sandi-Baru-123" not in stored


def _checked(c: TestClient, name: str, data: bytes) -> str:
    r = upload(c, name, data)
    assert r.status_code == 303, r.text
    return c.get(r.headers["location"]).text


def _problems(page: str) -> set[tuple[str, str]]:
    table = page.split('<table class="masalah">', 1)[1].split("</table>", 1)[0]
    cells = [[c.split(">", 1)[1] for c in row.split("<td")[1:3]] for row in table.split("<tr>")[2:]]
    return {(r[0].removesuffix("</td>"), r[1].removesuffix("</td>")) for r in cells}


def test_xls_and_ods_uploads_are_checked_as_their_xlsx_twin(portal, tmp_path):  # noqa: F811
    from tests.support import spreadsheet_twins as twins

    c = login("bogor")
    pages = {
        "xlsx": _checked(
            c,
            "unit_ikm_2023.xlsx",
            twins.write_xlsx(tmp_path / "a.xlsx", twins.register_sheets()).read_bytes(),
        ),
        "ods": _checked(
            c,
            "unit_ikm_2023.ods",
            twins.write_ods(tmp_path / "a.ods", twins.register_sheets()).read_bytes(),
        ),
        "xls": _checked(c, "unit_ikm_2023.xls", (twins.FORMATS / "unit_ikm_2023.xls").read_bytes()),
    }
    expected = {(str(row), column) for row, column in twins.BAD_CELLS}
    for ext, page in pages.items():
        assert "DITERIMA SEBAGIAN" in page, ext
        assert _problems(page) == expected, ext


def test_an_html_page_saved_as_xls_is_explained_and_cannot_be_sent(portal):  # noqa: F811
    c = login("bogor")
    page = _checked(
        c,
        "unit_ikm_2023.xls",
        b"<html><body><table><tr><td>NIB</td></tr><tr><td>1</td></tr></table></body></html>",
    )
    assert "DITOLAK" in page and "halaman web (HTML)" in page and ".xlsx" in page
    assert "/kirim" not in page


def test_an_upload_never_sent_loses_its_bytes_after_a_week(portal):  # noqa: F811
    from etl.portal import uploads

    c = login("surabaya")
    old = upload(c, "unit_ikm_2024_lama.xlsx", unit_ikm_workbook(SURABAYA_ROWS, HEADER))
    new = upload(c, "unit_ikm_2024_baru.xlsx", unit_ikm_workbook(SURABAYA_ROWS, HEADER))
    old_id, new_id = (uuid.UUID(r.headers["location"].rsplit("/", 1)[1]) for r in (old, new))
    with connect() as conn:
        conn.execute(
            "update portal.unggahan set diunggah_pada = now() - interval '8 days' "
            "where unggahan_id = %s",
            (old_id,),
        )
        conn.commit()
        assert uploads.forget_stale(conn) >= 1
    assert not (portal.folder / str(old_id)).exists()
    assert (portal.folder / str(new_id)).exists()
    page = c.get(f"/unggahan/{old_id}")
    assert page.status_code == 200  # its check is still shown
    sent = c.post(f"/unggahan/{old_id}/kirim", data={"csrf": csrf_of(page.text)})
    assert sent.status_code == 410 and "unggah ulang" in sent.text
