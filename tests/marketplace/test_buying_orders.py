"""/orders/<code>/ and its receipts: every order of the checkout, found only by its code."""

import re
from urllib.parse import unquote

import pytest

from marketplace.models import Order, ShopDelivery
from marketplace.services import orders as order_services
from marketplace.services.checkout import CheckoutItem, Contact, ShopChoice, checkout_place
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db
TOURIST = Contact(name="Anna Schmidt", phone="0812 9876 5432", email="anna@example.test")


def place(*products, contact=TOURIST, **kwargs):
    return checkout_place(
        items=[CheckoutItem(product.slug, 1) for product in products], contact=contact, **kwargs
    )


def ship(order, tracking="JNE123456789"):
    seller = UserFactory()
    order_services.order_mark_paid(order=order)
    order_services.order_process(order=order, by=seller)
    return order_services.order_ship(order=order, by=seller, tracking_number=tracking)


def test_the_page_shows_every_order_of_the_checkout(client):
    ulos = ProductFactory(title="Ulos Ragi Hotang", price=400_000)
    kopi = ProductFactory(title="Kopi Lintong", price=85_000)
    ShopDelivery.objects.create(shop=kopi.shop, local_delivery_fee=10_000)
    checkout = place(
        ulos, kopi, choices={kopi.shop.slug: ShopChoice("local", address="Jl. Pagar Batu 3")}
    )
    response = client.get(f"/orders/{checkout.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    for order in checkout.orders.all():
        assert order.number in html
        assert order.shop.name in html
    assert "Ulos Ragi Hotang – Standar" in html
    assert "Rp 400.000" in html and "Rp 95.000" in html and "Rp 495.000" in html
    assert "Antar lokal" in html and "Jl. Pagar Batu 3" in html
    assert html.count("Menunggu pembayaran") == 2
    assert "Bayar sebelum" in html and "data-deadline" in html
    assert 'name="robots" content="noindex"' in html
    assert "no-store" in response["Cache-Control"]


def test_while_awaiting_payment_the_page_polls_the_api_and_refreshes_without_js(client):
    checkout = place(ProductFactory())
    html = client.get(f"/orders/{checkout.code}/").content.decode()
    assert f"/api/v1/checkouts/{checkout.code}/" in html
    assert '<noscript><meta http-equiv="refresh"' in html
    order = checkout.orders.get()
    order_services.order_cancel(order=order, by=None, reason="Stok rusak")
    html = client.get(f"/orders/{checkout.code}/").content.decode()
    assert "Dibatalkan" in html and "Stok rusak" in html
    assert "/api/v1/checkouts/" not in html
    assert "http-equiv" not in html
    assert "Bayar sebelum" not in html


def test_a_shipped_order_shows_its_tracking_number(client):
    checkout = place(ProductFactory())
    ship(checkout.orders.get(), tracking="JNE0042")
    html = client.get(f"/orders/{checkout.code}/").content.decode()
    assert "Dikirim" in html
    assert "JNE0042" in html


def test_the_whatsapp_link_names_the_order(client):
    shop = ShopFactory(whatsapp="0813 7000 1234", name="Kopi Huta")
    checkout = place(ProductFactory(shop=shop))
    number = checkout.orders.get().number
    html = client.get(f"/orders/{checkout.code}/").content.decode()
    [link] = re.findall(r'href="(https://wa\.me/[^"]+)"', html)
    assert link.startswith("https://wa.me/6281370001234?text=")
    assert number in unquote(link.replace("&amp;", "&"))
    assert "Kopi Huta" in unquote(link)


def test_a_shop_without_whatsapp_has_no_link(client):
    checkout = place(ProductFactory(shop=ShopFactory(whatsapp="")))
    assert "wa.me" not in client.get(f"/orders/{checkout.code}/").content.decode()


@pytest.mark.parametrize("code", ["tidak-ada", "A" * 16, "x" * 300])
def test_an_unknown_code_is_404(client, code):
    place(ProductFactory())
    assert client.get(f"/orders/{code}/").status_code == 404


def test_another_buyers_checkout_is_not_listed_anywhere(client):
    mine = place(ProductFactory())
    theirs = place(ProductFactory(), contact=Contact("Budi", "081234567890", "budi@example.test"))
    their_number = theirs.orders.get().number
    pages = [
        f"/orders/{mine.code}/",
        f"/orders/{mine.code}/{mine.orders.get().number}/receipt/",
        f"/api/v1/checkouts/{mine.code}/",
        "/cart/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert theirs.code not in body, url
        assert their_number not in body, url
        assert "Budi" not in body, url
    # There is no list of checkouts or orders to walk through.
    assert client.get("/orders/").status_code == 404
    assert client.get("/api/v1/checkouts/").status_code == 404
    # Nor can one checkout's code open another checkout's order.
    assert client.get(f"/orders/{mine.code}/{their_number}/receipt/").status_code == 404


def test_the_receipt_is_printable(client):
    ulos = ProductFactory(title="Ulos Sadum", price=350_000)
    checkout = place(ulos)
    order = checkout.orders.get()
    response = client.get(f"/orders/{checkout.code}/{order.number}/receipt/")
    html = response.content.decode()
    assert response.status_code == 200
    assert order.number in html
    assert "Anna Schmidt" in html and "+6281298765432" in html
    assert ulos.shop.name in html
    assert "Rp 350.000" in html
    assert "css/buying.css" in html  # whose @media print hides the site's header and footer
    assert client.get(f"/orders/{checkout.code}/PK000000-XXXXXX/receipt/").status_code == 404


def test_an_english_visitor_gets_the_same_page_under_en(client):
    checkout = place(ProductFactory())
    assert client.get(f"/en/orders/{checkout.code}/").status_code == 200


def test_order_numbers_are_shown_in_the_order_they_were_made(client):
    checkout = place(ProductFactory(), ProductFactory(), ProductFactory())
    page = client.get(f"/orders/{checkout.code}/").context["page"]
    assert [view.order.pk for view in page.orders] == sorted(
        Order.objects.filter(checkout=checkout).values_list("pk", flat=True)
    )


def test_a_stay_shows_its_nights(client):
    from datetime import timedelta

    from tests.factories import StayNightFactory

    night = StayNightFactory()
    StayNightFactory(product=night.product, night=night.night + timedelta(days=1))
    checkout = checkout_place(
        items=[
            CheckoutItem(
                night.product.slug,
                1,
                check_in=night.night,
                check_out=night.night + timedelta(days=2),
            )
        ],
        contact=TOURIST,
    )
    order = checkout.orders.get()
    for url in (f"/orders/{checkout.code}/", f"/orders/{checkout.code}/{order.number}/receipt/"):
        assert "× 2 malam" in client.get(url).content.decode(), url
