"""The portal's check of one upload (``etl.reprocess.predict``, what the portal's background
thread runs) on a kab/kota register of 10,000 and 100,000 rows, as CSV and as XLSX: seconds
and peak RSS, each in a process of its own. Run by ``make bench`` (``BENCH_PORTAL=0`` skips
it) or alone: ``python bench/portal_check.py``."""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.settings import get_settings  # noqa: E402

SIZES = (10_000, 100_000)
OFFICE = "3201"
DAY = "2026-01-05"


def _to_xlsx(source: Path, target: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    with source.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.reader(fh):
            sheet.append(row)
    book.save(target)


def files(root: Path) -> list[tuple[int, str]]:
    """The registers under ``root/<day>/<office>/``, made once and kept."""
    from etl.generators import national

    made = []
    folder = root / DAY / OFFICE
    folder.mkdir(parents=True, exist_ok=True)
    for rows in SIZES:
        csv_path = folder / f"unit_ikm_2022_{rows}.csv"
        if not csv_path.exists():
            national.generate_register(csv_path, get_settings().reference_dir, OFFICE, rows)
        xlsx_path = csv_path.with_suffix(".xlsx")
        if not xlsx_path.exists():
            _to_xlsx(csv_path, xlsx_path)
        made += [(rows, f"{DAY}/{OFFICE}/{p.name}") for p in (csv_path, xlsx_path)]
    return made


def check_one(root: str, rel: str) -> dict[str, object]:
    """The dry run twice in this process (the child's side): the first pays the imports (the
    portal's first check after a start), the second is what every later upload costs."""
    from etl import reprocess
    from etl.warehouse import connect

    seconds = []
    for _ in range(2):
        start = time.perf_counter()
        with connect() as conn, tempfile.TemporaryDirectory() as scratch:
            plan = reprocess.predict(conn, rel, Path(scratch), Path(root), details=True)
            conn.rollback()
        seconds.append(time.perf_counter() - start)
    return {
        "detik_pertama": seconds[0],
        "detik": seconds[1],
        "status": plan.status_nanti,
        "baris": plan.baris,
        "masalah": len(plan.masalah),
        "rss_puncak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(database_url: str) -> list[dict[str, object]]:
    """Each file checked in a fresh process against a migrated warehouse."""
    root = get_settings().state_dir / "bench" / "portal"
    env = dict(os.environ, WAREHOUSE_URL=database_url)
    subprocess.run([sys.executable, "-m", "etl", "migrate"], env=env, check=True, cwd=ROOT)
    results = []
    for rows, rel in files(root):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(root), rel],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
        entry = {"baris_berkas": rows, "berkas": Path(rel).name} | json.loads(out.splitlines()[-1])
        entry["byte"] = (root / rel).stat().st_size
        results.append(entry)
    return results


def report(results: list[dict[str, object]]) -> None:
    print("\nportal check (dry run) of one upload, each in its own process:")
    for e in results:
        print(
            f"  {e['berkas']:<28} {e['byte'] / 2**20:>6.1f} MiB {e['detik']:>7.1f} s "
            f"(first after a start {e['detik_pertama']:.1f} s) "
            f"{e['baris'] / e['detik']:>9,.0f} rows/s  peak RSS {e['rss_puncak_mib']:>5.0f} MiB "
            f"→ {e['status']} ({e['masalah']} flagged cells)"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(check_one(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    sys.path.insert(0, str(ROOT / "bench"))
    from run_bench import bench_database

    found = measure(bench_database("ikm_bench_portal"))
    report(found)
    print(json.dumps(found, indent=2))
