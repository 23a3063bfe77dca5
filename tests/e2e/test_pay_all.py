"""A tourist on a phone pays a two-shop cart with "Bayar semua" (issue 13, item 8): the cart and
checkout say the transfer-only shop takes only transfers; /orders/<code>/ → Bayar semua → the
first shop's QRIS; once it settles the page (never reloaded by the test) comes back to say
"1 dari 2 dibayar" and leads on to the second shop; its transfer is confirmed by the seller and
the page says "Semua pesanan sudah dibayar". Nothing scrolls sideways at 360 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.models import Checkout, OrderStatus, ShopMember
from payments import services
from payments.models import Payment
from tests.e2e.test_qris_payment import apply_like_the_worker, post_json
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import SERVER_KEY, qris_notification, with_qris

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TRANSFER_ONLY = "Toko ini hanya menerima transfer bank"


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def add_to_cart(page, base_url: str, product) -> None:
    page.goto(f"{base_url}/products/{product.slug}/")
    page.get_by_role("button", name="Masukkan ke keranjang").click()
    expect(page.get_by_text(f"{product.title} masuk ke keranjang.")).to_be_visible()


def test_a_tourist_pays_two_shops_one_after_the_other(live_server, page, settings):
    settings.QRIS_SERVER_KEY = SERVER_KEY
    settings.STRIPE_SECRET_KEY = ""
    kapal = with_qris(ShopFactory(name="Kapal Wisata Horas"))
    ulos = ShopFactory(
        name="Ulos Jangga Dolok",
        bank_name="Bank Sumut",
        bank_account_number="1234567890",
        bank_account_name="Lamria Sirait",
    )
    add_to_cart(page, live_server.url, ProductFactory(shop=kapal, title="Tas Rotan", price=90_000))
    add_to_cart(
        page, live_server.url, ProductFactory(shop=ulos, title="Ulos Sibolang", price=80_000)
    )

    page.goto(f"{live_server.url}/cart/")
    expect(page.locator(".shop-group", has_text="Ulos Jangga Dolok")).to_contain_text(TRANSFER_ONLY)
    expect(page.locator(".shop-group", has_text="Kapal Wisata Horas")).not_to_contain_text(
        TRANSFER_ONLY
    )
    fits_the_phone(page)
    page.get_by_role("link", name="Lanjut ke checkout").click()
    page.wait_for_url(f"{live_server.url}/checkout/")
    expect(page.locator(".shop-group", has_text="Ulos Jangga Dolok")).to_contain_text(TRANSFER_ONLY)
    page.get_by_label(re.compile(r"^Nama:?$")).fill("Emma Clarke")
    page.get_by_label("Nomor HP (WhatsApp)").fill("+44 7911 123456")
    page.get_by_label(re.compile(r"^(Email|Surel):?$")).fill("emma@example.test")
    for pickup in page.get_by_role("radio", name=re.compile("Ambil sendiri")).all():
        if not pickup.is_checked():
            pickup.check()
    page.get_by_role("button", name="Buat pesanan").click()

    page.wait_for_url(re.compile(r"/orders/[^/]+/$"))
    checkout = Checkout.objects.get()
    first = checkout.orders.get(shop=kapal)
    second = checkout.orders.get(shop=ulos)
    base = f"{live_server.url}/pay/{checkout.code}"

    page.get_by_role("link", name="Bayar semua").click()
    page.wait_for_url(f"{base}/{first.number}/")
    expect(page.locator(".pay-progress-line")).to_have_text("0 dari 2 dibayar")
    fits_the_phone(page)
    page.get_by_role("button", name=re.compile("QRIS")).click()
    payment = Payment.objects.get(order=first)
    page.wait_for_url(f"{base}/{first.number}/{payment.reference}/")

    body = qris_notification(payment.reference, "settlement", payment.amount, transaction_id="T-1")
    assert post_json(live_server.url + "/payments/webhooks/qris/", body) == 200
    apply_like_the_worker()
    first.refresh_from_db()
    assert first.status == OrderStatus.PAID

    # The page follows by itself back to this order's pay page, which leads on.
    page.wait_for_url(f"{base}/{first.number}/", timeout=15_000)
    expect(page.locator(".pay-progress-line")).to_have_text("1 dari 2 dibayar")
    fits_the_phone(page)
    page.get_by_role("link", name="Lanjut bayar pesanan berikutnya").click()
    page.wait_for_url(f"{base}/{second.number}/")
    expect(page.locator(".pay-progress-line")).to_have_text("1 dari 2 dibayar")
    expect(page.get_by_role("button", name=re.compile("QRIS"))).to_have_count(0)
    page.get_by_role("button", name=re.compile("Transfer bank")).click()
    transfer = Payment.objects.get(order=second)
    page.wait_for_url(f"{base}/{second.number}/{transfer.reference}/")

    # The seller sees the money in their account and confirms it.
    services.payment_confirm_by_seller(payment=transfer, by=ShopMember.objects.get(shop=ulos).user)
    apply_like_the_worker()
    page.wait_for_url(f"{base}/{second.number}/", timeout=15_000)
    expect(page.locator(".pay-progress-line")).to_have_text("2 dari 2 dibayar")
    expect(page.get_by_text("Semua pesanan sudah dibayar")).to_be_visible()
    expect(page.get_by_role("link", name="Lanjut bayar pesanan berikutnya")).to_have_count(0)
    fits_the_phone(page)
