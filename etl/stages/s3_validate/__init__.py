"""Validate, the third stage: Great Expectations over a staging table, quarantine per file.

The extracted files of a day are grouped by kind and period; each group's staged Parquet is
COPYed into one staging table whose rows carry their file and sending office
(:mod:`etl.warehouse.staging`), and the kind's suite runs there once (:mod:`.gx`, the only
module that speaks Great Expectations), with the reference lists and the period as parameters
(:mod:`.parameters`). Every flagged cell becomes a quarantine row with the suite's Indonesian
reason (:mod:`.quarantine`), the cross-file rules run on each file's rows (:mod:`.checks`), and
each file gets its status by the bad-row share (:mod:`.decision`). A group that fails as a
whole is validated file by file, so a hostile file never takes the others down (:mod:`.stage`).
Each suite run's GX result is kept, and GX renders a day's runs as its Data Docs
(:mod:`.data_docs`).
"""

from etl.stages.s3_validate.checks import dry_run_checks
from etl.stages.s3_validate.decision import decide
from etl.stages.s3_validate.gx import load_suite, validate_frame, validate_table, with_row_context
from etl.stages.s3_validate.outcome import FailedExpectation, Failure, SuiteOutcome
from etl.stages.s3_validate.parameters import suite_parameters, unknown_office_message
from etl.stages.s3_validate.quarantine import executable_query, read_cells
from etl.stages.s3_validate.stage import register, validate, validate_many

__all__ = [
    "FailedExpectation",
    "Failure",
    "SuiteOutcome",
    "decide",
    "dry_run_checks",
    "executable_query",
    "load_suite",
    "read_cells",
    "register",
    "suite_parameters",
    "unknown_office_message",
    "validate",
    "validate_frame",
    "validate_many",
    "validate_table",
    "with_row_context",
]
