"""The unit_ikm suite on pandas frames: a clean frame passes, and every expectation is seen failing.

The frames come through the same extract typing as landed files, so the suite sees what the
pipeline gives it; the pipeline runs the same suite on the staging table in PostgreSQL.
"""

from __future__ import annotations

import json

import pytest

from etl.stages import s2_extract as extract
from etl.stages import s3_validate as validate
from tests.support.factories import HEADER, UNIT_IKM, unit_ikm_row

pytestmark = pytest.mark.suite

KIND = UNIT_IKM
SUITE = json.loads(KIND.suite_path.read_text())["expectations"]
PARAMS = {
    "kode_kabkota_referensi": ["3201", "3202", "3273", "3578"],
    "kbli_kelompok_industri": ["10792", "13111", "31001"],
    "tahun_periode": 2023,
    "awal_periode": "2023-01-01",
    "akhir_periode": "2023-12-31",
}


def row(nib: str | None, **overrides: str | None) -> list[str | None]:
    values = unit_ikm_row(nib, **overrides)
    return [values[h] or None for h in HEADER]


def frame(rows: list[list[str | None]], drop: str | None = None):
    batch, _ = extract.to_batch(KIND, HEADER, list(enumerate(rows, start=2)))
    df = batch.to_pandas()
    return df.drop(columns=[drop]) if drop else df


def clean_rows() -> list[list[str | None]]:
    return [row(f"123456789012{i}") for i in range(5)]


def test_clean_frame_passes_every_expectation():
    outcome = validate.validate_frame(KIND, frame(clean_rows()), PARAMS, "32")
    assert outcome.failures == [] and outcome.file_errors == []
    assert len(outcome.results) == len(SUITE)
    assert all(r["sukses"] for r in outcome.results)


def column_of(expectation: dict) -> str | None:
    kwargs = expectation["kwargs"]
    return expectation["meta"].get("kolom") or kwargs.get("column") or kwargs.get("column_A")


def breaking(expectation: dict) -> tuple[list[list[str | None]], str | None]:
    """Rows (row 3 is the bad one) that break exactly this expectation, or a column to drop."""
    kwargs, kode = expectation["kwargs"], expectation["meta"]["kode"]
    rows = clean_rows()
    column = expectation["meta"].get("kolom") or kwargs.get("column")
    bad_value = {
        "wajib_diisi": None,
        "nib_format": "12345",
        "nik_format": "3201abc",
        "telepon_format": "telepon saya",
        "kabkota_tidak_dikenal": "3299",
        "kabkota_di_luar_wilayah": "3578",
        "kbli_bukan_industri": "46100",
        "skala_tidak_dikenal": "besar",
        "tidak_boleh_negatif": "-1",
        "tenaga_kerja_tidak_wajar": "3000000000",
        "tahun_berdiri_tidak_wajar": "2031",
        "pilihan_ya_tidak": "mungkin",
        "tanggal_di_luar_periode": "2022-12-31",
    }
    if kode == "kolom_wajib":
        return rows, "kbli"
    if kode == "nib_ganda":
        rows[1] = row(rows[2][0])  # row 3 repeats the NIB of row 4
        return rows, None
    if kode == "skala_tidak_sesuai_aturan":
        rows[1] = row("1234567890129", tenaga_kerja_laki="25")  # 25 workers is not kecil
        return rows, None
    overrides = {"nib": "1234567890129", column: bad_value[kode]}
    rows[1] = row(**overrides)
    return rows, None


@pytest.mark.parametrize(
    "index",
    range(len(SUITE)),
    ids=[f"{e['meta']['kode']}:{e['kwargs'].get('column', '')}" for e in SUITE],
)
def test_each_expectation_fails_on_the_row_that_breaks_it(index):
    expectation = SUITE[index]
    rows, drop = breaking(expectation)
    outcome = validate.validate_frame(KIND, frame(rows, drop), PARAMS, "32")
    (result,) = [
        r
        for r in outcome.results
        if (r["expectation"], r["kode_aturan"], r["kolom"])
        == (expectation["type"], expectation["meta"]["kode"], column_of(expectation))
    ]
    assert result["sukses"] is False, expectation
    if expectation["meta"]["tingkat"] == "berkas":
        assert outcome.file_errors
        return
    flagged = {f.baris for f in outcome.failures if f.kode_aturan == expectation["meta"]["kode"]}
    assert 3 in flagged
    if expectation["meta"]["kode"] == "nib_ganda":
        assert flagged == {3, 4}  # every copy, since the pipeline cannot know which is right
    reasons = [f.alasan for f in outcome.failures if f.baris == 3]
    assert any(expectation["meta"]["pesan"] in r for r in reasons)
