"""Importing the product never imports Airflow: Airflow reads its configuration once, at
import, and the DAG tests (and any caller) must be able to set it up first."""

import subprocess
import sys

import pytest

from etl.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit


def test_importing_every_etl_module_leaves_airflow_unimported():
    modules = sorted(
        ".".join(p.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (PROJECT_ROOT / "etl").rglob("*.py")
        if p.stem != "__main__"
    )
    assert "etl.stages.s2_extract.cells" in modules and "etl.ops.alerts" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "loaded = sorted(m for m in sys.modules if m == 'airflow' or m.startswith('airflow.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
