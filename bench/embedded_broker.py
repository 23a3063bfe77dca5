"""The event spine on the embedded default (`make run`): how fast a settlement reaches its order.

    .venv/bin/python bench/embedded_broker.py            # 5 runs; its section of docs/benchmarks.md
    .venv/bin/python bench/embedded_broker.py --reference-commit 19909c9 --reference-runs 2
    .venv/bin/python bench/embedded_broker.py --output /tmp/bench.md

Each run starts from a copy of one freshly migrated and seeded SQLite file (`seed_demo`, as
`make run` does), with an empty `filesystem://` broker folder, and starts a real Celery worker
with beat exactly as `bin/run_embedded.py` does. Then `--checkouts` (50) threads, released
together by a barrier, each place a checkout of one piece of a goods variant of the demo shop
that has a static QRIS (`checkout_place`), start its QRIS payment (`payment_start`), and POST a
settlement notification to `/payments/webhooks/qris/` (Django's test Client, signed as
`payments/providers/qris_acquirer.py` checks it). A poller reads the orders every 20 ms and
counts the mails the worker writes (Django's file email backend) until every order is paid and
every mail is sent.

Reported per run: seconds until every order is paid and until every mail is sent (counted from
the barrier), each settlement's latency (webhook answered → its order seen paid), and how many
messages the worker took. Two references are measured in the same run, because the machine is
shared and noisy: a fixed pure-Python CPU loop timed just before each run, and, with
`--reference-commit`, the same flow on the code of that commit (`git archive` into a temporary
folder), which shows what the change bought.

bench/run.py (`make bench`) runs this too and puts its section in docs/benchmarks.md; run alone,
it replaces only its own section there. BENCH_EMBEDDED_DIR (default /tmp/pasar-bench-embedded)
holds the seeded template, each run's folder (worker log, mail) and the raw JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from stats import percentile  # bench/, beside this file

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

DEFAULT_DIR = "/tmp/pasar-bench-embedded"
TARGET_ALL_S = 15.0  # issue #8, item 13: every order paid and every mail sent
TARGET_P95_S = 2.0  # a single settlement turning its order paid, at p95
SECTION_START = "<!-- embedded-broker:start -->"
SECTION_END = "<!-- embedded-broker:end -->"
DATA_MARK = "embedded-data"
CPU_LOOP_N = 2_000_000

# What bin/run_embedded.py started before it had worker_command() (a reference commit may be
# that old): the same command, written out.
LEGACY_WORKER_ARGS = ["worker", "--beat", "--loglevel=INFO", "--concurrency=2"]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cpu_loop() -> float:
    """Seconds for a fixed pure-Python loop (best of 5): the yardstick of this machine now."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(CPU_LOOP_N):
            total += i * i % 7
        best = min(best, time.perf_counter() - started)
    return best


# --- the driver: runs inside Django, in the tree being measured --------------------------------


def drive(out: Path, checkouts: int, timeout: float, mail_log: Path) -> None:
    sys.path.insert(0, os.getcwd())  # the tree being measured, before any installed copy
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("kombu.connection").setLevel(logging.ERROR)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from marketplace.models import Order, OrderStatus, ShopMember, Variant
    from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
    from payments import services as payments
    from payments.models import MerchantQris
    from payments.providers.qris_acquirer import signature

    def free(variant) -> int:
        if hasattr(variant, "on_hand"):  # stock on hand and allocated, kept apart
            return variant.on_hand - variant.allocated
        return variant.stock

    shop = MerchantQris.objects.select_related("shop").first().shop
    variants = [
        v
        for v in Variant.objects.filter(product__shop=shop, product__status="active").order_by("pk")
        if free(v) >= 10
    ]
    if not variants or sum(free(v) for v in variants) < checkouts * 2:
        raise SystemExit(f"the demo shop {shop.slug} has too little stock for {checkouts}")
    sellers = [
        m.user.email
        for m in ShopMember.objects.filter(shop=shop).select_related("user")
        if not m.user.email.endswith(".invalid")
    ]
    # order.placed and order.paid each mail the buyer, and the shop's people when it has any.
    expected_mails = checkouts * 2 * (2 if sellers else 1)
    key = settings.QRIS_SERVER_KEY
    connection.close()

    barrier = threading.Barrier(checkouts + 1)
    placed: dict[int, dict] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def buyer(n: int) -> None:
        variant = variants[n % len(variants)]
        try:
            barrier.wait()
            started = time.monotonic()
            checkout = checkout_place(
                items=[CheckoutItem(variant.product.slug, 1, variant=variant.pk)],
                contact=Contact(f"Turis {n}", "0812 5555 6666", f"turis{n}@example.test"),
            )
            order = checkout.orders.get()
            payment = payments.payment_start(order=order, provider="qris")
            gross = f"{payment.amount}.00"
            body = {
                "order_id": payment.reference,
                "transaction_id": f"BENCH-{n}",
                "transaction_status": "settlement",
                "status_code": "200",
                "gross_amount": gross,
                "payment_type": "qris",
                "signature_key": signature(payment.reference, "200", gross, key),
            }
            placed_at = time.monotonic()
            response = Client().post(
                "/payments/webhooks/qris/", body, content_type="application/json"
            )
            settled_at = time.monotonic()
            if response.status_code != 200:
                raise RuntimeError(f"webhook answered {response.status_code}")
            with lock:
                placed[order.pk] = {
                    "started": started,
                    "placed": placed_at,
                    "settled": settled_at,
                }
        except Exception as exc:  # noqa: BLE001 - reported, and the run fails
            with lock:
                errors.append(f"{n}: {exc!r}")
        finally:
            connection.close()

    seen = {"offset": 0, "count": 0, "rest": b""}

    def mails_sent() -> int:
        """Mails the worker printed so far: the console email backend (the embedded default)
        writes each one into the worker's log. Read on from where the last call stopped."""
        with mail_log.open("rb") as log:
            log.seek(seen["offset"])
            chunk = seen["rest"] + log.read()
        seen["offset"] += len(chunk) - len(seen["rest"])
        lines = chunk.split(b"\n")
        seen["rest"] = lines.pop()  # a line not finished yet
        seen["count"] += sum(1 for line in lines if line.startswith(b"Subject: "))
        return seen["count"]

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(checkouts)]
    for thread in threads:
        thread.start()
    barrier.wait()
    zero = time.monotonic()
    paid_at: dict[int, float] = {}
    all_paid = all_mailed = None
    last_mail_check = 0.0
    mails = 0
    while time.monotonic() - zero < timeout:
        now = time.monotonic()
        with lock:
            ids = list(placed)
        if ids:
            for pk in Order.objects.filter(
                pk__in=[i for i in ids if i not in paid_at], status=OrderStatus.PAID
            ).values_list("pk", flat=True):
                paid_at[pk] = now
        if now - last_mail_check > 0.1:
            mails = mails_sent()
            last_mail_check = now
            if all_mailed is None and mails >= expected_mails:
                all_mailed = now - zero
        done_placing = not any(t.is_alive() for t in threads)
        if done_placing and all_paid is None and len(paid_at) == len(placed) == checkouts:
            all_paid = max(paid_at.values()) - zero
        if all_paid is not None and all_mailed is not None:
            break
        if done_placing and errors:
            break
        time.sleep(0.02)
    for thread in threads:
        thread.join()
    connection.close()
    time.sleep(3)  # anything sent twice would arrive now
    final_mails = mails_sent()
    from marketplace.models import OutboxEvent

    pending_events = OutboxEvent.objects.filter(completed_at__isnull=True).count()
    latencies = [paid_at[pk] - times["settled"] for pk, times in placed.items() if pk in paid_at]
    out.write_text(
        json.dumps(
            {
                "checkouts": checkouts,
                "placed": len(placed),
                "paid": len(paid_at),
                "errors": errors[:5],
                "error_count": len(errors),
                "expected_mails": expected_mails,
                "mails": final_mails,
                "mails_at_deadline": mails,
                "all_paid_s": all_paid,
                "all_mailed_s": all_mailed,
                "placing_s": max((t["placed"] for t in placed.values()), default=zero) - zero,
                "settlement_latency_s": latencies,
                "pending_events": pending_events,
                "timed_out": all_paid is None or all_mailed is None,
            }
        )
    )


# --- the orchestrator: no Django here ---------------------------------------------------------


def worker_command(tree: Path, var: Path) -> list[str]:
    """The worker as `make run` starts it: bin/run_embedded.py's own command when it has one."""
    spec = importlib.util.spec_from_file_location("run_embedded", tree / "bin" / "run_embedded.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if hasattr(module, "worker_command"):
        return module.worker_command(var, python=sys.executable)
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        *LEGACY_WORKER_ARGS,
        f"--pidfile={var / 'celery-worker.pid'}",
        f"--schedule={var / 'celerybeat-schedule'}",
    ]


def tree_env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(
        PASAR_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="development",
        PYTHONUNBUFFERED="1",
    )
    for name in ("DEBUG", "ELASTICSEARCH_URL", "CELERY_TASK_ALWAYS_EAGER", "LOG_LEVEL"):
        env.pop(name, None)
    env.pop("EMAIL_BACKEND", None)  # the console backend, as `make run`: mail lands in the log
    return env


def manage(tree: Path, var: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=tree,
        env=tree_env(var),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        say(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed in {tree}")


def prepare_template(tree: Path, template: Path) -> None:
    """A migrated, seeded SQLite file (what `make run` makes before it starts)."""
    shutil.rmtree(template, ignore_errors=True)
    template.mkdir(parents=True)
    started = time.monotonic()
    manage(tree, template, "migrate", "--no-input", "-v", "0")
    manage(tree, template, "seed_demo")
    say(f"  template ready in {time.monotonic() - started:.0f} s ({template})")


def one_run(tree: Path, template: Path, run_dir: Path, checkouts: int, timeout: float) -> dict:
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    for name in ("pasar.sqlite3", "pasar.sqlite3-wal", "pasar.sqlite3-shm"):
        if (template / name).exists():
            shutil.copy2(template / name, run_dir / name)
    env = tree_env(run_dir)
    log_path = run_dir / "worker.log"
    reference_s = cpu_loop()
    load_start = os.getloadavg()
    command = worker_command(tree, run_dir)
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            command,
            cwd=tree,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: the pool's children go down with it
        )
    try:
        deadline = time.monotonic() + 90
        while " ready." not in log_path.read_text():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the worker did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        time.sleep(1)  # beat's first tick and the pool settle
        result_path = run_dir / "result.json"
        done = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "drive",
                "--out",
                str(result_path),
                "--checkouts",
                str(checkouts),
                "--timeout",
                str(timeout),
                "--mail-log",
                str(log_path),
            ],
            cwd=tree,
            env=env,
            check=False,
        )
        if done.returncode or not result_path.exists():
            raise SystemExit(f"the driver failed (status {done.returncode})")
        result = json.loads(result_path.read_text())
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
    text = log_path.read_text()
    result["messages"] = len(re.findall(r"Task \S+\[[0-9a-f-]+\] received", text))
    result["cpu_loop_s"] = reference_s
    result["worker_processes"] = next(
        (int(arg.split("=", 1)[1]) for arg in command if arg.startswith("--concurrency=")), None
    )
    result["load_start"] = load_start
    result["load_end"] = os.getloadavg()
    return result


def summarize(runs: list[dict]) -> dict:
    def med(values):
        values = [v for v in values if v is not None]
        return percentile(values, 0.5) if values else None

    latencies = [s for run in runs for s in run["settlement_latency_s"]]
    per_run_p95 = [percentile(run["settlement_latency_s"], 0.95) for run in runs]
    finished = [run for run in runs if not run["timed_out"]]
    return {
        "runs": len(runs),
        "finished": len(finished),
        "all_paid_median_s": med([r["all_paid_s"] for r in runs]),
        "all_paid_max_s": max((r["all_paid_s"] or float("inf") for r in runs), default=None),
        "all_mailed_median_s": med([r["all_mailed_s"] for r in runs]),
        "all_mailed_max_s": max((r["all_mailed_s"] or float("inf") for r in runs), default=None),
        "latency_median_s": percentile(latencies, 0.5),
        "latency_p95_s": percentile(latencies, 0.95),
        "latency_p95_per_run_median_s": med(per_run_p95),
        "latency_p95_per_run_max_s": max(per_run_p95) if per_run_p95 else None,
        "latency_max_s": max(latencies) if latencies else None,
        "messages_per_checkout": med([r["messages"] / r["checkouts"] for r in runs]),
        "placing_median_s": med([r["placing_s"] for r in runs]),
        "cpu_loop_median_s": med([r["cpu_loop_s"] for r in runs]),
        "mails_exact": all(r["mails"] == r["expected_mails"] for r in runs),
        "all_paid": all(r["paid"] == r["checkouts"] for r in runs),
        "errors": sum(r["error_count"] for r in runs),
        "pending_events": max(r["pending_events"] for r in runs),
    }


def measure(tree: Path, label: str, base: Path, runs: int, checkouts: int, timeout: float) -> dict:
    say(f"{label}: preparing a seeded SQLite file…")
    slug = re.sub(r"\W+", "-", label)
    template = base / f"template-{slug}"
    prepare_template(tree, template)
    results = []
    for n in range(runs):
        result = one_run(tree, template, base / f"run-{slug}-{n + 1}", checkouts, timeout)
        results.append(result)
        p95 = percentile(result["settlement_latency_s"], 0.95)
        say(
            f"  run {n + 1}/{runs}: all paid {_s(result['all_paid_s'])}, all mail "
            f"{_s(result['all_mailed_s'])}, settlement p95 {p95:.2f} s, "
            f"{result['messages']} messages, mails {result['mails']}/{result['expected_mails']}, "
            f"CPU loop {result['cpu_loop_s']:.3f} s"
        )
    return {"label": label, "runs": results, "summary": summarize(results)}


def _s(value: float | None) -> str:
    return "not within the timeout" if value is None else f"{value:.2f} s"


def archive(commit: str, into: Path) -> Path:
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    git = subprocess.run(
        ["git", "archive", commit], cwd=ROOT, stdout=subprocess.PIPE, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=git, check=True)
    return into


# --- the report section ------------------------------------------------------------------------


def _f(value: float | None, unit: str = " s") -> str:
    if value is None or value == float("inf"):
        return "–"
    return f"{value:.2f}{unit}"


def _ratio(value: float | None, reference: float | None) -> str:
    if value is None or not reference or value == float("inf"):
        return "–"
    ratio = value / reference
    return f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.3f} (1/{1 / ratio:.0f})"


def _processes(block: dict) -> str:
    found = {run.get("worker_processes") for run in block["runs"]} - {None}
    return "/".join(str(n) for n in sorted(found)) or "?"


def render_section(data: dict) -> str:
    """The Markdown section of docs/benchmarks.md, between its markers."""
    current = data["current"]
    s = current["summary"]
    ref = data.get("reference")
    m = data["machine"]
    loop = s["cpu_loop_median_s"]
    lines = [
        SECTION_START,
        "## Event spine on the embedded default",
        "",
        f"Written by `bench/embedded_broker.py` on {data['date']}, code at {data['commit']}. "
        f"Machine: {m['cpu_model']}, {m['cpus']} CPUs (shared: other work runs on it), "
        f"load average {' / '.join(f'{v:.2f}' for v in data['load_start'])} at the start.",
        "",
        f"What `make run` runs: a SQLite file (migrated, `seed_demo`), the `filesystem://` "
        f"broker, a Celery worker with beat started as `bin/run_embedded.py` starts it "
        f"({_processes(current)} processes"
        + (f"; {_processes(ref)} in the reference" if ref else "")
        + f"). {data['checkouts']} threads released together each place a checkout "
        "of one goods piece in the demo shop with a static QRIS, start its QRIS payment and "
        "POST a signed settlement to `/payments/webhooks/qris/`. A settlement's latency runs "
        "from the webhook's answer to its order seen paid (polled every 20 ms). "
        f"{s['runs']} runs, each on a fresh copy of the database and an empty broker folder; "
        "times count from the moment the threads are released.",
        "",
        f"Targets (issue #8): every order paid and every mail sent within {TARGET_ALL_S:.0f} s; "
        f"a settlement's order paid within {TARGET_P95_S:.0f} s at p95.",
        "",
        "| code | checkouts placed, median | all paid, median (max) | all mail sent, median "
        "(max) | settlement → paid, median | p95 | max | messages per checkout | mails exact |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for block in [current] + ([ref] if ref else []):
        b = block["summary"]
        lines.append(
            f"| {block['label']} | {_f(b['placing_median_s'])} "
            f"| {_f(b['all_paid_median_s'])} ({_f(b['all_paid_max_s'])}) "
            f"| {_f(b['all_mailed_median_s'])} ({_f(b['all_mailed_max_s'])}) "
            f"| {_f(b['latency_median_s'])} | {_f(b['latency_p95_s'])} "
            f"| {_f(b['latency_max_s'])} | {b['messages_per_checkout']:.1f} "
            f"| {'✓' if b['mails_exact'] and b['all_paid'] else '✗'} |"
        )
    lines += [
        "",
        "Settlement latencies are pooled over all runs "
        f"({s['runs'] * data['checkouts']} settlements); the median of the runs' own p95 is "
        f"{_f(s['latency_p95_per_run_median_s'])}, the worst run's "
        f"{_f(s['latency_p95_per_run_max_s'])}. *All paid* cannot come before the last checkout "
        "is placed, which the 50 threads do against the same SQLite file as the worker.",
        "",
        "The same figures as ratios, because the machine is noisy: to a fixed pure-Python loop "
        f"timed before each run (median {loop * 1000:.0f} ms; the figure is how many such "
        "loops the time would hold)"
        + (", and to the reference commit measured in the same invocation" if ref else "")
        + ":",
        "",
        "| code | all paid ÷ CPU loop | all mail ÷ CPU loop | p95 ÷ CPU loop"
        + (" | all mail ÷ reference | p95 ÷ reference |" if ref else " |"),
        "| --- | ---: | ---: | ---:" + (" | ---: | ---: |" if ref else " |"),
    ]
    for block in [current] + ([ref] if ref else []):
        b = block["summary"]
        bl = b["cpu_loop_median_s"]
        row = (
            f"| {block['label']} | {_ratio(b['all_paid_median_s'], bl)} "
            f"| {_ratio(b['all_mailed_median_s'], bl)} | {_ratio(b['latency_p95_s'], bl)}"
        )
        if ref:
            rb = ref["summary"]
            row += (
                f" | {_ratio(b['all_mailed_median_s'], rb['all_mailed_median_s'])} "
                f"| {_ratio(b['latency_p95_s'], rb['latency_p95_s'])} |"
            )
        else:
            row += " |"
        lines.append(row)
    lines += [
        "",
        "Per run (current code):",
        "",
        "| run | placed | all paid | all mail | settlement p95 | messages | mails | CPU loop "
        "| load (1 min) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, run in enumerate(current["runs"], 1):
        lines.append(
            f"| {n} | {_f(run['placing_s'])} | {_f(run['all_paid_s'])} | {_f(run['all_mailed_s'])} "
            f"| {_f(percentile(run['settlement_latency_s'], 0.95))} | {run['messages']} "
            f"| {run['mails']} of {run['expected_mails']} | {run['cpu_loop_s'] * 1000:.0f} ms "
            f"| {run['load_start'][0]:.2f} |"
        )
    if ref and ref["summary"]["finished"] < ref["summary"]["runs"]:
        lines += [
            "",
            f"The reference did not finish within the timeout ({data['timeout']:.0f} s) in "
            f"{ref['summary']['runs'] - ref['summary']['finished']} of its runs; its figures "
            "are for what it had done by then.",
        ]
    lines += [
        "",
        "Run it alone (no PostgreSQL needed): `.venv/bin/python bench/embedded_broker.py "
        "[--runs N] [--reference-commit SHA]`; it replaces only this section.",
        "",
        f"<!-- {DATA_MARK}: {json.dumps(_kept(data), separators=(',', ':'))} -->",
        SECTION_END,
    ]
    return "\n".join(lines)


def _kept(data: dict) -> dict:
    return {
        "date": data["date"],
        "commit": data["commit"],
        "current": data["current"]["summary"],
        "reference": data["reference"]["summary"] if data.get("reference") else None,
    }


def section_of(text: str) -> str | None:
    found = re.search(re.escape(SECTION_START) + ".*?" + re.escape(SECTION_END), text, re.DOTALL)
    return found.group(0) if found else None


def write_section(path: Path, section: str) -> None:
    """Replace this benchmark's section of the page, or add it before "## How to run"."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if section_of(text):
        text = text.replace(section_of(text), section)
    elif "\n## How to run" in text:
        text = text.replace("\n## How to run", f"\n{section}\n\n## How to run", 1)
    else:
        text = text.rstrip("\n") + f"\n\n{section}\n"
    path.write_text(text)


def run(
    *,
    runs: int,
    checkouts: int,
    timeout: float,
    reference_commit: str | None,
    reference_runs: int,
    reference_timeout: float,
    base: Path,
    tree: Path = ROOT,
) -> dict:
    sys.path.insert(0, str(HERE))
    import machine

    base.mkdir(parents=True, exist_ok=True)
    about = machine.describe(ROOT)
    load_start = os.getloadavg()
    data = {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": about["commit"],
        "machine": about,
        "load_start": load_start,
        "checkouts": checkouts,
        "timeout": reference_timeout,
        "current": measure(tree, "this code", base, runs, checkouts, timeout),
    }
    if reference_commit:
        reference_tree = archive(reference_commit, base / "reference-tree")
        data["reference"] = measure(
            reference_tree,
            f"reference {reference_commit}",
            base,
            reference_runs,
            checkouts,
            reference_timeout,
        )
    data["load_end"] = os.getloadavg()
    return data


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["drive"]:
        parser = argparse.ArgumentParser(prog="embedded_broker.py drive")
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--checkouts", type=int, default=50)
        parser.add_argument("--timeout", type=float, default=60)
        parser.add_argument("--mail-log", type=Path, required=True)
        args = parser.parse_args(argv[1:])
        drive(args.out, args.checkouts, args.timeout, args.mail_log)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of the flow (default 5)")
    parser.add_argument("--checkouts", type=int, default=50, help="checkouts per run (50)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a run may take")
    parser.add_argument(
        "--reference-commit",
        metavar="SHA",
        help="also measure the same flow on this commit (git archive), as the reference",
    )
    parser.add_argument(
        "--reference-runs", type=int, default=2, help="runs of the reference (default 2)"
    )
    parser.add_argument(
        "--reference-timeout",
        type=float,
        default=600,
        help="seconds a reference run may take (default 600)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="page whose embedded-broker section is replaced (default docs/benchmarks.md)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--tree",
        type=Path,
        default=ROOT,
        help="measure the code in this folder (a copy of the checkout) instead of this checkout",
    )
    args = parser.parse_args(argv)
    base = Path(os.environ.get("BENCH_EMBEDDED_DIR") or DEFAULT_DIR)
    data = run(
        runs=args.runs,
        checkouts=args.checkouts,
        timeout=args.timeout,
        reference_commit=args.reference_commit,
        reference_runs=args.reference_runs,
        reference_timeout=args.reference_timeout,
        base=base,
        tree=args.tree.resolve(),
    )
    raw = args.json or base / f"results-{datetime.now():%Y%m%d-%H%M%S}.json"
    raw.write_text(json.dumps(data, indent=2, default=str))
    write_section(args.output, render_section(data))
    s = data["current"]["summary"]
    say(
        f"Wrote {args.output} (raw figures in {raw}): all mail median "
        f"{_f(s['all_mailed_median_s'])}, settlement p95 {_f(s['latency_p95_s'])}."
    )
    ok = s["all_paid"] and s["mails_exact"] and not s["errors"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
