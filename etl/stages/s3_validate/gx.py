"""The whole Great Expectations API of the platform, in one small module (as the GX Airflow
provider keeps it in ``common/gx_context_actions.py``).

Suites are data (``expectations/<jenis>/suite.json``), built at run time. They run where it is
cheap: in PostgreSQL, through GX's SQL datasource over a staging table (:func:`validate_table`),
so a file is never held whole in memory; or on a pandas frame for a dry run, a test or a debug
session (:func:`validate_frame`). Results come back as :mod:`.outcome`'s plain data.
"""

from __future__ import annotations

import json
import logging
import warnings
from typing import Any

from etl.contract import FILE_COLUMN, OFFICE_COLUMN, OFFICE_REGION_COLUMN, ROW_COLUMN, Kind
from etl.stages.s3_validate.outcome import ROW_REASON_LIMIT, FailedExpectation, SuiteOutcome
from etl.warehouse import warehouse_url

SUITE_WORK_MEM = "256MB"
"""PostgreSQL work_mem of the suite's connection (one connection, a few sorts at a time)."""


def suite_spec(kind: Kind) -> dict[str, Any]:
    """The kind's suite as data (``expectations/<jenis>/suite.json``), each expectation given
    its Indonesian reason (``meta.pesan``, and the advice ``meta.saran``) as GX's
    ``description``: what Data Docs show for it, the words the office's feedback uses."""
    spec = json.loads(kind.suite_path.read_text(encoding="utf-8"))
    for expectation in spec["expectations"]:
        meta = expectation.get("meta") or {}
        if meta.get("pesan") and not expectation.get("description"):
            reason = "; ".join(meta[k] for k in ("pesan", "saran") if meta.get(k))
            # rendered as a string template: a literal $ is written $$
            expectation["description"] = reason.replace("$", "$$")
    return spec


def load_suite(kind: Kind):
    """The kind's suite, built at run time from :func:`suite_spec`."""
    from great_expectations.core import ExpectationSuite

    return ExpectationSuite(**suite_spec(kind))


def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX narrates its start-up at INFO (dozens of lines per task log); its warnings stay.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _result_format(engine: str) -> dict[str, Any]:
    return {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": (
            [FILE_COLUMN, ROW_COLUMN] if engine == "sql" else [ROW_COLUMN]
        ),
        "return_unexpected_index_query": engine == "sql",
        # pandas returns this many flagged rows; SQL returns a few and the query for the rest
        "partial_unexpected_count": ROW_REASON_LIMIT if engine == "pandas" else 20,
    }


def _summary(payload: dict[str, Any], exception: str | None) -> dict[str, Any]:
    keys = ("element_count", "unexpected_count", "unexpected_percent", "observed_value")
    kept = {k: payload[k] for k in keys if k in payload}
    return kept | ({"galat": exception} if exception else {})


def _outcome(validation) -> SuiteOutcome:
    return _outcome_of(validation.results)


def _expectation_key(kind_of: str, kwargs: dict[str, Any], meta: dict[str, Any]) -> tuple:
    """Names one expectation of a suite whatever its parameters resolved to."""
    return (
        kind_of,
        meta.get("kode"),
        kwargs.get("column"),
        kwargs.get("column_A"),
        kwargs.get("column_B"),
        tuple(kwargs.get("column_list") or ()),
    )


def _outcome_of(validation_results) -> SuiteOutcome:
    file_errors: list[str] = []
    failed: list[FailedExpectation] = []
    results = []
    for result in validation_results:
        config = result.expectation_config
        meta = config.meta or {}
        kwargs = config.kwargs
        column = (
            meta.get("kolom")
            or kwargs.get("column")
            or kwargs.get("column_A")
            or (kwargs.get("column_list") or [""])[0]
        )
        payload = result.result or {}
        exception = (result.exception_info or {}).get("exception_message")
        results.append(
            {
                "expectation": config.type,
                "kode_aturan": meta.get("kode"),
                "kolom": column or None,
                "tingkat": meta.get("tingkat"),
                "sukses": bool(result.success),
                "jumlah_tidak_sesuai": payload.get("unexpected_count"),
                "hasil": _summary(payload, exception),
            }
        )
        if result.success:
            continue
        if exception:
            raise RuntimeError(f"expectation {config.type} on {column} failed to run: {exception}")
        reason = meta.get("pesan", config.type)
        if meta.get("saran"):
            reason = f"{reason}; {meta['saran']}"
        if meta.get("tingkat") == "berkas":
            file_errors.append(reason)
            continue
        rows = tuple(
            (
                int(item[ROW_COLUMN]),
                _reported_value(item, column, kwargs.get("column") or kwargs.get("column_A")),
            )
            for item in payload.get("unexpected_index_list") or []
        )
        query = payload.get("unexpected_index_query")
        failed.append(
            FailedExpectation(
                column,
                meta.get("kode", config.type),
                reason,
                int(payload.get("unexpected_count") or len(rows)),
                rows,
                query if isinstance(query, str) else None,
                tuple(kwargs.get("column_list") or ())
                if config.type == "expect_compound_columns_to_be_unique"
                else (),
            )
        )
    # GX does not keep the suite's order; a stable one keeps audit rows comparable across runs.
    results.sort(key=lambda r: (r["expectation"], r["kolom"] or "", r["kode_aturan"] or ""))
    return SuiteOutcome(file_errors, failed, results)


def _reported_value(item: dict[str, Any], column: str, checked: str | None) -> str | None:
    """The office's own value of a flagged cell, else the value the expectation checked."""
    value = item.get(column, item.get(checked or column))
    return None if value is None else str(value)


def with_row_context(kind: Kind, frame, kantor: str, berkas: int = 0):
    """The columns a staging table adds to every row (file, office, region prefix), on pandas."""
    frame = frame.assign(**{FILE_COLUMN: berkas, OFFICE_COLUMN: kantor})
    region = kind.wilayah_column
    if region and region in frame:
        frame[OFFICE_REGION_COLUMN] = frame[region].astype("string").str.slice(0, len(kantor))
    return frame


def validate_frame(kind: Kind, frame, parameters: dict[str, Any], kantor: str) -> SuiteOutcome:
    """Run the kind's suite on a pandas frame of one file sent by ``kantor`` (tests, debugging)."""
    frame = with_row_context(kind, frame, kantor)
    context = _context()
    batch = (
        context.data_sources.add_pandas("berkas")
        .add_dataframe_asset("baris")
        .add_batch_definition_whole_dataframe("semua")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    return _outcome(
        batch.validate(
            load_suite(kind),
            expectation_parameters=parameters,
            result_format=_result_format("pandas"),
        )
    )


def validate_table(kind: Kind, table: str, parameters: dict[str, Any]) -> SuiteOutcome:
    """Run the kind's suite on ``staging.<table>`` in the warehouse."""
    context = _context()
    # Memory to group and sort a national batch (uniqueness per file) without spilling to disk.
    url = (
        warehouse_url()
        .update_query_dict({"options": f"-c work_mem={SUITE_WORK_MEM}"})
        .render_as_string(hide_password=False)
    )
    # The generic SQL datasource, not add_postgres: GX's Postgres DSN check refuses the Unix
    # socket URL of the embedded server; the queries GX runs are the same.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*generic SQLDatasource.*")
        source = context.data_sources.add_sql("gudang", connection_string=url)
    batch = (
        source.add_table_asset("baris", table_name=table, schema_name="staging")
        .add_batch_definition_whole_table("semua")
        .get_batch()
    )
    # Two passes: GX's detailed formats run two more scans per expectation (values and row
    # ids) even when nothing failed, four times the cost of the suite itself on a clean
    # night. The first pass only counts (GX bundles those into one query); the second asks
    # for details, and the query for every flagged row, of the expectations that failed.
    first = batch.validate(
        load_suite(kind),
        expectation_parameters=parameters,
        result_format={"result_format": "BOOLEAN_ONLY"},
    )
    failing = {
        _expectation_key(
            r.expectation_config.type, r.expectation_config.kwargs, r.expectation_config.meta or {}
        )
        for r in first.results
        if not r.success
    }
    if not failing:
        return _with_result(_outcome(first), first)
    from great_expectations.core import ExpectationSuite

    spec = suite_spec(kind)
    spec["name"] = f"{spec['name']}_rinci"
    spec["expectations"] = [
        e
        for e in spec["expectations"]
        if _expectation_key(e["type"], e["kwargs"], e.get("meta") or {}) in failing
    ]
    second = batch.validate(
        ExpectationSuite(**spec),
        expectation_parameters=parameters,
        result_format=_result_format("sql"),
    )
    merged = _merged(first, [*(r for r in first.results if r.success), *second.results])
    return _with_result(_outcome(merged), merged)


def _merged(first, results: list):
    """The run as one GX result: the counting pass's results of what passed, the detailed
    pass's of what failed, under the suite's own name and the first pass's statistics."""
    from great_expectations.core import ExpectationSuiteValidationResult

    return ExpectationSuiteValidationResult(
        success=first.success,
        results=results,
        suite_name=first.suite_name,
        suite_parameters=first.suite_parameters,
        statistics=first.statistics,
        meta=first.meta,
    )


def _with_result(outcome: SuiteOutcome, validation) -> SuiteOutcome:
    """Keep the run's whole GX result as JSON, for Data Docs (:mod:`.data_docs`)."""
    outcome.gx_result = validation.to_json_dict()
    return outcome
