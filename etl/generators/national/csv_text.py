"""CSV text built with Arrow compute kernels, a column at a time: 4.4 million rows in seconds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def sebagai_teks(angka: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(angka), pa.string())


def gabung(*bagian: pa.Array | str, pemisah: str = "") -> pa.Array:
    return pc.binary_join_element_wise(
        *bagian, pemisah, null_handling="replace", null_replacement=""
    )


def kutip(kolom: pa.Array) -> pa.Array:
    """CSV quoting where a value needs it (comma, quote, line break), as Excel writes it."""
    perlu = pc.fill_null(pc.match_substring_regex(kolom, '[",\r\n]'), False)
    if not pc.any(perlu).as_py():
        return kolom
    dikutip = gabung('"', pc.replace_substring(kolom, '"', '""'), '"')
    return pc.if_else(perlu, dikutip, kolom)


def kosongkan(kolom: pa.Array, kosong: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(kosong), pa.scalar(None, pa.string()), kolom)


def ke_csv(path: Path, header: tuple[str, ...], kolom: list[pa.Array]) -> int:
    """Write header and rows (columns already text) as UTF-8 CSV, '\\n' line ends; return bytes.

    Every line is one string of an Arrow array, so the file is that array's value buffer.
    """
    baris = gabung(gabung(*kolom, pemisah=","), "\n")
    offsets = np.frombuffer(baris.buffers()[1], dtype=np.int32)
    awal, akhir = offsets[baris.offset], offsets[baris.offset + len(baris)]
    isi = memoryview(baris.buffers()[2])[awal:akhir]
    kepala = (",".join(header) + "\n").encode()
    with path.open("wb") as f:
        f.write(kepala)
        f.write(isi)
    return len(kepala) + len(isi)
