"""What a suite run says, whatever engine ran it: plain data, no Great Expectations types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ROW_REASON_LIMIT = 200_000
"""Quarantine rows kept per file; beyond this the file is rejected whole anyway."""


@dataclass(frozen=True)
class Failure:
    """One quarantined cell: the row as the office sees it, the column, the value, why."""

    baris: int
    kolom: str
    nilai: str | None
    kode_aturan: str
    alasan: str


@dataclass(frozen=True)
class FailedExpectation:
    """A row-level expectation that failed, with how to find every row it flagged.

    GX returns at most a few hundred unexpected rows per expectation; on SQL it also returns
    the query that selects all of them (``unexpected_index_query``), which the pipeline runs
    itself so that no bad row goes unreported. On pandas only the returned rows exist.
    """

    kolom: str
    kode_aturan: str
    alasan: str
    jumlah: int
    rows: tuple[tuple[int, str | None], ...] = ()
    query: str | None = None
    duplicates_of: tuple[str, ...] = ()
    """For a compound-uniqueness expectation, its columns (see :func:`duplicate_rows_query`)."""


@dataclass
class SuiteOutcome:
    """What a suite run says, engine-independent."""

    file_errors: list[str]
    failed: list[FailedExpectation]
    results: list[dict[str, Any]]
    gx_result: dict[str, Any] | None = None
    """The run's whole GX validation result as JSON (a run on the warehouse only): what Data
    Docs render."""

    @property
    def failures(self) -> list[Failure]:
        """The flagged cells that GX returned itself (all of them on small frames)."""
        return [
            Failure(baris, f.kolom, nilai, f.kode_aturan, f.alasan)
            for f in self.failed
            for baris, nilai in f.rows
        ]
