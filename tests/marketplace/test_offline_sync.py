"""The seller dashboard's offline queue, server side (issue 12, item 2): each queued change is
applied through the same services as online, refused with a reason when the thing changed
meanwhile, and applied once however often (or however concurrently) it is sent."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from marketplace.models import OfflineChange, Order, OrderStatus, OutboxEvent, Variant
from marketplace.offline import Change, offline_change_apply
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.orders import order_cancel, order_mark_paid
from tests.factories import ProductFactory, ShopFactory, UserFactory
from tests.support.race import run_concurrently

pytestmark = pytest.mark.django_db


def placed(product, quantity: int = 1) -> Order:
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, quantity)],
        contact=Contact("Turis", "0812 1111 2222", "turis@pasar.test"),
    )
    return checkout.orders.get()


def paid(product) -> Order:
    order = placed(product)
    return order_mark_paid(order=order)


def send(client, shop, *changes) -> list[dict]:
    response = client.post(
        reverse("seller:sync", args=[shop.slug]),
        json.dumps({"changes": list(changes)}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["results"]


def change(kind, target, version, **value) -> dict:
    return {
        "key": str(uuid.uuid4()),
        "kind": kind,
        "target": str(target),
        "version": str(version),
        "value": value,
    }


@pytest.fixture
def shop(client):
    owner = UserFactory()
    shop = ShopFactory(owner=owner)
    client.force_login(owner)
    shop.owner = owner
    return shop


def test_a_stock_change_is_on_hand_now_n_and_says_what_orders_hold(client, shop):
    product = ProductFactory(shop=shop, stock=10)
    variant = Variant.objects.get(product=product)
    placed(product, 3)  # sold while the seller was offline
    result = send(client, shop, change("stock.set", variant.pk, 10, on_hand=7))[0]
    assert result["status"] == "applied", result
    assert result["detail"] == {"on_hand": 7, "allocated": 3, "free": 4, "seen_on_hand": 10}
    assert "3 dipesan pembeli" in result["message"]
    assert Variant.objects.get(pk=variant.pk).on_hand == 7


def test_a_stock_change_below_what_orders_hold_is_refused(client, shop):
    product = ProductFactory(shop=shop, stock=5)
    variant = Variant.objects.get(product=product)
    placed(product, 4)
    result = send(client, shop, change("stock.set", variant.pk, 5, on_hand=2))[0]
    assert result["status"] == "refused" and result["message"]
    assert result["detail"]["allocated"] == 4
    assert Variant.objects.get(pk=variant.pk).on_hand == 5


def test_the_same_change_sent_twice_is_applied_once(client, shop):
    order = paid(ProductFactory(shop=shop))
    ship = change("order.mark", order.number, "paid", status="processing")
    first, second = send(client, shop, ship), send(client, shop, ship)
    assert first[0]["status"] == "applied", first
    assert second[0]["status"] == "duplicate" and second[0]["message"] == first[0]["message"]
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PROCESSING
    assert OutboxEvent.objects.filter(name="order.processing").count() == 1
    assert OfflineChange.objects.count() == 1


def test_marking_an_order_cancelled_meanwhile_is_refused_with_a_reason(client, shop):
    order = paid(ProductFactory(shop=shop))
    order_cancel(order=order, by=None, reason="Pembeli membatalkan")
    result = send(client, shop, change("order.mark", order.number, "paid", status="processing"))[0]
    assert result["status"] == "refused"
    assert "Dibatalkan" in result["message"]
    assert result["detail"]["status"] == "cancelled"
    assert not OutboxEvent.objects.filter(name="order.processing").exists()


def test_each_change_of_a_batch_answers_on_its_own(client, shop):
    order = paid(ProductFactory(shop=shop))
    results = send(
        client,
        shop,
        change("order.mark", order.number, "paid", status="processing"),
        change("order.mark", "NOPE-1", "paid", status="processing"),
        {"key": "not-a-uuid", "kind": "stock.set"},
        change("rocket.launch", 1, 1),
    )
    assert [r["status"] for r in results] == ["applied", "refused", "refused", "refused"]


def test_another_seller_and_a_stranger_get_nothing(client, shop):
    order = paid(ProductFactory(shop=shop))
    mark = change("order.mark", order.number, "paid", status="processing")
    url = reverse("seller:sync", args=[shop.slug])
    client.logout()
    assert (
        client.post(
            url, json.dumps({"changes": [mark]}), content_type="application/json"
        ).status_code
        == 302
    )
    other_owner = UserFactory()
    other = ShopFactory(owner=other_owner)
    client.force_login(other_owner)
    assert (
        client.post(
            url, json.dumps({"changes": [mark]}), content_type="application/json"
        ).status_code
        == 404
    )
    # Their own shop's sync cannot reach this shop's order either.
    assert send(client, other, mark)[0]["status"] == "refused"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_a_payment_confirmed_offline_goes_through_the_payments_rules(client, shop):
    from payments import services
    from tests.payments.conftest import with_qris

    with_qris(shop)
    order = placed(ProductFactory(shop=shop))
    payment = services.payment_start(order=order, provider="qris")
    confirm = change("payment.confirm", payment.reference, "pending")
    assert send(client, shop, confirm)[0]["status"] == "applied"
    assert send(client, shop, confirm)[0]["status"] == "duplicate"
    assert OutboxEvent.objects.filter(name="payment.succeeded").count() == 1
    again = send(client, shop, change("payment.confirm", payment.reference, "pending"))[0]
    assert again["status"] == "refused" and again["detail"]["status"] == "succeeded"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_change_sent_twice_at_once_is_applied_once():
    owner = UserFactory()
    shop = ShopFactory(owner=owner)
    order = paid(ProductFactory(shop=shop))
    ship = Change.parse(change("order.mark", order.number, "paid", status="processing"))
    results = run_concurrently(
        *[lambda: offline_change_apply(shop=shop, user=owner, change=ship) for _ in range(4)]
    )
    assert all(not isinstance(r, BaseException) for r in results), results
    assert sorted(r.status for r in results).count("applied") == 1
    assert OutboxEvent.objects.filter(name="order.processing").count() == 1
    assert OfflineChange.objects.filter(key=ship.key).count() == 1
