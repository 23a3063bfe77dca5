"""The events the payments app publishes (docs/events.md)."""

from __future__ import annotations

from marketplace.outbox import publish
from payments.models import Payment

PAYMENT_STARTED = "payment.started"
PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_FAILED = "payment.failed"
PAYMENT_EXPIRED = "payment.expired"
PAYMENT_REFUNDED = "payment.refunded"
PAYMENT_PARTLY_REFUNDED = "payment.partly_refunded"  # the cumulative refunded_amount grew


def payment_event(name: str, payment: Payment) -> None:
    publish(
        name,
        {
            "payment_id": payment.pk,
            "reference": payment.reference,
            "order_id": payment.order_id,
            "order_number": payment.order.number,
            "shop_id": payment.order.shop_id,
            "provider": payment.provider,
            "amount": payment.amount,
            "status": payment.status,
            "needs_attention": payment.needs_attention,
            "attention": payment.attention,
            "refunded_amount": payment.refunded_amount,
        },
    )
