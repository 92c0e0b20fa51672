"""A file's status by DESIGN.md's validation policy, from its counts."""

from __future__ import annotations


def decide(total: int, bad_rows: int, file_errors: list[str], max_share: float) -> tuple[str, str]:
    """Status and message of a file by DESIGN.md's rules."""
    if file_errors:
        return "ditolak", "berkas ditolak: " + "; ".join(file_errors)
    if total and bad_rows / total > max_share:
        return "ditolak", (
            f"berkas ditolak: {bad_rows} dari {total} baris ({bad_rows / total:.0%}) bermasalah, "
            f"melebihi batas {max_share:.0%}; perbaiki baris yang disebut lalu kirim ulang"
        )
    if bad_rows:
        return "diterima_sebagian", (
            f"{total - bad_rows} baris diterima, {bad_rows} baris dikarantina; perbaiki baris yang "
            "disebut lalu kirim ulang berkas lengkap"
        )
    return "diterima", f"semua {total} baris diterima"
