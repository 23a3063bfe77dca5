"""Storefront pages for a weak link (issue 12, item 3): home, a shop, a product, a search, the
cart, the checkout and an order page each transfer under 100 KB of HTML, CSS and JavaScript
(everything that is not an image), counted as Chromium received it: the DevTools protocol's
`Network.loadingFinished` encodedDataLength (headers and body, compressed as sent), with the
browser cache off so every page is a first visit. The test live server serves static files
uncompressed (Django's static handler, not WhiteNoise's gzip copies), so this budget is
stricter than production's; the HTML goes through GZipMiddleware as in production."""

from __future__ import annotations

import io

import pytest
from django.core.files.images import ImageFile
from wagtail.images.models import Image

from marketplace.models import ProductPhoto
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import ProductFactory, ShopFactory, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BUDGET = 100 * 1024


def photo(product) -> None:
    image = Image(title=product.title)
    image.file = ImageFile(io.BytesIO(image_bytes(size=(1200, 900))), name="foto.jpg")
    image.save()
    ProductPhoto.objects.create(product=product, image=image)


class Meter:
    """Bytes per response of one page load, from the DevTools protocol."""

    def __init__(self, context, page):
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.types: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        self.done: dict[str, int] = {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event) -> None:
        self.types[event["requestId"]] = event["type"]
        self.urls[event["requestId"]] = event["response"]["url"]

    def _finished(self, event) -> None:
        self.done[event["requestId"]] = int(event["encodedDataLength"])

    def load(self, page, url: str) -> dict[str, int]:
        self.types.clear(), self.urls.clear(), self.done.clear()
        response = page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(300)  # the last loadingFinished events
        out = {"other": 0, "images": 0, "encoding": response.headers.get("content-encoding", "")}
        out["hosts"] = {u.split("/")[2] for u in self.urls.values() if u.startswith("http")}
        for request_id, size in self.done.items():
            kind = "images" if self.types.get(request_id) == "Image" else "other"
            out[kind] += size
        out["files"] = sorted(
            (self.done[r], self.urls.get(r, "?")) for r in self.done if self.types.get(r) != "Image"
        )
        return out


def test_storefront_pages_weigh_under_100_kb_before_images(live_server, page, context):
    shop = ShopFactory(name="Tenun Boru Siahaan")
    products = [
        ProductFactory(shop=shop, title=f"Ulos {name}", price=125_000 + 5_000 * n)
        for n, name in enumerate(
            [
                "Sadum Balige",
                "Ragidup",
                "Bintang Maratur",
                "Mangiring",
                "Sibolang",
                "Harungguan",
                "Pinuncaan",
                "Ragi Hotang",
            ]
        )
    ]
    for product in products:
        photo(product)
    product = products[0]
    placed = checkout_place(
        items=[CheckoutItem(product=product.slug, quantity=1)],
        contact=Contact(name="Anna Schmidt", phone="081234567890", email="anna@example.test"),
    )

    meter = Meter(context, page)
    # A cart with an item, as a buyer makes it.
    page.goto(f"{live_server.url}/products/{product.slug}/")
    page.get_by_role("button", name="Masukkan ke keranjang").click()
    page.wait_for_load_state("networkidle")

    pages = {
        "home": "/",
        "shop": f"/shops/{shop.slug}/",
        "product": f"/products/{product.slug}/",
        "search": "/search/?q=ulos",
        "cart": "/cart/",
        "checkout": "/checkout/",
        "order": f"/orders/{placed.code}/",
    }
    weights = {name: meter.load(page, live_server.url + path) for name, path in pages.items()}
    for name, w in weights.items():
        print(f"{name}: {w['other']} B before images, {w['images']} B images; {w['files']}")
    assert weights["product"]["images"] > 0, "the product's photo was loaded (and not counted)"
    assert weights["cart"]["other"] > 0
    for name, w in weights.items():
        assert w["encoding"] == "gzip", f"{name}: the HTML is compressed"
        assert w["hosts"] == {live_server.url.split("/")[2]}, f"{name}: no CDN, no web font"
    heavy = {name: w["other"] for name, w in weights.items() if w["other"] >= BUDGET}
    assert not heavy, f"over {BUDGET} bytes before images: {heavy}"
