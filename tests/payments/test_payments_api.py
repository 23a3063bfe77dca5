import pytest

from marketplace.models import Order
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import qris
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import with_qris

pytestmark = pytest.mark.django_db


def order_for(shop=None):
    product = ProductFactory(shop=shop or with_qris(ShopFactory()), price=125_000)
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, 1)],
        contact=Contact("Budi", "0812 3333 4444", "budi@pasar.test"),
    )
    return checkout.orders.get()


def start(client, number, provider="qris"):
    return client.post(
        f"/api/v1/orders/{number}/payments/",
        {"provider": provider},
        content_type="application/json",
    )


def test_a_qris_payment_answers_with_the_dynamic_payload(client):
    order = order_for()
    response = start(client, order.number)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference", "provider", "status", "amount", "expires_at", "qris_payload"}
    assert body["status"] == "pending" and body["amount"] == 125_000
    parsed = qris.parse(body["qris_payload"])
    assert parsed.amount == 125_000 and parsed.sub("62", "05") == body["reference"]
    assert start(client, order.number).json()["reference"] == body["reference"]  # same one
    svg = client.get(f"/payments/{body['reference']}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"


def test_a_shop_without_qris_gets_a_409_with_a_reason(client):
    order = order_for(shop=ShopFactory())
    response = start(client, order.number)
    assert response.status_code == 409 and "QRIS" in response.json()["detail"]


def test_an_order_no_longer_awaiting_payment_gets_409(client):
    order = order_for()
    Order.objects.filter(pk=order.pk).update(status="paid")
    assert start(client, order.number).status_code == 409


def test_bad_input_is_400_and_unknown_orders_404(client):
    order = order_for()
    assert start(client, order.number, provider="bitcoin").status_code == 400
    assert start(client, "PK000000-NOPE").status_code == 404


def test_the_checkout_api_lists_the_orders_payments(client):
    order = order_for()
    reference = start(client, order.number).json()["reference"]
    body = client.get(f"/api/v1/checkouts/{order.checkout.code}/").json()
    (payment,) = body["orders"][0]["payments"]
    assert payment["reference"] == reference
    assert (payment["provider"], payment["status"], payment["amount"]) == (
        "qris",
        "pending",
        125_000,
    )
