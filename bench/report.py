"""docs/benchmarks.md from one run's figures.

The page is overwritten by every run. Its last line carries the run's figures as JSON in an
HTML comment, so the next run can say what changed since this one.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

DATA_MARK = "bench-data"
SLOW_MS = 300  # a page slower than this (median) at 100,000 products gets looked into
CHANGE_RATIO = 0.25  # a median that moved by more than 25 % (and 3 ms) is called a change
CHANGE_MIN_MS = 3.0


def previous_data(path: Path) -> dict | None:
    """The figures of the run that wrote `path`, or None."""
    try:
        text = path.read_text()
    except OSError:
        return None
    found = re.search(rf"<!-- {DATA_MARK}: (.*?) -->", text, re.DOTALL)
    if not found:
        return None
    try:
        return json.loads(found.group(1))
    except json.JSONDecodeError:
        return None


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _when(iso: str | None) -> str:
    if not iso:
        return "?"
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return iso


def _load(values: list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def _int(value: int) -> str:
    return f"{value:,}"


def changes(current: dict, previous: dict | None) -> list[str]:
    """Short notes on what moved since the previous run."""
    if previous is None:
        return ["First run recorded by `bench/run.py`: nothing to compare with."]
    notes = []
    when = previous.get("date", "?")
    prev_products = previous.get("dataset", {}).get("products")
    products = current["dataset"]["products"]
    if prev_products != products:
        notes.append(
            f"Dataset changed: {_int(prev_products or 0)} → {_int(products)} products "
            f"(previous run {when}); request times are not comparable."
        )
    if previous.get("commit") != current["commit"]:
        notes.append(f"Code: {previous.get('commit', '?')} → {current['commit']}.")
    if previous.get("machine_summary") != current["machine_summary"]:
        notes.append(f"Machine: {previous.get('machine_summary')} → {current['machine_summary']}.")
    before = {op["key"]: op for op in previous.get("operations", [])}
    moved = []
    for op in current["operations"]:
        old = before.get(op["key"])
        if old is None:
            moved.append(f"{op['label']}: new in this run.")
            continue
        delta = op["median_ms"] - old["median_ms"]
        if abs(delta) > CHANGE_MIN_MS and abs(delta) > CHANGE_RATIO * old["median_ms"]:
            moved.append(
                f"{op['label']}: median {_ms(old['median_ms'])} → {_ms(op['median_ms'])} ms."
            )
        if op["queries"] != old["queries"]:
            moved.append(f"{op['label']}: queries {old['queries']} → {op['queries']}.")
    for name, run in current["throughput"].items():
        old_tp = previous.get("throughput", {}).get(name, {}).get("per_second")
        new_tp = run["per_second"]
        if old_tp and abs(new_tp - old_tp) > CHANGE_RATIO * old_tp:
            moved.append(
                f"Checkouts, {run['threads']} thread(s), {run.get('variants', 1)} variant(s): "
                f"{old_tp:.1f} → {new_tp:.1f} per second."
            )
    if prev_products == products:
        notes.extend(moved)
        if moved:
            load = previous.get("load")
            notes.append(
                "Other work on the machine moves single figures too: compare the load averages"
                + (f" (previous run: {_load(load['start'])} at its start)." if load else ".")
            )
    if not notes:
        notes.append(
            f"Nothing moved by more than {CHANGE_RATIO:.0%} since the previous run ({when})."
        )
    return notes


def render(data: dict, previous: dict | None) -> str:
    m, d = data["machine"], data["dataset"]
    pg = data["postgresql"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/run.py` (`make bench`); every run overwrites this page. "
        "Tests guard query counts; these figures are times.",
        "",
        f"Latest run: **{data['date']}**, {data['mode']} dataset "
        f"(`seed_demo --products {data['products_arg']}`), code at {data['commit']}.",
        "",
        "## What changed since the previous run",
        "",
        *[f"- {note}" for note in changes(data, previous)],
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        f"| CPU | {m['cpu_model']}, {m['cpus']} CPUs (`nproc`) |",
        f"| Memory | {m['memory_gib']} GiB (MemTotal) |",
        f"| OS | {m['kernel']} |",
        f"| PostgreSQL | {pg['server_version']} on the same machine "
        f"(shared_buffers {pg['shared_buffers']}, work_mem {pg['work_mem']}, "
        f"autovacuum {data['autovacuum']}) |",
        f"| Python | {data['python']}, Django {data['django']}, Wagtail {data['wagtail']} |",
        f"| Load average (1, 5, 15 min) | {_load(m['load']['start'])} at the start, "
        f"{_load(m['load']['end'])} at the end |",
        "",
        "PostgreSQL, the benchmark and whatever else runs on the machine share these CPUs; the "
        "load average shows how busy it was besides the benchmark (which itself keeps about one "
        "CPU busy).",
        "",
        "## Dataset",
        "",
        f"Made by `manage.py seed_demo --products {data['products_arg']}` in the database "
        f"`{data['database']}`. Orders accumulate from earlier benchmark runs.",
        "",
        "| shops (verified) | products (active) | goods / experiences / stays | variants | "
        "photos | experience slots | stay nights | orders |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {_int(d['shops'])} ({_int(d['verified_shops'])}) "
        f"| {_int(d['products'])} ({_int(d['active_products'])}) "
        f"| {_int(d['goods'])} / {_int(d['experiences'])} / {_int(d['stays'])} "
        f"| {_int(d['variants'])} | {_int(d['photos'])} | {_int(d['slots'])} "
        f"| {_int(d['nights'])} | {_int(d['orders'])} |",
        "",
        "## Seeding",
        "",
        "| step | time |",
        "| --- | ---: |",
    ]
    seed = data["seed"]
    if seed.get("seconds") is not None:
        if not seed["ran_now"]:
            how = f"on an empty catalog, by an earlier run on {_when(seed.get('date'))}"
        elif seed.get("from_products"):
            how = f"this run, resumed from {_int(seed['from_products'])} products"
        else:
            how = "on an empty catalog, this run"
        if seed.get("load"):
            how += f"; load average {_load(seed['load'])} as it started"
        lines.append(
            f"| `seed_demo --products {_int(seed['products'])}` ({how}) | {seed['seconds']:.1f} s |"
        )
    else:
        lines.append("| `seed_demo` (not timed: the catalog was made before timing existed) | – |")
    lines.append(
        f"| `migrate` (nothing to apply, or this run's new migrations) | "
        f"{data['migrate_seconds']:.1f} s |"
    )
    lines.append(
        f"| `VACUUM (ANALYZE)` before measuring (autovacuum is {data['autovacuum']} on this "
        f"server) | {data['analyze_seconds']:.1f} s |"
    )
    ops = data["operations"]
    first = ops[0]
    lines += [
        "",
        "## Requests",
        "",
        f"Each operation is warmed up ({first['warmup']} requests), then timed "
        f"{first['runs']} times, in {first['runs']} rounds that each run every operation "
        "once (so a burst of other work on the machine touches all of them alike). Requests "
        "go through Django's test Client: the whole middleware stack, URL routing, views, "
        "templates and serializers, but no network, no WSGI server and no connection set-up "
        "(the test Client keeps the database connection open). DEBUG is off. *Queries* and "
        "*SQL ms* come from one more request, run under `CaptureQueriesContext`: the timed "
        "requests run without the query log, which makes that one request a little slower, "
        "and Django logs each query's time in whole milliseconds. Every checkout request buys "
        f"one piece of the same goods variant (`{data['targets']['checkout_product']}`).",
        "",
        "| operation | request | median ms | p95 ms | min ms | queries | SQL ms | note |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for op in ops:
        flag = " ⚠" if op["median_ms"] > SLOW_MS else ""
        lines.append(
            f"| {op['label']}{flag} | `{op['method']} {op['path']}` | {_ms(op['median_ms'])} "
            f"| {_ms(op['p95_ms'])} | {_ms(op['min_ms'])} | {op['queries']} "
            f"| {op['sql_ms']:.0f} | {op['note']} |"
        )
    tp = data["throughput"]
    conc = tp["concurrent"]
    lines += [
        "",
        "## Checkout throughput",
        "",
        "`marketplace.services.checkout.checkout_place` called directly, one item (quantity 1) "
        "per checkout: first one thread, then "
        f"{conc['threads']} threads all buying the same goods variant "
        f"(`{data['targets']['throughput_product']}`), so that every checkout waits for that "
        "row's lock (the worst case), then as many threads each buying its own variant (no "
        "shared lock: what slows down is the machine). Each thread has its own database "
        "connection, opened before the clock starts; all threads start behind one barrier.",
        "",
        "| threads × checkouts | variants | wall s | checkouts/s | median ms | p95 ms "
        "| stock decrease | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in (tp["serial"], conc, tp.get("spread")):
        if run is None:
            continue
        check = "✓" if run["stock_ok"] else "✗"
        lines.append(
            f"| {run['threads']} × {run['per_thread']} | {run.get('variants', 1)} "
            f"| {run['wall_s']:.2f} | {run['per_second']:.1f} "
            f"| {_ms(run['latency']['median_ms'])} | {_ms(run['latency']['p95_ms'])} "
            f"| {run['stock_decrease']} of {run['checkouts']} {check} | {run['errors']} |"
        )
    lines.append("")
    if conc["stock_ok"]:
        lines.append(
            f"With {conc['threads']} threads on one variant its stock went down by exactly "
            f"{conc['stock_decrease']}, and {conc['orders_placed']} orders were placed."
        )
    else:
        lines.append(
            f"**Stock check failed**: down by {conc['stock_decrease']}, expected "
            f"{conc['checkouts']}; errors: {conc['error_samples']}"
        )
    slow = [op for op in ops if op["median_ms"] > SLOW_MS]
    if slow:
        lines += ["", f"## Slower than {SLOW_MS} ms (median)", ""]
        for op in slow:
            text = (
                f"- {op['label']} (`{op['path']}`): median {_ms(op['median_ms'])} ms, of which "
                f"{_ms(op['sql_ms'])} ms in {op['queries']} queries."
            )
            if op["sql_ms"] < op["median_ms"] / 2:
                text += " Most of the time is Python (views, templates, serializers), not SQL."
            if op["slowest_sql"]:
                worst = op["slowest_sql"][0]
                text += f" Slowest query ({_ms(worst['ms'])} ms): `{worst['sql'][:300]}…`"
            lines.append(text)
    lines += [
        "",
        "## How to run",
        "",
        "```",
        "make bench                              # 100,000 products, 30 runs per operation",
        ".venv/bin/python bench/run.py --quick   # 10,000 products, to try changes quickly",
        ".venv/bin/python bench/run.py --help    # --runs, --products, --fresh, ...",
        "```",
        "",
        "It needs a PostgreSQL server: `BENCH_DATABASE_URL` (default "
        "`postgres://postgres@127.0.0.1:5432/pasar_bench`) names a database of its own, made "
        "if missing and seeded once; see `bench/README.md`.",
        "",
        f"<!-- {DATA_MARK}: {json.dumps(_kept(data), separators=(',', ':'))} -->",
        "",
    ]
    return "\n".join(lines)


def _kept(data: dict) -> dict:
    """What the next run compares with: no SQL text."""
    return {
        "date": data["date"],
        "commit": data["commit"],
        "machine_summary": data["machine_summary"],
        "load": data["machine"]["load"],
        "dataset": data["dataset"],
        "operations": [
            {
                k: op[k]
                for k in ("key", "label", "median_ms", "p95_ms", "min_ms", "queries", "sql_ms")
            }
            for op in data["operations"]
        ],
        "throughput": {
            name: {
                "per_second": run["per_second"],
                "threads": run["threads"],
                "variants": run.get("variants", 1),
            }
            for name, run in data["throughput"].items()
        },
    }
