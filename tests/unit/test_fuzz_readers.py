"""Property tests: whatever bytes land, staging returns or rejects the file, nothing else.

Random bytes as .csv, .xlsx and .json, random CSV text under a real header, and real workbooks
with bytes flipped, thrown at ``extract.stage_file``. The default run is bounded (about 150
examples per property); ``IKM_FUZZ_EXAMPLES`` raises it for a long run (``make fuzz``).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import extract
from tests.factories import HEADER, unit_ikm_row

pytestmark = pytest.mark.unit

EXAMPLES = int(os.environ.get("IKM_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def outcome(content: bytes, name: str) -> str:
    """Stage ``content`` landed as ``name``: "staged" or "rejected"; anything else escapes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            extract.stage_file(
                path,
                extract.kind_hint(name),
                Path(tmp) / "s.parquet",
                Path(tmp) / "e.parquet",
                Path(tmp) / "w.parquet",
                chunk_rows=7,
            )
        except extract.Rejected as exc:
            assert str(exc), "a rejection always says why"
            return "rejected"
        return "staged"


def _workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DATA IKM TAHUN 2023"])
    ws.append(HEADER)
    for i in range(3):
        ws.append([unit_ikm_row(f"123456789012{i}")[h] or None for h in HEADER])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


WORKBOOK = _workbook()
NAMES = st.sampled_from(
    ["unit_ikm_2023", "tenaga_kerja_2023", "realisasi_program_2024-05", "kiriman dinas"]
)


@FUZZ
@given(content=st.binary(max_size=4096), stem=NAMES, ext=st.sampled_from(["csv", "xlsx", "json"]))
def test_random_bytes_are_staged_or_rejected(content: bytes, stem: str, ext: str) -> None:
    outcome(content, f"{stem}.{ext}")


CELL = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20
) | st.sampled_from(["", "1.250.000", "Rp 1.250.000,00", "12,5", "9,12E+12", "30 Mei 2023", "Ya"])


@FUZZ
@given(
    rows=st.lists(st.lists(CELL, max_size=len(HEADER) + 3), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    with_header=st.booleans(),
)
def test_random_csv_text_is_staged_or_rejected(
    rows: list[list[str]], delimiter: str, encoding: str, with_header: bool
) -> None:
    lines = [delimiter.join(HEADER)] if with_header else []
    lines += [delimiter.join(cells) for cells in rows]
    content = "\r\n".join(lines).encode(encoding, errors="replace")
    outcome(content, "unit_ikm_2023.csv")


@FUZZ
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(0, 255)), min_size=1, max_size=8
    ),
    cut=st.one_of(st.none(), st.integers(0, len(WORKBOOK))),
)
def test_damaged_workbooks_are_staged_or_rejected(flips: list[tuple[int, int]], cut) -> None:
    content = bytearray(WORKBOOK[:cut] if cut is not None else WORKBOOK)
    for at, value in flips:
        if at < len(content):
            content[at] = value
    outcome(bytes(content), "unit_ikm_2023.xlsx")


@FUZZ
@given(
    data=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.sampled_from([*HEADER, "x"]), children, max_size=6)
        ),
        max_leaves=30,
    )
)
def test_random_json_documents_are_staged_or_rejected(data: object) -> None:
    import json

    outcome(json.dumps(data).encode(), "unit_ikm_2023.json")


def test_the_clean_workbook_itself_is_staged() -> None:
    assert outcome(WORKBOOK, "unit_ikm_2023.xlsx") == "staged"
