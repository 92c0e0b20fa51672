"""What a sample file is expected to become (:class:`SampleFile`), and the calendar of the sample
landing zone: the programme year, its months, the arrival days of the later groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class SampleFile:
    """One written submission and the outcome the pipeline should reach for it.

    Row numbers are those the office sees in its own file: the spreadsheet row (header = 1; below
    a title, the Excel row). No JSON sample plants a row-level defect.
    """

    path: Path  # relative to the landing root: <arrival date>/<office>/<file>
    kode_wilayah: str  # the sending office
    tanggal_tiba: date
    jumlah_baris: int  # data rows (records), title and header rows excluded
    baris_buruk: dict[int, str]  # row number -> why the row must be quarantined
    diharapkan: str  # final status once every day is processed in order: diterima |
    # diterima_sebagian | ditolak | digantikan
    jenis: str  # unit_ikm | tenaga_kerja | realisasi_program | peserta_program
    nib_tidak_terdaftar: frozenset[int] = frozenset()  # rows flagged (NIB not in the register)
    # but loaded: never in baris_buruk
    peringatan: frozenset[int] = frozenset()  # rows loaded with a warning (old region code)
    catatan: str = ""  # what is special about the file, for people and test names


TAHUN_PROGRAM = 2024


BULAN_REALISASI = (1, 2, 3)


NAMA_BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember")  # fmt: skip


# Arrival days of the later groups. Day 1 (4 March) stays the three unit_ikm files of the first
# plan; monthly reports are due 10 days after their month (realisasi of March by 10 April).
TIBA_JAN = date(2024, 2, 8)


TIBA_FEB = date(2024, 3, 8)


TIBA_MAR = date(2024, 4, 8)


TIBA_MAR_TELAT = date(2024, 4, 15)  # after the 10 April deadline: late


def status(jumlah_baris: int, buruk: dict[int, str]) -> str:
    if len(buruk) * 5 > jumlah_baris:
        raise ValueError("planted defects must stay under 20 % of a file's rows")
    return "diterima_sebagian" if buruk else "diterima"
