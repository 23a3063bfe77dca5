"""Storefront pages on a weak link (issue 12, item 3): for home, a shop, a product, a search,
the cart, the checkout and an order page, the bytes Chromium received (HTML, CSS and JavaScript
apart from images, compressed as sent, headers included) and the time to first render
(first-contentful-paint) under Chrome DevTools' "Slow 3G" preset, against a running server in
production mode (WhiteNoise's compressed, fingerprinted static files; GZipMiddleware for HTML).

Prepare a server from a clone of the code, on a seeded PostgreSQL database:

    createdb -h 127.0.0.1 -U postgres pasar_bench_weight
    git clone -q /work/main /tmp/benchweight && ln -s /work/main/.venv /tmp/benchweight/.venv
    cd /tmp/benchweight
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pasar_bench_weight \\
        PASAR_VAR_DIR=/tmp/pasar-bench-weight CELERY_BROKER_URL=filesystem:// \\
        DJANGO_ENV=production DEBUG=false SECRET_KEY=bench-only ALLOWED_HOSTS=127.0.0.1 \\
        SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo \\
        && .venv/bin/python manage.py collectstatic --noinput
    .venv/bin/gunicorn --pythonpath bench 'page_weight:application()' -b 127.0.0.1:8765 -w 3

(`page_weight:application()` is config.wsgi's application with uploads served from MEDIA_ROOT
by WhiteNoise, as the production web server would serve them; Django does not in production.)
Then, with the same environment (the script asks the clone's manage.py for the demo shop,
product and a placed order):

    .venv/bin/python bench/page_weight.py --root /tmp/benchweight [--runs 7] [--write]

"Slow 3G" is the values of Chrome DevTools' preset (front_end/core/sdk/NetworkManager.ts):
download and upload 500 kbit/s × 0.8 = 50,000 bytes/s, latency 400 ms × 5 = 2,000 ms, set
through `Network.emulateNetworkConditions`. Each run is a first visit (a new browser context,
the cache off); the repeat visit (same context, cache on: what the fingerprinted files'
far-future caching saves) is measured once per page. The reference, measured in the same run
under the same emulation, is `/healthz` (one small response: the emulation's floor).
`--write` replaces only the "page-weight" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import machine  # noqa: E402
import sections  # noqa: E402
from stats import percentile  # noqa: E402

SECTION = "page-weight"
BUDGET = 100 * 1024
CHROMIUM = "/usr/bin/chromium"
SLOW_3G = {
    "offline": False,
    "downloadThroughput": 500 * 1000 / 8 * 0.8,  # 50,000 bytes/s
    "uploadThroughput": 500 * 1000 / 8 * 0.8,
    "latency": 400 * 5,  # 2,000 ms
}
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}

DEMO_DATA = r"""
import json
from django.db.models import Count
from marketplace.models import Product, ProductPhoto, Shop
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
shop = (Shop.objects.filter(status="verified").annotate(n=Count("products"))
        .order_by("-n", "slug").first())
photo = (ProductPhoto.objects.filter(product__shop=shop, product__kind="goods")
         .select_related("product").order_by("product__slug").first())
product = photo.product if photo else shop.products.filter(kind="goods").order_by("slug").first()
checkout = checkout_place(
    items=[CheckoutItem(product=product.slug, quantity=1)],
    contact=Contact(name="Bench Pembeli", phone="081234567890", email="bench@example.test"),
)
print(json.dumps({"shop": shop.slug, "product": product.slug, "order": checkout.code}))
"""


def application():
    """config.wsgi's application, with uploads (MEDIA_ROOT) served at MEDIA_URL, for gunicorn:
    `gunicorn --pythonpath bench 'page_weight:application()'`."""
    from django.conf import settings
    from whitenoise import WhiteNoise

    from config.wsgi import application as django_app

    app = WhiteNoise(django_app, autorefresh=True)  # renditions appear as pages ask for them
    app.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
    return app


def say(message: str) -> None:
    print(f"[page-weight {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def demo_data(root: Path) -> dict[str, str]:
    out = subprocess.run(
        [str(root / ".venv" / "bin" / "python"), "manage.py", "shell", "-c", DEMO_DATA],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def headers_of(url: str) -> dict[str, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}


class Meter:
    """Bytes per response of one page load, from the DevTools protocol."""

    def __init__(self, context, page, *, throttle: bool, cache: bool):
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
        if throttle:
            self.cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        self.types: dict[str, str] = {}
        self.done: dict[str, int] = {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event) -> None:
        self.types[event["requestId"]] = event["type"]

    def _finished(self, event) -> None:
        self.done[event["requestId"]] = int(event["encodedDataLength"])

    def load(self, page, url: str) -> dict[str, float]:
        self.types.clear()
        self.done.clear()
        started = time.perf_counter()
        page.goto(url, wait_until="load", timeout=180_000)
        loaded_s = time.perf_counter() - started
        page.wait_for_timeout(500)
        fcp = page.evaluate(
            "(performance.getEntriesByType('paint').find(e => e.name === "
            "'first-contentful-paint') || {}).startTime || null"
        )
        other = sum(n for r, n in self.done.items() if self.types.get(r) != "Image")
        images = sum(n for r, n in self.done.items() if self.types.get(r) == "Image")
        return {"other": other, "images": images, "fcp_ms": fcp, "load_s": loaded_s}


def cart_with_an_item(page, base: str, product: str) -> None:
    page.goto(f"{base}/products/{product}/", timeout=180_000)
    page.locator("form[action$='/cart/add/'] button[type=submit]").first.click()
    page.wait_for_load_state("load", timeout=180_000)


def measure(args) -> dict:
    from playwright.sync_api import sync_playwright

    base = args.base_url.rstrip("/")
    data = demo_data(args.root)
    say(f"demo data: {data}")
    pages = {
        "home": "/",
        "shop": f"/shops/{data['shop']}/",
        "product": f"/products/{data['product']}/",
        "search": "/search/?q=ulos",
        "cart": "/cart/",
        "checkout": "/checkout/",
        "order": f"/orders/{data['order']}/",
    }
    needs_cart = {"cart", "checkout"}
    first: dict[str, list[dict]] = {name: [] for name in pages}
    reference: list[dict] = []
    repeat: dict[str, dict] = {}
    unthrottled: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def fresh(*, throttle: bool = True, cache: bool = False, cart: bool = False):
            context = browser.new_context(**PHONE)
            page = context.new_page()
            if cart:
                cart_with_an_item(page, base, data["product"])
            return context, page, Meter(context, page, throttle=throttle, cache=cache)

        # Warm the server (renditions made, caches filled) before anything is timed.
        context, page, meter = fresh(throttle=False, cart=True)
        page.goto(base + "/cart/")
        if not page.locator("a[href$='/checkout/']").count():
            raise SystemExit("the cart stayed empty: no link to the checkout on /cart/")
        for path in pages.values():
            unthrottled_first = meter.load(page, base + path)
        context.close()
        for name, path in pages.items():
            context, page, meter = fresh(throttle=False, cart=name in needs_cart)
            unthrottled[name] = meter.load(page, base + path)
            context.close()
        del unthrottled_first

        for run in range(args.runs):
            say(f"run {run + 1}/{args.runs}")
            context, page, meter = fresh()
            reference.append(meter.load(page, base + "/healthz"))
            context.close()
            for name, path in pages.items():
                context, page, meter = fresh(cart=name in needs_cart)
                first[name].append(meter.load(page, base + path))
                context.close()
        say("repeat visits")
        for name, path in pages.items():
            context, page, meter = fresh(cache=True, cart=name in needs_cart)
            meter.load(page, base + path)
            meter.load(page, base + path)  # the cache written for certain before the third
            repeat[name] = meter.load(page, base + path)
            context.close()
        browser.close()

    css = headers_of(base + "/")
    html_encoding = css.get("content-encoding", "")
    static_headers = {}
    try:
        manifest = json.loads((Path(args.static_root) / "staticfiles.json").read_text())
        hashed = manifest["paths"]["css/site.css"]
        static_headers = headers_of(f"{base}/static/{hashed}")
        static_headers["path"] = hashed
    except (OSError, KeyError, ValueError) as exc:
        say(f"no manifest to check the static headers: {exc}")
    return {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "commit": machine.git_commit(args.root),
        "machine": machine.describe(ROOT),
        "load_start": os.getloadavg(),
        "runs": args.runs,
        "pages": pages,
        "first": first,
        "reference": reference,
        "repeat": repeat,
        "unthrottled": unthrottled,
        "html_encoding": html_encoding,
        "static_headers": static_headers,
    }


def stat(values: list[float]) -> tuple[float, float]:
    return median(values), percentile(values, 0.95)


def kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def render(data: dict) -> str:
    m = data["machine"]
    ref_fcp = stat([r["fcp_ms"] for r in data["reference"] if r["fcp_ms"]])
    sh = data["static_headers"]
    lines = [
        "## Page weight and first render on Slow 3G",
        "",
        f"Written by `bench/page_weight.py` on {data['date']}, code at {data['commit']}, "
        f"against gunicorn (3 workers) on 127.0.0.1 in production mode (`DJANGO_ENV=production`, "
        "`DEBUG=false`, after `collectstatic`) on PostgreSQL with `seed_demo`'s catalog. Machine: "
        f"{m['cpu_model']}, {m['cpus']} CPUs, {m['memory_gib']} GiB, load average "
        f"{' / '.join(f'{v:.2f}' for v in data['load_start'])} at the start; the server, the "
        "database and Chromium share it.",
        "",
        "Debian's Chromium at 360×740 (a phone), every run a first visit (new context, cache "
        "off). Bytes are what Chromium received (`Network.loadingFinished` encodedDataLength: "
        'headers and compressed body); "before images" is every response that is not an image '
        "(HTML, CSS, JavaScript, the SVG favicon); lazy images below the fold are not fetched. "
        'First render is `first-contentful-paint` under Chrome DevTools\' "Slow 3G" values: '
        "50,000 bytes/s down and up (500 kbit/s × 0.8), 2,000 ms latency (400 ms × 5), through "
        f"`Network.emulateNetworkConditions`. {data['runs']} runs per page; the reference, in "
        f"the same runs, is `GET /healthz` (one small response): FCP median {ref_fcp[0]:,.0f} ms, "
        f"p95 {ref_fcp[1]:,.0f} ms.",
        "",
        "| page | before images KB | target | images KB | repeat visit KB | FCP median ms "
        "| FCP p95 ms | ÷ reference | FCP unthrottled ms |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, path in data["pages"].items():
        runs = data["first"][name]
        other = median([r["other"] for r in runs])
        images = median([r["images"] for r in runs])
        fcp = stat([r["fcp_ms"] for r in runs if r["fcp_ms"]])
        rep = data["repeat"][name]["other"]
        un = data["unthrottled"][name]["fcp_ms"] or 0
        verdict = "met" if other < BUDGET else "**missed**"
        lines.append(
            f"| {name} `{path if name != 'order' else '/orders/<code>/'}` | {kb(other)} "
            f"| < 100 KB: {verdict} | {kb(images)} | {kb(rep)} | {fcp[0]:,.0f} | {fcp[1]:,.0f} "
            f"| {fcp[0] / ref_fcp[0]:.2f} | {un:,.0f} |"
        )
    lines += [
        "",
        "Each page's first render is about two of the reference's round trips: the HTML, then "
        "its render-blocking stylesheets fetched in parallel (the scripts are `defer`red); at "
        "these sizes the 2 s latency, not the bytes, sets the time. The images column is what "
        "the first screen fetched (WebP renditions; lazy ones below the fold are not).",
        "",
        f"The HTML went out `Content-Encoding: {data['html_encoding'] or 'none'}` "
        "(GZipMiddleware, docs/decisions/0013)."
        + (
            f" A fingerprinted stylesheet (`/static/{sh.get('path')}`): `Content-Encoding: "
            f"{sh.get('content-encoding', 'none')}`, `Cache-Control: {sh.get('cache-control')}`"
            " (WhiteNoise's compressed manifest storage); the repeat visit fetches the HTML again "
            "and the static files from the cache."
            if sh
            else ""
        ),
        "",
        "Run it: see the docstring of `bench/page_weight.py` (a server from a clone on "
        "127.0.0.1:8765, then `bench/page_weight.py --root <clone> --write`); it replaces only "
        "this section.",
        "",
        "<!-- page-weight-data: "
        + json.dumps(
            {
                name: {
                    "other": median([r["other"] for r in data["first"][name]]),
                    "fcp_ms": median([r["fcp_ms"] for r in data["first"][name] if r["fcp_ms"]]),
                }
                for name in data["pages"]
            },
            separators=(",", ":"),
        )
        + " -->",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Page weight and first render on Slow 3G.")
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--root", type=Path, default=Path("/tmp/benchweight"), help="the clone")
    parser.add_argument(
        "--static-root",
        default=os.environ.get("STATIC_ROOT")
        or str(Path(os.environ.get("PASAR_VAR_DIR", "/tmp/pasar-bench-weight")) / "static"),
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--json", type=Path, help="also keep the raw figures here")
    parser.add_argument("--from-json", type=Path, help="render the figures of an earlier run")
    args = parser.parse_args(argv)
    data = json.loads(args.from_json.read_text()) if args.from_json else measure(args)
    if args.json and not args.from_json:
        args.json.write_text(json.dumps(data, indent=1))
    text = render(data)
    print(text)
    if args.write:
        sections.write_section(args.output, SECTION, text)
        say(f"wrote the {SECTION} section of {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
