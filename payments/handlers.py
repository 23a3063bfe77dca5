"""What payments does when other apps' events arrive (wired in config/events.py).

A handler runs inside the transaction that marks it handled (marketplace.outbox.event_handle):
it only writes rows; a refund that Stripe must make is recorded as an intent and called after
that transaction commits (payments.services), never inside it.
"""

from __future__ import annotations

from marketplace.outbox import Event
from payments import services


def payments_settle_on_order_ended(event: Event) -> None:
    """order.cancelled, order.expired → money already in for the order is refunded (or, for an
    expiry that won the race against its payment, the order revived). Payload: order_id.
    A redelivery finds the payment decided and changes nothing."""
    services.payments_order_ended(order_id=event.payload["order_id"])


def cashless_recount_on_payment(event: Event) -> None:
    """payment.succeeded, payment.refunded → the payment's cell of the cashless figures is
    recomputed from the payments (payments.cashless). Payload: payment_id. Redelivery, late
    or out-of-order events leave the same cell."""
    from payments import cashless
    from payments.models import Payment

    payment_id = event.payload.get("payment_id")
    if payment_id is None:  # an older payload: the reference names the payment too
        payment_id = (
            Payment.objects.filter(reference=event.payload.get("reference", ""))
            .values_list("pk", flat=True)
            .first()
        )
    if payment_id is not None:
        cashless.recount_payment(payment_id)


def cashless_recount_on_order(event: Event) -> None:
    """order.paid, order.cancelled, order.expired, order.refunded → the cells of the order's
    payments, since whether its total counts as paid changed. Payload: order_id."""
    from payments import cashless

    cashless.recount_order(event.payload["order_id"])
