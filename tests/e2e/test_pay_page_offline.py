"""A buyer on a weak link: the QRIS pay page loses its connection while waiting for the
payment. The QR code and the amount stay on screen, a small notice says the page keeps trying,
nothing reloads into the browser's error page; the payment settles meanwhile, and once the link
is back the page finds it and shows the order paid."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.models import Checkout, OrderStatus
from payments.models import Payment, PaymentStatus
from payments.views.pay import POLL_SECONDS
from tests.e2e.test_qris_payment import apply_like_the_worker, post_json
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import SERVER_KEY, qris_notification, with_qris

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTICE_ID = "Koneksi terputus, mencoba lagi…"


def open_qris_pay_page(live_server, page, prefix: str = ""):
    shop = with_qris(ShopFactory(name="Tenun Boru Siahaan"))
    product = ProductFactory(shop=shop, title="Ulos Sadum Balige", price=125_000)
    page.goto(f"{live_server.url}/products/{product.slug}/")
    page.get_by_role("button", name="Masukkan ke keranjang").click()
    page.goto(f"{live_server.url}/cart/")
    page.get_by_role("link", name="Lanjut ke checkout").click()
    page.locator('input[name="name"]').fill("Anna Schmidt")
    page.get_by_label("Nomor HP (WhatsApp)").fill("0812 3456 7890")
    page.locator('input[name="email"]').fill("anna@example.test")
    pickup = page.get_by_role("radio", name=re.compile("Ambil sendiri"))
    if pickup.count() and not pickup.is_checked():
        pickup.check()
    page.get_by_role("button", name="Buat pesanan").click()
    page.wait_for_url(re.compile(r"/orders/[^/]+/$"))
    checkout = Checkout.objects.get()
    order = checkout.orders.get()
    page.goto(f"{live_server.url}{prefix}/pay/{checkout.code}/{order.number}/")
    page.locator("button", has_text="QRIS").click()
    payment = Payment.objects.get(order=order)
    page.wait_for_url(
        f"{live_server.url}{prefix}/pay/{checkout.code}/{order.number}/{payment.reference}/"
    )
    return checkout, order, payment


def test_the_pay_page_survives_a_dropped_connection(live_server, page, context, settings):
    settings.QRIS_SERVER_KEY = SERVER_KEY
    checkout, order, payment = open_qris_pay_page(live_server, page)
    qr = page.locator(f'img[src="/payments/{payment.reference}/qr.svg"]')
    amount = page.locator(".qris-amount")
    notice = page.locator("#pay-offline")
    expect(qr).to_be_visible()
    expect(amount).to_have_text("Rp 125.000")
    expect(notice).to_be_hidden()
    url_before = page.url

    context.set_offline(True)
    page.wait_for_timeout(2 * POLL_SECONDS * 1000 + 500)  # two poll intervals
    expect(notice).to_be_visible()
    expect(notice).to_have_text(NOTICE_ID)
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR is still drawn"
    expect(amount).to_have_text("Rp 125.000")
    assert page.url == url_before, "no reload, no error page"

    # The acquirer settles while the buyer's phone is offline (the server is not).
    body = qris_notification(payment.reference, "settlement", payment.amount, transaction_id="TX-9")
    assert post_json(live_server.url + "/payments/webhooks/qris/", body) == 200
    apply_like_the_worker()
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and order.status == OrderStatus.PAID
    page.wait_for_timeout(POLL_SECONDS * 1000)
    expect(notice).to_be_visible()  # still offline: still trying, still the QR
    expect(qr).to_be_visible()

    context.set_offline(False)
    expect(page.get_by_text("Pembayaran diterima", exact=True)).to_be_visible(timeout=20_000)
    expect(notice).to_be_hidden()
    page.wait_for_url(f"{live_server.url}/orders/{checkout.code}/", timeout=20_000)
    expect(page.locator(f"#order-{order.number} .status")).to_have_text("Dibayar")


def test_the_offline_notice_is_in_english_on_en(live_server, page, context, settings):
    settings.QRIS_SERVER_KEY = SERVER_KEY
    checkout, order, payment = open_qris_pay_page(live_server, page, prefix="/en")
    notice = page.locator("#pay-offline")
    # The text comes from the template's catalog (locale/en).
    english = "Connection lost, trying again…"
    text = notice.get_attribute("data-offline-text")
    assert text == english
    context.set_offline(True)
    expect(notice).to_be_visible(timeout=2 * POLL_SECONDS * 1000 + 2000)
    expect(notice).to_have_text(text)
    context.set_offline(False)
