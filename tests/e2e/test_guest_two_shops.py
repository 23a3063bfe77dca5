"""A tourist on a phone buys from two shops as a guest and follows both orders: product page →
cart → product page → cart → checkout (pickup) → /orders/<code>/ with two orders awaiting
payment; then the first shop's seller marks theirs paid and processing, and after a reload only
that order says so. No page scrolls sideways at 360 px; nor do the seller's order pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.models import Checkout, OrderStatus
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.orders import order_mark_paid, order_process
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def add_to_cart(page, base_url: str, product) -> None:
    page.goto(f"{base_url}/products/{product.slug}/")
    page.get_by_role("button", name="Masukkan ke keranjang").click()
    expect(page.get_by_text(f"{product.title} masuk ke keranjang.")).to_be_visible()


def test_a_guest_buys_from_two_shops_and_follows_both_orders(live_server, page):
    seller = UserFactory(full_name="Rosdiana Siahaan")
    tenun = ShopFactory(owner=seller, name="Tenun Boru Siahaan")
    kopi = ShopFactory(name="Kopi Lintong Nihuta")
    ulos = ProductFactory(shop=tenun, title="Ulos Sadum Balige", price=350_000, stock=5)
    coffee = ProductFactory(shop=kopi, title="Kopi Arabika Lintong", price=85_000, stock=20)

    add_to_cart(page, live_server.url, ulos)
    add_to_cart(page, live_server.url, coffee)

    page.goto(f"{live_server.url}/cart/")
    expect(page.get_by_role("heading", name="Tenun Boru Siahaan")).to_be_visible()
    expect(page.get_by_role("heading", name="Kopi Lintong Nihuta")).to_be_visible()
    fits_the_phone(page)
    page.get_by_role("link", name="Lanjut ke checkout").click()

    page.wait_for_url(f"{live_server.url}/checkout/")
    fits_the_phone(page)
    page.get_by_label(re.compile(r"^Nama:?$")).fill("Anna Schmidt")
    page.get_by_label("Nomor HP (WhatsApp)").fill("0812 3456 7890")
    # "Email" is Django's own msgid, which its Indonesian catalogue renders "Surel".
    page.get_by_label(re.compile(r"^(Email|Surel):?$")).fill("anna@example.test")
    for pickup in page.get_by_role("radio", name=re.compile("Ambil sendiri")).all():
        if not pickup.is_checked():
            pickup.check()
    page.get_by_role("button", name="Buat pesanan").click()

    page.wait_for_url(re.compile(r"/orders/[^/]+/$"))
    checkout = Checkout.objects.get()
    assert page.url == f"{live_server.url}/orders/{checkout.code}/"
    first = checkout.orders.get(shop=tenun)
    second = checkout.orders.get(shop=kopi)
    for order in (first, second):
        card = page.locator(f"#order-{order.number}")
        expect(card).to_contain_text(order.number)
        expect(card.locator(".status")).to_have_text("Menunggu pembayaran")
    fits_the_phone(page)

    # The seller of the first shop: the payment arrived (confirmed elsewhere), and they start.
    order_mark_paid(order=first)
    order_process(order=first, by=seller)

    page.reload()
    expect(page.locator(f"#order-{first.number} .status")).to_have_text(
        str(OrderStatus.PROCESSING.label)
    )
    expect(page.locator(f"#order-{second.number} .status")).to_have_text("Menunggu pembayaran")
    fits_the_phone(page)


def test_the_sellers_order_pages_fit_a_phone(live_server, page, client):
    """The seller's side of the same story, at 360 px: the list, an order with its actions,
    the packing slip, delivery options and vouchers."""
    seller = UserFactory(full_name="Rosdiana Siahaan")
    shop = ShopFactory(owner=seller, name="Tenun Boru Siahaan", address="Jl. Sisingamangaraja 12")
    ulos = ProductFactory(
        shop=shop, title="Ulos Sadum Balige motif Ragi Hotang tenunan tangan", stock=5
    )
    order = checkout_place(
        items=[CheckoutItem(ulos.slug, 2)],
        contact=Contact("Anna Schmidt", "0812 3456 7890", "anna@example.test"),
    ).orders.get()
    order_mark_paid(order=order)
    order_process(order=order, by=seller)

    client.force_login(seller)
    session = client.cookies["sessionid"]
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.value, "url": live_server.url}]
    )
    base = f"{live_server.url}/seller/{shop.slug}"
    for path in (
        "/orders/",
        f"/orders/{order.number}/",
        f"/orders/{order.number}/packing-slip/",
        "/delivery/",
        "/vouchers/",
    ):
        page.goto(base + path)
        assert page.locator("h1").count() >= 1
        fits_the_phone(page)

    # Ship it from the phone.
    page.goto(f"{base}/orders/{order.number}/")
    page.get_by_label(re.compile("Nomor resi")).fill("JNE-0001")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.locator(".badge-shipped")).to_have_text(str(OrderStatus.SHIPPED.label))
    fits_the_phone(page)
