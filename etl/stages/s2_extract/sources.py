"""Every format read as the same thing: sheets of numbered rows of text cells."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

Row = tuple[int, list[str | None]]
"""A row as the office numbers it in its own file, and its cells as text (None when empty)."""
HEADER_SCAN_ROWS = 30
"""Rows searched for the header (title rows above it are common in workbooks)."""


@dataclass
class Sheet:
    name: str | None
    rows: Iterator[Row]


@dataclass
class CsvLayout:
    """What the columnar reader needs to read a CSV's data rows without Python per row.

    ``lines_after`` maps each of the first records to the physical lines read up to its end
    (a quoted line break makes a record longer than one line), so the reader can skip the
    title and header rows exactly.
    """

    path: Path
    encoding: str
    delimiter: str
    lines_after: dict[int, int] = field(default_factory=dict)


@dataclass
class Source:
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)
    close: Callable[[], None] = lambda: None
    csv: CsvLayout | None = None
    metadata: dict[str, str] | None = None
    """The ``_metadata`` sheet of a workbook made from the portal's template (then ``sheets``
    is its ``Data`` sheet alone); None for any other file (:mod:`.template`)."""


def text_cells(cells: list[str]) -> list[str | None]:
    return [c if c.strip() else None for c in cells]
