"""Names as offices write them: file names of the contract, and header cells."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

FILE_NAME = re.compile(
    r"^(?P<jenis>[a-z][a-z_]*?)_(?P<periode>\d{4}(?:-\d{2})?)(?:_[^/]*)?\.(?P<ext>csv|xlsx|xls|ods|json)$",
    re.IGNORECASE,
)
POLA_NAMA = "<jenis>_<periode>.<csv|xlsx|xls|ods|json>, misalnya unit_ikm_2023.xlsx"
"""The file-name rule as the feedback states it to an office."""


@dataclass(frozen=True)
class FileName:
    jenis: str
    periode: str
    ext: str


def parse_file_name(name: str) -> FileName | None:
    """``<jenis>_<periode>[_anything].<csv|xlsx|xls|ods|json>``, or None when it does not follow
    that."""
    match = FILE_NAME.match(name)
    if match is None:
        return None
    return FileName(match["jenis"].lower(), match["periode"], match["ext"].lower())


def normalise_header(name: object) -> str:
    """Header cell → snake_case: case, spaces and punctuation do not matter."""
    return _normalise_text(str(name or ""))


_NOT_SNAKE = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=65_536)
def _normalise_text(text: str) -> str:
    # cached: the header scan asks about the same few hundred cells of every file many times
    return _NOT_SNAKE.sub("_", text.strip().lower()).strip("_")
