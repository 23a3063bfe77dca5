"""Notifications arrive late, twice, out of order, or forged: money is never wrong."""

import random
from collections import Counter

import pytest

from marketplace import outbox
from marketplace.models import Order, OrderStatus, OutboxEvent
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import services
from payments.models import Payment, PaymentStatus, ProviderEvent
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import qris_notification, with_qris

pytestmark = pytest.mark.django_db
URL = "/payments/webhooks/qris/"


def make_payments(count: int) -> list[Payment]:
    shop = with_qris(ShopFactory())
    product = ProductFactory(shop=shop, price=75_000, stock=count)
    payments = []
    for n in range(count):
        checkout = checkout_place(
            items=[CheckoutItem(product.slug, 1)],
            contact=Contact(f"Turis {n}", f"0813{n:08d}", f"t{n}@pasar.test"),
        )
        payments.append(services.payment_start(order=checkout.orders.get(), provider="qris"))
    return payments


def post(client, body: dict):
    return client.post(URL, body, content_type="application/json")


def apply_everything(capture) -> None:
    while batch := services.provider_events_unapplied():
        for row_id in batch:
            services.provider_event_apply(provider_event_id=row_id)
    for event in OutboxEvent.objects.filter(name="payment.succeeded", completed_at__isnull=True):
        for handler in outbox.handlers_for(event.name):
            with capture(execute=False):
                outbox.event_handle(event_id=event.id, handler=handler)


def test_a_thousand_shuffled_notifications_with_duplicates(
    client, django_capture_on_commit_callbacks
):
    payments = make_payments(200)
    rng = random.Random(2026)
    settled = {p.reference for p in payments[:100]}
    distinct = []
    for payment in payments:
        statuses = (
            ["pending", "settlement", "expire", "cancel"]
            if payment.reference in settled
            else ["pending", "deny", "expire", "cancel"]
        )
        distinct += [
            qris_notification(
                payment.reference, status, payment.amount, transaction_id=f"TX-{payment.reference}"
            )
            for status in statuses
        ]
    notifications = distinct + [rng.choice(distinct) for _ in range(200)]  # 20% duplicates
    rng.shuffle(notifications)
    assert len(notifications) == 1000

    for body in notifications:
        assert post(client, body).status_code == 200
    assert ProviderEvent.objects.count() == 800  # each duplicate stored once
    apply_everything(django_capture_on_commit_callbacks)

    for payment in Payment.objects.select_related("order"):
        if payment.reference in settled:
            assert payment.status == PaymentStatus.SUCCEEDED, payment.reference
            assert payment.order.status == OrderStatus.PAID
        else:
            assert payment.status in {PaymentStatus.FAILED, PaymentStatus.EXPIRED}
            assert payment.order.status == OrderStatus.AWAITING_PAYMENT
    paid_events = Counter(
        e.payload["order_number"] for e in OutboxEvent.objects.filter(name="payment.succeeded")
    )
    assert len(paid_events) == 100 and set(paid_events.values()) == {1}  # none paid twice
    order_paid = Counter(e.payload["number"] for e in OutboxEvent.objects.filter(name="order.paid"))
    assert set(order_paid.values()) == {1} and len(order_paid) == 100


def test_a_forged_signature_is_refused_and_stores_nothing(client):
    (payment,) = make_payments(1)
    forged = qris_notification(
        payment.reference,
        "settlement",
        payment.amount,
        transaction_id="TX-1",
        key="not-the-server-key",
    )
    assert post(client, forged).status_code == 400
    assert not ProviderEvent.objects.exists()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_tampered_amount_breaks_the_signature(client):
    (payment,) = make_payments(1)
    body = qris_notification(payment.reference, "settlement", payment.amount, transaction_id="T")
    body["gross_amount"] = "1.00"
    assert post(client, body).status_code == 400


def test_a_signed_notification_for_the_wrong_amount_changes_nothing(client):
    (payment,) = make_payments(1)
    body = qris_notification(payment.reference, "settlement", 1, transaction_id="TX-cheap")
    assert post(client, body).status_code == 200
    row = ProviderEvent.objects.get()
    assert services.provider_event_apply(provider_event_id=row.pk).startswith("refused")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not OutboxEvent.objects.filter(name="payment.succeeded").exists()


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"order_id": "x"}'])
def test_unreadable_notifications_are_refused(client, body):
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400


def test_settlement_after_our_expiry_is_kept_and_revives_the_order(
    client, django_capture_on_commit_callbacks
):
    """The stock is still there: the order is paid after all (tests/payments/test_late_payments.py
    has the cases where it is not)."""
    from django.utils import timezone

    from marketplace.services.orders import orders_expire_due

    (payment,) = make_payments(1)
    Order.objects.filter(pk=payment.order_id).update(expires_at=timezone.now())
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now())
    orders_expire_due()
    services.payments_expire_due()
    post(
        client,
        qris_notification(
            payment.reference, "settlement", payment.amount, transaction_id="TX-late"
        ),
    )
    apply_everything(django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED and not payment.needs_attention
    assert "kedaluwarsa" in payment.note
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.PAID


def test_reconcile_applies_what_the_broker_never_delivered(client):
    from payments.tasks import reconcile

    (payment,) = make_payments(1)
    # Stored by the webhook, but its apply task was lost (no worker ever ran it here).
    post(
        client,
        qris_notification(
            payment.reference, "settlement", payment.amount, transaction_id="TX-lost"
        ),
    )
    assert ProviderEvent.objects.get().processed_at is None
    assert reconcile() == {"applied": 1, "expired": 0, "intents": 0}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert reconcile() == {"applied": 0, "expired": 0, "intents": 0}
