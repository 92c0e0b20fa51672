"""What the portal refuses before it reads anything: forged forms, hostile file names, files
whose content is not what their extension says, and sessions that are no longer valid.

Sessions are Starlette's signed cookies (itsdangerous, HTTP-only, ``SameSite=Lax``, expiring
after ``IKM_PORTAL_SESI_MENIT``); the session also holds when it was made, so a password change
or a deactivation ends every session made before it. Every form carries the session's CSRF
token, compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from pathlib import PurePosixPath

from etl.contract import parse_file_name

CSRF_KEY = "csrf"
USER_KEY = "pengguna"
SINCE_KEY = "sejak"
EXTENSIONS = (".csv", ".xlsx", ".xls", ".ods", ".json")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ ()-]{0,150}$")


class Refused(Exception):
    """A request the portal will not act on; the message (Indonesian) is shown to the user."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def csrf_token(session: dict) -> str:
    """The session's CSRF token, made on first use."""
    token = session.get(CSRF_KEY)
    if not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(32)
    return token


def check_csrf(session: dict, sent: object) -> None:
    expected = session.get(CSRF_KEY)
    if not (expected and isinstance(sent, str) and hmac.compare_digest(expected, sent)):
        raise Refused(
            "Formulir ini kedaluwarsa atau tidak berasal dari portal. Muat ulang halaman, "
            "lalu kirim lagi.",
            403,
        )


def session_still_valid(since: object, password_changed: dt.datetime) -> bool:
    """A session made before the password was last changed no longer counts."""
    if not isinstance(since, int | float):
        return False
    return since > password_changed.timestamp()


def check_file_name(name: str) -> str:
    """The upload's bare name, when it is one the landing zone may hold: no folder, no
    ``..``, no NUL or control characters, an extension the pipeline reads, and a name the
    contract understands (kind and period)."""
    if not name or any(ord(ch) < 32 for ch in name) or "/" in name or "\\" in name:
        raise Refused("Nama berkas tidak sah: jangan memakai garis miring atau karakter kendali.")
    if ".." in name or PurePosixPath(name).name != name or not _NAME.match(name):
        raise Refused(
            "Nama berkas tidak sah: pakai huruf, angka, titik, garis bawah atau tanda hubung, "
            "misalnya unit_ikm_2025.xlsx."
        )
    if not name.lower().endswith(EXTENSIONS):
        raise Refused(
            "Jenis berkas tidak didukung. Kirim berkas .xlsx, .xls, .ods, .csv atau .json."
        )
    if parse_file_name(name) is None:
        raise Refused(
            "Nama berkas tidak menyebut jenis dan periode data, misalnya unit_ikm_2025.xlsx "
            "atau realisasi_program_2025-03.csv (lihat halaman Templat)."
        )
    return name


def check_content(name: str, head: bytes) -> None:
    """Refuse a file whose first bytes contradict its extension (an executable named .xlsx,
    a workbook named .csv). An HTML page named .xls passes here: extract names it plainly
    and says how to save it as .xlsx, which helps the office more than a refusal."""
    ext = PurePosixPath(name.lower()).suffix
    lie = "Isi berkas tidak sesuai dengan ekstensinya ({}); simpan ulang dari aplikasinya."
    if ext in (".xlsx", ".ods") and not head.startswith(_ZIP):
        raise Refused(lie.format(f"{ext} bukan berkas {ext} yang sah"))
    if ext == ".xls" and not head.startswith(_OLE2):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if not text.startswith((b"<", b"\xff\xfe<", b"\xfe\xff")):
            raise Refused(lie.format(".xls bukan berkas Excel 97-2003"))
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))  # extract says how to save it
    if ext in (".csv", ".json") and (
        head.startswith((_ZIP, _OLE2, b"\x7fELF", b"MZ")) or (b"\x00" in head and not utf16)
    ):
        raise Refused(lie.format(f"{ext} bukan berkas teks"))
