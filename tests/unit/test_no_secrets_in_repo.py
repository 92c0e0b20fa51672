"""No secret is committed: no credentials in a URL, no private key, no real .env.

Placeholders are allowed where they are meant to stand: ``XXXXXXXXXX`` (Superset's masked
export), ``${VAR}`` (compose reads .env), ``***`` (masked output), and the fake passwords the
tests themselves make up.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from etl.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit

CREDENTIALS_IN_URL = re.compile(r"://[^/\s:@'\"]+:(?P<password>[^@\s/'\"]+)@")
PLACEHOLDERS = re.compile(r"^(X{6,}|\$\{[A-Z_]+\}|\*\*\*|password)$")
# tests/unit/test_alerts.py checks that alerts mask it
TEST_FAKES = {"S3cr3tPw"}
# written apart, so this file does not match itself
PRIVATE_KEY = "PRIVATE" + " KEY-----"


def tracked_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.splitlines()


def test_no_credentials_private_keys_or_env_file_are_committed():
    files = tracked_files()
    assert files, "not a git checkout"
    assert ".env" not in files and ".env.example" in files
    found = []
    for name in files:
        path = PROJECT_ROOT / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:4096]:
            continue  # binary
        text = data.decode("utf-8", errors="replace")
        if PRIVATE_KEY in text:
            found.append(f"{name}: a private key")
        for match in CREDENTIALS_IN_URL.finditer(text):
            password = match["password"]
            if not PLACEHOLDERS.match(password) and password not in TEST_FAKES:
                found.append(f"{name}: {match.group(0)}")
    assert found == []


def test_the_example_env_holds_placeholders_only():
    pairs = dict(
        line.split("=", 1)
        for line in (PROJECT_ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    )
    secret = {k: v for k, v in pairs.items() if re.search("PASSWORD|SECRET|KEY", k)}
    assert len(secret) >= 5
    assert {k: v for k, v in secret.items() if not v.startswith("ganti")} == {}
