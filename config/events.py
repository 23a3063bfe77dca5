"""The event wiring table: which handlers react to which event.

One line per event; every handler is a dotted path to a function that takes one
`marketplace.outbox.Event`. docs/events.md describes each event's payload. An event with no
handler yet is still listed, so a reader sees every event the system publishes.

Search (search/handlers.py) marks the products an event concerns for indexing: product events,
shop.verified / shop.suspended (all the shop's products), and the order events that allocate or
release stock, slot places or rooms.
"""

HANDLERS: dict[str, list[str]] = {
    "shop.registered": [],
    "shop.submitted": [],
    "shop.verified": [
        "marketplace.handlers.notify_shop_status",
        "search.handlers.shop_products_mark",
    ],
    "shop.rejected": ["marketplace.handlers.notify_shop_status"],
    "shop.suspended": [
        "marketplace.handlers.notify_shop_status",
        "search.handlers.shop_products_mark",
    ],
    "product.published": ["search.handlers.product_mark"],
    "product.changed": ["search.handlers.product_mark"],
    "product.unpublished": ["search.handlers.product_mark"],
    "stock.low": ["marketplace.handlers.notify_low_stock"],
    "order.placed": [
        "marketplace.handlers.notify_order_buyer",
        "marketplace.handlers.notify_order_seller",
        "search.handlers.order_products_mark",
    ],
    "order.paid": [
        "marketplace.handlers.notify_order_buyer",
        "marketplace.handlers.notify_order_seller",
        "payments.handlers.cashless_recount_on_order",
    ],
    "order.processing": ["marketplace.handlers.notify_order_buyer"],
    "order.shipped": ["marketplace.handlers.notify_order_buyer"],
    "order.ready_for_pickup": ["marketplace.handlers.notify_order_buyer"],
    "order.completed": ["marketplace.handlers.notify_order_buyer"],
    "order.cancelled": [
        "marketplace.handlers.notify_order_buyer",
        "marketplace.handlers.notify_order_seller",
        "payments.handlers.payments_settle_on_order_ended",
        "search.handlers.order_products_mark",
        "payments.handlers.cashless_recount_on_order",
    ],
    "order.expired": [
        "marketplace.handlers.notify_order_buyer",
        "marketplace.handlers.notify_order_seller",
        "payments.handlers.payments_settle_on_order_ended",
        "search.handlers.order_products_mark",
        "payments.handlers.cashless_recount_on_order",
    ],
    "order.refunded": [
        "marketplace.handlers.notify_order_buyer",
        "search.handlers.order_products_mark",
        "payments.handlers.cashless_recount_on_order",
    ],
    # Published by the payments app.
    "payment.started": [],
    "payment.succeeded": [
        "marketplace.handlers.order_mark_paid_on_payment",
        "payments.handlers.cashless_recount_on_payment",
    ],
    "payment.failed": [],
    "payment.expired": [],
    "payment.refunded": [
        "marketplace.handlers.order_refund_on_payment",
        "payments.handlers.cashless_recount_on_payment",
    ],
    "payment.partly_refunded": ["payments.handlers.cashless_recount_on_payment"],
}

# Every event is offered to outbound webhooks: the handler writes a delivery for each active
# subscriber that asked for the event (webhooks/handlers.py, docs/webhooks.md).
for _handlers in HANDLERS.values():
    _handlers.append("webhooks.handlers.deliveries_for_subscribers")
