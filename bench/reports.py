"""The cashless reports on PostgreSQL with a million payments: every figure of
payments/reports/selectors.py (a one-year scope, then the same with a kecamatan filter), the
report pages of the Wagtail admin through Django's test Client as a superuser (one of them
exported to XLSX), and the handler that keeps the aggregates (payments.cashless.recount_payment),
each with median and p95; `cashless_rebuild --check` and `cashless_rebuild` timed.

    .venv/bin/python bench/reports.py                      # print the section
    .venv/bin/python bench/reports.py --write              # and put it into docs/benchmarks.md
    .venv/bin/python bench/reports.py --rounds 3 --calls 10 --no-rebuild

The database is BENCH_DATABASE_URL (default the one bench/run.py uses): created and migrated if
needed, then `seed_demo --products N --payments 1000000` (timed, the time kept in the var
folder's `reports-seed-stamp.json`) unless it holds a demo payment history already, then
VACUUM ANALYZE. Target (issue 11): every report's p95 under 500 ms. Every figure is also given
as a ratio to references timed in the same rounds (100 `SELECT 1` round trips, a fixed CPU
loop), because the machine is shared. `--write` replaces only its own section of the page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
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

SECTION = "cashless-reports"
TARGET_P95_MS = 500.0
PAYMENTS = 1_000_000
PRODUCTS = 2_000
STAMP = "reports-seed-stamp.json"
ADMIN_EMAIL = "bench-reports@pasar.test"
BASE = "/cms-admin/reports/cashless/"
PAGES = (
    ("merchants", ""),
    ("payments by month", "pembayaran/"),
    ("payments by method", "pembayaran-metode/"),
    ("top products", "produk-teratas/"),
    ("lost sales", "kedaluwarsa/"),
)
EXPORTED = ("payments by month, XLSX", "pembayaran/")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ms(seconds: float) -> float:
    return seconds * 1000


def summary(values: list[float]) -> dict:
    return {
        "samples": len(values),
        "median_ms": median(values),
        "p95_ms": percentile(values, 0.95),
        "max_ms": max(values),
    }


# --- inside Django: the figures, the pages, the handler -------------------------------------


def measure(args) -> int:
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from marketplace.models import Kecamatan, Order, OrderLine, Shop
    from payments import cashless
    from payments.models import CashlessDay, Payment
    from payments.reports import selectors
    from payments.reports.selectors import Scope

    if connection.vendor != "postgresql":
        raise SystemExit(f"the benchmarks measure PostgreSQL, not {connection.vendor}")
    end = timezone.localdate()
    start = end - dt.timedelta(days=364)
    busiest = (
        CashlessDay.objects.values("shop__kecamatan_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("no cashless cells: was seed_demo --payments run?")
    kecamatan = Kecamatan.objects.get(pk=busiest["shop__kecamatan_id"])
    year = Scope(start, end)
    local = Scope(start, end, kecamatan_id=kecamatan.pk)

    ops: list[tuple[str, str, object]] = []  # (group, label, callable)
    for scope_name, scope in (("year", year), ("kecamatan", local)):
        figures = [
            ("merchants (kecamatan)", lambda s=scope: selectors.merchants(s, "kecamatan")),
            ("merchants (category)", lambda s=scope: selectors.merchants(s, "category")),
            *[
                (f"payments_by ({g})", lambda s=scope, g=g: selectors.payments_by(s, g))
                for g in ("month", "kecamatan", "category", "method")
            ],
            ("cashless_share", lambda s=scope: selectors.cashless_share(s)),
            ("adoption_by_month", lambda s=scope: selectors.adoption_by_month(s)),
            ("top_shops", lambda s=scope: selectors.top_shops(s)),
            ("top_products", lambda s=scope: selectors.top_products(s)),
            ("lost_sales", lambda s=scope: selectors.lost_sales(s)),
        ]
        if scope_name == "year":
            figures.append(("waiting_verification (no scope)", selectors.waiting_verification))
        ops += [(scope_name, label, fn) for label, fn in figures]

    user_model = get_user_model()
    admin = user_model.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = user_model.objects.create_superuser(email=ADMIN_EMAIL, password=None)
    client = Client()
    client.force_login(admin)
    period = {"period_from": start.isoformat(), "period_to": end.isoformat()}

    def page(path: str):
        def get():
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path}: status {response.status_code}")
            return response

        return get

    pages = [(label, BASE + sub + "?" + urlencode(period)) for label, sub in PAGES]
    pages.append(
        (
            "top products, kecamatan filter",
            BASE + "produk-teratas/?" + urlencode({**period, "kecamatan": kecamatan.pk}),
        )
    )
    label, sub = EXPORTED
    pages.append((label, BASE + sub + "?" + urlencode({**period, "export": "xlsx"})))
    paths = dict(pages)
    ops += [("http", label, page(path)) for label, path in pages]

    received = list(
        Payment.objects.filter(status__in=cashless.RECEIVED).values_list("pk", flat=True)[:200_000]
    )
    rng = random.Random(2026)
    ops.append(
        (
            "handler",
            "recount_payment (a random payment)",
            lambda: cashless.recount_payment(rng.choice(received)),
        )
    )

    # Warm up, count the queries of one call, and decide how many calls a round makes: a
    # figure slower than --slow-ms gets --slow-calls (so a slow one cannot eat the run).
    queries, calls, checks = {}, {}, {}
    for group, label, fn in ops:
        key = f"{group}:{label}"
        for _ in range(args.warmup):
            result = fn()
        if group == "http" and "export" not in paths[label]:
            checks[key] = start.isoformat() in result.content.decode("utf-8", "replace")
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            took = ms(time.perf_counter() - started)
        queries[key] = len(captured.captured_queries)
        calls[key] = args.calls if took < args.slow_ms else args.slow_calls
        say(f"  {key}: {took:.1f} ms, {queries[key]} queries, {calls[key]} calls a round")

    def select_one_x100() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for _ in range(100):
                cursor.execute("SELECT 1")
                cursor.fetchone()
        return ms(time.perf_counter() - started)

    times: dict[str, list[float]] = {f"{g}:{label}": [] for g, label, _ in ops}
    select_ms: list[float] = []
    loops: list[float] = []
    for number in range(args.rounds):
        loops.append(ms(cpu_loop()))
        for group, label, fn in ops:
            key = f"{group}:{label}"
            for _ in range(calls[key]):
                started = time.perf_counter()
                fn()
                times[key].append(ms(time.perf_counter() - started))
            select_ms.append(select_one_x100())
        say(f"  round {number + 1}/{args.rounds} done")
    loops.append(ms(cpu_loop()))

    out = {
        "rounds": args.rounds,
        "calls": args.calls,
        "slow_calls": args.slow_calls,
        "slow_ms": args.slow_ms,
        "warmup": args.warmup,
        "scope": {"start": start.isoformat(), "end": end.isoformat()},
        "kecamatan": {"name": kecamatan.name, "id": kecamatan.pk, "cells": busiest["n"]},
        "kecamatan_shops": Shop.objects.filter(kecamatan=kecamatan).count(),
        "dataset": {
            "payments": Payment.objects.count(),
            "received": Payment.objects.filter(status__in=cashless.RECEIVED).count(),
            "orders": Order.objects.count(),
            "order_lines": OrderLine.objects.count(),
            "cells": CashlessDay.objects.count(),
            "shops": Shop.objects.count(),
        },
        "operations": [
            {
                "group": group,
                "label": label,
                "path": paths.get(label) if group == "http" else None,
                "queries": queries[f"{group}:{label}"],
                "period_applied": checks.get(f"{group}:{label}"),
                **summary(times[f"{group}:{label}"]),
            }
            for group, label, _ in ops
        ],
        "select_one_x100_ms": median(select_ms),
        "cpu_loop_ms": median(loops),
    }
    Path(args.out).write_text(json.dumps(out, indent=2))
    return 0


# --- outside: prepare, rebuild, measure, report ---------------------------------------------


def history_count(url: str) -> int:
    with bench_run.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM payments_payment p JOIN marketplace_order o ON o.id = p.order_id"
            " WHERE o.number LIKE 'DEMO-%%'"
        ).fetchone()[0]


def seed(env: dict, url: str, var_dir: Path, args) -> dict:
    stamp_path = var_dir / STAMP
    stamp = json.loads(stamp_path.read_text()) if stamp_path.exists() else {}
    if stamp.get("database") != bench_run.redact(url):
        stamp = {}
    have = history_count(url)
    if have:
        if have < args.payments * 0.99:
            say(
                f"Warning: the demo history holds {have:,} payments, fewer than {args.payments:,}"
                " (seed_demo adds none to a history that exists: use a fresh database)."
            )
        say(f"Seed skipped: {have:,} demo payments are there.")
        return stamp
    say(f"Seeding: seed_demo --products {args.products:,} --payments {args.payments:,}…")
    load = os.getloadavg()
    wall, out = bench_run.manage(
        env,
        "seed_demo",
        "--products",
        str(args.products),
        "--payments",
        str(args.payments),
        capture=True,
    )
    stamp = {
        "database": bench_run.redact(url),
        "seconds": wall,
        "products": args.products,
        "payments": args.payments,
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "load": load,
    }
    stamp_path.write_text(json.dumps(stamp))
    say(f"Seed took {wall:.0f} s.")
    return stamp


def rebuild(env: dict) -> dict:
    out = {}
    for key, extra in (("check", ["--check"]), ("rebuild", []), ("check_after", ["--check"])):
        load = os.getloadavg()
        wall, text = bench_run.manage(env, "cashless_rebuild", *extra, capture=True)
        found = re.search(r"([\d,]+) cells recomputed", text)
        out[key] = {
            "seconds": wall,
            "load": load,
            "output": text.strip().splitlines()[-1] if text.strip() else "",
            "cells": int(found.group(1).replace(",", "")) if found else None,
        }
        say(f"cashless_rebuild {' '.join(extra)}: {wall:.1f} s: {out[key]['output']}")
    return out


def _f(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _load(values) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def verdict(p95: float) -> str:
    return "met" if p95 < TARGET_P95_MS else "**missed**"


def render(data: dict) -> str:
    m, meas = data["machine"], data["measure"]
    ds, kec = meas["dataset"], meas["kecamatan"]
    ref, loop = meas["select_one_x100_ms"], meas["cpu_loop_ms"]
    ops = meas["operations"]
    seed_stamp = data.get("seed") or {}
    lines = [
        "## Cashless reports",
        "",
        f"Written by `bench/reports.py` on {data['date']}, code at {data['commit']}, on "
        f"`{data['database']}`: {ds['payments']:,} payments ({ds['received']:,} succeeded or "
        f"refunded), {ds['orders']:,} orders, {ds['order_lines']:,} order lines, "
        f"{ds['cells']:,} cashless cells (`payments.CashlessDay`), {ds['shops']:,} shops. "
        f"Machine: {m['cpu_model']}, {m['cpus']} CPUs (`nproc`), {m['memory_gib']} GiB "
        f"(`free -g`: {data['free_g']}), load average {_load(data['load_start'])} at the start, "
        f"{_load(data['load_end'])} at the end; PostgreSQL {data['postgresql']} on the same "
        "machine, and other work shares it.",
        "",
    ]
    if seed_stamp.get("seconds"):
        lines.append(
            f"The data: `seed_demo --products {seed_stamp['products']:,} --payments "
            f"{seed_stamp['payments']:,}` on an empty database took "
            f"{seed_stamp['seconds'] / 60:.1f} min ({seed_stamp['date']}"
            + (
                f", load average {_load(seed_stamp['load'])} as it started"
                if seed_stamp.get("load")
                else ""
            )
            + "), the products' seed and the cashless cells' rebuild included."
        )
    rb = data.get("rebuild")
    if rb:
        lines.append(
            f"`manage.py cashless_rebuild --check` took {rb['check']['seconds']:.1f} s "
            f"(“{rb['check']['output']}”), `cashless_rebuild` {rb['rebuild']['seconds']:.1f} s "
            f"(“{rb['rebuild']['output']}”), `--check` again {rb['check_after']['seconds']:.1f} s "
            f"(“{rb['check_after']['output']}”); each with Python's and Django's start-up."
        )
    lines += [
        "",
        f"Scope: {meas['scope']['start']} to {meas['scope']['end']} (a year), then the same in "
        f"{kec['name']}, the kecamatan with the most cells ({kec['cells']:,}; "
        f"{meas['kecamatan_shops']} shops). Each call warmed up ({meas['warmup']}×), its queries "
        f"counted on one more, then {meas['rounds']} rounds of {meas['calls']} calls each "
        f"({meas['slow_calls']} for one slower than {meas['slow_ms']:.0f} ms on its counted "
        "call); the pages get the year as `?period_from=…&period_to=…` (left out below). "
        "Ratios: to 100 `SELECT 1` round trips timed after each figure in the same "
        f"rounds (median {ref:.2f} ms) and to a fixed pure-Python loop (median {_f(loop)} ms, "
        "as in the embedded benchmark).",
        "",
        "| figure | scope | queries | samples | median ms | p95 ms | max ms "
        "| p95 ÷ 100×`SELECT 1` | p95 ÷ CPU loop | p95 < 500 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    scope_names = {"year": "year", "kecamatan": kec["name"], "http": "year", "handler": "-"}

    def scope_of(op: dict) -> str:
        if op["group"] == "http" and "kecamatan=" in (op.get("path") or ""):
            return kec["name"]
        return scope_names[op["group"]]

    for group_title, groups in (
        ("Selectors (`payments/reports/selectors.py`)", ("year", "kecamatan")),
        ("Report pages (`GET`, test Client, superuser)", ("http",)),
        ("The aggregates' event handler", ("handler",)),
    ):
        lines.append(f"| **{group_title}** | | | | | | | | | |")
        for op in ops:
            if op["group"] not in groups:
                continue
            name = f"`{op['label']}`"
            if op["group"] == "http":
                path = re.sub(r"period_from=[\d-]+&period_to=[\d-]+&?", "", op["path"])
                name = f"{op['label']}: `{path.rstrip('?')}`"
            scope = scope_of(op)
            lines.append(
                f"| {name} | {scope} | {op['queries']} | {op['samples']} "
                f"| {_f(op['median_ms'])} | {_f(op['p95_ms'])} | {_f(op['max_ms'])} "
                f"| {op['p95_ms'] / ref:.2f} | {op['p95_ms'] / loop:.3f} "
                f"| {verdict(op['p95_ms'])} |"
            )
    missed = [f"{op['label']} ({scope_of(op)})" for op in ops if op["p95_ms"] >= TARGET_P95_MS]
    lines += [
        "",
        f"{len(ops) - len(missed)} of {len(ops)} under 500 ms p95"
        + (f"; missed: {', '.join(missed)}." if missed else "."),
    ]
    notes = data.get("notes") or []
    if notes:
        lines += ["", *notes]
    lines += [
        "",
        "Run it: `.venv/bin/python bench/reports.py [--rounds N] [--calls N] [--no-rebuild] "
        "--write`; it replaces only this section.",
        "",
        "<!-- cashless-reports-data: "
        + json.dumps(
            {f"{o['group']}:{o['label']}": round(o["p95_ms"], 1) for o in ops},
            separators=(",", ":"),
        )
        + " -->",
    ]
    return "\n".join(lines)


def free_g() -> str:
    done = subprocess.run(["free", "-g"], capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("Mem:"):
            total, used, free = line.split()[1:4]
            return f"{total} total, {used} used, {free} free"
    return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The cashless reports on PostgreSQL.")
    parser.add_argument("--products", type=int, default=PRODUCTS)
    parser.add_argument("--payments", type=int, default=PAYMENTS)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds")
    parser.add_argument("--calls", type=int, default=20, help="calls of each figure a round")
    parser.add_argument("--slow-calls", type=int, default=4, help="calls a round, slow ones")
    parser.add_argument("--slow-ms", type=float, default=300.0, help="what counts as slow")
    parser.add_argument("--warmup", type=int, default=2, help="untimed calls first, each")
    parser.add_argument("--no-rebuild", action="store_true", help="skip cashless_rebuild")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--note", action="append", default=[], help="a line for the report")
    parser.add_argument("--from-json", type=Path, help="render a raw results file again")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        return measure(args)
    if args.from_json:
        data = json.loads(args.from_json.read_text())
        data["notes"] = args.note or data.get("notes") or []
        return publish(args, data, args.from_json)

    url = os.environ.get("BENCH_DATABASE_URL") or bench_run.DEFAULT_DATABASE_URL
    var_dir = Path(os.environ.get("BENCH_VAR_DIR") or bench_run.DEFAULT_VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    env = bench_run.bench_env(url, var_dir)
    bench_run.database_ensure(url, fresh=False)
    bench_run.manage(env, "migrate", "--no-input", "-v", "0")
    stamp = seed(env, url, var_dir, args)
    rb = None if args.no_rebuild else rebuild(env)
    bench_run.database_analyze(url)
    with bench_run.connect(url) as conn:
        postgresql = conn.execute("SHOW server_version").fetchone()[0]

    load_start = os.getloadavg()
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        say(f"Measuring ({args.rounds} rounds)…")
        command = [sys.executable, __file__, "--measure", "--out", str(out)]
        for name in ("rounds", "calls", "slow_calls", "slow_ms", "warmup"):
            command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
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
        "postgresql": postgresql,
        "machine": about,
        "free_g": free_g(),
        "load_start": load_start,
        "load_end": os.getloadavg(),
        "seed": stamp,
        "rebuild": rb,
        "measure": measured,
        "notes": args.note,
    }
    raw = var_dir / f"reports-{datetime.now():%Y%m%d-%H%M%S}.json"
    raw.write_text(json.dumps(data, indent=2, default=str))
    return publish(args, data, raw)


def publish(args, data: dict, raw: Path) -> int:
    body = render(data)
    print(body)
    if args.write:
        sections.write_section(args.output, SECTION, body)
        say(f"Wrote the {SECTION} section of {args.output} (raw: {raw}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
