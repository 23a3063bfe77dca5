"""A seller's own figures (issue 11, item 7): sales by month and method, best products and how
many buyers paid cashless; only their shop's, never another seller's or a stranger's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.models import Checkout, ShopMember, ShopRole
from payments import services
from tests.factories import ShopFactory, UserFactory
from tests.payments.conftest import with_qris
from tests.payments.helpers import deliver, order_for
from tests.payments.test_late_payments import settle_qris

pytestmark = pytest.mark.django_db


def buyer(order):
    """Each order from a buyer of its own (order_for gives them all one address)."""
    Checkout.objects.filter(pk=order.checkout_id).update(contact_email=f"b{order.pk}@pasar.test")
    return order


@pytest.fixture
def two_shops(client, django_capture_on_commit_callbacks):
    shops = []
    for prices in ((120_000, 80_000), (999_000,)):
        owner = UserFactory()
        shop = with_qris(ShopFactory(owner=owner))
        ShopMember.objects.get_or_create(shop=shop, user=owner, defaults={"role": ShopRole.OWNER})
        for price in prices:
            order = buyer(order_for(price, shop=shop))
            payment = services.payment_start(order=order, provider="qris")
            settle_qris(client, payment, transaction_id=f"TX-{payment.pk}")
        buyer(order_for(50_000, shop=shop))  # placed, never paid
        shop.owner = owner
        shops.append(shop)
    deliver(django_capture_on_commit_callbacks)
    return shops


def test_the_seller_sees_their_own_figures_only(client, two_shops):
    mine, theirs = two_shops
    client.force_login(mine.owner)
    response = client.get(reverse("seller_payments:figures", args=[mine.slug]))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert sum(m["net"] for m in figures["months"]) == 200_000
    assert figures["methods"] == [{"name": "QRIS", "payments": 2, "net": 200_000}]
    assert (figures["cashless_buyers"], figures["buyers"]) == (2, 3)
    assert sum(p["value"] for p in figures["best_products"]) == 200_000
    assert "999.000" not in response.content.decode()

    assert client.get(reverse("seller_payments:figures", args=[theirs.slug])).status_code == 404


def test_a_stranger_is_sent_to_sign_in(client, two_shops):
    response = client.get(reverse("seller_payments:figures", args=[two_shops[0].slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert (
        client.get(reverse("seller_payments:figures", args=[two_shops[0].slug])).status_code == 404
    )
