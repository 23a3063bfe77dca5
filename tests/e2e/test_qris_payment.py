"""A tourist pays a QRIS order end to end in a real browser at 360 px: product page → cart →
checkout as a guest → /orders/<code>/ → Bayar → QRIS → the QR and the amount; the acquirer's
signed settlement arrives; the page, never reloaded by the test, shows the order paid."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from marketplace.models import Checkout, OrderStatus
from marketplace.outbox import event_handle, outbox_relay
from payments import services
from payments.models import Payment, PaymentStatus, ProviderEvent
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import SERVER_KEY, qris_notification, with_qris

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def post_json(url: str, body: dict) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def apply_like_the_worker() -> None:
    """No Celery worker runs here, and the webhook's on_commit send_task is not run eagerly by
    Celery (send_task never is), so do what the worker would: apply the stored notification,
    then relay the outbox with a dispatch that runs each handler at once."""
    for provider_event_id in services.provider_events_unapplied():
        services.provider_event_apply(provider_event_id=provider_event_id)
    outbox_relay(
        dispatch=lambda event_id, handler: event_handle(event_id=event_id, handler=handler)
    )


def test_a_tourist_pays_a_qris_order(live_server, page, settings):
    settings.QRIS_SERVER_KEY = SERVER_KEY  # tests/payments/conftest sets it only in its folder
    shop = with_qris(ShopFactory(name="Tenun Boru Siahaan"))
    product = ProductFactory(shop=shop, title="Ulos Sadum Balige", price=125_000)

    page.goto(f"{live_server.url}/products/{product.slug}/")
    page.get_by_role("button", name="Masukkan ke keranjang").click()
    page.goto(f"{live_server.url}/cart/")
    page.get_by_role("link", name="Lanjut ke checkout").click()
    page.locator('input[name="name"]').fill("Anna Schmidt")
    page.get_by_label("Nomor HP (WhatsApp)").fill("0812 3456 7890")
    page.locator('input[name="email"]').fill("anna@example.test")  # Django's label: "Surel"
    pickup = page.get_by_role("radio", name=re.compile("Ambil sendiri"))
    if pickup.count() and not pickup.is_checked():
        pickup.check()
    page.get_by_role("button", name="Buat pesanan").click()

    page.wait_for_url(re.compile(r"/orders/[^/]+/$"))
    checkout = Checkout.objects.get()
    order = checkout.orders.get()
    assert page.url == f"{live_server.url}/orders/{checkout.code}/"

    page.get_by_role("link", name="Bayar", exact=True).click()
    page.wait_for_url(f"{live_server.url}/pay/{checkout.code}/{order.number}/")
    page.get_by_role("button", name=re.compile("QRIS")).click()

    payment = Payment.objects.get(order=order)
    page.wait_for_url(f"{live_server.url}/pay/{checkout.code}/{order.number}/{payment.reference}/")
    qr = page.locator(f'img[src="/payments/{payment.reference}/qr.svg"]')
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR image loaded"
    expect(page.locator(".qris-amount")).to_have_text("Rp 125.000")
    expect(page.get_by_text("ID1024000012345")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.get_by_text("Pembayaran diterima", exact=True)).to_be_hidden()

    # The acquirer settles: a signed notification, as Midtrans would send it.
    body = qris_notification(payment.reference, "settlement", payment.amount, transaction_id="TX-1")
    assert post_json(live_server.url + "/payments/webhooks/qris/", body) == 200
    assert ProviderEvent.objects.filter(payment_reference=payment.reference).count() == 1
    apply_like_the_worker()
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and order.status == OrderStatus.PAID

    # The page follows by itself: "Pembayaran diterima", then the order page says "Dibayar".
    expect(page.get_by_text("Pembayaran diterima", exact=True)).to_be_visible(timeout=15_000)
    page.wait_for_url(f"{live_server.url}/orders/{checkout.code}/", timeout=15_000)
    expect(page.locator(f"#order-{order.number} .status")).to_have_text("Dibayar")
    expect(page.get_by_role("link", name="Bayar", exact=True)).to_have_count(0)
