"""The open-data release (Satu Data Indonesia): the public layer of a year as a Frictionless Data
Package with metadata statistik, validated, recorded, and never changed once made.

Part of publishing (stage 5), after the marts and the public layer: it reads only schema
``publik``, connected as ``publik_reader`` (:mod:`.source`); the tables and their Table Schemas
are :mod:`.tables`, the metadata statistik (BPS 5/2020) :mod:`.metadata`, the package files
:mod:`.package`, the versions and their immutable record :mod:`.versions`, the three steps
(build, validate, record) :mod:`.steps`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from etl.stages.s5_publish.release.package import FolderExists
from etl.stages.s5_publish.release.source import PublicLayerEmpty
from etl.stages.s5_publish.release.steps import (
    InvalidPackage,
    build,
    discard,
    record,
    release,
    validate,
)
from etl.stages.s5_publish.release.versions import ReleaseDamaged, VersionMoved, history

__all__ = [
    "FolderExists",
    "InvalidPackage",
    "PublicLayerEmpty",
    "ReleaseDamaged",
    "VersionMoved",
    "build",
    "discard",
    "history",
    "record",
    "register",
    "release",
    "validate",
]


def _run(args: argparse.Namespace) -> int:
    try:
        result = release(args.tahun, out=args.out, uji_coba=not args.record, catatan=args.note)
    except (PublicLayerEmpty, FolderExists, InvalidPackage, VersionMoved, ReleaseDamaged) as exc:
        print(f"rilis {args.tahun}: {exc}")
        return 1
    print(json.dumps(result, indent=2, default=str, ensure_ascii=False))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "rilis",
        help="stage 5: the open-data release of a year (Frictionless Data Package)",
        description=(
            "Build one year's open-data release from the public layer and validate it. "
            "--out DIR: into DIR, nothing recorded. --record: record it as the next version "
            "under IKM_RILIS_DIR (unless unchanged). Neither: a dry run in a scratch folder."
        ),
    )
    p.add_argument("tahun", type=int)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, help="build into this (new or empty) folder")
    where.add_argument("--record", action="store_true", help="record the release as a new version")
    p.add_argument("--note", help="what a corrected release corrects (stated in it)")
    p.set_defaults(func=_run)
