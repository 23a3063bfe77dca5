"""Shared by the payment tests: the Stripe stand-in as a fixture, signed webhooks, orders, and
`deliver`, which does a worker's part here."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from marketplace.models import OutboxEvent
from marketplace.outbox import event_handle, outbox_relay
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import services
from payments.models import Payment
from tests.factories import ProductFactory
from tests.payments.stripe_standin import StripeStandIn

WEBHOOK_SECRET = "whsec_test_pasar"


@pytest.fixture
def stripe_api(settings):
    with StripeStandIn() as stand_in:
        settings.STRIPE_SECRET_KEY = "sk_test_pasar"
        settings.STRIPE_API_BASE = stand_in.url
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        yield stand_in


def order_for(price: int = 10_000, *, stock: int = 5, shop=None):
    product = ProductFactory(price=price, stock=stock, **({"shop": shop} if shop else {}))
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, 1)],
        contact=Contact("Tourist", "0812 1111 2222", "tourist@example.test"),
    )
    return checkout.orders.get()


def signed(body: dict, secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    payload = json.dumps(body).encode()
    timestamp = int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return payload, f"t={timestamp},v1={digest.hexdigest()}"


def post_stripe(client, body: dict):
    payload, header = signed(body)
    response = client.post(
        "/payments/webhooks/stripe/",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 200, response.content
    return response


def succeeded_event(event_id: str, payment: Payment) -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": "payment_intent.succeeded",
        "api_version": "2024-06-20",
        "data": {
            "object": {
                "id": payment.provider_reference,
                "object": "payment_intent",
                "amount": payment.amount * 100,
                "amount_received": payment.amount * 100,
                "metadata": {"reference": payment.reference},
            }
        },
    }


def refunded_event(event_id: str, payment: Payment, refunded_rupiah: int) -> dict:
    """charge.refunded as Stripe sends it: amount_refunded is cumulative over the charge."""
    return {
        "id": event_id,
        "object": "event",
        "type": "charge.refunded",
        "api_version": "2024-06-20",
        "data": {
            "object": {
                "id": "ch_" + payment.reference.lower(),
                "object": "charge",
                "amount": payment.amount * 100,
                "amount_refunded": refunded_rupiah * 100,
                "payment_intent": payment.provider_reference,
                "refunded": refunded_rupiah >= payment.amount,
                "metadata": {"reference": payment.reference},
            }
        },
    }


def deliver(capture) -> None:
    """Apply the stored notifications and run every subscribed handler of every event, with
    their after-commit work (provider calls, mail), until nothing is left."""
    for _ in range(10):
        with capture(execute=True):
            for row_id in services.provider_events_unapplied():
                services.provider_event_apply(provider_event_id=row_id)
        with capture(execute=True):
            relayed = outbox_relay(
                dispatch=lambda event_id, handler: event_handle(event_id=event_id, handler=handler)
            )
        if not relayed and not services.provider_events_unapplied():
            return
    raise AssertionError("events keep coming")


def events_named(name: str) -> list[OutboxEvent]:
    return list(OutboxEvent.objects.filter(name=name).order_by("created_at"))
