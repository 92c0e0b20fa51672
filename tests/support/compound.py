"""Hand-made files that no writer makes on purpose: an OLE2 compound file with chosen streams,
BIFF records, and ODS packages with chosen ``content.xml``, for the readers' guards."""

from __future__ import annotations

import io
import struct
import zipfile

FREE, END, FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file (512-byte sectors) whose streams, each under 4,096 bytes, all
    sit in the mini stream: sector 0 the FAT, 1 the directory, 2 the mini FAT, 3 on the mini
    stream."""
    mini, mini_fat, entries = b"", [], []
    for name, data in streams.items():
        assert len(data) < 4096 and len(streams) <= 3
        first, count = len(mini) // 64, max(1, -(-len(data) // 64))
        mini_fat += [first + i + 1 for i in range(count - 1)] + [END]
        mini += data.ljust(count * 64, b"\x00")
        entries.append((name, 2, first, len(data)))
    mini_sectors = -(-len(mini) // 512)
    fat = [FAT, END, END] + [3 + i + 1 for i in range(mini_sectors - 1)] + [END]
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 0x2C, 1, 1, 0, 4096)
    struct.pack_into("<IIII", header, 0x3C, 2, 1, END, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([FREE] * 108))
    directory = _entry("Root Entry", 5, 3, len(mini)) + b"".join(_entry(*e) for e in entries)
    sectors = [
        struct.pack("<128I", *(fat + [FREE] * (128 - len(fat)))),
        directory.ljust(512, b"\x00"),
        struct.pack("<128I", *(mini_fat + [FREE] * (128 - len(mini_fat)))),
        mini.ljust(mini_sectors * 512, b"\x00"),
    ]
    return bytes(header) + b"".join(sectors)


def _entry(name: str, kind: int, start: int, size: int) -> bytes:
    entry = bytearray(128)
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    entry[: len(encoded)] = encoded
    struct.pack_into("<HB", entry, 0x40, len(encoded), kind)
    struct.pack_into("<III", entry, 0x44, FREE, FREE, FREE)  # no siblings, no child
    struct.pack_into("<IQ", entry, 0x74, start, size)
    return bytes(entry)


def biff_workbook(
    *cells: tuple[int, int],
    name: str = "Data",
    globals_extra: bytes = b"",
    sheet_extra: bytes = b"",
) -> bytes:
    """A workbook stream (BIFF8): globals naming one sheet (then ``globals_extra`` records), and
    that sheet (``sheet_extra`` records first) with a NUMBER record at each (row, column)."""
    bof = struct.pack("<HHHH", 0x0809, 16, 0x0600, 0x0005) + b"\x00" * 12
    listed = len(bof) + 4 + 8 + len(name) + len(globals_extra) + 4  # the sheet's BOF
    entry = struct.pack("<IBBBB", listed, 0, 0, len(name), 0) + name.encode("latin-1")
    globals_ = bof + struct.pack("<HH", 0x0085, len(entry)) + entry + globals_extra
    globals_ += struct.pack("<HH", 0x0A, 0)
    sheet = struct.pack("<HHHH", 0x0809, 16, 0x0600, 0x0010) + b"\x00" * 12 + sheet_extra
    for row, col in cells:
        sheet += struct.pack("<HHHHHd", 0x0203, 14, row, col, 0, 1.0)
    return globals_ + sheet + struct.pack("<HH", 0x000A, 0)


def dimensions(first_row: int, end_row: int, first_col: int, end_col: int) -> bytes:
    """A BIFF8 DIMENSIONS record (the ends are one past the last row and column)."""
    return struct.pack("<HHIIHHH", 0x0200, 14, first_row, end_row, first_col, end_col, 0)


def sst(unique: int) -> bytes:
    """A BIFF8 SST record claiming ``unique`` strings (and holding none)."""
    return struct.pack("<HHii", 0x00FC, 8, unique, unique)


def ods_bytes(tables: str, manifest_entries: str = "") -> bytes:
    """An ODS package whose spreadsheet body is ``tables`` (``<table:table>`` elements)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        f"{manifest_entries}</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def string_cell(text: str, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{times}><text:p>{text}</text:p>'
        "</table:table-cell>"
    )
