"""One settings object: every ``IKM_*`` variable is a typed, documented field of
:class:`etl.settings.Settings`, listed in the README's table and in ``.env.example``, and no
other module reads one from the environment itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from etl import settings as settings_module
from etl.settings import PROJECT_ROOT, SettingError, Settings, get_settings, settings_from

pytestmark = pytest.mark.unit

VARIABLES = Settings.variables()
PRODUCT = [PROJECT_ROOT / d for d in ("etl", "dags", "plugins", "bench")]


def test_every_setting_is_in_the_readme_table():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m for m in re.findall(r"^\| `([A-Z_<>]+)` \|", readme, re.M)}
    missing = [v for v in VARIABLES if v not in rows]
    assert missing == []


def test_every_setting_is_in_the_env_example():
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    names = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*(?:<[A-Z]+>)?[A-Z_]*)=", example, re.M))
    missing = [v for v in VARIABLES if v.replace("<JENIS>", "UNIT_IKM") not in names]
    assert missing == []


def test_a_field_is_its_variable_in_lower_case():
    for env, meta in VARIABLES.items():
        expected = env.removeprefix("IKM_").split("_<")[0].lower()
        assert meta["field"] == expected, env
        assert meta["doc"] and meta["default"], env


def _reads_of_ikm_variables(path: Path) -> list[str]:
    """``os.environ[...]``, ``.get(...)``, ``os.getenv(...)`` and ``in os.environ`` with an
    ``IKM_`` name: reads. Writing a child process's environment is not one."""
    found = []
    where = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path.name
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = None
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            name = node.slice
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("get", "getenv", "pop") and node.args:
                name = node.args[0]
        elif isinstance(node, ast.Compare) and any(
            isinstance(op, ast.In | ast.NotIn) for op in node.ops
        ):
            name = node.left
        if isinstance(name, ast.Constant) and str(name.value).startswith("IKM_"):
            found.append(f"{where}:{node.lineno} {name.value}")
        if isinstance(name, ast.JoinedStr) and any(
            isinstance(v, ast.Constant) and str(v.value).startswith("IKM_") for v in name.values
        ):
            found.append(f"{where}:{node.lineno} IKM_...")
    return found


def test_no_module_reads_an_ikm_variable_itself():
    reads = [
        hit
        for root in PRODUCT
        for path in sorted(root.rglob("*.py"))
        if path != Path(settings_module.__file__)
        for hit in _reads_of_ikm_variables(path)
    ]
    assert reads == []


def test_the_check_sees_a_direct_read(tmp_path):
    """The check above can fail: each way of reading a variable is caught."""
    path = tmp_path / "direct_read.py"
    path.write_text(
        "import os\n"
        'a = os.environ.get("IKM_X")\n'
        'b = os.environ["IKM_Y"]\n'
        'c = os.getenv("IKM_Z")\n'
        'd = "IKM_W" in os.environ\n'
        'os.environ["IKM_V"] = "written, not read"\n'
    )
    hits = _reads_of_ikm_variables(path)
    assert [h.split()[-1] for h in hits] == ["IKM_X", "IKM_Y", "IKM_Z", "IKM_W"]


def test_defaults_and_values():
    s = settings_from({})
    assert s.batas_baris_buruk == 0.20
    assert (s.batas_berkas_mb, s.batas_xlsx_mb, s.batas_json_mb) == (512, 200, 100)
    assert s.jeda_ulang_detik == 20 and s.slot_gudang == 1
    assert s.peringatan_terlambat_menit == 360 and s.peringatan_smtp_conn == "smtp_default"
    assert s.landing_dir == s.state_dir / "landing" and s.landing_is_default
    s = settings_from(
        {
            "IKM_BATAS_BARIS_BURUK": "0.5",
            "IKM_PERINGATAN_EMAIL": " a@x.go.id; b@x.go.id ,",
            "IKM_TENGGAT_UNIT_IKM": "2 months",
            "IKM_TENGGAT_PESERTA_PROGRAM": " ",
            "IKM_LANDING_DIR": "/data/landing",
        }
    )
    assert s.batas_baris_buruk == 0.5
    assert s.peringatan_email == ("a@x.go.id", "b@x.go.id")
    assert s.deadline("unit_ikm") == "2 months" and s.deadline("peserta_program") is None
    assert s.landing_dir == Path("/data/landing") and not s.landing_is_default


def test_a_bad_value_names_its_variable():
    with pytest.raises(SettingError, match="IKM_BATAS_BARIS_BURUK"):
        settings_from({"IKM_BATAS_BARIS_BURUK": "dua puluh persen"})
    with pytest.raises(SettingError, match="IKM_JEDA_ULANG_DETIK"):
        settings_from({"IKM_JEDA_ULANG_DETIK": "sebentar"})
    # limits and the lateness alert fall back to their defaults (they are read at DAG parse)
    assert settings_from({"IKM_BATAS_XLSX_MB": "besar"}).batas_xlsx_mb == 200
    assert settings_from({"IKM_PERINGATAN_TERLAMBAT_MENIT": "-5"}).peringatan_terlambat_menit == 360


def test_read_once_per_environment(monkeypatch):
    monkeypatch.setenv("IKM_SLOT_GUDANG", "2")
    first = get_settings()
    assert first is get_settings() and first.slot_gudang == 2
    monkeypatch.setenv("IKM_SLOT_GUDANG", "3")
    assert get_settings().slot_gudang == 3
