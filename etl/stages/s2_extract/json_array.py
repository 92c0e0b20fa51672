"""JSON read whole (under ``IKM_BATAS_JSON_MB``): an array of flat objects keyed by the
template's column names. Row 1 is a virtual header, object i is row i + 1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from etl.contract import Kind
from etl.stages.s2_extract.cells import number_cell
from etl.stages.s2_extract.errors import Rejected
from etl.stages.s2_extract.size_limits import MIB, limits
from etl.stages.s2_extract.sources import Row, Sheet, Source


def _json_cell(value: object, number: int, key: str) -> str | None:
    if isinstance(value, str) and "\x00" in value:
        # PostgreSQL text cannot hold NUL; a CSV with NUL is refused as binary the same way
        raise Rejected(
            f"objek ke-{number - 1}: nilai '{key}' berisi karakter NUL (\\u0000); hapus "
            "karakter itu lalu kirim ulang"
        )
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int | float):
        return number_cell(value)
    raise Rejected(
        f"objek ke-{number - 1}: nilai '{key}' berupa daftar atau objek bersarang; setiap nilai "
        "harus teks, angka, true/false atau null"
    )


def read_json(path: Path, candidates: list[Kind]) -> Source:
    """An array of flat objects; row 1 is the (virtual) header, object i is row i + 1."""
    if path.stat().st_size > limits()["json"]:
        raise Rejected(
            f"berkas JSON melebihi batas {limits()['json'] // MIB} MiB; kirim sebagai CSV"
        )
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise Rejected("berkas JSON harus ber-pengodean UTF-8") from exc
    except RecursionError as exc:
        raise Rejected("berkas JSON bersarang terlalu dalam; kirim larik objek datar") from exc
    except ValueError as exc:
        if "integer string conversion" in str(exc):
            raise Rejected(
                "berkas JSON berisi angka yang terlalu panjang (lebih dari 4.300 digit); "
                "tulis kode dan angka sebagai teks yang wajar"
            ) from exc
        raise Rejected(f"berkas JSON tidak sah: {exc}") from exc
    if not isinstance(data, list):
        raise Rejected(
            "berkas JSON harus berupa larik (array) objek, satu objek per baris, dengan kunci "
            "sesuai nama kolom templat"
        )
    if not data:
        raise Rejected("berkas kosong: larik JSON tidak berisi objek")
    keys: dict[str, None] = {}
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise Rejected(f"elemen ke-{i} larik JSON bukan objek; setiap elemen harus objek")
        keys.update(dict.fromkeys(item))
    header = list(keys)

    def rows() -> Iterator[Row]:
        yield 1, list(header)
        for i, item in enumerate(data, start=2):
            yield i, [_json_cell(item.get(k), i, k) for k in header]

    return Source([Sheet(None, rows())])
