"""The "Bayar semua" flow (issue 13, item 8): /pay/<code>/ walks the buyer through a two-shop
checkout, one pay page after the other, each saying how far they got ("1 dari 2 dibayar")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Checkout, Order, OrderStatus, ShopMember
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import services
from payments.models import Payment
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import qris_notification, with_qris
from tests.payments.helpers import deliver

pytestmark = pytest.mark.django_db

NEXT = "Lanjut bayar pesanan berikutnya"
ALL_PAID = "Semua pesanan sudah dibayar"


@pytest.fixture(autouse=True)
def no_cards(settings):
    settings.STRIPE_SECRET_KEY = ""


def bank_shop(**extra):
    return ShopFactory(
        bank_name="Bank Sumut",
        bank_account_number="1234567890",
        bank_account_name="Rina Siahaan",
        **extra,
    )


def checkout_of(*shops, price: int = 100_000) -> Checkout:
    products = [ProductFactory(shop=shop, price=price) for shop in shops]
    return checkout_place(
        items=[CheckoutItem(product.slug, 1) for product in products],
        contact=Contact("Emma", "+44 7911 123456", "emma@example.test"),
    )


def orders_of(checkout: Checkout) -> list[Order]:
    return list(checkout.orders.select_related("shop").order_by("id"))


def pay_url(order: Order) -> str:
    return reverse("pay:order", args=[order.checkout.code, order.number])


def pay_by_qris(client, order: Order, capture) -> None:
    """The buyer picks QRIS, the acquirer's settlement arrives, the worker marks the order paid."""
    assert client.post(pay_url(order), {"method": "qris"}).status_code == 302
    payment = Payment.objects.get(order=order)
    body = qris_notification(
        payment.reference, "settlement", payment.amount, transaction_id=f"T-{order.number}"
    )
    response = client.post("/payments/webhooks/qris/", body, content_type="application/json")
    assert response.status_code == 200
    deliver(capture)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def pay_by_transfer(client, order: Order, capture) -> None:
    """The buyer picks a transfer, the seller sees the money and confirms it."""
    assert client.post(pay_url(order), {"method": "transfer"}).status_code == 302
    payment = Payment.objects.get(order=order)
    owner = ShopMember.objects.get(shop=order.shop).user
    with capture(execute=True):
        services.payment_confirm_by_seller(payment=payment, by=owner)
    deliver(capture)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_two_shop_checkout_walked_through(client, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    checkout = checkout_of(with_qris(ShopFactory()), bank_shop())
    first, second = orders_of(checkout)
    start = reverse("pay:checkout", args=[checkout.code])
    assert start == f"/pay/{checkout.code}/"

    # The checkout page offers "Bayar semua", which leads to the first order to pay.
    detail = page(client, reverse("buying:checkout_detail", args=[checkout.code]))
    assert f'href="{start}">Bayar semua</a>' in detail
    response = client.get(start)
    assert response.status_code == 302 and response["Location"] == pay_url(first)
    body = page(client, pay_url(first))
    assert "0 dari 2 dibayar" in body
    assert NEXT not in body  # this order is still to pay

    pay_by_qris(client, first, capture)
    body = page(client, pay_url(first))
    assert "1 dari 2 dibayar" in body
    assert NEXT in body and f'href="{pay_url(second)}"' in body
    # The flow now starts at the second order, whose page says the same.
    assert client.get(start)["Location"] == pay_url(second)
    body = page(client, pay_url(second))
    assert "1 dari 2 dibayar" in body and NEXT not in body

    pay_by_transfer(client, second, capture)
    body = page(client, pay_url(second))
    assert "2 dari 2 dibayar" in body and ALL_PAID in body and NEXT not in body
    # /pay/<code>/ with nothing left to pay: the summary, linking back to the checkout page.
    body = page(client, start)
    assert ALL_PAID in body
    assert f'href="{reverse("buying:checkout_detail", args=[checkout.code])}"' in body
    # Nothing left to pay: the checkout page no longer offers "Bayar semua".
    detail = page(client, reverse("buying:checkout_detail", args=[checkout.code]))
    assert f'href="{start}"' not in detail and "Bayar semua" not in detail


def test_the_payment_page_leads_on_once_paid(client, django_capture_on_commit_callbacks):
    checkout = checkout_of(with_qris(ShopFactory()), with_qris(ShopFactory()))
    first, second = orders_of(checkout)
    pay_by_qris(client, first, django_capture_on_commit_callbacks)
    payment = Payment.objects.get(order=first)
    url = reverse("pay:payment", args=[checkout.code, first.number, payment.reference])
    body = page(client, url)
    assert "1 dari 2 dibayar" in body
    assert NEXT in body and f'href="{pay_url(second)}"' in body
    # The page's polling, once paid, opens this order's pay page (which leads on), not the list.
    pending = client.post(pay_url(second), {"method": "qris"})
    body = page(client, pending["Location"])
    assert f'var orderUrl = "{pay_url(second)}"' in body


def test_a_one_shop_checkout_shows_no_progress(client):
    checkout = checkout_of(with_qris(ShopFactory()))
    (order,) = orders_of(checkout)
    body = page(client, pay_url(order))
    assert "pay-progress" not in body and "dari 1 dibayar" not in body
    start = reverse("pay:checkout", args=[checkout.code])
    assert client.get(start)["Location"] == pay_url(order)
    detail = page(client, reverse("buying:checkout_detail", args=[checkout.code]))
    assert f'href="{start}"' not in detail and "Bayar semua" not in detail


def test_an_unknown_code_is_not_found(client):
    checkout_of(with_qris(ShopFactory()), bank_shop())
    assert client.get("/pay/not-a-checkout-code/").status_code == 404


def test_another_checkouts_code_never_reaches_this_checkouts_orders(client):
    mine = checkout_of(with_qris(ShopFactory()), bank_shop())
    other = checkout_of(with_qris(ShopFactory()), bank_shop())
    first, _second = orders_of(mine)
    assert client.get(reverse("pay:checkout", args=[other.code]))["Location"] != pay_url(first)
    assert client.get(f"/pay/{other.code}/{first.number}/").status_code == 404


def test_an_expired_order_is_skipped_and_the_summary_says_none_is_left(client):
    checkout = checkout_of(with_qris(ShopFactory()), bank_shop())
    first, second = orders_of(checkout)
    Order.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("pay:checkout", args=[checkout.code]))["Location"] == pay_url(second)
    Order.objects.filter(pk=second.pk).update(status=OrderStatus.EXPIRED)
    body = page(client, reverse("pay:checkout", args=[checkout.code]))
    assert "Tidak ada pesanan yang menunggu pembayaran" in body and ALL_PAID not in body
    assert "0 dari 2 dibayar" in body


def test_english_progress(client, django_capture_on_commit_callbacks):
    checkout = checkout_of(with_qris(ShopFactory()), with_qris(ShopFactory()))
    first, second = orders_of(checkout)
    pay_by_qris(client, first, django_capture_on_commit_callbacks)
    body = page(client, "/en" + pay_url(first))
    assert "1 of 2 paid" in body and "Go on to pay the next order" in body


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pay_pages_query_count_does_not_grow_with_the_checkouts_orders(client):
    small = orders_of(checkout_of(*(with_qris(ShopFactory()) for _ in range(2))))
    large = orders_of(checkout_of(*(with_qris(ShopFactory()) for _ in range(5))))
    assert _queries(client, pay_url(small[0])) == _queries(client, pay_url(large[0]))
    assert _queries(client, pay_url(small[1])) == _queries(client, pay_url(large[4]))
