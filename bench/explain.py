"""Where a request's time goes: its queries with their times, EXPLAIN ANALYZE of the slow ones,
and optionally a profile of the Python side.

    .venv/bin/python bench/explain.py /api/v1/products/ [--min-ms 5] [--profile]

It runs against the benchmark database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/pasar_bench) with the settings bench/run.py uses, through
Django's test Client, after one warm-up request. Only GET requests: EXPLAIN ANALYZE runs each
query again, and a query that writes would write twice.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import DEFAULT_DATABASE_URL, DEFAULT_VAR_DIR, bench_env  # noqa: E402

os.environ.update(
    bench_env(
        os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL,
        Path(os.environ.get("BENCH_VAR_DIR") or DEFAULT_VAR_DIR),
    )
)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Queries and plans of one GET request.")
    parser.add_argument("path", help="e.g. /api/v1/products/?kind=experience")
    parser.add_argument(
        "--min-ms", type=float, default=5.0, help="EXPLAIN ANALYZE queries at least this slow"
    )
    parser.add_argument("--profile", action="store_true", help="also profile the request")
    args = parser.parse_args(argv)

    client = Client()
    first = client.get(args.path)
    if first.status_code != 200:
        raise SystemExit(f"GET {args.path}: status {first.status_code}")
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        client.get(args.path)
        elapsed = (time.perf_counter() - started) * 1000
    queries = list(captured.captured_queries)
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    print(f"GET {args.path}: {elapsed:.1f} ms, {len(queries)} queries, {sql_ms:.0f} ms in SQL\n")
    for number, query in enumerate(queries, 1):
        ms = float(query["time"]) * 1000
        print(f"#{number} {ms:.0f} ms: {query['sql'][:400]}")
        if ms >= args.min_ms and query["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join("    " + row[0] for row in cursor.fetchall()))
        print()
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        client.get(args.path)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(35)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
