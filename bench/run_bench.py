"""``make bench``: the pipeline on the national set against the physical limit, raw COPY.

For each fraction of the national set (default 1 %, 10 %, 100 %; ``BENCH_FRACTIONS``) on the
same PostgreSQL: raw ``COPY`` of the same unit rows from their CSV files into a table without
keys, then the pipeline stage by stage (extract, validate, load per file, then publish), then
the same day again unchanged. Prints seconds, rows/s, ratio to raw COPY and peak RSS, writes
them to a JSON file and prints that file's path on its last line.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.settings import get_settings  # noqa: E402

DAY = dt.date(2023, 3, 20)


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(into: dict[str, float], key: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        into[key] = into.get(key, 0.0) + time.perf_counter() - start


def bench_database(name: str) -> str:
    """A fresh database on the warehouse's server (WAREHOUSE_URL or the embedded one)."""
    import psycopg

    from etl import warehouse

    base = warehouse.warehouse_url()
    url = base.set(database=name)
    with psycopg.connect(
        warehouse.libpq_dsn(base.set(database="postgres")), autocommit=True
    ) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    return url.render_as_string(hide_password=False)


def settle_server() -> None:
    """A checkpoint before each measured phase, so that no phase pays for the dirty pages of
    the one before it (they would be written during its time otherwise)."""
    from etl import warehouse

    with warehouse.connect(autocommit=True) as conn:
        conn.execute("checkpoint")


def landing_for(fraction: float) -> Path:
    """The national set for ``fraction``, generated once and kept under the state folder."""
    from etl.generators import national

    folder = get_settings().state_dir / "bench" / f"nasional-{fraction:g}"
    marker = folder / ".lengkap.json"
    if not marker.exists():
        started = time.perf_counter()
        summary = national.generate_national(
            folder / "landing", get_settings().reference_dir, fraction=fraction, tanggal_tiba=DAY
        )
        marker.write_text(
            json.dumps(
                {
                    "units": summary.units,
                    "rows": summary.rows,
                    "bytes": summary.bytes,
                    "seconds": time.perf_counter() - started,
                }
            )
        )
    return folder / "landing"


def raw_copy(landing: Path) -> tuple[float, int]:
    """COPY every unit_ikm CSV of the day into one table without keys: the physical limit."""
    from etl import contract, warehouse

    columns = ", ".join(f"{c.nama} text" for c in contract.get_kind("unit_ikm").columns)
    rows = 0
    with warehouse.connect() as conn:
        conn.execute(
            f"drop table if exists public.salinan_mentah; "
            f"create unlogged table public.salinan_mentah ({columns})"
        )
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cur:
            for path in sorted((landing / DAY.isoformat()).glob("*/unit_ikm_*.csv")):
                with (
                    cur.copy(
                        "copy public.salinan_mentah from stdin (format csv, header true)"
                    ) as sink,
                    path.open("rb") as fh,
                ):
                    while block := fh.read(1 << 20):
                        sink.write(block)
        conn.commit()
        seconds = time.perf_counter() - started
        rows = conn.execute("select count(*) from public.salinan_mentah").fetchone()[0]
        conn.execute("drop table public.salinan_mentah")
        conn.commit()
    return seconds, rows


WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1)))
"""Extract processes (the DAG maps extract per file; the executor runs them side by side)."""


def run_pipeline(landing: Path) -> dict[str, float]:
    """The nightly flow for the day in this process (``etl.flow.run_day``), step by step timed,
    extract on one process per core as the executor runs the DAG's mapped extract tasks."""
    from etl import flow

    os.environ["IKM_LANDING_DIR"] = str(landing)
    seconds: dict[str, float] = {}
    if WORKERS > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:

            def mapped(fn, files):
                return pool.map(fn, files, chunksize=4)

            flow.run_day(DAY, step=lambda name: timed(seconds, name), map_extract=mapped)
    else:
        flow.run_day(DAY, step=lambda name: timed(seconds, name))
    seconds["total"] = sum(seconds.values())
    return seconds


def mart_query_seconds(conn) -> dict[str, dict[str, float]]:
    """Why the marts are materialized: one BI query on each mart, against the same query on
    the view's own definition (what a plain view would compute per query)."""
    out: dict[str, dict[str, float]] = {}
    for name in ("ikm_per_wilayah", "status_pengiriman", "indikator_ikm"):
        definition = conn.execute(
            "select pg_get_viewdef(%s::regclass)", (f"mart.{name}",)
        ).fetchone()[0]
        timings = {}
        for label, source in (
            ("materialized", f"mart.{name}"),
            ("view", f"({definition.rstrip(';')})"),
        ):
            started = time.monotonic()
            conn.execute(f"select count(*) from {source} as t").fetchone()
            timings[label] = round(time.monotonic() - started, 3)
        out[name] = timings
    return out


MILLION = 1_000_000
AIRFLOW = os.environ.get("BENCH_AIRFLOW", "1") != "0"
"""Also run each fraction's night through Airflow's scheduler (``BENCH_AIRFLOW=0`` skips)."""


def night_through_airflow(fraction: float, landing: Path) -> dict:
    """The same day through the project's Airflow services into a fresh, migrated warehouse."""
    import airflow_night
    from sqlalchemy.engine import make_url

    from etl.warehouse import migrations

    tag = str(fraction).replace(".", "_")
    warehouse_url = bench_database(f"ikm_bench_{tag}_airflow")
    metadata = make_url(bench_database("ikm_bench_airflow_meta")).set(
        drivername="postgresql+psycopg2"
    )
    saved = os.environ["WAREHOUSE_URL"]
    os.environ["WAREHOUSE_URL"] = warehouse_url
    try:
        migrations.prepare()
        settle_server()
    finally:
        os.environ["WAREHOUSE_URL"] = saved
    night = airflow_night.measure(
        DAY,
        landing,
        warehouse_url,
        metadata.render_as_string(hide_password=False),
        get_settings().state_dir / "bench" / "airflow",
    )
    import psycopg

    from etl import warehouse

    with psycopg.connect(warehouse.libpq_dsn(make_url(warehouse_url))) as conn:
        units, workers = conn.execute(
            "select sum(jumlah_unit), sum(tenaga_kerja) from mart.ikm_per_wilayah"
        ).fetchone()
    night |= {"unit_di_mart": int(units or 0), "tenaga_kerja_ikm_di_mart": int(workers or 0)}
    return night


def public_layer(conn) -> dict:
    """The public layer of the last refresh: its seconds, and its cells per level and rule."""
    (seconds,) = conn.execute(
        "select detik_publik from audit.penyegaran_mart order by penyegaran_id desc limit 1"
    ).fetchone()
    cells = conn.execute(
        "select tingkat, coalesce(alasan_penekanan, 'terbit'), sum(jumlah_sel)::bigint "
        "from publik.ringkasan_penekanan group by 1, 2"
    ).fetchall()
    return {"detik": float(seconds), "sel": {f"{t}/{a}": int(n) for t, a, n in cells}}


STAGE_WITH_PEAK = """
import atexit, re, sys
from pathlib import Path

def peak():
    status = Path("/proc/self/status").read_text()
    kib = int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
    Path(sys.argv[1]).write_text(str(kib))

atexit.register(peak)
from etl.__main__ import main
sys.exit(main(sys.argv[2:]))
"""


def _child_peak(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run one stage (``python -m etl <args>``) as its own process, as an Airflow task runs;
    return its seconds, its peak RSS in MiB and its output.

    The peak is the child's own VmHWM: wait4's ru_maxrss would also count the memory of this
    process at the fork, which Linux carries over the exec.
    """
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".rss") as mark:
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", STAGE_WITH_PEAK, mark.name, *args],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        seconds = time.perf_counter() - started
        if proc.returncode:
            raise RuntimeError(
                f"{' '.join(args)} failed: {proc.stdout[-1000:]}{proc.stderr[-2000:]}"
            )
        kib = int(Path(mark.name).read_text() or 0)
    return seconds, kib / 1024, proc.stdout


def million_row_file() -> dict[str, float]:
    """Peak RSS of extract, validate and load, each in its own process, for one 1M-row file."""
    from etl.generators import national

    folder = get_settings().state_dir / "bench" / "sejuta"
    rel = f"{DAY.isoformat()}/3201/unit_ikm_2022.csv"
    path = folder / "landing" / rel
    if not path.exists():
        national.generate_register(path, get_settings().reference_dir, "3201", MILLION)
    env = dict(os.environ)
    env["WAREHOUSE_URL"] = bench_database("ikm_bench_sejuta")
    env["IKM_LANDING_DIR"] = str(folder / "landing")
    seconds, mib, out = _child_peak(["migrate"], env)
    entry: dict[str, float] = {"baris": MILLION, "byte": path.stat().st_size}
    seconds, mib, out = _child_peak(["extract", rel], env)
    submission_id = json.loads(out)["submission_id"]
    entry |= {"extract_detik": seconds, "extract_rss_mib": mib}
    for stage, key in (("validate", "validate"), ("load", "load")):
        seconds, mib, out = _child_peak([stage, str(submission_id)], env)
        entry |= {f"{key}_detik": seconds, f"{key}_rss_mib": mib}
    entry["status"] = json.loads(out)["status"]
    return entry


def main() -> int:
    fractions = [float(f) for f in os.environ.get("BENCH_FRACTIONS", "0.01 0.1 1").split()]
    results = {
        "mesin": {
            "cpu": os.cpu_count(),
            "proses_ekstrak": WORKERS,
            "tanggal": dt.datetime.now().isoformat(),
        },
        "pecahan": [],
    }
    for fraction in fractions:
        landing = landing_for(fraction)
        os.environ["WAREHOUSE_URL"] = bench_database(f"ikm_bench_{str(fraction).replace('.', '_')}")
        os.environ["IKM_STAGING_DIR"] = str(get_settings().state_dir / "bench" / "staging")
        os.environ["IKM_FEEDBACK_DIR"] = str(get_settings().state_dir / "bench" / "umpan_balik")
        from etl.warehouse import migrations

        migrations.prepare()
        settle_server()
        copy_seconds, rows = raw_copy(landing)
        settle_server()
        first = run_pipeline(landing)
        settle_server()
        again = run_pipeline(landing)
        night = night_through_airflow(fraction, landing) if AIRFLOW else None
        from etl import warehouse

        with warehouse.connect() as conn:
            units, workers = conn.execute(
                "select sum(jumlah_unit), sum(tenaga_kerja) from mart.ikm_per_wilayah"
            ).fetchone()
            share = conn.execute(
                "select round(100.0 * sum(tenaga_kerja_ikm) / sum(tenaga_kerja_industri), 2) "
                "from mart.pangsa_tenaga_kerja"
            ).fetchone()[0]
            bi_query = mart_query_seconds(conn)
            public = public_layer(conn)
        entry = {
            "pecahan": fraction,
            "baris": rows,
            "unit_di_mart": int(units or 0),
            "tenaga_kerja_ikm_di_mart": int(workers or 0),
            "persen_ikm_di_mart": str(share),
            "kueri_bi_detik": bi_query,
            "lapisan_publik": public,
            "copy_mentah_detik": copy_seconds,
            "tahap_detik": first,
            "ulang_detik": again,
            "rss_puncak_mib": peak_rss_mib(),
            # the extract workers; forked, so this includes what they shared with this process
            "rss_puncak_proses_ekstrak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            / 1024,
            "rasio_terhadap_copy": {k: v / copy_seconds for k, v in first.items()},
            "rasio_ulang_terhadap_pertama": again["total"] / first["total"],
        }
        if night is not None:
            night["rasio_terhadap_dalam_proses"] = night["dinding_malam_detik"] / first["total"]
            night["rasio_terhadap_copy"] = night["dinding_malam_detik"] / copy_seconds
            entry["airflow"] = night
        results["pecahan"].append(entry)
        print(
            f"\nfraction {fraction:g}: {rows:,} unit rows; raw COPY {copy_seconds:.1f} s "
            f"({rows / copy_seconds:,.0f} rows/s); marts: {entry['unit_di_mart']:,} units, "
            f"{entry['tenaga_kerja_ikm_di_mart']:,} IKM workers, {share} % of industry; "
            f"peak RSS {entry['rss_puncak_mib']:.0f} MiB "
            f"(extract workers {entry['rss_puncak_proses_ekstrak_mib']:.0f} MiB)"
        )
        print(
            f"  public layer: {public['detik']:.2f} s of the refresh; cells "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(public["sel"].items()))
        )
        print(f"  {'step':<14} {'seconds':>9} {'rows/s':>12} {'x COPY':>8}")
        for stage, value in first.items():
            rate = (
                f"{rows / value:,.0f}"
                if value and stage in ("extract", "validate", "load", "total")
                else ""
            )
            print(f"  {stage:<14} {value:>9.1f} {rate:>12} {value / copy_seconds:>8.2f}")
        print(
            f"  unchanged re-run {again['total']:.1f} s "
            f"({entry['rasio_ulang_terhadap_pertama']:.1%} of the first)"
        )
        if night is not None:
            print(
                f"  through Airflow (LocalExecutor, REST trigger): {night['status_ingest']}, "
                f"{night['dinding_ingest_detik']:.1f} s to the end of ikm_ingest_nightly, "
                f"{night['dinding_malam_detik']:.1f} s with ikm_publish "
                f"({night['rasio_terhadap_dalam_proses']:.2f}x in-process, "
                f"{night['rasio_terhadap_copy']:.1f}x COPY); "
                f"{night['jumlah_task_instance']} task instances, "
                f"{night['jumlah_durasi_task_detik']:.1f} s of task time; "
                f"largest task process {night['rss_puncak_task_mib']:.0f} MiB"
            )
        for name, t in bi_query.items():
            print(
                f"  BI query on mart.{name}: {t['materialized']:.3f} s materialized, "
                f"{t['view']:.3f} s as a plain view"
            )
    if len(results["pecahan"]) > 1:
        by = {e["pecahan"]: e["tahap_detik"]["total"] for e in results["pecahan"]}
        if 0.1 in by and 1.0 in by:
            results["skala_100_per_10"] = by[1.0] / by[0.1]
            print(f"\n100 % costs {results['skala_100_per_10']:.1f}x the 10 % run")
    if os.environ.get("BENCH_SEJUTA", "1") != "0":
        entry = million_row_file()
        results["berkas_sejuta_baris"] = entry
        print(
            f"\none file of {MILLION:,} rows ({entry['byte'] / 2**20:.0f} MiB), each stage in its "
            f"own process: status {entry['status']}"
        )
        for key in ("extract", "validate", "load"):
            print(
                f"  {key:<10} {entry[f'{key}_detik']:>7.1f} s  peak RSS "
                f"{entry[f'{key}_rss_mib']:>6.0f} MiB"
            )
    if os.environ.get("BENCH_PORTAL", "1") != "0":
        import portal_check

        results["portal_uji_unggahan"] = portal_check.measure(bench_database("ikm_bench_portal"))
        portal_check.report(results["portal_uji_unggahan"])
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
