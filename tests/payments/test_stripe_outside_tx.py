"""Stripe is called outside database transactions and row locks (issue #8, item 10): starting a
card payment and refunding one record their intent first, call Stripe with the idempotency key,
then record the outcome in a new transaction. A crash in between is repaired by the reconcile
task with the same key: never a second charge or refund, never a refund recorded that Stripe did
not make. The real `stripe` library talks to tests/payments/stripe_standin.py, which looks, from
its own thread and database connection, at what the caller holds while it waits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from marketplace.models import Order, OrderStatus
from marketplace.outbox import OutboxEvent, event_handle
from marketplace.services.orders import order_cancel, order_mark_paid
from payments import services
from payments.models import Intent, Payment, PaymentStatus
from payments.providers.stripe_cards import StripeProvider
from payments.tasks import reconcile
from tests.payments import helpers
from tests.payments.helpers import order_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
P = PaymentStatus
stripe_api = helpers.stripe_api  # the fixture
HANDLER = "payments.handlers.payments_settle_on_order_ended"


class Crash(BaseException):
    """The process dies here (not an Exception: nothing in the code may catch it)."""


class Probe:
    """The stand-in's on_request: whether the caller's connection is inside a transaction, and
    which of the order's rows (the order, its payments) another connection cannot lock now."""

    def __init__(self, order: Order):
        self.caller = connections["default"]  # the test thread's own connection object
        self.order_id = order.pk
        self.seen: list[dict] = []

    def __call__(self, request: dict) -> None:
        in_transaction = self.caller.in_atomic_block
        locked = []
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for table, column in (
                    (Order._meta.db_table, "id"),
                    (Payment._meta.db_table, "order_id"),
                ):
                    try:
                        with transaction.atomic():
                            cursor.execute(
                                f"SELECT 1 FROM {table} WHERE {column} = %s FOR UPDATE NOWAIT",
                                [self.order_id],
                            )
                    except OperationalError:
                        locked.append(table)
        finally:
            connection.close()  # this thread's connection
        self.seen.append(
            {"path": request["path"], "in_transaction": in_transaction, "locked": locked}
        )


def paid_card_payment(stand_in) -> Payment:
    payment = services.payment_start(order=order_for(10_000), provider="stripe")
    Payment.objects.filter(pk=payment.pk).update(status=P.SUCCEEDED, succeeded_at=timezone.now())
    order_mark_paid(order=payment.order)
    stand_in.requests.clear()
    return Payment.objects.select_related("order").get(pk=payment.pk)


def refunds(stand_in) -> list[dict]:
    return [r for r in stand_in.requests if r["path"] == "/v1/refunds"]


def make_stale(payment: Payment) -> None:
    Payment.objects.filter(pk=payment.pk).update(
        intent_at=timezone.now() - services.INTENT_RETRY_AFTER - timedelta(seconds=1)
    )


def test_starting_a_card_payment_calls_stripe_with_nothing_open_or_locked(stripe_api):
    order = order_for(10_000)
    stripe_api.on_request = probe = Probe(order)
    payment = services.payment_start(order=order, provider="stripe")
    assert probe.seen == [{"path": "/v1/payment_intents", "in_transaction": False, "locked": []}]
    payment.refresh_from_db()
    assert payment.intent == "" and payment.client_secret.startswith(payment.provider_reference)


def test_an_owner_refund_calls_stripe_with_nothing_open_or_locked(stripe_api):
    payment = paid_card_payment(stripe_api)
    stripe_api.on_request = probe = Probe(payment.order)
    services.payment_refund(payment=payment, by=payment.order.shop.members.get())
    assert probe.seen == [{"path": "/v1/refunds", "in_transaction": False, "locked": []}]
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and payment.intent == ""


def test_the_refund_of_a_cancelled_order_is_called_after_the_handler_committed(stripe_api):
    payment = paid_card_payment(stripe_api)
    order_cancel(order=payment.order, by=None, reason="Toko tutup")
    stripe_api.on_request = probe = Probe(payment.order)
    event = OutboxEvent.objects.get(name="order.cancelled")
    assert event_handle(event_id=event.id, handler=HANDLER)  # as a worker runs it
    assert probe.seen == [{"path": "/v1/refunds", "in_transaction": False, "locked": []}]
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED
    assert Order.objects.get(pk=payment.order_id).status == OrderStatus.CANCELLED


def test_a_crash_after_stripe_refunded_is_repaired_by_reconcile_without_a_second_refund(
    stripe_api, monkeypatch
):
    payment = paid_card_payment(stripe_api)
    real_refund = StripeProvider.refund

    def refund_then_die(self, payment):
        real_refund(self, payment)
        raise Crash

    monkeypatch.setattr(StripeProvider, "refund", refund_then_die)
    with pytest.raises(Crash):
        services.payment_refund(payment=payment, by=payment.order.shop.members.get())
    monkeypatch.undo()
    payment.refresh_from_db()
    assert payment.status == P.SUCCEEDED and payment.intent == Intent.REFUND
    assert len(refunds(stripe_api)) == 1

    assert reconcile()["intents"] == 0  # too fresh: the first call may still be on its way
    make_stale(payment)
    assert reconcile()["intents"] == 1
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and payment.refunded_amount == 10_000
    assert payment.intent == ""
    calls = refunds(stripe_api)
    assert [c["idempotency_key"] for c in calls] == [f"refund-{payment.reference}"] * 2
    made = [v for k, v in stripe_api.by_idempotency_key.items() if k.startswith("refund-")]
    assert len(made) == 1  # Stripe answered the retry with the first refund
    assert OutboxEvent.objects.filter(name="payment.refunded").count() == 1
    assert reconcile()["intents"] == 0


def test_a_crash_before_the_refund_call_is_made_good_by_reconcile(stripe_api, monkeypatch):
    payment = paid_card_payment(stripe_api)

    def die(self, payment):
        raise Crash

    monkeypatch.setattr(StripeProvider, "refund", die)
    with pytest.raises(Crash):
        services.payment_refund(payment=payment, by=payment.order.shop.members.get())
    monkeypatch.undo()
    assert refunds(stripe_api) == []
    make_stale(payment)
    reconcile()
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and len(refunds(stripe_api)) == 1


def test_an_unreachable_stripe_never_gets_a_refund_recorded(stripe_api, settings):
    payment = paid_card_payment(stripe_api)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    with pytest.raises(services.PaymentRefused) as refused:
        services.payment_refund(payment=payment, by=payment.order.shop.members.get())
    assert refused.value.code == "provider_error"
    make_stale(payment)
    reconcile()
    payment.refresh_from_db()
    assert payment.status == P.SUCCEEDED and payment.intent == Intent.REFUND
    assert payment.refunded_amount == 0
    settings.STRIPE_API_BASE = stripe_api.url  # Stripe is back
    make_stale(payment)
    reconcile()
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and len(refunds(stripe_api)) == 1


def test_a_crash_after_the_start_call_is_finished_with_the_same_payment_intent(
    stripe_api, monkeypatch
):
    order = order_for(10_000)
    real_start = StripeProvider.start

    def start_then_die(self, payment):
        real_start(self, payment)
        raise Crash

    monkeypatch.setattr(StripeProvider, "start", start_then_die)
    with pytest.raises(Crash):
        services.payment_start(order=order, provider="stripe")
    monkeypatch.undo()
    payment = Payment.objects.get(order=order)
    assert payment.intent == Intent.START and payment.client_secret == ""

    # The buyer presses again: the same payment, finished with Stripe's first answer.
    again = services.payment_start(order=order, provider="stripe")
    assert again.pk == payment.pk and again.intent == "" and again.client_secret
    keys = {r["idempotency_key"] for r in stripe_api.requests}
    assert keys == {f"start-{payment.reference}"} and len(stripe_api.requests) == 2
    assert len(stripe_api.by_idempotency_key) == 1
    assert OutboxEvent.objects.filter(name="payment.started").count() == 1


def test_reconcile_finishes_a_start_nobody_came_back_for(stripe_api, monkeypatch):
    order = order_for(10_000)

    def die(self, payment):
        raise Crash

    monkeypatch.setattr(StripeProvider, "start", die)
    with pytest.raises(Crash):
        services.payment_start(order=order, provider="stripe")
    monkeypatch.undo()
    payment = Payment.objects.get(order=order)
    make_stale(payment)
    assert reconcile()["intents"] == 1
    payment.refresh_from_db()
    assert payment.intent == "" and payment.client_secret.startswith(payment.provider_reference)
