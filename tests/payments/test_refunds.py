"""Refunds (issue #8, items 4 and 5): a seller cancelling a paid order never keeps the money
silently (payments reacts to order.cancelled: Stripe refunds by itself, QRIS and transfers are
"refund due" for the seller); Stripe's charge.refunded carries the cumulative amount refunded,
and a payment (and its order) is refunded only once all of it is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.models import OrderStatus
from marketplace.outbox import event_handle, handlers_for
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.orders import order_cancel, order_process
from payments import services
from payments.models import Attention, Payment, PaymentStatus, ProviderEvent
from tests.factories import ProductFactory, ShopFactory
from tests.payments import helpers
from tests.payments.conftest import qris_notification, with_qris
from tests.payments.helpers import (
    deliver,
    events_named,
    order_for,
    post_stripe,
    refunded_event,
    succeeded_event,
)

pytestmark = pytest.mark.django_db
P = PaymentStatus
stripe_api = helpers.stripe_api  # the fixture
HANDLER = "payments.handlers.payments_settle_on_order_ended"


def paid_by_card(client, capture, price: int = 10_000) -> Payment:
    payment = services.payment_start(order=order_for(price), provider="stripe")
    post_stripe(client, succeeded_event(f"evt_paid_{payment.reference}", payment))
    deliver(capture)
    payment.refresh_from_db()
    assert payment.status == P.SUCCEEDED and payment.order.status == OrderStatus.PAID
    return payment


def paid_by_qris(client, capture) -> Payment:
    shop = with_qris(ShopFactory())
    product = ProductFactory(shop=shop, price=80_000)
    order = checkout_place(
        items=[CheckoutItem(product.slug, 1)],
        contact=Contact("Rina", "0812 3333 4444", "rina@pasar.test"),
    ).orders.get()
    payment = services.payment_start(order=order, provider="qris")
    body = qris_notification(payment.reference, "settlement", 80_000, transaction_id="TX-p")
    client.post("/payments/webhooks/qris/", body, content_type="application/json")
    deliver(capture)
    payment.refresh_from_db()
    assert payment.order.status == OrderStatus.PAID
    return payment


def refunds(stand_in) -> list[dict]:
    return [r for r in stand_in.requests if r["path"] == "/v1/refunds"]


def test_is_wired_to_order_cancelled_and_expired():
    assert HANDLER in handlers_for("order.cancelled")
    assert HANDLER in handlers_for("order.expired")


def test_a_seller_cancelling_a_card_paid_order_refunds_it_through_stripe(
    client, stripe_api, django_capture_on_commit_callbacks
):
    payment = paid_by_card(client, django_capture_on_commit_callbacks)
    seller = payment.order.shop.members.get()
    order_process(order=payment.order, by=seller)
    order_cancel(order=payment.order, by=seller, reason="Barang rusak")
    deliver(django_capture_on_commit_callbacks)

    (refund,) = refunds(stripe_api)
    assert refund["idempotency_key"] == f"refund-{payment.reference}"
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and payment.refunded_amount == payment.amount
    assert payment.order.status == OrderStatus.CANCELLED  # cancelled stays cancelled
    # A redelivery of order.cancelled, by the outbox or by hand, refunds nothing more.
    (cancelled,) = events_named("order.cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        assert event_handle(event_id=cancelled.id, handler=HANDLER) is False
        assert services.payments_order_ended(order_id=payment.order_id) == []
    assert len(refunds(stripe_api)) == 1
    # Stripe's own charge.refunded for it arrives later and changes nothing.
    post_stripe(client, refunded_event("evt_ref_all", payment, payment.amount))
    deliver(django_capture_on_commit_callbacks)
    assert len(events_named("payment.refunded")) == 1


def test_a_seller_cancelling_a_qris_paid_order_gets_refund_due_until_they_mark_it(
    client, django_capture_on_commit_callbacks
):
    payment = paid_by_qris(client, django_capture_on_commit_callbacks)
    owner = payment.order.shop.members.get()
    order_cancel(order=payment.order, by=owner, reason="Stok habis")
    deliver(django_capture_on_commit_callbacks)
    deliver(django_capture_on_commit_callbacks)

    payment.refresh_from_db()
    assert payment.status == P.SUCCEEDED  # the money is still with the seller
    assert payment.needs_attention and payment.attention == Attention.REFUND_DUE
    assert "Rp 80.000" in payment.note
    client.force_login(owner)
    page = client.get(
        reverse("seller_payments:list", args=[payment.order.shop.slug]), {"status": "attention"}
    ).content.decode()
    assert payment.reference in page and "Dana harus dikembalikan penjual" in page
    assert "Dana sudah saya kembalikan" in page

    response = client.post(
        reverse("seller_payments:refund", args=[payment.order.shop.slug, payment.reference])
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and not payment.needs_attention
    assert payment.order.status == OrderStatus.CANCELLED


def test_a_partial_stripe_refund_is_recorded_and_counted_once_in_any_order(
    client, stripe_api, django_capture_on_commit_callbacks
):
    payment = paid_by_card(client, django_capture_on_commit_callbacks, price=10_000)

    post_stripe(client, refunded_event("evt_r1", payment, 3_000))
    post_stripe(client, refunded_event("evt_r1", payment, 3_000))  # the same event again
    deliver(django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.status == P.SUCCEEDED and payment.refunded_amount == 3_000
    assert payment.order.status == OrderStatus.PAID

    # Two more refunds of the charge; Stripe delivers the later one (7 000 so far) first.
    post_stripe(client, refunded_event("evt_r3", payment, 7_000))
    deliver(django_capture_on_commit_callbacks)
    post_stripe(client, refunded_event("evt_r2", payment, 5_000))
    deliver(django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.refunded_amount == 7_000 and payment.status == P.SUCCEEDED
    assert events_named("payment.refunded") == []
    outcomes = dict(ProviderEvent.objects.values_list("event_id", "outcome"))
    assert outcomes["evt_r2"] == "unchanged"

    owner = payment.order.shop.members.get()
    client.force_login(owner)
    page = client.get(reverse("seller_payments:list", args=[payment.order.shop.slug]))
    assert "Dikembalikan sebagian: Rp 7.000 dari Rp 10.000" in page.content.decode()

    post_stripe(client, refunded_event("evt_r4", payment, 10_000))
    deliver(django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and payment.refunded_amount == 10_000
    assert payment.order.status == OrderStatus.REFUNDED
    assert len(events_named("payment.refunded")) == 1


def test_a_refund_larger_than_the_payment_is_capped_at_its_amount(
    client, stripe_api, django_capture_on_commit_callbacks
):
    payment = paid_by_card(client, django_capture_on_commit_callbacks, price=10_000)
    post_stripe(client, refunded_event("evt_big", payment, 12_000))
    deliver(django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and payment.refunded_amount == 10_000


def test_the_owner_refunds_what_a_partial_refund_left(
    client, stripe_api, django_capture_on_commit_callbacks
):
    payment = paid_by_card(client, django_capture_on_commit_callbacks, price=10_000)
    post_stripe(client, refunded_event("evt_part", payment, 4_000))
    deliver(django_capture_on_commit_callbacks)
    owner = payment.order.shop.members.get()
    services.payment_refund(payment=payment, by=owner)
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and payment.refunded_amount == 10_000
    (refund,) = refunds(stripe_api)
    assert "amount" not in refund["form"]  # Stripe refunds the rest
