"""The size rule of Permenperin 64/2016, at and around each boundary."""

import pyarrow as pa
import pytest

from etl.contract import skala_menurut_aturan

pytestmark = pytest.mark.unit

MILIAR = 1_000_000_000


@pytest.mark.parametrize(
    ("laki", "perempuan", "investasi", "expected"),
    [
        (10, 9, MILIAR - 1, "kecil"),  # 19 workers, just under Rp1 billion
        (0, 0, 0, "kecil"),
        (10, 9, MILIAR, "menengah"),  # 19 workers, Rp1 billion exactly
        (19, 0, 15 * MILIAR, "menengah"),
        (19, 0, 15 * MILIAR + 1, "besar"),
        (20, 0, 5, "menengah"),  # 20 workers with small investment is already menengah
        (15, 15, 15 * MILIAR, "menengah"),
        (15, 15, 15 * MILIAR + 1, "besar"),
        (None, 3, 5, None),  # unknown inputs give no class; not-null checks report them
        (3, 3, None, None),
    ],
)
def test_size_class(laki, perempuan, investasi, expected):
    result = skala_menurut_aturan(
        pa.array([laki], pa.int64()),
        pa.array([perempuan], pa.int64()),
        pa.array([investasi], pa.int64()),
    )
    assert result.to_pylist() == [expected]
