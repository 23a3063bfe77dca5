"""The measuring half of the benchmarks: runs inside Django, against the database that
`bench/run.py` prepared, and writes its figures as JSON.

    DATABASE_URL=... PASAR_VAR_DIR=... python bench/measure.py --out results.json

`bench/run.py` starts it in a subprocess with the right environment; it is not meant to be run
on the site's own database (it places checkouts and tops up the stock of the variants they
buy).

Every HTTP operation goes through Django's test Client (the whole middleware stack, no
network). Each is warmed up, then one request is run under CaptureQueriesContext to count its
queries and their database time, then all are timed without the query log (whose bookkeeping
would otherwise be part of the figures) in rounds that run every operation once.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

# The filesystem broker has no host name, which kombu warns about on every connection.
logging.getLogger("kombu.connection").setLevel(logging.ERROR)

import wagtail  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from stats import percentile  # noqa: E402 - bench/, beside this file
from tqdm import tqdm  # noqa: E402

from marketplace.models import (  # noqa: E402
    ExperienceSlot,
    Kecamatan,
    Order,
    Product,
    ProductKind,
    ProductPhoto,
    ProductStatus,
    Shop,
    ShopStatus,
    StayNight,
    Variant,
)
from marketplace.selectors import public_products, public_shops  # noqa: E402
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place  # noqa: E402

CONTACT = {"name": "Bench Pembeli", "phone": "081234567890", "email": "bench@pasar.test"}
SLOWEST_KEPT = 3  # the slowest queries of each counted request kept in the JSON


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "median_ms": percentile(ms, 0.5),
        "p95_ms": percentile(ms, 0.95),
        "min_ms": min(ms),
        "max_ms": max(ms),
        "mean_ms": sum(ms) / len(ms),
    }


# Targets -------------------------------------------------------------------------------------


@dataclass
class Targets:
    shop: str = ""
    shop_products: int = 0
    goods: str = ""
    experience: str = ""
    stay: str = ""
    checkout_product: str = ""
    checkout_variant: int = 0
    throughput_product: str = ""
    throughput_variant: int = 0
    spread: list[tuple[str, int]] = field(default_factory=list)  # one variant per thread
    kecamatan: str = "balige"
    kecamatan_experiences: int = 0


def _middle(queryset):
    """The row in the middle of `queryset` by primary key: neither the oldest nor the newest,
    and the same one for the same dataset."""
    count = queryset.count()
    if not count:
        return None
    return queryset.order_by("pk")[count // 2]


def pick_targets(*, spread: int) -> Targets:
    targets = Targets()
    shop = (
        public_shops()
        .annotate(n=Count("products", filter=Q(products__status=ProductStatus.ACTIVE)))
        .order_by("-n", "slug")
        .first()
    )
    if shop is None:
        raise SystemExit("no verified shop: was seed_demo run?")
    targets.shop, targets.shop_products = shop.slug, shop.n
    with_photo = ProductPhoto.objects.values("product_id")
    goods = _middle(
        public_products()
        .filter(kind=ProductKind.GOODS, pk__in=with_photo)
        .annotate(n=Count("variants"))
        .filter(n__gte=2)
    )
    experience = _middle(
        public_products()
        .filter(kind=ProductKind.EXPERIENCE, pk__in=with_photo)
        .filter(pk__in=ExperienceSlot.objects.values("product_id"))
    )
    stay = _middle(
        public_products()
        .filter(kind=ProductKind.STAY, pk__in=with_photo)
        .filter(pk__in=StayNight.objects.values("product_id"))
    )
    for kind, product in (("goods", goods), ("experience", experience), ("stay", stay)):
        if product is None:
            raise SystemExit(f"no public {kind} product with a photo in the dataset")
        setattr(targets, kind, product.slug)
    # Goods variants with stock: one for single checkouts, one for the concurrency run (so
    # one run's leftovers never decide the other's), and `spread` more, one per thread.
    variants = list(
        Variant.objects.filter(
            on_hand__gt=F("allocated"),
            product__kind=ProductKind.GOODS,
            product__status=ProductStatus.ACTIVE,
            product__shop__status=ShopStatus.VERIFIED,
        )
        .select_related("product")
        .order_by("-on_hand", "pk")[: 2 + spread]
    )
    if len(variants) < 2 + spread:
        raise SystemExit(f"fewer than {2 + spread} goods variants with stock in the dataset")
    targets.checkout_product, targets.checkout_variant = variants[0].product.slug, variants[0].pk
    targets.throughput_product = variants[1].product.slug
    targets.throughput_variant = variants[1].pk
    targets.spread = [(v.product.slug, v.pk) for v in variants[2:]]
    targets.kecamatan_experiences = (
        public_products()
        .filter(kind=ProductKind.EXPERIENCE, shop__kecamatan__slug=targets.kecamatan)
        .count()
    )
    return targets


def stock_top_up(variant_id: int, needed: int) -> int:
    """Make sure the variant holds at least `needed`; returns how much was added (the bench's
    own database, so its stock may be raised for the runs that consume it)."""
    free = Variant.objects.get(pk=variant_id).free
    if free >= needed:
        return 0
    Variant.objects.filter(pk=variant_id).update(on_hand=F("on_hand") + (needed - free))
    return needed - free


def dataset_counts() -> dict[str, int]:
    return {
        "kecamatan": Kecamatan.objects.count(),
        "shops": Shop.objects.count(),
        "verified_shops": Shop.objects.filter(status=ShopStatus.VERIFIED).count(),
        "products": Product.objects.count(),
        "active_products": Product.objects.filter(status=ProductStatus.ACTIVE).count(),
        "goods": Product.objects.filter(kind=ProductKind.GOODS).count(),
        "experiences": Product.objects.filter(kind=ProductKind.EXPERIENCE).count(),
        "stays": Product.objects.filter(kind=ProductKind.STAY).count(),
        "variants": Variant.objects.count(),
        "photos": ProductPhoto.objects.count(),
        "slots": ExperienceSlot.objects.count(),
        "nights": StayNight.objects.count(),
        "orders": Order.objects.count(),
    }


# HTTP operations ------------------------------------------------------------------------------


@dataclass
class Operation:
    key: str
    label: str
    method: str
    path: str
    expect: int = 200
    body: dict | None = None
    note: str = ""


class Addresses:
    """A new client address for every request: the checkout API throttles per address
    (30/minute), as it should; the bench plays many buyers, not one."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"10.{(self.n >> 16) & 255}.{(self.n >> 8) & 255}.{self.n & 255}"


def request(client: Client, op: Operation, address: str):
    if op.method == "GET":
        return client.get(op.path, REMOTE_ADDR=address)
    return client.post(
        op.path, data=json.dumps(op.body), content_type="application/json", REMOTE_ADDR=address
    )


def _check(op: Operation, response) -> None:
    if response.status_code != op.expect:
        raise SystemExit(
            f"{op.method} {op.path}: status {response.status_code}, expected {op.expect}\n"
            + response.content[:2000].decode("utf-8", "replace")
        )


def measure(
    client: Client, operations: list[Operation], *, runs: int, warmup: int, addresses: Addresses
) -> list[dict]:
    """Warm every operation up, count each one's queries on one more request, then time them
    in `runs` rounds, each round running every operation once: a burst of other work on the
    machine then touches all operations alike instead of whichever ran at that moment."""
    counted: dict[str, dict] = {}
    with tqdm(
        total=len(operations) * (warmup + 1), desc="Warm-up and query counts", unit=" req"
    ) as bar:
        for op in operations:
            for _ in range(warmup):
                _check(op, request(client, op, addresses()))
                bar.update()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = request(client, op, addresses())
                elapsed = (time.perf_counter() - started) * 1000
            # Read the log now: the next request's request_started signal empties it.
            queries = list(captured.captured_queries)
            _check(op, response)
            bar.update()
            counted[op.key] = {"queries": queries, "ms": elapsed, "bytes": len(response.content)}

    timings: dict[str, list[float]] = {op.key: [] for op in operations}
    with tqdm(total=len(operations) * runs, desc=f"Timing ({runs} rounds)", unit=" req") as bar:
        for _ in range(runs):
            for op in operations:
                address = addresses()
                started = time.perf_counter()
                response = request(client, op, address)
                timings[op.key].append(time.perf_counter() - started)
                _check(op, response)
                bar.update()

    results = []
    for op in operations:
        queries = counted[op.key]["queries"]
        slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:SLOWEST_KEPT]
        result = {
            "key": op.key,
            "label": op.label,
            "method": op.method,
            "path": op.path,
            "note": op.note,
            "runs": runs,
            "warmup": warmup,
            "status": op.expect,
            "bytes": counted[op.key]["bytes"],
            "queries": len(queries),
            # Django logs each query's time in whole milliseconds.
            "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
            "counted_request_ms": counted[op.key]["ms"],
            "slowest_sql": [
                {"ms": float(q["time"]) * 1000, "sql": q["sql"][:1500]} for q in slowest
            ],
            **summary_ms(timings[op.key]),
        }
        print(
            f"  {op.method} {op.path}: median {result['median_ms']:.1f} ms, "
            f"p95 {result['p95_ms']:.1f} ms, {result['queries']} queries",
            file=sys.stderr,
        )
        results.append(result)
    return results


def http_operations(targets: Targets, code: str) -> list[Operation]:
    checkout_body = {
        "items": [
            {
                "product": targets.checkout_product,
                "quantity": 1,
                "variant": targets.checkout_variant,
            }
        ],
        "contact": CONTACT,
        "delivery": "pickup",
    }
    return [
        Operation("home", "Home page", "GET", "/"),
        Operation("shops", "Shop list", "GET", "/shops/"),
        Operation(
            "shop_detail",
            "Shop page (first page of its products)",
            "GET",
            f"/shops/{targets.shop}/",
            note=f"{targets.shop_products:,} active products",
        ),
        Operation("product_goods", "Product page: goods", "GET", f"/products/{targets.goods}/"),
        Operation(
            "product_experience",
            "Product page: experience",
            "GET",
            f"/products/{targets.experience}/",
        ),
        Operation("product_stay", "Product page: stay", "GET", f"/products/{targets.stay}/"),
        Operation("api_products", "API products, first page", "GET", "/api/v1/products/"),
        Operation(
            "api_products_filtered",
            "API products, experiences in Balige",
            "GET",
            f"/api/v1/products/?kind=experience&kecamatan={targets.kecamatan}",
            note=f"{targets.kecamatan_experiences:,} matches",
        ),
        Operation("api_shops", "API shops", "GET", "/api/v1/shops/"),
        Operation(
            "sitemap",
            "Sitemap",
            "GET",
            "/sitemap.xml",
            note="the index of sections, from the cache (1 h) after the warm-up; sections are "
            "/sitemap-<section>.xml?p=N, 5,000 URLs each",
        ),
        Operation(
            "api_checkout",
            "API checkout, 1 item (places an order)",
            "POST",
            "/api/v1/checkout/",
            expect=201,
            body=checkout_body,
        ),
        Operation(
            "api_checkout_detail",
            "API checkout by code",
            "GET",
            f"/api/v1/checkouts/{code}/",
            note="1 order, 1 line",
        ),
    ]


# Checkout throughput --------------------------------------------------------------------------


def checkout_throughput(*, lines: list[tuple[str, int]], threads: int, per_thread: int) -> dict:
    """`threads` threads, each on its own database connection, each placing `per_thread`
    one-item checkouts through checkout_place; thread i buys the (product slug, variant id)
    `lines[i % len(lines)]`. All start behind one barrier; the clock runs from the barrier to
    the last thread's end."""
    total = threads * per_thread
    assigned = [lines[i % len(lines)] for i in range(threads)]
    variants = sorted({variant for _, variant in assigned})
    added = sum(
        stock_top_up(variant, per_thread * sum(1 for _, v in assigned if v == variant) + 50)
        for variant in variants
    )

    def stock() -> int:
        # Free stock: the checkouts allocate, so on hand stays and allocated grows.
        return sum(v.free for v in Variant.objects.filter(pk__in=variants))

    before = stock()
    orders_before = Order.objects.count()
    barrier = threading.Barrier(threads + 1)
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[str] = []
    lock = threading.Lock()
    bar = tqdm(
        total=total,
        desc=f"{threads} thread(s) on {len(variants)} variant(s)",
        unit=" checkout",
        leave=False,
    )
    contact = Contact(**CONTACT)

    def work(index: int) -> None:
        product, variant = assigned[index]
        item = CheckoutItem(product=product, quantity=1, variant=variant)
        try:
            connection.ensure_connection()  # connect before the clock starts
            barrier.wait()
            for _ in range(per_thread):
                started = time.perf_counter()
                try:
                    checkout_place(items=[item], contact=contact)
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                latencies[index].append(time.perf_counter() - started)
                with lock:
                    bar.update()
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join(600)
    wall = time.perf_counter() - started
    bar.close()
    if any(worker.is_alive() for worker in workers):
        raise SystemExit("a checkout thread did not finish in 10 minutes: deadlock?")
    after = stock()
    placed = Order.objects.count() - orders_before
    every = [s for per in latencies for s in per]
    return {
        "threads": threads,
        "per_thread": per_thread,
        "variants": len(variants),
        "checkouts": total,
        "errors": len(errors),
        "error_samples": errors[:5],
        "wall_s": wall,
        "per_second": total / wall,
        "stock_before": before,
        "stock_after": after,
        "stock_decrease": before - after,
        "stock_ok": before - after == total and not errors,
        "orders_placed": placed,
        "stock_topped_up_by": added,
        "latency": summary_ms(every),
    }


# Main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the JSON results")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-thread", type=int, default=25)
    args = parser.parse_args(argv)

    if connection.vendor != "postgresql":
        raise SystemExit(f"the benchmarks measure PostgreSQL, not {connection.vendor}")
    server = {}
    with connection.cursor() as cursor:
        for name in ("server_version", "shared_buffers", "work_mem", "max_connections"):
            cursor.execute(f"SHOW {name}")
            server[name] = cursor.fetchone()[0]

    print("Picking targets and counting the dataset…", file=sys.stderr)
    targets = pick_targets(spread=args.threads)
    dataset = dataset_counts()
    # Every single checkout takes one piece of this variant; make sure there are enough.
    checkout_topped_up = stock_top_up(targets.checkout_variant, args.warmup + 1 + args.runs + 20)

    # A checkout for GET /api/v1/checkouts/<code>/ to read.
    code = checkout_place(
        items=[
            CheckoutItem(
                product=targets.checkout_product, quantity=1, variant=targets.checkout_variant
            )
        ],
        contact=Contact(**CONTACT),
    ).code
    operations = http_operations(targets, code)
    results = measure(
        Client(), operations, runs=args.runs, warmup=args.warmup, addresses=Addresses()
    )
    connection.close()

    print(
        f"Checkout throughput: {args.threads} threads x {args.per_thread} checkouts…",
        file=sys.stderr,
    )
    shared = [(targets.throughput_product, targets.throughput_variant)]
    serial = checkout_throughput(lines=shared, threads=1, per_thread=args.per_thread)
    concurrent = checkout_throughput(lines=shared, threads=args.threads, per_thread=args.per_thread)
    # The same load spread over one variant per thread: no row lock is shared, so what is
    # left of the slow-down is the machine (CPUs, the GIL, the database's own work).
    spread = checkout_throughput(
        lines=targets.spread, threads=args.threads, per_thread=args.per_thread
    )
    for run in (serial, concurrent, spread):
        print(
            f"  {run['threads']} thread(s), {run['variants']} variant(s): "
            f"{run['per_second']:.1f} checkouts/s, "
            f"stock down by {run['stock_decrease']} (expected {run['checkouts']}), "
            f"{run['errors']} errors",
            file=sys.stderr,
        )

    out = {
        "postgresql": server,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "debug": settings.DEBUG,
        "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE", 0),
        "dataset": dataset,
        "targets": asdict(targets),
        "checkout_stock_topped_up_by": checkout_topped_up,
        "operations": results,
        "throughput": {"serial": serial, "concurrent": concurrent, "spread": spread},
    }
    Path(args.out).write_text(json.dumps(out, indent=2, default=str))
    ok = all(run["stock_ok"] for run in (serial, concurrent, spread))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
