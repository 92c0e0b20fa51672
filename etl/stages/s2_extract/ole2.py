"""Excel 97-2003 (.xls) files looked at before calamine opens them: the compound file (OLE2)
they are, and in its workbook stream whether it is encrypted and how large a grid each sheet
spans.

calamine trusts the sizes a file states: it reserves memory for them, follows sector chains
until they end, and builds each sheet as a dense grid from its first to its last cell. A
hostile or damaged file can so make it allocate terabytes (the process aborts, no exception to
catch), loop forever, or, with two cells in A1 and IV65536, take a gigabyte. Everything calamine
would read is therefore read here first, the way it reads it, and any size it would trust is
checked against the file (:class:`NotCompound` when it does not hold). The grid is read from
the cell records' rows and columns, without building anything.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from typing import BinaryIO

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_RESERVED = 0xFFFFFFFA
"""Sector ids from here on are markers (end of chain, free, FAT or DIFAT sector)."""
_DIFAT_SECTOR = 0xFFFFFFFC
_MINI_CUTOFF = 4096
_ENTRY = 128

_BOF = {0x0809, 0x0409, 0x0209, 0x0009}
_EOF = 0x000A
_FILEPASS = 0x002F
_SST = 0x00FC
_BOUNDSHEET = 0x0085
_DIMENSIONS = 0x0200
_MULRK = 0x00BD
_CELLS = {
    0x0006, 0x0406, 0x0206,  # FORMULA (BIFF8, 4, 3): a cached value
    0x00FD, 0x0204, 0x0004, 0x00D6,  # LABELSST, LABEL (BIFF8, 2), RSTRING
    0x0203, 0x0003, 0x0002, 0x027E, _MULRK,  # NUMBER (BIFF8, 2), INTEGER, RK, MULRK
    0x0205, 0x0005,  # BOOLERR (BIFF8, 2)
}  # fmt: skip
"""Records of a cell with a value (calamine skips the blank ones, BLANK and MULBLANK)."""
_MAX_DIMENSIONS = 65536 * 256
"""Cells an Excel 97-2003 sheet can hold: calamine reserves memory for a sheet's DIMENSIONS."""


class NotCompound(ValueError):
    """Not a compound file calamine can be trusted with (damaged, or sizes it cannot hold)."""


def _check(condition: bool, why: str) -> None:
    if not condition:
        raise NotCompound(why)


@dataclass(frozen=True)
class _Entry:
    name: str
    start: int
    size: int


class Compound:
    """The directory and streams of a compound file: ``source`` is its bytes or the file, open
    for reading (read a sector at a time, never mapped: a file cut short while it is read
    fails here, it cannot crash the process)."""

    def __init__(self, source: bytes | BinaryIO) -> None:
        self._fh = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
        self.length = self._fh.seek(0, io.SEEK_END)
        self._fh.seek(0)
        header = self._fh.read(512)
        _check(len(header) == 512 and header[:8] == MAGIC, "no compound file header")
        shift, mini_shift = struct.unpack_from("<HH", header, 0x1E)
        _check(shift in (9, 12) and mini_shift == 6, "unexpected sector size")
        self.size = 1 << shift
        self.sectors = max(0, (self.length + self.size - 1) // self.size - 1)
        n_dir, n_fat, first_dir = struct.unpack_from("<III", header, 0x28)
        first_mini_fat, n_mini_fat, first_difat = struct.unpack_from("<III", header, 0x3C)
        (reserved,) = struct.unpack_from("<I", header, 62)  # calamine reserves this many
        _check(max(n_dir, n_fat, n_mini_fat) <= self.sectors, "more sectors than the file")
        _check(reserved <= 1 << 26, "absurd DIFAT length")
        per_sector = self.size // 4
        difat = list(struct.unpack_from("<109I", header, 0x4C))
        seen: set[int] = set()
        sector = first_difat
        while sector < _RESERVED:  # as calamine follows it: the last entry is the next sector
            _check(sector not in seen and sector < self.sectors, "broken DIFAT chain")
            seen.add(sector)
            difat += struct.unpack(f"<{per_sector}I", self._run(sector, 1))
            sector = difat.pop()
        fat: list[int] = []
        for s in difat:
            if s < _DIFAT_SECTOR:  # calamine reads every such sector as part of the FAT
                _check(s < self.sectors, "FAT sector outside the file")
                fat += struct.unpack(f"<{per_sector}I", self._run(s, 1))
        self.fat = fat
        raw = self._bytes(self._chain(first_dir, fat, self.sectors), self._run)
        self.entries = [self._entry(raw[at : at + _ENTRY]) for at in range(0, len(raw), _ENTRY)]
        _check(bool(self.entries) and len(raw) % _ENTRY == 0, "no directory")
        root = self.entries[0]  # calamine takes the first entry as the root
        _check(root.size <= self.length, "mini stream larger than the file")
        self._mini: tuple[list[int], list[int]] | None = None
        if n_mini_fat:
            self._mini = (
                self._chain(root.start, fat, self.sectors),
                self._chain(first_mini_fat, fat, self.sectors),
            )

    def _entry(self, raw: bytes) -> _Entry:
        name = raw[:64].decode("utf-16-le", "replace").split("\x00", 1)[0]
        start, size = struct.unpack_from("<IQ", raw, 0x74)
        return _Entry(name, start, size & 0xFFFFFFFF if self.size == 512 else size)

    def _run(self, first: int, count: int) -> bytes:
        """``count`` sectors from ``first`` on, in one read."""
        _check(first + count <= self.sectors, "sector outside the file")
        self._fh.seek((first + 1) * self.size)
        data = self._fh.read(count * self.size)
        _check(len(data) == count * self.size or first + count == self.sectors, "file cut short")
        return data

    @staticmethod
    def _bytes(chain: list[int], read) -> bytes:
        """The sectors of a chain, joined (consecutive ones read at once)."""
        parts, i = [], 0
        while i < len(chain):
            j = i
            while j + 1 < len(chain) and chain[j + 1] == chain[j] + 1:
                j += 1
            parts.append(read(chain[i], j - i + 1))
            i = j + 1
        return b"".join(parts)

    @staticmethod
    def _chain(start: int, fat: list[int], limit: int) -> list[int]:
        """The sectors of a chain, in order: each inside the file (``limit`` sectors), no loop
        (calamine would follow one forever)."""
        chain, seen, n = [], set(), start
        while n != _END_OF_CHAIN:
            _check(n < limit and n < len(fat) and n not in seen, "broken sector chain")
            seen.add(n)
            chain.append(n)
            n = fat[n]
        return chain

    def _find(self, name: str) -> _Entry | None:
        return next((e for e in self.entries if e.name == name), None)

    def has(self, name: str) -> bool:
        return self._find(name) is not None

    def read(self, name: str) -> bytes:
        """A stream's bytes, found and read as calamine reads it (the mini stream holds those
        smaller than 4,096 bytes)."""
        entry = self._find(name)
        _check(entry is not None, "no such stream")
        assert entry is not None
        _check(entry.size <= self.length, "stream larger than the file")
        if entry.size >= _MINI_CUTOFF:
            data = self._bytes(self._chain(entry.start, self.fat, self.sectors), self._run)
        else:
            _check(self._mini is not None or entry.start == _END_OF_CHAIN, "no mini stream")
            if self._mini is None:
                return b""
            stream = self._bytes(self._mini[0], self._run)
            table = self._bytes(self._mini[1], self._run)
            mini_fat = list(struct.unpack(f"<{len(table) // 4}I", table))
            chain = self._chain(entry.start, mini_fat, len(stream) // 64)
            data = b"".join(stream[n * 64 : n * 64 + 64] for n in chain)
        _check(len(data) >= entry.size, "stream shorter than its size")
        return data[: entry.size]


@dataclass(frozen=True)
class WorkbookFacts:
    encrypted: bool
    """The workbook stream has a FILEPASS record: everything after it is encrypted."""
    grid_shape: tuple[int, int] = (0, 0)
    """Rows and columns of the largest grid a sheet spans (first to last row and column)."""
    grid_sheet: str | None = None
    """The name of that sheet."""


def _records(stream: bytes, pos: int):
    """(type, body offset, length) of each record from ``pos`` until the stream ends."""
    end = len(stream)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if pos > end:
            return
        yield kind, body, length


def _sheet_name(stream: bytes, body: int, length: int, biff8: bool) -> str:
    """The name in a BOUNDSHEET record (after its stream position, visibility and type)."""
    cch = stream[body + 6] if length > 6 else 0
    if not biff8:
        return stream[body + 7 : body + 7 + cch].decode("cp1252", "replace")
    wide = length > 7 and stream[body + 7] & 0x1
    raw = stream[body + 8 : body + 8 + cch * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", "replace")


def _impossible_dimensions(stream: bytes, body: int, length: int) -> bool:
    """A DIMENSIONS record calamine would reserve an absurd buffer for (it computes the rows
    as last - first + 1 unchecked)."""
    if length == 14:
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", stream, body)
    elif length == 10:
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", stream, body)
    else:
        return False  # calamine refuses it itself
    if end_row < 1 or end_col < 1:
        return False
    rows, cols = end_row - first_row, end_col - first_col
    return rows < 1 or cols < 1 or rows * cols > _MAX_DIMENSIONS


def _span(stream: bytes, pos: int) -> tuple[int, int]:
    """Rows and columns a sheet's cells span, from its BOF at ``pos`` to its EOF."""
    box = [1 << 20, -1, 1 << 20, -1]  # first row, last row, first column, last column
    for kind, body, length in _records(stream, pos):
        if kind == _EOF:
            break
        if kind == _DIMENSIONS and _impossible_dimensions(stream, body, length):
            raise NotCompound("impossible sheet dimensions")
        if kind in _CELLS and length >= 4:
            row, col = struct.unpack_from("<HH", stream, body)
            last = col
            if kind == _MULRK and length >= 6:
                (last,) = struct.unpack_from("<H", stream, body + length - 2)
            box[0], box[1] = min(box[0], row), max(box[1], row)
            box[2], box[3] = min(box[2], col), max(box[3], last, col)
    return (box[1] - box[0] + 1, box[3] - box[2] + 1) if box[1] >= 0 else (0, 0)


def workbook_facts(stream: bytes) -> WorkbookFacts:
    """Encryption and the sheets' spans, read as calamine reads the workbook stream: the
    globals up to their EOF, then each sheet from the position its BOUNDSHEET record gives."""
    sheets: list[tuple[int, str]] = []
    biff8 = True
    for kind, body, length in _records(stream, 0):
        if kind in _BOF and body == 4 and length >= 2:
            biff8 = struct.unpack_from("<H", stream, body)[0] in (0x0600, 0)
        elif kind == _FILEPASS:
            return WorkbookFacts(True)
        elif kind == _SST and length >= 8:
            (unique,) = struct.unpack_from("<i", stream, body + 4)
            _check(unique <= len(stream) // 3, "more strings than the stream holds")
        elif kind == _BOUNDSHEET and length >= 4:
            (at,) = struct.unpack_from("<I", stream, body)
            sheets.append((at, _sheet_name(stream, body, length, biff8)))
        elif kind == _EOF:
            break
    largest: tuple[int, int, str | None] = (0, 0, None)
    for at, name in sheets:
        rows, cols = _span(stream, at)
        if rows * cols > largest[0] * largest[1]:
            largest = (rows, cols, name)
    return WorkbookFacts(False, largest[:2], largest[2])


def workbook_stream(compound: Compound) -> bytes | None:
    """The workbook stream, as calamine looks for it: ``Workbook``, else ``Book`` (Excel 5)."""
    for name in ("Workbook", "Book"):
        if compound.has(name):
            return compound.read(name)
    return None


def what_is(compound: Compound) -> str:
    """What an Office compound file holds: "terenkripsi" (an encrypted XLSX), "xls",
    "word", "powerpoint" or "lain"."""
    if compound.has("EncryptedPackage"):
        return "terenkripsi"
    if compound.has("Workbook") or compound.has("Book"):
        return "xls"
    if compound.has("WordDocument"):
        return "word"
    if compound.has("PowerPoint Document"):
        return "powerpoint"
    return "lain"
