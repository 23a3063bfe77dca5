"""Search on PostgreSQL at benchmark scale: `search_reindex --backend database` of the whole
catalogue (timed), then `GET /api/v1/search/` (text, filters, facets) and
`GET /api/v1/search/suggest/` through Django's test Client, with p50 and p95.

    .venv/bin/python bench/search_api.py                 # the bench database, 100,000 products
    .venv/bin/python bench/search_api.py --runs 20       # more rounds
    .venv/bin/python bench/search_api.py --no-reindex    # the index is already built
    .venv/bin/python bench/search_api.py --output /tmp/bench.md

The database is BENCH_DATABASE_URL (default the one bench/run.py uses), prepared as bench/run.py
prepares it (created, migrated, `seed_demo --products N` unless it holds N, VACUUM ANALYZE).
Targets (issue 9): search p95 under 100 ms, suggest p95 under 30 ms, a reindex of 100,000
products under 3 minutes. Every figure is also given as a ratio to references measured in the
same run (a `SELECT 1` round trip, the API's product list, a fixed CPU loop), because the
machine is shared. It writes only its own section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from statistics import median
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import machine  # noqa: E402
import run as bench_run  # noqa: E402
import sections  # noqa: E402
from embedded_broker import cpu_loop  # noqa: E402
from stats import percentile  # noqa: E402

SECTION = "search-api"
TARGET_SEARCH_P95_MS = 100.0
TARGET_SUGGEST_P95_MS = 30.0
TARGET_REINDEX_S = 180.0
IN_A_WEEK = (dt.date.today() + dt.timedelta(days=7)).isoformat()

# A tourist's mix: words, typos, English, place names, filters with and without text.
SEARCHES: tuple[tuple[str, dict[str, str]], ...] = (
    ("ulos", {}),
    ("kopi", {"kecamatan": "laguboti"}),
    ("homestay balige", {}),
    ("kopii", {}),
    ("coffee", {"language": "en"}),
    ("kain tenun", {"kind": "goods"}),
    ("perahu", {"kind": "experience"}),
    ("andaliman", {"category": "pertanian"}),
    ("mie gomak", {}),
    ("dali ni horbo", {}),
    ("ulos sadum", {"min_price": "300000", "max_price": "500000"}),
    ("kamar", {"kind": "stay", "sort": "price"}),
    ("tur", {"sort": "-price"}),
    ("", {"kecamatan": "balige", "kind": "experience"}),
    ("", {"category": "kopi", "in_stock": "1"}),
    ("souvenir", {"language": "en"}),
    ("boat tour", {"language": "en"}),
    ("madu hutan", {"page": "2"}),
    ("trekking", {"date": IN_A_WEEK}),
    ("ulso", {}),
)
SUGGESTS = ("ul", "ulo", "kop", "kopi a", "hom", "bal", "andal", "mie g", "perah", "dali", "kam")
REFERENCES = (("products", "/api/v1/products/"),)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def search_path(text: str, params: dict[str, str]) -> str:
    query = {"q": text, **params} if text else dict(params)
    return "/api/v1/search/?" + urlencode(query)


def ms(seconds: float) -> float:
    return seconds * 1000


# --- inside Django: the requests ------------------------------------------------------------


def measure(args) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from search.models import SearchEntry

    client = Client()
    number = [0]

    def get(path: str):
        number[0] += 1
        n = number[0]
        response = client.get(path, REMOTE_ADDR=f"10.9.{(n >> 8) & 255}.{n & 255}")
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: status {response.status_code}: {response.content[:300]}")
        return response

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    ops = [("search", search_path(t, p)) for t, p in SEARCHES]
    ops += [("suggest", "/api/v1/search/suggest/?" + urlencode({"q": t})) for t in SUGGESTS]
    ops += [("reference", path) for _, path in REFERENCES]
    found, queries = {}, {}
    for _, path in ops:  # warm-up, and what each request finds and costs
        for _ in range(args.warmup):
            body = get(path).json()
        found[path] = body.get("count", len(body.get("suggestions", body.get("results", []))))
        with CaptureQueriesContext(connection) as captured:
            get(path)
        queries[path] = len(captured.captured_queries)
    times: dict[str, list[float]] = {path: [] for _, path in ops}
    select_ms: list[float] = []
    loops = [cpu_loop()]
    for _ in range(args.runs):
        for _, path in ops:
            started = time.perf_counter()
            get(path)
            times[path].append(ms(time.perf_counter() - started))
        for _ in range(20):
            started = time.perf_counter()
            select_one()
            select_ms.append(ms(time.perf_counter() - started))
    loops.append(cpu_loop())
    out = {
        "entries": SearchEntry.objects.count(),
        "runs": args.runs,
        "warmup": args.warmup,
        "operations": [
            {
                "group": group,
                "path": path,
                "found": found[path],
                "queries": queries[path],
                "median_ms": median(times[path]),
                "p95_ms": percentile(times[path], 0.95),
                "max_ms": max(times[path]),
            }
            for group, path in ops
        ],
        "pooled": {
            group: {
                "samples": len(pool),
                "median_ms": median(pool),
                "p95_ms": percentile(pool, 0.95),
                "max_ms": max(pool),
            }
            for group in ("search", "suggest", "reference")
            for pool in [[t for g, p in ops if g == group for t in times[p]]]
        },
        "select_one_ms": median(select_ms),
        "cpu_loop_ms": median([ms(s) for s in loops]),
    }
    Path(args.out).write_text(json.dumps(out, indent=2))
    return 0


# --- outside: prepare, reindex, measure, report ---------------------------------------------


def entries_count(url: str) -> int:
    with bench_run.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM search_searchentry").fetchone()[0]


def reindex(env: dict[str, str], url: str) -> dict:
    before = entries_count(url)
    load = os.getloadavg()
    say(f"search_reindex --backend database (the index holds {before:,} entries)…")
    wall, out = bench_run.manage(env, "search_reindex", "--backend", "database", capture=True)
    say(out.strip())
    # The command's own figure leaves out Python's and Django's start-up.
    found = re.search(r"Database: \d+ products indexed, \d+ removed \(([\d.]+) s\)", out)
    seconds = float(found.group(1)) if found else wall
    after = entries_count(url)
    say(f"Reindex took {seconds:.1f} s ({wall:.1f} s with start-up); {after:,} entries.")
    return {"seconds": seconds, "wall": wall, "before": before, "after": after, "load": load}


def _f(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def verdict(value: float, target: float) -> str:
    return "met" if value < target else "**missed**"


def render(data: dict) -> str:
    m = data["machine"]
    pooled = data["measure"]["pooled"]
    ref = pooled["reference"]["median_ms"]
    select_one = data["measure"]["select_one_ms"]
    loop = data["measure"]["cpu_loop_ms"]
    search, suggest = pooled["search"], pooled["suggest"]
    rx = data.get("reindex")
    lines = [
        "## Search",
        "",
        f"Written by `bench/search_api.py` on {data['date']}, code at {data['commit']}, on "
        f"`{data['database']}` with {data['products']:,} products "
        f"({data['measure']['entries']:,} in the database backend's index). Machine: "
        f"{m['cpu_model']}, {m['cpus']} CPUs (`nproc`), {m['memory_gib']} GiB "
        f"(`free -g`: {data['free_g']}), load average {bench_run_load(data['load_start'])} at "
        f"the start, {bench_run_load(data['load_end'])} at the end; PostgreSQL on the same "
        "machine, and other work shares it.",
        "",
        f"Each request warmed up ({data['measure']['warmup']}×), then timed in "
        f"{data['measure']['runs']} rounds that each run every request once, through Django's "
        "test Client (middleware, view, serializer, the query log's INSERT; no network). "
        "The database backend answers (no `ELASTICSEARCH_URL`).",
        "",
        "| what | target | median | p95 | max | verdict |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| `GET /api/v1/search/`, {len(SEARCHES)} queries pooled ({search['samples']} requests) "
        f"| p95 < {TARGET_SEARCH_P95_MS:.0f} ms | {_f(search['median_ms'])} ms "
        f"| {_f(search['p95_ms'])} ms | {_f(search['max_ms'])} ms "
        f"| {verdict(search['p95_ms'], TARGET_SEARCH_P95_MS)} |",
        f"| `GET /api/v1/search/suggest/`, {len(SUGGESTS)} prefixes pooled "
        f"({suggest['samples']} requests) | p95 < {TARGET_SUGGEST_P95_MS:.0f} ms "
        f"| {_f(suggest['median_ms'])} ms | {_f(suggest['p95_ms'])} ms "
        f"| {_f(suggest['max_ms'])} ms | {verdict(suggest['p95_ms'], TARGET_SUGGEST_P95_MS)} |",
    ]
    if rx:
        lines.append(
            f"| `manage.py search_reindex --backend database` ({rx['after']:,} products; the "
            f"index held {rx['before']:,} before; the command's own time, {rx['wall']:.1f} s "
            f"with Python's start-up; load average {bench_run_load(rx['load'])} as it started) "
            f"| < {TARGET_REINDEX_S:.0f} s | {rx['seconds']:.1f} s | | "
            f"| {verdict(rx['seconds'], TARGET_REINDEX_S)} |"
        )
    else:
        lines.append("| `search_reindex` | < 180 s | not run (`--no-reindex`) | | | |")
    lines += [
        "",
        "The same as ratios to references timed in the same run: the API's product list "
        f"(`GET /api/v1/products/`, median {_f(ref)} ms), a `SELECT 1` round trip (median "
        f"{select_one:.3f} ms) and a fixed pure-Python loop (median {_f(loop)} ms, as in "
        "the embedded benchmark):",
        "",
        "| what | ÷ product list median | ÷ `SELECT 1` | ÷ CPU loop |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, value in (
        ("search median", search["median_ms"]),
        ("search p95", search["p95_ms"]),
        ("suggest median", suggest["median_ms"]),
        ("suggest p95", suggest["p95_ms"]),
    ):
        lines.append(
            f"| {label} | {value / ref:.2f} | {value / select_one:,.0f} | {value / loop:.3f} |"
        )
    lines += [
        "",
        "Per request (found: the result count, or suggestions; queries: on one request, "
        "query log included):",
        "",
        "| request | found | queries | median ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for op in data["measure"]["operations"]:
        lines.append(
            f"| `{op['path']}` | {op['found']:,} | {op['queries']} | {_f(op['median_ms'])} "
            f"| {_f(op['p95_ms'])} |"
        )
    notes = data.get("notes") or []
    if notes:
        lines += ["", *notes]
    lines += [
        "",
        "Run it alone: `.venv/bin/python bench/search_api.py [--runs N] [--no-reindex]`; it "
        "replaces only this section.",
        "",
        f"<!-- search-api-data: {json.dumps(data['measure']['pooled'], separators=(',', ':'))} -->",
    ]
    return "\n".join(lines)


def bench_run_load(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def free_g() -> str:
    done = subprocess.run(["free", "-g"], capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("Mem:"):
            total, used, free = line.split()[1:4]
            return f"{total} total, {used} used, {free} free"
    return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search benchmarks on PostgreSQL.")
    parser.add_argument("--products", type=int, default=bench_run.FULL_PRODUCTS)
    parser.add_argument("--runs", type=int, default=10, help="timed rounds")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests first, each")
    parser.add_argument("--no-reindex", action="store_true", help="keep the index as it is")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--note", action="append", default=[], help="a line for the report")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        return measure(args)

    url = os.environ.get("BENCH_DATABASE_URL") or bench_run.DEFAULT_DATABASE_URL
    var_dir = Path(os.environ.get("BENCH_VAR_DIR") or bench_run.DEFAULT_VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    env = bench_run.bench_env(url, var_dir)
    created = bench_run.database_ensure(url, fresh=False)
    bench_run.manage(env, "migrate", "--no-input", "-v", "0")
    bench_run.seed(env, url, var_dir, args.products, created=created)
    rx = None if args.no_reindex else reindex(env, url)
    bench_run.database_analyze(url)

    load_start = os.getloadavg()
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        say(f"Measuring ({args.runs} rounds)…")
        command = [sys.executable, __file__, "--measure", "--out", str(out)]
        command += ["--runs", str(args.runs), "--warmup", str(args.warmup)]
        done = subprocess.run(command, cwd=ROOT, env=env, check=False)
        if done.returncode or not out.stat().st_size:
            raise SystemExit(f"measuring failed (status {done.returncode})")
        measured = json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)
    about = machine.describe(ROOT)
    data = {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": about["commit"],
        "database": bench_run.redact(url),
        "products": bench_run.product_count(url),
        "machine": about,
        "free_g": free_g(),
        "load_start": load_start,
        "load_end": os.getloadavg(),
        "reindex": rx,
        "measure": measured,
        "notes": args.note,
    }
    raw = var_dir / f"search-{datetime.now():%Y%m%d-%H%M%S}.json"
    raw.write_text(json.dumps(data, indent=2, default=str))
    sections.write_section(args.output, SECTION, render(data))
    pooled = measured["pooled"]
    say(
        f"search p50 {pooled['search']['median_ms']:.1f} ms, p95 {pooled['search']['p95_ms']:.1f}"
        f" ms; suggest p50 {pooled['suggest']['median_ms']:.1f} ms, p95 "
        f"{pooled['suggest']['p95_ms']:.1f} ms; wrote {args.output} (raw: {raw})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
