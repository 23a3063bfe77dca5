"""The seller dashboard's first screen: what needs doing now (orders awaiting payment, paid
orders to process, transfers and QRIS payments to confirm, flagged payments, low stock), each a
count linking to its filtered list, counted in a fixed number of queries whatever the data. The
payments are counted by the payments app through settings.SHOP_PAYMENTS_TO_CONFIRM_READER."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Order, OrderStatus
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments.models import Payment, PaymentStatus
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

BUYER = Contact(name="Rina", phone="0812 3456 7890", email="rina@pasar.test")


def place(product) -> Order:
    return checkout_place(items=[CheckoutItem(product.slug, 1)], contact=BUYER).orders.get()


def pay(order: Order, provider: str, status: str = PaymentStatus.PENDING, **extra) -> Payment:
    return Payment.objects.create(
        order=order,
        provider=provider,
        amount=order.total,
        status=status,
        expires_at=timezone.now() + timedelta(minutes=30),
        **extra,
    )


def fill(shop, *, orders: int, paid: int, transfers: int, qris: int, low: int) -> None:
    """A shop with `orders` orders awaiting payment (of which `transfers` and `qris` have a
    pending payment of that kind, and one a pending card payment the seller cannot confirm),
    `paid` paid ones, and `low` goods with low stock."""
    product = ProductFactory(shop=shop, stock=500)
    waiting = [place(product) for _ in range(orders)]
    for order in waiting[:transfers]:
        pay(order, "transfer")
    for order in waiting[transfers : transfers + qris]:
        pay(order, "qris")
    if waiting[transfers + qris :]:
        pay(waiting[transfers + qris], "stripe")
    for _ in range(paid):
        order = place(product)
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
        pay(order, "transfer", PaymentStatus.SUCCEEDED)  # done: nothing to confirm
    for _ in range(low):
        ProductFactory(shop=shop, stock=1)


def counts(page: str) -> dict[str, int]:
    """data-count="name" → the number shown in the "Perlu dikerjakan" panel."""
    return {
        name: int(n)
        for name, n in re.findall(
            r'data-count="(\w+)"[^>]*><a href="[^"]*"><strong>(\d+)</strong>', page
        )
    }


def test_the_first_screen_counts_what_needs_doing_and_links_each_to_its_list(client):
    owner = UserFactory()
    shop = ShopFactory(owner=owner)
    fill(shop, orders=5, paid=2, transfers=2, qris=1, low=3)
    # Another shop's orders and payments are not counted.
    fill(ShopFactory(), orders=2, paid=1, transfers=1, qris=1, low=1)
    client.force_login(owner)
    page = client.get(reverse("seller:dashboard", args=[shop.slug])).content.decode()
    todo = page.split('class="panel todo"')[1].split("</section>")[0]
    assert counts(todo) == {
        "awaiting_payment": 5,
        "paid": 2,
        "transfer": 2,
        "qris": 1,
        "low_stock": 3,
    }
    orders = reverse("seller:orders", args=[shop.slug])
    payments = reverse("seller_payments:list", args=[shop.slug])
    assert f'href="{orders}?status=awaiting_payment"><strong>5</strong>' in todo
    assert f'href="{orders}?status=paid"><strong>2</strong>' in todo
    pending = f"{payments}?status=pending&amp;method="
    assert f'href="{pending}transfer"><strong>2</strong> transfer' in todo
    assert f'href="{pending}qris"><strong>1</strong> QRIS' in todo
    low = reverse("seller:low_stock", args=[shop.slug])
    assert f'href="{low}"><strong>3</strong> stok menipis' in todo

    # The links lead to lists holding what was counted.
    def listed(query: str) -> int:
        return client.get(f"{payments}?{query}").context["page"].paginator.count

    assert listed("status=pending&method=transfer") == 2
    assert listed("status=pending&method=qris") == 1
    assert listed("status=pending") == 4  # and the card payment Stripe confirms by itself
    assert client.get(f"{orders}?status=paid").context["page"].paginator.count == 2


def test_flagged_payments_show_only_when_there_are_some(client):
    owner = UserFactory()
    shop = ShopFactory(owner=owner)
    client.force_login(owner)
    url = reverse("seller:dashboard", args=[shop.slug])
    assert "attention" not in counts(client.get(url).content.decode())
    order = place(ProductFactory(shop=shop))
    pay(order, "qris", PaymentStatus.SUCCEEDED, needs_attention=True, attention="refund_due")
    page = client.get(url).content.decode()
    assert counts(page)["attention"] == 1
    payments = reverse("seller_payments:list", args=[shop.slug])
    assert f'href="{payments}?status=attention"><strong>1</strong>' in page


def test_without_a_payments_reader_the_dashboard_still_works(client, settings):
    settings.SHOP_PAYMENTS_TO_CONFIRM_READER = ""
    owner = UserFactory()
    shop = ShopFactory(owner=owner)
    place(ProductFactory(shop=shop))
    client.force_login(owner)
    page = client.get(reverse("seller:dashboard", args=[shop.slug])).content.decode()
    assert counts(page) == {"awaiting_payment": 1, "paid": 0, "low_stock": 0, "processing": 0}


def _queries(client, shop) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("seller:dashboard", args=[shop.slug]))
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_takes_the_same_number_of_queries_whatever_the_data(client):
    owner = UserFactory()
    empty, full = ShopFactory(owner=owner), ShopFactory(owner=owner)
    fill(full, orders=12, paid=6, transfers=4, qris=3, low=5)
    order = place(ProductFactory(shop=full))
    pay(order, "transfer", PaymentStatus.SUCCEEDED, needs_attention=True, attention="paid_twice")
    client.force_login(owner)
    few, many = _queries(client, empty), _queries(client, full)
    assert few == many, (few, many)
    assert many <= 8, many


def test_another_seller_and_a_stranger_get_404(client):
    shop = ShopFactory()
    fill(shop, orders=1, paid=0, transfers=1, qris=0, low=0)
    other = UserFactory()
    ShopFactory(owner=other)
    client.force_login(other)
    assert client.get(reverse("seller:dashboard", args=[shop.slug])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("seller:dashboard", args=[shop.slug])).status_code == 404
