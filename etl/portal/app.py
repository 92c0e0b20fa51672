"""The portal's web application (Starlette, server-rendered Jinja2 pages, no JavaScript).

Every page but the login needs a session; every form carries the session's CSRF token; every
object a page shows (an office's status, a submission, an upload) is checked against the
offices the account may see (:meth:`Account.sees`) before it is read. Refusals are pages
in Indonesian with the right HTTP status, and never say whether a forbidden object exists.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from etl.contract import kinds
from etl.portal import accounts, status, uploads
from etl.portal.accounts import Account
from etl.portal.security import (
    SINCE_KEY,
    USER_KEY,
    Refused,
    check_csrf,
    csrf_token,
    session_still_valid,
)
from etl.settings import get_settings, portal_secret
from etl.warehouse import connect

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
STATUS_TEXT = {
    "diterima": "Diterima",
    "diterima_sebagian": "Diterima sebagian",
    "ditolak": "Ditolak",
    "digantikan": "Digantikan",
    "diproses": "Sedang diproses",
    "belum_dikirim": "Belum dikirim",
    "menunggu_proses": "Menunggu proses malam",
}
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals["STATUS_TEXT"] = STATUS_TEXT
templates.env.globals["kinds"] = kinds
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")

Handler = Callable[..., Awaitable[Response]]


def page(request: Request, name: str, context: dict[str, Any], code: int = 200) -> Response:
    context = {"csrf": csrf_token(request.session), **context}
    return templates.TemplateResponse(request, name, context, status_code=code)


def _account(request: Request) -> Account | None:
    """The session's account, if the session is still good for it."""
    session = request.session
    pengguna_id = session.get(USER_KEY)
    if not isinstance(pengguna_id, int):
        return None
    lifetime = get_settings().portal_sesi_menit * 60
    since = session.get(SINCE_KEY)
    with connect() as conn:
        account = accounts.get(conn, pengguna_id)
    if (
        account is None
        or not session_still_valid(since, account.sandi_diubah_pada)
        or time.time() - float(since) > lifetime
    ):
        session.clear()
        return None
    return account


def signed_in(handler: Callable[[Request, Account], Awaitable[Response]]) -> Handler:
    """A page for logged-in users: anonymous GETs go to the login, other requests are refused;
    POSTs must carry the CSRF token."""

    async def wrapped(request: Request) -> Response:
        account = await run_in_threadpool(_account, request)
        if account is None:
            if request.method == "GET":
                return RedirectResponse("/masuk", status_code=303)
            raise Refused("Silakan masuk terlebih dahulu.", 401)
        if request.method == "POST":
            form = getattr(request.state, "form", None)
            if form is None:
                form = await request.form(max_files=0, max_fields=20)
            check_csrf(request.session, form.get("csrf"))
        request.state.account = account
        return await handler(request, account)

    return wrapped


# -- login ---------------------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    return page(request, "masuk.html", {"account": None})


async def login(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request.session, form.get("csrf"))
    name, password = str(form.get("nama_pengguna") or ""), str(form.get("sandi") or "")
    address = request.client.host if request.client else "?"

    def attempt() -> Account | None:
        with connect() as conn:
            return accounts.authenticate(conn, name, password, address)

    try:
        account = await run_in_threadpool(attempt)
    except accounts.Throttled as exc:
        return page(request, "masuk.html", {"account": None, "galat": str(exc)}, 429)
    if account is None:
        log.info("gagal masuk: %s dari %s", name[:64], address)
        message = "Nama pengguna atau kata sandi salah."
        return page(request, "masuk.html", {"account": None, "galat": message}, 401)
    request.session.clear()  # a new session: nothing carried over from before the login
    request.session.update({USER_KEY: account.pengguna_id, SINCE_KEY: time.time()})
    log.info("masuk: %s dari %s", account.nama_pengguna, address)
    return RedirectResponse("/status", status_code=303)


@signed_in
async def logout(request: Request, account: Account) -> Response:
    request.session.clear()
    return RedirectResponse("/masuk", status_code=303)


# -- status, history, feedback -------------------------------------------------------------


@signed_in
async def home(request: Request, account: Account) -> Response:
    return RedirectResponse("/status", status_code=303)


@signed_in
async def status_page(request: Request, account: Account) -> Response:
    office = status.chosen_office(account, request.query_params.get("kantor"))

    def read() -> dict[str, Any]:
        with connect() as conn:
            return {
                "office": office,
                "office_name": status.office_name(conn, office),
                "offices": status.visible_offices(conn, account),
                "expected": status.expected(conn, office) if office else [],
                "uploads": status.uploads(conn, account),
            } | dict(
                zip(
                    ("rates", "rates_below", "chosen"),
                    status.rates(conn, account, request.query_params.get("rincian")),
                    strict=True,
                )
            )

    return page(request, "status.html", {"account": account, **await run_in_threadpool(read)})


@signed_in
async def history_page(request: Request, account: Account) -> Response:
    office = status.chosen_office(account, request.query_params.get("kantor"))
    if office is None:
        return RedirectResponse("/status", status_code=303)

    def read() -> dict[str, Any]:
        with connect() as conn:
            return {
                "office": office,
                "office_name": status.office_name(conn, office),
                "offices": status.visible_offices(conn, account),
                "history": status.history(conn, office),
            }

    return page(request, "riwayat.html", {"account": account, **await run_in_threadpool(read)})


def _submission(account: Account, request: Request) -> dict[str, Any]:
    with connect() as conn:
        return status.submission(conn, account, int(request.path_params["submission_id"]))


@signed_in
async def feedback_page(request: Request, account: Account) -> Response:
    sub = await run_in_threadpool(_submission, account, request)
    report, table = status.feedback_files(sub)
    body = _markdown.render(report.read_text(encoding="utf-8")) if report.exists() else None
    context = {"account": account, "sub": sub, "body": body, "has_csv": table.exists()}
    return page(request, "umpan_balik.html", context)


@signed_in
async def feedback_csv(request: Request, account: Account) -> Response:
    sub = await run_in_threadpool(_submission, account, request)
    _, table = status.feedback_files(sub)
    if not table.exists():
        raise Refused("Kiriman ini tidak punya baris yang ditolak.", 404)
    return FileResponse(table, media_type="text/csv; charset=utf-8", filename=table.name)


# -- templates -----------------------------------------------------------------------------


@signed_in
async def templates_page(request: Request, account: Account) -> Response:
    return page(request, "templat.html", {"account": account})


@signed_in
async def template_download(request: Request, account: Account) -> Response:
    from etl.portal import templat

    jenis = request.query_params.get("jenis", "")
    if jenis not in kinds():
        raise Refused("Jenis data tidak dikenal.", 404)
    periode = request.query_params.get("periode") or None
    if periode and not kinds()[jenis].period_is_valid(periode):
        raise Refused("Periode tidak sah untuk jenis ini (contoh: 2025 atau 2025-03).")
    filled = request.query_params.get("isi") == "1"

    def build() -> bytes:
        with connect() as conn:
            return templat.template_workbook(
                conn, jenis, account.kode_wilayah, periode, filled=filled
            )

    data = await run_in_threadpool(build)
    name = templat.template_file_name(jenis, periode)
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# -- upload, check, send -------------------------------------------------------------------


@signed_in
async def upload_page(request: Request, account: Account) -> Response:
    return page(request, "unggah.html", {"account": account})


async def upload(request: Request) -> Response:
    """The session, then the size (from the header), before reading the body; then the
    token, the name and the content (:func:`uploads.receive`)."""
    if await run_in_threadpool(_account, request) is None:
        raise Refused("Silakan masuk terlebih dahulu.", 401)
    limit = get_settings().portal_batas_unggah_mb * 1024 * 1024
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise Refused("Ukuran unggahan tidak diketahui.", 411)
    if int(length) > limit + 64 * 1024:
        raise Refused(f"Berkas lebih besar dari {limit // (1024 * 1024)} MiB.", 413)
    request.state.form = await request.form(max_files=1, max_fields=5)
    return await _upload(request)


@signed_in
async def _upload(request: Request, account: Account) -> Response:
    sent = request.state.form.get("berkas")
    if sent is None or isinstance(sent, str) or not sent.filename:
        raise Refused("Pilih berkas yang akan diunggah.")

    def keep() -> uploads.Upload:
        with connect() as conn:
            return uploads.receive(conn, account, sent.filename, sent.file)

    made = await run_in_threadpool(keep)
    await run_in_threadpool(uploads.wait, made.unggahan_id, get_settings().portal_tunggu_detik)
    return RedirectResponse(f"/unggahan/{made.unggahan_id}", status_code=303)


def _upload_of(account: Account, request: Request) -> uploads.Upload:
    try:
        unggahan_id = uuid.UUID(request.path_params["unggahan_id"])
    except ValueError:
        raise Refused("Unggahan tidak ditemukan.", 404) from None
    with connect() as conn:
        found = uploads.get(conn, unggahan_id)
    if found is None or not account.sees(found.kode_wilayah):
        raise Refused("Unggahan tidak ditemukan.", 404)
    return found


@signed_in
async def upload_result(request: Request, account: Account) -> Response:
    found = await run_in_threadpool(_upload_of, account, request)
    return page(request, "hasil.html", {"account": account, "upload": found})


@signed_in
async def send(request: Request, account: Account) -> Response:
    found = await run_in_threadpool(_upload_of, account, request)

    def land() -> str:
        with connect() as conn:
            return uploads.send(conn, account, found)

    rel = await run_in_threadpool(land)
    return page(request, "terkirim.html", {"account": account, "upload": found, "path": rel})


# -- the application -----------------------------------------------------------------------


async def refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    account = getattr(request.state, "account", None)
    return page(request, "galat.html", {"account": account, "message": str(exc)}, exc.status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = "Halaman tidak ditemukan." if exc.status_code == 404 else "Permintaan tidak sah."
    return page(request, "galat.html", {"account": None, "message": message}, exc.status_code)


async def stylesheet(request: Request) -> Response:
    return FileResponse(HERE / "templates" / "gaya.css", media_type="text/css")


def create_app() -> Starlette:
    settings = get_settings()
    routes = [
        Route("/", home),
        Route("/masuk", login_page, methods=["GET"]),
        Route("/masuk", login, methods=["POST"]),
        Route("/keluar", logout, methods=["POST"]),
        Route("/status", status_page),
        Route("/riwayat", history_page),
        Route("/umpan-balik/{submission_id:int}", feedback_page),
        Route("/umpan-balik/{submission_id:int}/baris_ditolak.csv", feedback_csv),
        Route("/templat", templates_page),
        Route("/templat/unduh", template_download),
        Route("/unggah", upload_page, methods=["GET"]),
        Route("/unggah", upload, methods=["POST"]),
        Route("/unggahan/{unggahan_id}", upload_result),
        Route("/unggahan/{unggahan_id}/kirim", send, methods=["POST"]),
        Route("/gaya.css", stylesheet),
    ]
    session = Middleware(
        SessionMiddleware,
        secret_key=portal_secret(settings),
        session_cookie="ikm_portal",
        max_age=settings.portal_sesi_menit * 60,
        same_site="lax",
    )
    return Starlette(
        routes=routes,
        middleware=[session],
        exception_handlers={Refused: refused, HTTPException: http_error},
    )
