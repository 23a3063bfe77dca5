"""The event wiring table: which handlers react to which event.

One line per event; every handler is a dotted path to a function that takes one
`marketplace.outbox.Event`. docs/events.md describes each event's payload. An event with no
handler yet is still listed, so a reader sees every event the system publishes.
"""

HANDLERS: dict[str, list[str]] = {
    "shop.registered": [],
    "shop.submitted": [],
    "shop.verified": ["marketplace.handlers.notify_shop_status"],
    "shop.rejected": ["marketplace.handlers.notify_shop_status"],
    "shop.suspended": ["marketplace.handlers.notify_shop_status"],
    "product.published": [],
    "product.changed": [],
    "product.unpublished": [],
    "stock.low": ["marketplace.handlers.notify_low_stock"],
    "order.placed": [
        "marketplace.handlers.notify_order_buyer",
        "marketplace.handlers.notify_order_seller",
    ],
    "order.paid": [
        "marketplace.handlers.notify_order_buyer",
        "marketplace.handlers.notify_order_seller",
    ],
    "order.processing": ["marketplace.handlers.notify_order_buyer"],
    "order.shipped": ["marketplace.handlers.notify_order_buyer"],
    "order.ready_for_pickup": ["marketplace.handlers.notify_order_buyer"],
    "order.completed": ["marketplace.handlers.notify_order_buyer"],
    "order.cancelled": [
        "marketplace.handlers.notify_order_buyer",
        "marketplace.handlers.notify_order_seller",
        "payments.handlers.payments_settle_on_order_ended",
    ],
    "order.expired": [
        "marketplace.handlers.notify_order_buyer",
        "marketplace.handlers.notify_order_seller",
        "payments.handlers.payments_settle_on_order_ended",
    ],
    "order.refunded": ["marketplace.handlers.notify_order_buyer"],
    # Published by the payments app.
    "payment.started": [],
    "payment.succeeded": ["marketplace.handlers.order_mark_paid_on_payment"],
    "payment.failed": [],
    "payment.expired": [],
    "payment.refunded": ["marketplace.handlers.order_refund_on_payment"],
}
