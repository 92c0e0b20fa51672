"""Settings read from the environment, in one place, so every stage agrees on them."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default.resolve()


@dataclass(frozen=True)
class Settings:
    """What a run needs to know; built fresh from the environment each time it is asked."""

    state_dir: Path
    landing_dir: Path
    reference_dir: Path
    feedback_dir: Path
    staging_dir: Path
    warehouse_url: str | None
    max_bad_row_share: float
    """A file whose share of bad rows is above this is rejected whole (DESIGN.md: 20 %)."""

    @property
    def landing_is_default(self) -> bool:
        return "IKM_LANDING_DIR" not in os.environ


def get_settings() -> Settings:
    state = _path("IKM_STATE_DIR", PROJECT_ROOT / ".state")
    return Settings(
        state_dir=state,
        landing_dir=_path("IKM_LANDING_DIR", state / "landing"),
        reference_dir=_path("IKM_REFERENCE_DIR", PROJECT_ROOT / ".." / "shared" / "reference"),
        feedback_dir=_path("IKM_FEEDBACK_DIR", state / "umpan_balik"),
        staging_dir=_path("IKM_STAGING_DIR", state / "staging"),
        warehouse_url=os.environ.get("WAREHOUSE_URL") or None,
        max_bad_row_share=float(os.environ.get("IKM_BATAS_BARIS_BURUK", "0.20")),
    )


def deadline_override(jenis: str) -> str | None:
    """A kind's deadline as a PostgreSQL interval after the period starts, if set."""
    return os.environ.get(f"IKM_TENGGAT_{jenis.upper()}") or None


BI_READER_ROLE = "bi_reader"


def bi_reader_password() -> str:
    """The password of the ``bi_reader`` role that BI tools connect as.

    ``IKM_BI_READER_PASSWORD`` when set (docker compose, a server); otherwise one generated on
    first use and kept, readable by its owner only, under the state folder, so ``make bi`` on a
    laptop needs no setting and no password ever sits in the repo.
    """
    configured = os.environ.get("IKM_BI_READER_PASSWORD")
    if configured:
        return configured
    path = get_settings().state_dir / "rahasia" / "bi_reader_password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(24))
    return path.read_text().strip()
