"""``python -m etl <stage> ...``: every stage of the flow, runnable by hand outside Airflow."""

from __future__ import annotations

import argparse
import logging
import sys

from etl import (
    airflow_local,
    bi,
    extract,
    kamus,
    landing,
    load,
    marts,
    migrate,
    nasional,
    pipeline,
    publish,
    reference,
    reprocess,
    runner,
    samples,
    validate,
    warehouse_cli,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in (
        samples,
        nasional,
        migrate,
        landing,
        extract,
        validate,
        load,
        publish,
        pipeline,
        reprocess,
        marts,
        kamus,
        reference,
        runner,
        airflow_local,
        bi,
        warehouse_cli,
    ):
        module.register(subparsers)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
