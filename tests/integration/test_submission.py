"""The submission record on its own: one row per landed file, kept until a terminal status,
and a rejection that withdraws whatever the file had loaded."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.warehouse import connect, submission
from tests.support.records import accepted, owners, statuses

pytestmark = pytest.mark.integration


def test_a_path_is_split_into_day_office_and_file():
    assert submission.parts_of("2024-03-04/3578/unit_ikm_2023.xlsx") == (
        dt.date(2024, 3, 4),
        "3578",
        "unit_ikm_2023.xlsx",
    )
    with pytest.raises(ValueError):
        submission.parts_of("kemarin/3578/unit_ikm_2023.xlsx")


def test_register_makes_one_row_per_path_and_keeps_what_a_run_concluded(warehouse):
    with connect() as conn:
        first, status = submission.register(conn, "2024-03-04/32/tenaga_kerja_2023.csv")
        assert status == "diproses"
        row = submission.get(conn, first)
        assert (row.tanggal_tiba, row.kode_wilayah, row.nama_berkas) == (
            dt.date(2024, 3, 4),
            "32",
            "tenaga_kerja_2023.csv",
        )
        submission.update(conn, first, status="diterima", jenis="tenaga_kerja", periode="2023")
        again, status = submission.register(conn, "2024-03-04/32/tenaga_kerja_2023.csv")
        assert (again, status) == (first, "diterima")  # a re-run sees the last outcome
        assert conn.execute("select count(*) from audit.submission").fetchone() == (1,)
        with pytest.raises(LookupError):
            submission.get(conn, first + 1000)


def test_a_rejection_is_written_once_and_only_when_it_changes_something(warehouse):
    with connect() as conn:
        sid, _ = submission.register(conn, "2024-03-04/32/rusak.csv")
        submission.reject(conn, sid, "berkas kosong", jumlah_baris=0)
        conn.commit()
        first = conn.execute(
            "select status, pesan, jumlah_baris_ditolak, processed_at from audit.submission"
        ).fetchone()
        assert first[:3] == ("ditolak", "berkas kosong", 0)
        submission.reject(conn, sid, "berkas kosong", jumlah_baris=0)
        conn.commit()
        assert (
            conn.execute(
                "select status, pesan, jumlah_baris_ditolak, processed_at from audit.submission"
            ).fetchone()
            == first
        )  # the same outcome again changes nothing, not even the time
        submission.reject(conn, sid, "gangguan sistem", system=True)
        assert conn.execute("select pesan, galat_sistem from audit.submission").fetchone() == (
            "gangguan sistem",
            True,
        )


def test_rejecting_a_loaded_file_withdraws_its_rows_and_the_runner_up_returns(warehouse):
    """A reprocess rejects a correction that was accepted: its rows go in the same transaction,
    and the file it had replaced owns the scope again."""
    with connect() as conn:
        accepted(conn, "2024-03-04/32/tenaga_kerja_2023.csv", {"3201": 3, "3204": 2})
        correction = accepted(conn, "2024-04-15/32/tenaga_kerja_2023_revisi.csv", {"3201": 4})
        assert owners(conn) == {
            "3201": "2024-04-15/32/tenaga_kerja_2023_revisi.csv",
            "3204": "2024-03-04/32/tenaga_kerja_2023.csv",
        }
        submission.reject(conn, correction, "kode satker salah", jumlah_baris=4)
        conn.commit()
        assert owners(conn) == {
            "3201": "2024-03-04/32/tenaga_kerja_2023.csv",
            "3204": "2024-03-04/32/tenaga_kerja_2023.csv",
        }
        assert conn.execute(
            "select count(*) from core.baris_tenaga_kerja where submission_id = %s", (correction,)
        ).fetchone() == (0,)
        assert conn.execute("select count(*) from core.fakta_tenaga_kerja").fetchone() == (5,)
        assert statuses(conn) == {
            "2024-03-04/32/tenaga_kerja_2023.csv": "diterima",
            "2024-04-15/32/tenaga_kerja_2023_revisi.csv": "ditolak",
        }
