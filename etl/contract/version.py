"""The rules version: a digest of everything that decides what a landed file becomes.

A file already processed with the same sha256 under the same rules version is skipped, so the
version must change whenever anything that could change the outcome does, and nothing else:

- the code of the data path that decides outcomes (:data:`OUTCOME_CODE`: the contract, the
  extract, validate and load stages, and the staging tables and scope owners they meet in);
- the kind's two folders: ``expectations/<jenis>/`` whole, and ``sql/jenis/<jenis>/`` but
  its views (``tampilan/``, which the marts read and no file's outcome depends on);
- the header synonyms every kind shares, and the reference lists;
- the settings that decide outcomes: the bad-row share and the size limits.

A listed path that is gone is an error, never skipped: a version computed without a file
would let every landed file be skipped under rules nobody can see.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from etl.contract.kind import COMMON_SYNONYMS, Kind, kinds
from etl.settings import PROJECT_ROOT, get_settings

OUTCOME_CODE = (
    "etl/contract",
    "etl/stages/s2_extract",
    "etl/stages/s3_validate",
    "etl/stages/s4_load.py",
    "etl/warehouse/scopes.py",
    "etl/warehouse/staging.py",
)
"""The code that decides what a file becomes (packages: every module in them); not the
runners, the CLIs, landing (which only lists files) or publish (which only reports)."""
REPORT_ONLY = ("etl/stages/s3_validate/data_docs.py",)
"""Modules inside those packages that only render what was decided (the Data Docs): a change
to them changes no file's outcome, so it must not make a night reprocess every file."""
VIEWS_FOLDER = "tampilan"


class RulesVersionError(RuntimeError):
    """A file the rules version lists is missing: the version would not say what it covers."""


def file_digest(path: Path) -> bytes:
    """sha256 of a file's bytes, remembered while its size and modification time stay the same
    (every landed file asks for the rules version; the files behind it rarely change)."""
    st = path.stat()
    return _file_digest(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=4096)
def _file_digest(path: str, _size: int, _mtime_ns: int) -> bytes:
    return hashlib.sha256(Path(path).read_bytes()).digest()


Labelled = tuple[str, Path]
"""A file with the name it enters the digest under (independent of where the tree lives)."""


def _code_files() -> tuple[Labelled, ...]:
    return _list_code(OUTCOME_CODE)


@functools.cache
def _list_code(outcome_code: tuple[str, ...]) -> tuple[Labelled, ...]:
    """The code files, listed once per process (a file gone since raises in :func:`file_digest`;
    one edited is seen by its size and modification time)."""
    return tuple(_walk_code(outcome_code))


def _walk_code(outcome_code: tuple[str, ...]) -> Iterator[Labelled]:
    for rel in outcome_code:
        path = PROJECT_ROOT / rel
        if path.is_dir():
            modules = sorted(path.rglob("*.py"))
            if not modules:
                raise RulesVersionError(f"rules version: {rel} holds no module")
            labelled = ((p.relative_to(PROJECT_ROOT).as_posix(), p) for p in modules)
            yield from ((name, p) for name, p in labelled if name not in REPORT_ONLY)
        elif path.is_file():
            yield rel, path
        else:
            raise RulesVersionError(f"rules version: {rel} is missing")


def _kind_files(kind: Kind) -> tuple[Labelled, ...]:
    for required in (kind.contract_path, kind.suite_path, kind.store_sql):
        if not required.is_file():
            raise RulesVersionError(f"rules version of {kind.jenis}: {required} is missing")
    return _list_kind(kind.jenis, kind.folder, kind.sql_folder)


@functools.cache
def _list_kind(jenis: str, folder: Path, sql_folder: Path) -> tuple[Labelled, ...]:
    """A kind's files, listed once per process, as :func:`_list_code`."""
    return tuple(_walk_kind(jenis, folder, sql_folder))


def _walk_kind(jenis: str, folder: Path, sql_folder: Path) -> Iterator[Labelled]:
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            yield f"expectations/{jenis}/{p.relative_to(folder).as_posix()}", p
    for p in sorted(sql_folder.rglob("*")):
        rel = p.relative_to(sql_folder)
        if p.is_file() and VIEWS_FOLDER not in rel.parts:
            yield f"sql/jenis/{jenis}/{rel.as_posix()}", p


def _shared_files() -> Iterator[Labelled]:
    if not COMMON_SYNONYMS.is_file():
        raise RulesVersionError(f"rules version: {COMMON_SYNONYMS} is missing")
    yield COMMON_SYNONYMS.name, COMMON_SYNONYMS
    reference = get_settings().reference_dir
    if reference.is_dir():
        yield from ((f"referensi/{p.name}", p) for p in sorted(reference.glob("*.csv")))


def _digest(files: Iterable[Labelled], extra: str) -> str:
    digest = hashlib.sha256(extra.encode())
    for label, path in files:
        digest.update(label.encode())
        try:
            digest.update(file_digest(path))
        except FileNotFoundError as exc:  # listed when the process started, gone since
            raise RulesVersionError(f"rules version: {label} is missing") from exc
    return digest.hexdigest()[:16]


def rules_version(kind: Kind | None) -> str:
    """The version of the rules a file of ``kind`` is processed under; ``None`` for a file that
    reaches no kind (a bad name, an unknown kind), whose outcome depends on every kind's
    contract and synonyms (the kind is inferred from its headers)."""
    settings = get_settings()
    outcome_settings = repr(
        (
            settings.batas_baris_buruk,
            settings.batas_berkas_mb,
            settings.batas_xlsx_mb,
            settings.batas_json_mb,
        )
    )
    if kind is None:
        contracts = [
            (f"expectations/{k.jenis}/{p.name}", p)
            for k in kinds().values()
            for p in (k.contract_path, k.synonyms_path)
            if p.is_file()
        ]
        paths = [*_code_files(), *contracts, *_shared_files()]
        return _digest(paths, " ".join(sorted(kinds())) + outcome_settings)
    paths = [*_code_files(), *_kind_files(kind), *_shared_files()]
    return _digest(paths, kind.jenis + outcome_settings)
