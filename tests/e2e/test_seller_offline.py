"""The seller dashboard offline on a 360 px phone (decision 0012): pages seen online open
offline from the service worker's cache under a banner with the time they were drawn; changes
made offline wait in the queue on the phone and are sent once when the connection returns; a
change that no longer fits (the order was cancelled meanwhile) is refused and says why."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.models import Order, OrderEvent, OrderStatus, OutboxEvent
from marketplace.services import orders as order_services
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BUYER = Contact(name="Anna Schmidt", phone="0812 9876 5432", email="anna@example.test")
PAGES = "seller-pages-v1"


def place_paid(product) -> Order:
    checkout = checkout_place(items=[CheckoutItem(product.slug, 1)], contact=BUYER)
    return order_services.order_mark_paid(order=checkout.orders.get())


def sign_in(page, base: str, email: str, slug: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "rahasia-123")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/seller/{slug}/$"))
    page.wait_for_function("navigator.serviceWorker.controller !== null", polling=100)


def cached_pages(page) -> list[str]:
    return page.evaluate(
        f"caches.open('{PAGES}').then(c => c.keys()).then(keys => keys.map(r => r.url))"
    )


def open_and_keep(page, url: str) -> None:
    """Open a page online and wait until the service worker has kept it."""
    page.goto(url)
    page.wait_for_function(
        f"caches.open('{PAGES}').then(c => c.match('{url}')).then(r => !!r)", polling=100
    )


def test_pages_open_offline_and_the_queue_is_sent_once_on_reconnect(live_server, page, context):
    base = live_server.url.replace("127.0.0.1", "localhost")  # a secure context for the worker
    owner = UserFactory(email="rosdiana@pasar.test")
    shop = ShopFactory(owner=owner, name="Tenun Boru Siahaan", slug="tenun-boru")
    product = ProductFactory(shop=shop, title="Ulos Sadum", price=150_000, stock=10)
    variant = product.variants.get()
    to_ship = order_services.order_process(order=place_paid(product), by=owner)
    to_process = place_paid(product)

    # The app's manifest and worker.
    manifest = page.request.get(base + "/seller/manifest.webmanifest")
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.json()["name"] == "Pasar Kreatif Penjual"
    assert manifest.json()["start_url"] == "/seller/"
    assert [i["sizes"] for i in manifest.json()["icons"]] == ["192x192", "512x512"]
    worker = page.request.get(base + "/seller/sw.js")
    assert worker.headers["content-type"] == "application/javascript"
    assert worker.headers["service-worker-allowed"] == "/seller/"
    english = page.request.get(base + "/en/seller/manifest.webmanifest").json()
    assert (english["start_url"], english["scope"]) == ("/en/seller/", "/en/seller/")
    assert page.request.get(base + "/en/seller/sw.js").headers["service-worker-allowed"] == (
        "/en/seller/"
    )

    # Online: the seller signs in and opens the pages she will need.
    sign_in(page, base, owner.email, shop.slug)
    dashboard = f"{base}/seller/{shop.slug}/"
    stock = f"{base}/seller/{shop.slug}/products/{product.pk}/stock/"
    orders = f"{base}/seller/{shop.slug}/orders/"
    ship_url = f"{orders}{to_ship.number}/"
    process_url = f"{orders}{to_process.number}/"
    for url in (dashboard, stock, orders, ship_url, process_url):
        open_and_keep(page, url)
    assert set(cached_pages(page)) >= {dashboard, stock, orders, ship_url, process_url}
    expect(page.locator(".offline-banner")).to_be_hidden()
    expect(page.locator(".offline-queue")).to_be_hidden()

    # Offline: the cached page opens under the banner with the time it was drawn.
    context.set_offline(True)
    page.goto(stock)
    # The worker's copy (it marks the pages it serves from its cache), not a fresh page.
    expect(page.locator('meta[name="seller-offline-copy"]')).to_have_count(1)
    drawn = page.locator('meta[name="seller-page-time"]').get_attribute("data-time")
    assert re.fullmatch(r"\d\d:\d\d", drawn)
    expect(page.locator(".offline-banner")).to_have_text(f"Offline — terakhir diperbarui {drawn}")
    page.reload()
    expect(page.locator(".offline-banner")).to_be_visible()
    page.wait_for_selector("html[data-offline-ready]", state="attached")
    # Meanwhile the buyer's order is cancelled (on the server, which the phone cannot see).
    order_services.order_cancel(order=to_process, by=None, reason="Pembeli membatalkan.")

    # The stock of the variant, 10 → 15.
    page.get_by_text("Ubah", exact=True).click()
    page.fill(f"#id_v{variant.pk}-on_hand", "15")
    page.get_by_role("button", name="Simpan varian").click()
    queue = page.locator(".offline-queue")
    expect(queue).to_be_visible()
    expect(queue.locator("li")).to_have_count(1)
    expect(queue.locator("li").first).to_contain_text("Ulos Sadum – Standar · Simpan varian → 15")
    expect(queue.locator("li").first).to_contain_text("Menunggu dikirim")

    # The processing order, shipped with its tracking number.
    page.goto(ship_url)
    expect(page.locator(".offline-banner")).to_be_visible()
    page.wait_for_selector("html[data-offline-ready]", state="attached")
    page.fill("#id_tracking_number", "JNE0012345")
    page.get_by_role("button", name="Kirim", exact=True).click()
    # The paid one, to be processed: it was cancelled meanwhile.
    page.goto(process_url)
    page.wait_for_selector("html[data-offline-ready]", state="attached")
    page.get_by_role("button", name="Proses", exact=True).click()
    expect(queue.locator("li[data-status=pending]")).to_have_count(3)
    assert no_sideways_scroll(page)
    # Nothing reached the server.
    variant.refresh_from_db()
    assert variant.on_hand == 10
    assert Order.objects.get(pk=to_ship.pk).status == OrderStatus.PROCESSING

    # Online again: the queue is sent, two changes applied and one refused, with its reason.
    context.set_offline(False)
    expect(queue.locator("li[data-status=applied]")).to_have_count(2)
    refused = queue.locator("li[data-status=refused]")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text(f"Pesanan {to_process.number}")
    expect(refused).to_contain_text("Ditolak")
    expect(refused.locator(".message")).not_to_be_empty()
    expect(queue.locator("li[data-status=pending]")).to_have_count(0)
    expect(page.locator(".offline-banner")).to_contain_text("Tersambung lagi")

    variant.refresh_from_db()
    # 15 on hand as the seller set it, less the ulos that left with the shipped order.
    assert (variant.on_hand, variant.allocated) == (14, 0)
    shipped = Order.objects.get(pk=to_ship.pk)
    assert (shipped.status, shipped.tracking_number) == (OrderStatus.SHIPPED, "JNE0012345")
    assert Order.objects.get(pk=to_process.pk).status == OrderStatus.CANCELLED

    # A page load sends what is pending at load: nothing is, and nothing is applied twice.
    page.get_by_role("button", name="Muat ulang halaman").click()
    expect(page.locator('meta[name="seller-offline-copy"]')).to_have_count(0)
    expect(page.locator("body")).to_contain_text("Dibatalkan")
    expect(queue.locator("li")).to_have_count(3)
    page.goto(dashboard)
    page.wait_for_load_state("networkidle")
    assert (
        OutboxEvent.objects.filter(name="order.shipped", payload__number=to_ship.number).count()
        == 1
    )
    assert OrderEvent.objects.filter(order=shipped, to_status=OrderStatus.SHIPPED).count() == 1
    variant.refresh_from_db()
    assert variant.on_hand == 14

    # The seller clears what is done; the panel hides.
    page.get_by_role("button", name="Hapus yang sudah selesai").click()
    expect(queue).to_be_hidden()


def test_a_post_lost_on_a_dead_connection_is_queued(live_server, page, context):
    """The phone believes it is online (navigator.onLine stays true) but nothing gets through:
    the form posts as usual, the worker keeps what was posted and sends the seller back to the
    page's offline copy, which queues the change; it is applied once the connection works."""
    base = live_server.url.replace("127.0.0.1", "localhost")
    owner = UserFactory(email="togar@pasar.test")
    shop = ShopFactory(owner=owner, slug="kopi-togar")
    product = ProductFactory(shop=shop, title="Kopi Arabika", price=85_000, stock=10)
    order = order_services.order_process(order=place_paid(product), by=owner)
    sign_in(page, base, owner.email, shop.slug)
    order_url = f"{base}/seller/{shop.slug}/orders/{order.number}/"
    open_and_keep(page, order_url)

    page.add_init_script("Object.defineProperty(Navigator.prototype, 'onLine', {get: () => true})")
    page.reload()
    context.set_offline(True)
    page.fill("#id_tracking_number", "SICEPAT-77")
    page.get_by_role("button", name="Kirim", exact=True).click()
    queue = page.locator(".offline-queue")
    expect(queue.locator("li[data-status=pending]")).to_have_count(1)
    expect(queue.locator("li")).to_contain_text(f"Pesanan {order.number} · Kirim (SICEPAT-77)")
    expect(page.locator(".offline-banner")).to_be_visible()
    page.wait_for_url(order_url)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PROCESSING

    context.set_offline(False)
    expect(queue.locator("li[data-status=applied]")).to_have_count(1)
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (OrderStatus.SHIPPED, "SICEPAT-77")
    assert (
        OutboxEvent.objects.filter(name="order.shipped", payload__number=order.number).count() == 1
    )


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360
