"""Property tests: whatever bytes land, staging returns or rejects the file, nothing else.

Random bytes as .csv, .xlsx and .json, random CSV text under a real header, and real workbooks
with bytes flipped, thrown at ``extract.stage_file``; random text at the cell parsers, the header
mapping and the file-name parser; ragged CSVs checked to lose no row (rows in = rows staged,
bad cells quarantined with their row). The default run is bounded (about 150 examples per
property); ``FUZZ_EXAMPLES`` raises it for a long run (``make fuzz``). The number of cases
each property tried is printed at the end of the module.
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

from etl import contract
from etl.stages import s2_extract as extract
from etl.stages.s2_extract import cells as cell_rules
from tests.support.factories import HEADER, UNIT_IKM, unit_ikm_row

pytestmark = pytest.mark.unit

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRIED: dict[str, int] = {}
"""Cases each property ran, for the closing note (printed by the fixture below)."""


def tried(name: str) -> None:
    TRIED[name] = TRIED.get(name, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def _report_cases(request: pytest.FixtureRequest):
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if TRIED and capture is not None:
        with capture.global_and_fixture_disabled():
            print()
            for name, count in sorted(TRIED.items()):
                print(f"fuzz {name}: {count} kasus")


def outcome(content: bytes, name: str) -> str:
    """Stage ``content`` landed as ``name``: "staged" or "rejected"; anything else escapes."""
    return staged(content, name)[0]


def staged(content: bytes, name: str, columnar: bool = True) -> tuple[str, int, int]:
    """("staged" | "rejected", rows staged, cell errors): the rows a staged file kept."""
    import pyarrow.parquet as pq

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
                columnar=columnar,
            )
        except extract.Rejected as exc:
            assert str(exc), "a rejection always says why"
            return "rejected", 0, 0
        rows = pq.read_metadata(Path(tmp) / "s.parquet").num_rows
        errors = pq.read_metadata(Path(tmp) / "e.parquet").num_rows
        return "staged", rows, errors


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
    tried("random_bytes_are_staged_or_rejected")
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
    tried("random_csv_text_is_staged_or_rejected")
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
    tried("damaged_workbooks_are_staged_or_rejected")
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
    tried("random_json_documents_are_staged_or_rejected")
    import json

    outcome(json.dumps(data).encode(), "unit_ikm_2023.json")


def test_the_clean_workbook_itself_is_staged() -> None:
    assert outcome(WORKBOOK, "unit_ikm_2023.xlsx") == "staged"


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
NUMBERISH = st.from_regex(r"-?(Rp ?)?[0-9.,]{0,20}([eE][+-]?[0-9]{1,3})?", fullmatch=True)
DATEISH = st.from_regex(r"[0-9]{1,4}[-/ ][0-9A-Za-z]{1,9}[-/ ][0-9]{1,5}", fullmatch=True)


@FUZZ
@given(
    text=TEXT | NUMBERISH | DATEISH, numeric=st.booleans(), panjang=st.sampled_from([None, 4, 13])
)
def test_cell_parsers_return_a_value_or_a_reason(text: str, numeric: bool, panjang) -> None:
    """Every parser answers a value or a Galat with a reason for any text; none raises."""
    tried("cell_parsers_return_a_value_or_a_reason")
    for parse in (
        cell_rules.to_bilangan,
        cell_rules.to_rupiah,
        cell_rules.to_desimal,
        cell_rules.to_tanggal,
    ):
        result = parse(text, numeric)
        assert not isinstance(result, cell_rules.Galat) or result.alasan
    assert isinstance(cell_rules.to_ya_tidak(text, numeric), str)
    kode = cell_rules.to_kode(text, numeric, panjang)
    assert isinstance(kode, str) or kode.alasan
    cell_rules.parse_angka(text)
    cell_rules.parse_tanggal(text, numeric)


@FUZZ
@given(cells=st.lists(st.none() | TEXT | st.sampled_from(HEADER), max_size=30))
def test_header_mapping_never_crashes_and_names_only_contract_columns(cells) -> None:
    tried("header_mapping_never_crashes_and_names_only_contract_columns")
    try:
        header, missing = extract.map_header(UNIT_IKM, cells)
    except extract.Rejected as exc:  # a column twice: the project's own rejection, with reason
        assert "dua kali" in str(exc)
        return
    assert len(header) == len(cells)
    assert set(header) - {""} <= set(HEADER) and set(missing) <= set(UNIT_IKM.required)


@FUZZ
@given(
    name=TEXT
    | st.builds(
        lambda j, p, rest, e: f"{j}_{p}{rest}.{e}",
        st.sampled_from([*contract.kinds(), "UNIT_IKM", "lain"]),
        st.from_regex(r"[0-9]{4}(-[0-9]{2})?", fullmatch=True) | TEXT,
        TEXT,
        st.sampled_from(["csv", "XLSX", "json", "xls", ""]),
    )
)
def test_file_name_parser_never_crashes(name: str) -> None:
    tried("file_name_parser_never_crashes")
    parsed = contract.parse_file_name(name)
    if parsed is not None:
        assert parsed.ext in ("csv", "xlsx", "xls", "ods", "json")
        assert name.lower().endswith(parsed.ext)
        assert parsed.periode[:4].isdigit()
    hint = extract.kind_hint(name)
    assert hint is None or hint.jenis in contract.kinds()


@FUZZ
@given(
    rows=st.lists(
        st.lists(CELL, min_size=len(HEADER) - 3, max_size=len(HEADER) + 3), min_size=1, max_size=10
    ),
    valid=st.lists(st.booleans(), min_size=10, max_size=10),
    columnar=st.booleans(),
)
def test_ragged_csv_loses_no_row(rows: list[list[str]], valid: list[bool], columnar: bool) -> None:
    """Rows in = rows staged: a short or long row is staged (its bad cells quarantined with the
    row), never dropped; a file is otherwise rejected as a whole."""
    tried("ragged_csv_loses_no_row")
    body = []
    for i, cells in enumerate(rows):
        if valid[i % len(valid)]:
            good = unit_ikm_row(f"32010000{i:05d}")
            cells = [str(good[h]) for h in HEADER][: len(cells)] + cells[len(HEADER) :]
        body.append(cells)
    buf = io.StringIO(newline="")
    writer = __import__("csv").writer(buf)
    writer.writerow(HEADER)
    data_rows = [c for c in body if any(x.strip() for x in c)]  # blank lines are not rows
    writer.writerows(body)
    status, staged_rows, _ = staged(buf.getvalue().encode(), "unit_ikm_2023.csv", columnar)
    if status == "staged":
        assert staged_rows == len(data_rows)
