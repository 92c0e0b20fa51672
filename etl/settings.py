"""Every setting of the platform, read from the environment in this one module.

A setting is an environment variable: ``WAREHOUSE_URL`` or ``IKM_<NAME>``, and the field of
:class:`Settings` that holds it is the variable's name in lower case without ``IKM_``
(``IKM_BATAS_BARIS_BURUK`` is ``batas_baris_buruk``). Each field says what it is for; the
README's table and ``.env.example`` list the same variables (``tests/unit/test_settings.py``
checks both, and that no other module of ``etl/``, ``dags/`` or ``plugins/`` reads an ``IKM_*``
variable itself).

:func:`get_settings` parses the environment once and hands out the same object until the
environment changes (a test's ``monkeypatch.setenv``, an operator's new value for the next
task process), so every stage of one run agrees on every setting.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PREFIX = "IKM_"
DEADLINE_PREFIX = "IKM_TENGGAT_"
"""``IKM_TENGGAT_<JENIS>``: one variable per submission kind (see :attr:`Settings.tenggat`)."""
BI_READER_ROLE = "bi_reader"
PUBLIK_READER_ROLE = "publik_reader"

log = logging.getLogger(__name__)


class SettingError(ValueError):
    """A variable holds a value its setting cannot take; the message names the variable."""


def _var(env: str, doc: str, default: str) -> Any:
    """A field read from ``env``; ``default`` is how the README's table states the default."""
    return field(metadata={"env": env, "doc": doc, "default": default})


@dataclass(frozen=True)
class Settings:
    """What a run needs to know, typed; build it with :func:`get_settings`."""

    # -- where things are ------------------------------------------------------------------
    warehouse_url: str | None = _var(
        "WAREHOUSE_URL",
        "SQLAlchemy URL of the warehouse",
        "an embedded PostgreSQL under `.state/pg`, started on demand, stopped by `make stop`",
    )
    state_dir: Path = _var(
        "IKM_STATE_DIR", "everything local and generated (git-ignored)", "`.state`"
    )
    landing_dir: Path = _var(
        "IKM_LANDING_DIR",
        "landing zone `<YYYY-MM-DD>/<kode_wilayah>/<file>`",
        "`.state/landing`, filled with samples on first run",
    )
    reference_dir: Path = _var(
        "IKM_REFERENCE_DIR", "official code lists (regions, KBLI 2020)", "`../shared/reference`"
    )
    feedback_dir: Path = _var(
        "IKM_FEEDBACK_DIR",
        "feedback reports, `<date>/<office>/<file>.umpan_balik.md` and `.baris_ditolak.csv`",
        "`.state/umpan_balik`",
    )
    staging_dir: Path = _var(
        "IKM_STAGING_DIR", "Parquet staged between extract and validate", "`.state/staging`"
    )
    # -- what a file must be ---------------------------------------------------------------
    batas_baris_buruk: float = _var(
        "IKM_BATAS_BARIS_BURUK",
        "share of bad rows above which a whole file is rejected",
        "`0.20`",
    )
    batas_berkas_mb: int = _var(
        "IKM_BATAS_BERKAS_MB", "largest landed file read, in MiB; larger ones are rejected", "`512`"
    )
    batas_xlsx_mb: int = _var(
        "IKM_BATAS_XLSX_MB",
        "largest size an XLSX or ODS may inflate to, and the largest XLS, in MiB; a sheet's grid "
        "is also held to that many MiB / 40 cells (zip and cell bombs are rejected)",
        "`200`",
    )
    batas_json_mb: int = _var(
        "IKM_BATAS_JSON_MB", "largest JSON file read, in MiB (JSON is parsed whole)", "`100`"
    )
    tenggat: Mapping[str, str] = _var(
        "IKM_TENGGAT_<JENIS>",
        "a kind's deadline, a PostgreSQL interval after the period starts",
        "yearly kinds `1 year 3 months -1 day` (31 March of the next year), "
        "`realisasi_program` `1 month 9 days` (the 10th of the next month)",
    )
    # -- how Airflow runs it ---------------------------------------------------------------
    jeda_ulang_detik: float = _var(
        "IKM_JEDA_ULANG_DETIK",
        "first delay before a task retries a transient warehouse error (doubles each retry, "
        "three retries)",
        "`20`",
    )
    ekstrak_batch_mb: float = _var(
        "IKM_EKSTRAK_BATCH_MB",
        "bytes of landed files one mapped extract task of the nightly DAG takes, in MiB: the "
        "number of extract tasks grows with the data, not with the number of files",
        "`256`",
    )
    ekstrak_paralel: int = _var(
        "IKM_EKSTRAK_PARALEL",
        "fewest extract tasks a day's files are split into (when there are that many files), "
        "so that every executor slot works",
        "`4`",
    )
    slot_gudang: int = _var(
        "IKM_SLOT_GUDANG",
        "slots of the Airflow pool `ikm_gudang`: tasks that write the warehouse at once",
        "`1`",
    )
    celery_broker: str = _var(
        "IKM_CELERY_BROKER",
        "the broker of `make airflow EXECUTOR=celery`",
        "`redis://127.0.0.1:6379/0`",
    )
    airflow_user: str = _var("IKM_AIRFLOW_USER", "login of `make airflow`'s UI", "`admin`")
    airflow_password: str = _var(
        "IKM_AIRFLOW_PASSWORD", "password of `make airflow`'s UI", "`admin`"
    )
    # -- alerts ----------------------------------------------------------------------------
    peringatan_webhook: str | None = _var(
        "IKM_PERINGATAN_WEBHOOK",
        "http(s) URL that failure and lateness alerts are POSTed to as JSON",
        "none",
    )
    peringatan_email: tuple[str, ...] = _var(
        "IKM_PERINGATAN_EMAIL",
        "addresses (comma- or semicolon-separated) that alerts are mailed to",
        "none",
    )
    peringatan_smtp_conn: str = _var(
        "IKM_PERINGATAN_SMTP_CONN", "Airflow connection id of the mail server", "`smtp_default`"
    )
    peringatan_email_dari: str | None = _var(
        "IKM_PERINGATAN_EMAIL_DARI",
        "sender of alert mail",
        "the connection's `from_email`, else `airflow@<host>`",
    )
    peringatan_terlambat_menit: float = _var(
        "IKM_PERINGATAN_TERLAMBAT_MENIT",
        "minutes after a nightly run was queued before it counts as late; `0` turns the "
        "lateness alert off",
        "`360`",
    )
    # -- BI --------------------------------------------------------------------------------
    bi_reader_password: str | None = _var(
        "IKM_BI_READER_PASSWORD",
        "password of the role `bi_reader` that BI tools connect as",
        "generated once into `.state/rahasia/bi_reader_password` (mode 0600)",
    )
    bi_user: str = _var("IKM_BI_USER", "login of `make bi`'s Superset", "`admin`")
    publik_reader_password: str | None = _var(
        "IKM_PUBLIK_READER_PASSWORD",
        "password of the role `publik_reader` that reads only the public layer (schema `publik`)",
        "generated once into `.state/rahasia/publik_reader_password` (mode 0600)",
    )
    # -- publication: disclosure control and open-data releases ----------------------------
    sdc_ambang_unit: int = _var(
        "IKM_SDC_AMBANG_UNIT",
        "threshold rule: a public cell of fewer units than this is suppressed",
        "`3`",
    )
    sdc_dominasi_unit: int = _var(
        "IKM_SDC_DOMINASI_UNIT",
        "dominance rule: how many of a cell's largest units (1 or 2) are weighed",
        "`2`",
    )
    sdc_dominasi_persen: float = _var(
        "IKM_SDC_DOMINASI_PERSEN",
        "dominance rule: a cell whose largest units make more than this percentage of its "
        "investment or production is suppressed",
        "`85`",
    )
    rilis_dir: Path = _var(
        "IKM_RILIS_DIR",
        "where the open-data releases (Data Packages) are written, one folder per release",
        "`.state/rilis`",
    )
    data_docs_dir: Path = _var(
        "IKM_DATA_DOCS_DIR",
        "the Great Expectations Data Docs, one static site per arrival day",
        "`.state/data_docs`",
    )
    bi_password: str = _var("IKM_BI_PASSWORD", "password of `make bi`'s Superset", "`admin`")
    # -- the offices' portal ---------------------------------------------------------------
    portal_host: str = _var("IKM_PORTAL_HOST", "address `make portal` listens on", "`127.0.0.1`")
    portal_port: int = _var("IKM_PORTAL_PORT", "port of `make portal`", "`8090`")
    portal_secret: str | None = _var(
        "IKM_PORTAL_SECRET",
        "key that signs the portal's session cookies",
        "generated once into `.state/rahasia/portal_secret` (mode 0600)",
    )
    portal_sesi_menit: int = _var(
        "IKM_PORTAL_SESI_MENIT", "minutes a portal login lasts before it must be repeated", "`480`"
    )
    portal_batas_unggah_mb: int = _var(
        "IKM_PORTAL_BATAS_UNGGAH_MB", "largest file an office may upload, in MiB", "`100`"
    )
    portal_batas_gagal_masuk: int = _var(
        "IKM_PORTAL_BATAS_GAGAL_MASUK",
        "failed logins per account (or per address, five times this) in 15 minutes before "
        "logins from there wait",
        "`5`",
    )
    portal_tunggu_detik: float = _var(
        "IKM_PORTAL_TUNGGU_DETIK",
        "seconds an upload's page waits for its check; a longer check goes on in the "
        "background, its progress shown",
        "`10`",
    )
    portal_dir: Path = _var(
        "IKM_PORTAL_DIR", "uploads waiting to be sent, one folder per upload", "`.state/portal`"
    )
    landing_is_default: bool = True
    """``IKM_LANDING_DIR`` is unset: ``make run`` may fill the landing zone with samples."""

    def deadline(self, jenis: str) -> str | None:
        """A kind's deadline as a PostgreSQL interval after the period starts, if set."""
        return self.tenggat.get(jenis)

    @classmethod
    def variables(cls) -> dict[str, dict[str, str]]:
        """Each variable with its field, meaning and default, in the order of the fields."""
        return {
            f.metadata["env"]: {"field": f.name, **{k: f.metadata[k] for k in ("doc", "default")}}
            for f in fields(cls)
            if "env" in f.metadata
        }


# -- parsing -------------------------------------------------------------------------------


def _path(env: Mapping[str, str], name: str, default: Path) -> Path:
    value = env.get(name)
    return Path(value).expanduser().resolve() if value else default.resolve()


def _number(
    env: Mapping[str, str], name: str, default: float, kind: Callable[[str], Any], *, lenient=False
) -> Any:
    """``kind(value)`` of the variable; unset or empty gives the default. A value that does not
    parse raises :class:`SettingError`, or (``lenient``) falls back to the default."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        if lenient:
            log.warning("%s=%r is not a number; using %s", name, raw, default)
            return default
        raise SettingError(f"{name}={raw!r}: expected a number") from exc


def _text(env: Mapping[str, str], name: str, default: str | None = None) -> Any:
    return (env.get(name) or "").strip() or default


def _late_minutes(env: Mapping[str, str]) -> float:
    """``0`` turns the lateness alert off; a bad or negative value falls back to 360 with a
    warning instead of breaking the DAG that reads it at parse time."""
    name, default = "IKM_PERINGATAN_TERLAMBAT_MENIT", 360.0
    minutes = _number(env, name, default, float, lenient=True)
    if minutes < 0:
        log.warning("%s=%r is negative; using %s", name, env.get(name), default)
        return default
    return minutes


def _addresses(value: str | None) -> tuple[str, ...]:
    return tuple(a for a in re.split(r"\s*[,;]\s*", (value or "").strip()) if a)


def settings_from(env: Mapping[str, str]) -> Settings:
    """The settings that the variables in ``env`` give (the process's: :func:`get_settings`)."""
    state = _path(env, "IKM_STATE_DIR", PROJECT_ROOT / ".state")
    return Settings(
        warehouse_url=_text(env, "WAREHOUSE_URL"),
        state_dir=state,
        landing_dir=_path(env, "IKM_LANDING_DIR", state / "landing"),
        reference_dir=_path(env, "IKM_REFERENCE_DIR", PROJECT_ROOT / ".." / "shared" / "reference"),
        feedback_dir=_path(env, "IKM_FEEDBACK_DIR", state / "umpan_balik"),
        staging_dir=_path(env, "IKM_STAGING_DIR", state / "staging"),
        batas_baris_buruk=_number(env, "IKM_BATAS_BARIS_BURUK", 0.20, float),
        batas_berkas_mb=max(1, _number(env, "IKM_BATAS_BERKAS_MB", 512, int, lenient=True)),
        batas_xlsx_mb=max(1, _number(env, "IKM_BATAS_XLSX_MB", 200, int, lenient=True)),
        batas_json_mb=max(1, _number(env, "IKM_BATAS_JSON_MB", 100, int, lenient=True)),
        tenggat={
            name.removeprefix(DEADLINE_PREFIX).lower(): value.strip()
            for name, value in sorted(env.items())
            if name.startswith(DEADLINE_PREFIX) and value.strip()
        },
        jeda_ulang_detik=_number(env, "IKM_JEDA_ULANG_DETIK", 20.0, float),
        ekstrak_batch_mb=max(0.001, _number(env, "IKM_EKSTRAK_BATCH_MB", 256.0, float)),
        ekstrak_paralel=max(1, _number(env, "IKM_EKSTRAK_PARALEL", 4, int)),
        slot_gudang=_number(env, "IKM_SLOT_GUDANG", 1, int),
        celery_broker=_text(env, "IKM_CELERY_BROKER", "redis://127.0.0.1:6379/0"),
        airflow_user=_text(env, "IKM_AIRFLOW_USER", "admin"),
        airflow_password=_text(env, "IKM_AIRFLOW_PASSWORD", "admin"),
        peringatan_webhook=_text(env, "IKM_PERINGATAN_WEBHOOK"),
        peringatan_email=_addresses(env.get("IKM_PERINGATAN_EMAIL")),
        peringatan_smtp_conn=_text(env, "IKM_PERINGATAN_SMTP_CONN", "smtp_default"),
        peringatan_email_dari=_text(env, "IKM_PERINGATAN_EMAIL_DARI"),
        peringatan_terlambat_menit=_late_minutes(env),
        bi_reader_password=env.get("IKM_BI_READER_PASSWORD") or None,
        bi_user=_text(env, "IKM_BI_USER", "admin"),
        publik_reader_password=env.get("IKM_PUBLIK_READER_PASSWORD") or None,
        sdc_ambang_unit=max(1, _number(env, "IKM_SDC_AMBANG_UNIT", 3, int)),
        sdc_dominasi_unit=min(2, max(1, _number(env, "IKM_SDC_DOMINASI_UNIT", 2, int))),
        sdc_dominasi_persen=min(
            100.0, max(0.0, _number(env, "IKM_SDC_DOMINASI_PERSEN", 85.0, float))
        ),
        rilis_dir=_path(env, "IKM_RILIS_DIR", state / "rilis"),
        data_docs_dir=_path(env, "IKM_DATA_DOCS_DIR", state / "data_docs"),
        bi_password=_text(env, "IKM_BI_PASSWORD", "admin"),
        portal_host=_text(env, "IKM_PORTAL_HOST", "127.0.0.1"),
        portal_port=_number(env, "IKM_PORTAL_PORT", 8090, int),
        portal_secret=env.get("IKM_PORTAL_SECRET") or None,
        portal_sesi_menit=max(1, _number(env, "IKM_PORTAL_SESI_MENIT", 480, int)),
        portal_batas_unggah_mb=max(1, _number(env, "IKM_PORTAL_BATAS_UNGGAH_MB", 100, int)),
        portal_batas_gagal_masuk=max(1, _number(env, "IKM_PORTAL_BATAS_GAGAL_MASUK", 5, int)),
        portal_tunggu_detik=max(0.0, _number(env, "IKM_PORTAL_TUNGGU_DETIK", 10.0, float)),
        portal_dir=_path(env, "IKM_PORTAL_DIR", state / "portal"),
        landing_is_default="IKM_LANDING_DIR" not in env,
    )


@functools.lru_cache(maxsize=16)
def _cached(items: tuple[tuple[str, str], ...]) -> Settings:
    return settings_from(dict(items))


def get_settings() -> Settings:
    """The settings of this process's environment, parsed once per distinct environment."""
    items = tuple(
        sorted(
            (k, v) for k, v in os.environ.items() if k.startswith(PREFIX) or k == "WAREHOUSE_URL"
        )
    )
    return _cached(items)


def _kept_secret(settings: Settings, name: str) -> str:
    """A secret generated on first use and kept under the state folder, owner-only."""
    path = settings.state_dir / "rahasia" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def portal_secret(settings: Settings | None = None) -> str:
    """The key that signs the portal's session cookies: ``IKM_PORTAL_SECRET`` (compose, a
    server) or one generated once under the state folder."""
    settings = settings or get_settings()
    return settings.portal_secret or _kept_secret(settings, "portal_secret")


def bi_reader_password(settings: Settings | None = None) -> str:
    """The password of the ``bi_reader`` role that BI tools connect as.

    ``IKM_BI_READER_PASSWORD`` when set (docker compose, a server); otherwise one generated on
    first use and kept, readable by its owner only, under the state folder, so ``make bi`` on a
    laptop needs no setting and no password ever sits in the repo.
    """
    settings = settings or get_settings()
    return settings.bi_reader_password or _kept_secret(settings, "bi_reader_password")


def publik_reader_password(settings: Settings | None = None) -> str:
    """The password of the ``publik_reader`` role, which reads the public layer only:
    ``IKM_PUBLIK_READER_PASSWORD`` when set, else one generated once under the state folder."""
    settings = settings or get_settings()
    return settings.publik_reader_password or _kept_secret(settings, "publik_reader_password")
