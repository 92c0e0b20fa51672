"""Portal accounts: made by an administrator from the command line, never by self-registration.

A user belongs to one office (``kode_wilayah``: a province of two digits, a kab/kota of four)
or, without one, to the ministry. Passwords are hashed with Argon2id (argon2-cffi); logins are
throttled per account and per address from ``portal.percobaan_masuk``, so guessing a password
costs the guesser time whether or not the account exists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from dataclasses import dataclass

import argon2
import psycopg

from etl.settings import get_settings
from etl.warehouse import connect

HASHER = argon2.PasswordHasher()
_DUMMY_HASH = HASHER.hash("bukan-kata-sandi-siapa-pun")
"""Verified against when the account does not exist, so both cases take the same time."""
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD = 10


class Throttled(Exception):
    """Too many failed logins for this account or address; the message is for the user."""


class AccountError(ValueError):
    """An account cannot be made or changed as asked; the message says why."""


@dataclass(frozen=True)
class Account:
    pengguna_id: int
    nama_pengguna: str
    nama_lengkap: str
    kode_wilayah: str | None
    """None: the ministry, which sees every office."""
    sandi_diubah_pada: dt.datetime

    @property
    def tingkat(self) -> str:
        if self.kode_wilayah is None:
            return "kementerian"
        return "provinsi" if len(self.kode_wilayah) == 2 else "kabkota"

    def sees(self, kode_wilayah: str | None) -> bool:
        """May this user see what the office ``kode_wilayah`` sent? Its own office; a province
        also its kab/kota (their codes start with the province's); the ministry everything."""
        if self.kode_wilayah is None:
            return True
        if not kode_wilayah:
            return False
        if self.tingkat == "provinsi":
            return kode_wilayah[:2] == self.kode_wilayah
        return kode_wilayah == self.kode_wilayah

    @property
    def can_send(self) -> bool:
        """Only an office sends files; the ministry reads."""
        return self.kode_wilayah is not None


_COLUMNS = "pengguna_id, nama_pengguna, nama_lengkap, kode_wilayah, sandi_diubah_pada"


def get(conn: psycopg.Connection, pengguna_id: int) -> Account | None:
    row = conn.execute(
        f"select {_COLUMNS} from portal.pengguna where pengguna_id = %s and aktif",
        (pengguna_id,),
    ).fetchone()
    return Account(*row) if row else None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"kata sandi minimal {MIN_PASSWORD} karakter")


def create(
    conn: psycopg.Connection,
    nama_pengguna: str,
    kode_wilayah: str | None,
    password: str,
    nama_lengkap: str = "",
) -> Account:
    """A new account of an office known to the reference lists (None: the ministry)."""
    _check_password(password)
    if kode_wilayah is not None:
        known = conn.execute(
            "select 1 from core.dim_wilayah where kode_wilayah = %s", (kode_wilayah,)
        ).fetchone()
        if not known:
            raise AccountError(f"kode wilayah {kode_wilayah} tidak ada di daftar referensi")
    try:
        with conn.transaction():
            row = conn.execute(
                "insert into portal.pengguna (nama_pengguna, nama_lengkap, kode_wilayah, "
                f"hash_sandi) values (%s, %s, %s, %s) returning {_COLUMNS}",
                (nama_pengguna, nama_lengkap, kode_wilayah, HASHER.hash(password)),
            ).fetchone()
    except psycopg.errors.UniqueViolation as exc:
        raise AccountError(f"nama pengguna {nama_pengguna} sudah dipakai") from exc
    except psycopg.errors.CheckViolation as exc:
        raise AccountError(
            "nama pengguna: 3-64 huruf kecil, angka, titik, garis bawah atau tanda hubung"
        ) from exc
    assert row is not None
    return Account(*row)


def set_password(conn: psycopg.Connection, nama_pengguna: str, password: str) -> None:
    """A new password; sessions made before it stop working."""
    _check_password(password)
    done = conn.execute(
        "update portal.pengguna set hash_sandi = %s, sandi_diubah_pada = now() "
        "where nama_pengguna = %s",
        (HASHER.hash(password), nama_pengguna),
    )
    if not done.rowcount:
        raise AccountError(f"tidak ada pengguna {nama_pengguna}")


def deactivate(conn: psycopg.Connection, nama_pengguna: str) -> None:
    done = conn.execute(
        "update portal.pengguna set aktif = false where nama_pengguna = %s", (nama_pengguna,)
    )
    if not done.rowcount:
        raise AccountError(f"tidak ada pengguna {nama_pengguna}")


def _failures(conn: psycopg.Connection, column: str, value: str) -> int:
    (count,) = conn.execute(
        f"select count(*) from portal.percobaan_masuk where {column} = %s "
        "and not berhasil and waktu > now() - %s",
        (value, THROTTLE_WINDOW),
    ).fetchone()
    return int(count)


def authenticate(
    conn: psycopg.Connection, nama_pengguna: str, password: str, alamat: str
) -> Account | None:
    """The account when the password is right; None when not. Raises :class:`Throttled` when
    the account or the address failed too often lately (checked before the password, so a
    throttled guess learns nothing)."""
    limit = get_settings().portal_batas_gagal_masuk
    nama_pengguna = nama_pengguna.strip().lower()[:64]
    if (
        _failures(conn, "nama_pengguna", nama_pengguna) >= limit
        or _failures(conn, "alamat", alamat) >= 5 * limit
    ):
        raise Throttled(
            "Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit, lalu coba lagi; "
            "bila lupa kata sandi, hubungi administrator portal."
        )
    row = conn.execute(
        f"select {_COLUMNS}, hash_sandi from portal.pengguna where nama_pengguna = %s and aktif",
        (nama_pengguna,),
    ).fetchone()
    try:
        HASHER.verify(row[-1] if row else _DUMMY_HASH, password)
        ok = row is not None
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        ok = False
    conn.execute(
        "insert into portal.percobaan_masuk (nama_pengguna, alamat, berhasil) values (%s, %s, %s)",
        (nama_pengguna, alamat, ok),
    )
    if ok and row is not None and HASHER.check_needs_rehash(row[-1]):
        conn.execute(
            "update portal.pengguna set hash_sandi = %s where pengguna_id = %s",
            (HASHER.hash(password), row[0]),
        )
    return Account(*row[:-1]) if ok and row is not None else None


# -- python -m etl akun --------------------------------------------------------------------


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Kata sandi: ")
    if first != getpass.getpass("Ulangi kata sandi: "):
        raise AccountError("kedua kata sandi tidak sama")
    return first


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("akun", help="portal accounts: add, password, deactivate, list")
    actions = p.add_subparsers(dest="aksi", required=True)
    add = actions.add_parser("tambah", help="a new account of an office (or the ministry)")
    add.add_argument("nama_pengguna")
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--kantor", help="kode_wilayah of the office (2 or 4 digits)")
    where.add_argument("--kementerian", action="store_true", help="a ministry account")
    add.add_argument("--nama-lengkap", default="")
    change = actions.add_parser("sandi", help="set a new password")
    change.add_argument("nama_pengguna")
    for q in (add, change):
        q.add_argument("--sandi-stdin", action="store_true", help="read the password from stdin")
    off = actions.add_parser("nonaktifkan", help="deactivate an account")
    off.add_argument("nama_pengguna")
    actions.add_parser("daftar", help="list the accounts")

    def go(args: argparse.Namespace) -> int:
        try:
            with connect() as conn:
                if args.aksi == "tambah":
                    kantor = None if args.kementerian else args.kantor
                    password = _read_password(args.sandi_stdin)
                    made = create(conn, args.nama_pengguna, kantor, password, args.nama_lengkap)
                    print(f"akun {made.nama_pengguna} ({made.tingkat} {kantor or ''}) dibuat")
                elif args.aksi == "sandi":
                    set_password(conn, args.nama_pengguna, _read_password(args.sandi_stdin))
                    print(f"kata sandi {args.nama_pengguna} diganti")
                elif args.aksi == "nonaktifkan":
                    deactivate(conn, args.nama_pengguna)
                    print(f"akun {args.nama_pengguna} dinonaktifkan")
                else:
                    for row in conn.execute(
                        "select nama_pengguna, coalesce(kode_wilayah, 'kementerian'), aktif, "
                        "nama_lengkap from portal.pengguna order by nama_pengguna"
                    ):
                        print("\t".join(str(v) for v in row))
        except AccountError as exc:
            print(f"gagal: {exc}", file=sys.stderr)
            return 2
        return 0

    p.set_defaults(func=go)
