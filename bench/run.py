"""The benchmarks: prepare a PostgreSQL database with `seed_demo --products N`, measure the
storefront, the API and checkout against it, and write docs/benchmarks.md.

    .venv/bin/python bench/run.py            # 100,000 products (what `make bench` runs)
    .venv/bin/python bench/run.py --quick    # 10,000 products
    .venv/bin/python bench/run.py --embedded-runs 0   # skip the embedded-broker runs

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pasar_bench) and
BENCH_VAR_DIR (default /tmp/pasar-bench): the benchmarks never touch the site's own database or
var/ folder. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import embedded_broker  # noqa: E402
import machine  # noqa: E402
import report  # noqa: E402
import sections  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pasar_bench"
DEFAULT_VAR_DIR = "/tmp/pasar-bench"
FULL_PRODUCTS = 100_000
QUICK_PRODUCTS = 10_000
STAMP = "seed-stamp.json"  # in the bench's var dir: how long the seed that made the data took


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def connect(url: str, dbname: str | None = None) -> psycopg.Connection:
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or None,
        port=parts.port or 5432,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        dbname=dbname or parts.path.lstrip("/"),
        autocommit=True,
        connect_timeout=10,
    )


def database_ensure(url: str, *, fresh: bool) -> bool:
    """Create the database named in `url` if missing (dropping it first when `fresh`), through
    the server's `postgres` maintenance database. Returns True when it was created now."""
    name = urlsplit(url).path.lstrip("/")
    if not name:
        raise SystemExit(f"{redact(url)} names no database")
    try:
        admin = connect(url, dbname="postgres")
    except psycopg.OperationalError as exc:
        raise SystemExit(f"cannot reach PostgreSQL at {redact(url)}: {exc}") from exc
    with admin:
        if fresh:
            say(f"Dropping database {name} (--fresh)…")
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        say(f"Creating database {name}…")
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def product_count(url: str) -> int:
    with connect(url) as conn:
        return conn.execute("SELECT count(*) FROM marketplace_product").fetchone()[0]


def database_analyze(url: str) -> tuple[float, str]:
    """VACUUM (ANALYZE) the whole database, so the planner has statistics for the rows the
    seed just bulk-inserted (autovacuum would do so a minute later, if it is on). Returns
    (seconds, the server's autovacuum setting)."""
    with connect(url) as conn:
        autovacuum = conn.execute("SHOW autovacuum").fetchone()[0]
        started = time.monotonic()
        conn.execute("VACUUM (ANALYZE)")
        return time.monotonic() - started, autovacuum


def bench_env(url: str, var_dir: Path) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        DATABASE_URL=url,
        PASAR_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="development",
        DEBUG="false",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        # Events go to a broker folder of the bench's own, which nothing consumes.
        CELERY_BROKER_URL="filesystem://",
        CELERY_TASK_ALWAYS_EAGER="false",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.pop("ELASTICSEARCH_URL", None)
    return env


def manage(env: dict[str, str], *args: str, capture: bool = False) -> tuple[float, str]:
    """Run `manage.py args` in a subprocess; its stderr (progress bars) goes to ours. Returns
    (seconds, stdout if captured)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if capture else sys.stderr,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    if done.returncode:
        if capture:
            say(done.stdout)
        raise SystemExit(f"manage.py {' '.join(args)} failed with status {done.returncode}")
    return seconds, done.stdout or ""


def seed(env: dict[str, str], url: str, var_dir: Path, products: int, *, created: bool) -> dict:
    """Seed unless the catalog already holds `products`. Returns what the report says about
    it: how long the seed that made this dataset took, now or on an earlier run."""
    stamp_path = var_dir / STAMP
    if created:
        stamp_path.unlink(missing_ok=True)
    have = product_count(url)
    stamp = {}
    if stamp_path.exists():
        try:
            stamp = json.loads(stamp_path.read_text())
        except json.JSONDecodeError:
            stamp = {}
    if stamp.get("database") != redact(url):
        stamp = {}
    if have >= products:
        if have > products:
            say(
                f"Warning: the catalog holds {have:,} products, more than the {products:,} "
                "asked for; the figures are for the larger catalog (--fresh starts over)."
            )
        took = f" (it took {stamp['seconds']:.1f} s on {stamp['date']})" if stamp else ""
        say(f"Seed skipped: the catalog already holds {have:,} products{took}.")
        return {
            "ran_now": False,
            "products": stamp.get("products", products),
            "seconds": stamp.get("seconds"),
            "date": stamp.get("date"),
            "load": stamp.get("load"),
        }
    say(f"Seeding: seed_demo --products {products:,} (the catalog holds {have:,})…")
    load = os.getloadavg()
    wall, out = manage(env, "seed_demo", "--products", str(products), capture=True)
    say(out.strip())
    # The command's own figure leaves out Python's and Django's start-up.
    found = re.search(r"\(([\d,]+) made now, ([\d.]+) s\)", out)
    seconds = float(found.group(2)) if found else wall
    made = int(found.group(1).replace(",", "")) if found else None
    say(f"Seed took {seconds:.1f} s ({wall:.1f} s with start-up), {made} products made.")
    if have == 0:
        # Only a seed from an empty catalog says how long the whole dataset takes.
        stamp = {
            "database": redact(url),
            "products": products,
            "seconds": seconds,
            "wall_seconds": wall,
            "made": made,
            "from_products": have,
            "load": load,
            "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        stamp_path.write_text(json.dumps(stamp, indent=2))
    return {
        "ran_now": True,
        "products": products,
        "seconds": seconds,
        "made": made,
        "from_products": have,
        "load": load,
        "date": stamp.get("date"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmarks of Pasar Kreatif on PostgreSQL; figures into docs/benchmarks.md."
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--products",
        type=int,
        default=FULL_PRODUCTS,
        metavar="N",
        help=f"catalog size, as seed_demo --products N (default {FULL_PRODUCTS:,})",
    )
    size.add_argument(
        "--quick", action="store_true", help=f"a {QUICK_PRODUCTS:,}-product catalog, to try things"
    )
    parser.add_argument("--runs", type=int, default=30, help="timed requests per operation")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first")
    parser.add_argument("--threads", type=int, default=8, help="concurrent checkout threads")
    parser.add_argument("--per-thread", type=int, default=25, help="checkouts per thread")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="drop and recreate the bench database first (and time the seed again)",
    )
    parser.add_argument(
        "--embedded-runs",
        type=int,
        default=5,
        metavar="N",
        help="runs of the event spine on the embedded default (bench/embedded_broker.py, "
        "SQLite and the filesystem broker); 0 keeps the page's previous figures",
    )
    parser.add_argument(
        "--embedded-reference",
        metavar="SHA",
        help="also run the embedded benchmark on this commit, as its reference",
    )
    parser.add_argument(
        "--search-runs",
        type=int,
        default=10,
        metavar="N",
        help="rounds of the search benchmark (bench/search_api.py: search_reindex, the search "
        "and suggest API); 0 keeps the page's previous figures",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="where to write the report (default docs/benchmarks.md)",
    )
    args = parser.parse_args(argv)
    products = QUICK_PRODUCTS if args.quick else args.products
    if products < 1 or args.runs < 1 or args.threads < 1 or args.per_thread < 1:
        parser.error("--products, --runs, --threads and --per-thread must be 1 or more")

    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    var_dir = Path(os.environ.get("BENCH_VAR_DIR") or DEFAULT_VAR_DIR)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("BENCH_DATABASE_URL must name a PostgreSQL database")
    var_dir.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        for sub in ("media", "broker"):
            shutil.rmtree(var_dir / sub, ignore_errors=True)
    # What an earlier run left in the unconsumed broker folder is of no use.
    shutil.rmtree(var_dir / "broker" / "out", ignore_errors=True)
    env = bench_env(url, var_dir)
    say(f"Database {redact(url)}, var dir {var_dir}")

    created = database_ensure(url, fresh=args.fresh)
    say("Migrating…")
    migrate_seconds, _ = manage(env, "migrate", "--no-input", "-v", "1")
    say(f"Migrate took {migrate_seconds:.1f} s.")
    seed_info = seed(env, url, var_dir, products, created=created)

    analyze_seconds, autovacuum = database_analyze(url)
    say(f"VACUUM (ANALYZE) took {analyze_seconds:.1f} s (autovacuum is {autovacuum}).")

    say(f"Measuring ({args.runs} runs per operation after {args.warmup} warm-up requests)…")
    load_start = os.getloadavg()
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        done = subprocess.run(
            [
                sys.executable,
                str(HERE / "measure.py"),
                "--out",
                str(out),
                "--runs",
                str(args.runs),
                "--warmup",
                str(args.warmup),
                "--threads",
                str(args.threads),
                "--per-thread",
                str(args.per_thread),
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
        if not out.stat().st_size:
            raise SystemExit(f"measuring failed (status {done.returncode})")
        figures = json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)

    load_end = os.getloadavg()
    about = machine.describe(ROOT)
    about["load"] = {"start": load_start, "end": load_end}
    data = {
        **figures,
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "mode": "quick" if args.quick else ("full" if products == FULL_PRODUCTS else "custom"),
        "products_arg": f"{products:,}",
        "database": redact(url),
        "commit": about.pop("commit"),
        "machine": about,
        "machine_summary": f"{about['cpu_model']}, {about['cpus']} CPUs, {about['memory_gib']} GiB",
        "seed": seed_info,
        "migrate_seconds": migrate_seconds,
        "analyze_seconds": analyze_seconds,
        "autovacuum": autovacuum,
    }
    raw = var_dir / f"results-{datetime.now():%Y%m%d-%H%M%S}.json"
    raw.write_text(json.dumps(data, indent=2, default=str))
    previous = report.previous_data(args.output)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    kept = embedded_broker.section_of(args.output.read_text()) if args.output.exists() else None
    kept_search = sections.kept(args.output)
    args.output.write_text(report.render(data, previous))
    for name, body in kept_search.items():  # bench/search_api.py and bench/relevance.py's
        sections.write_section(args.output, name, body)
    if args.search_runs > 0:
        say(f"Search ({args.search_runs} rounds)…")
        search = [sys.executable, str(HERE / "search_api.py"), "--products", str(products)]
        search += ["--runs", str(args.search_runs), "--output", str(args.output)]
        if subprocess.run(search, cwd=ROOT, check=False).returncode:
            say("The search benchmark failed: its section keeps the previous figures.")
    if args.embedded_runs > 0:
        say(f"The event spine on the embedded default ({args.embedded_runs} runs)…")
        reference = []
        if args.embedded_reference:
            reference = ["--reference-commit", args.embedded_reference]
        status = embedded_broker.main(
            ["--runs", str(args.embedded_runs), "--output", str(args.output), *reference]
        )
        if status:
            say("The embedded benchmark missed an order or a mail: see its section.")
    elif kept:
        embedded_broker.write_section(args.output, kept)  # the previous run's figures stay
    say(f"Wrote {args.output} (raw figures in {raw}).")
    if done.returncode:
        say("The checkout throughput run failed its stock check: see the report.")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
