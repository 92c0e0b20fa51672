"""The office's XLSX template, as far as extract must know it: where the data and the hidden
metadata sit, and which version of the template a file was made from.

The portal (``etl.portal.templat``) writes templates; extract recognises a workbook made from
one by its metadata sheet and records :func:`template_version` in ``audit.submission``.
"""

from __future__ import annotations

import hashlib

from etl.contract.kind import Kind

DATA_SHEET = "Data"
"""The sheet the office fills: the contract's headers on row 1, data from row 2."""
INSTRUCTIONS_SHEET = "Petunjuk"
"""Instructions in Indonesian; never read as data."""
LISTS_SHEET = "_daftar"
"""Hidden: the drop-down lists too long for a data validation formula (KBLI, regions)."""
METADATA_SHEET = "_metadata"
"""Hidden: key in column A, value in column B, from row 1; never read as data."""
METADATA_KEYS = ("jenis", "periode", "kode_wilayah", "versi_templat", "edisi_referensi")
"""What the metadata sheet holds (``periode`` may be empty: the office chooses it)."""
TEMPLATE_FORMAT = "1"
"""Bumped when the template's layout changes in a way extract must tell apart."""


def template_version(kind: Kind) -> str:
    """``<format>.<first 8 hex of the contract file's SHA-256>``: a new contract, a new
    template version, so an office's old template is recognised as old."""
    digest = hashlib.sha256(kind.contract_path.read_bytes()).hexdigest()[:8]
    return f"{TEMPLATE_FORMAT}.{digest}"
