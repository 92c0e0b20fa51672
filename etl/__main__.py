"""``python -m etl <command> ...``: every stage of the flow, runnable by hand outside Airflow,
then the runs, the warehouse, the operations tools and the generators."""

from __future__ import annotations

import argparse
import logging
import sys

from etl import flow, reprocess
from etl.generators import national, samples
from etl.ops import airflow_services, data_dictionary, make_run, superset
from etl.portal import accounts as portal_accounts
from etl.portal import cli as portal_cli
from etl.portal import templat
from etl.stages import s1_landing, s2_extract, s3_validate, s4_load, s5_publish
from etl.stages.s5_publish import release
from etl.warehouse import cli as warehouse_cli

COMMANDS = (
    s1_landing,  # discover
    s2_extract,  # extract
    s3_validate,  # validate
    s4_load,  # load
    s5_publish,  # publish, marts
    release,  # rilis (open-data release)
    flow,  # process, run-day
    reprocess,  # reprocess
    warehouse_cli,  # warehouse, migrate, reference
    make_run,  # run
    airflow_services,  # airflow
    superset,  # bi
    data_dictionary,  # dictionary
    portal_cli,  # portal
    portal_accounts,  # akun
    templat,  # templat
    samples,  # samples
    national,  # national
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(subparsers)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
