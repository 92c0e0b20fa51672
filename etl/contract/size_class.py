"""Business rules computed in Arrow, so they are tested once and seen by the suites as columns."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

SATU_MILIAR = 1_000_000_000
LIMA_BELAS_MILIAR = 15_000_000_000


def skala_menurut_aturan(
    tenaga_kerja_laki: pa.Array, tenaga_kerja_perempuan: pa.Array, nilai_investasi: pa.Array
) -> pa.Array:
    """Size class by Permenperin 64/2016 from workers and investment (land and buildings excluded).

    kecil: at most 19 workers and investment below Rp1 billion; menengah: at most 19 workers with
    investment Rp1–15 billion, or 20+ workers with investment up to Rp15 billion; otherwise besar.
    Null when an input is null (the not-null expectations report that).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    workers = pc.add(tenaga_kerja_laki, tenaga_kerja_perempuan)
    small_staff = pc.less_equal(workers, 19)
    kecil = pc.and_(small_staff, pc.less(nilai_investasi, SATU_MILIAR))
    menengah = pc.and_(
        pc.less_equal(nilai_investasi, LIMA_BELAS_MILIAR),
        pc.or_(pc.invert(small_staff), pc.greater_equal(nilai_investasi, SATU_MILIAR)),
    )
    skala = pc.case_when(
        pc.make_struct(kecil, menengah),
        pa.scalar("kecil"),
        pa.scalar("menengah"),
        pa.scalar("besar"),
    )
    unknown = pc.or_(pc.is_null(workers), pc.is_null(nilai_investasi))
    return pc.if_else(unknown, pa.scalar(None, pa.string()), skala)
