import json
import os
import subprocess
import sys
import textwrap

import pytest

from marketplace.models import Order
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import qris
from payments.api import PaymentsThrottle
from payments.models import Payment
from payments.services import payment_start
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import with_qris
from tests.payments.stripe_standin import StripeStandIn
from tests.support.throttle import throttle_reset

pytestmark = pytest.mark.django_db
ADDRESSES = ("127.0.0.1", "10.0.0.7", "10.0.0.8", "10.0.0.9")


@pytest.fixture(autouse=True)
def _fresh_throttle():
    throttle_reset(*ADDRESSES)
    yield
    throttle_reset(*ADDRESSES)


@pytest.fixture
def stripe_api(settings):
    with StripeStandIn() as stand_in:
        settings.STRIPE_SECRET_KEY = "sk_test_pasar"
        settings.STRIPE_API_BASE = stand_in.url
        yield stand_in


def order_for(shop=None):
    product = ProductFactory(shop=shop or with_qris(ShopFactory()), price=125_000)
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, 1)],
        contact=Contact("Budi", "0812 3333 4444", "budi@pasar.test"),
    )
    return checkout.orders.get()


def start(client, number, provider="qris", checkout=None, **extra):
    """POST the payments call; `checkout` defaults to the order's own checkout code."""
    if checkout is None:
        order = Order.objects.select_related("checkout").filter(number=number).first()
        checkout = order.checkout.code if order else "no-such-code"
    body = {"provider": provider}
    if checkout is not False:
        body["checkout"] = checkout
    return client.post(
        f"/api/v1/orders/{number}/payments/",
        json.dumps(body),
        content_type="application/json",
        **extra,
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


# Who may start a payment (issue 8, item 7) ------------------------------------------------------


def test_without_the_checkout_code_it_is_404_as_for_an_unknown_number(client):
    order = order_for()
    unknown = start(client, "PK000000-NOPE")
    assert unknown.status_code == 404
    for attempt in (
        start(client, order.number, checkout=False),  # no code at all
        start(client, order.number, checkout=""),
        start(client, order.number, checkout="x" * 16),  # a wrong one
        start(client, order.number, checkout=order.checkout.code[:-1]),  # nearly right
        start(client, order.number, checkout=order.checkout.code.upper() + "ü"),
    ):
        assert attempt.status_code == 404
        assert attempt.content == unknown.content  # the same body: nothing tells them apart
    assert not Payment.objects.exists()


def test_a_wrong_code_neither_starts_a_payment_nor_leaks_the_client_secret(client, stripe_api):
    order = order_for()
    pending = payment_start(order=order, provider="stripe")
    assert pending.client_secret
    calls = len(stripe_api.requests)
    response = start(client, order.number, provider="stripe", checkout="guessed-code-1234")
    assert response.status_code == 404
    assert pending.client_secret not in response.content.decode()
    assert Payment.objects.count() == 1 and len(stripe_api.requests) == calls
    # The buyer, who holds the code, gets their pending payment back.
    mine = start(client, order.number, provider="stripe")
    assert mine.status_code == 201 and mine.json()["client_secret"] == pending.client_secret
    assert mine["Cache-Control"] == "no-store"


def test_another_checkouts_order_with_this_checkouts_code_is_404(client):
    shop = with_qris(ShopFactory())
    mine, theirs = order_for(shop), order_for(shop)
    response = start(client, theirs.number, checkout=mine.checkout.code)
    assert response.status_code == 404
    assert not Payment.objects.exists()
    assert start(client, mine.number, checkout=mine.checkout.code).status_code == 201


def test_the_code_is_checked_before_the_body(client):
    """A stranger learns nothing from a 400: without the code, a bad provider is a 404 too."""
    order = order_for()
    assert start(client, order.number, provider="bitcoin", checkout="wrong").status_code == 404
    assert start(client, order.number, provider="bitcoin").status_code == 400


def test_the_call_is_throttled_per_address_with_retry_after(client):
    order = order_for()
    limit = int(PaymentsThrottle.THROTTLE_RATES["payments"].split("/")[0])
    statuses = [start(client, order.number, checkout="guess").status_code for _ in range(limit)]
    assert statuses == [404] * limit  # guesses count
    throttled = start(client, order.number)  # now even the right code waits
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert not Payment.objects.exists()
    # Another address is not held back; a forged X-Forwarded-For does not make a new address.
    assert start(client, order.number, REMOTE_ADDR="10.0.0.7").status_code == 201
    forged = start(client, order.number, HTTP_X_FORWARDED_FOR="10.0.0.8")
    assert forged.status_code == 429


SPEND_IN_ANOTHER_PROCESS = textwrap.dedent(
    """
    import django
    django.setup()
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory
    from payments.api import OrderPaymentsView, PaymentsThrottle
    view, throttle = OrderPaymentsView(), PaymentsThrottle()
    for _ in range(int(sys.argv[1])):
        request = Request(APIRequestFactory().post("/", REMOTE_ADDR="10.0.0.9"))
        assert throttle.allow_request(request, view)
    """
)


def test_the_count_is_shared_by_every_process(client):
    """gunicorn runs several processes: a count kept per process would multiply the limit."""
    order = order_for()
    limit = int(PaymentsThrottle.THROTTLE_RATES["payments"].split("/")[0])
    other = subprocess.run(
        [sys.executable, "-c", "import sys\n" + SPEND_IN_ANOTHER_PROCESS, str(limit)],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.returncode == 0, other.stderr
    assert start(client, order.number, REMOTE_ADDR="10.0.0.9").status_code == 429
    assert start(client, order.number).status_code == 201  # this address has its own count
