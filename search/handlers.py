"""What search does when the marketplace's events arrive (wired in config/events.py).

Each handler only marks the products concerned (search.indexing.products_mark: one row per
product, upserted, in the handler's transaction, so it commits with the handled mark) and asks
for one indexing run after that commit. Cheap, and a second delivery changes nothing: the
outbox skips an event a handler already handled, and marking a product twice leaves one mark.
"""

from __future__ import annotations

from marketplace.outbox import Event
from marketplace.selectors.search_feed import order_product_ids, shop_product_ids
from search.indexing import index_soon, products_mark


def _mark(product_ids: list[int]) -> None:
    if products_mark(product_ids):
        index_soon()


def product_mark(event: Event) -> None:
    """product.published, product.changed, product.unpublished (title, price, photos, variants,
    stock, slots and nights all publish product.changed). Payload: product_id."""
    _mark([event.payload["product_id"]])


def shop_products_mark(event: Event) -> None:
    """shop.verified, shop.suspended: every product of the shop appears or goes. Payload:
    shop_id."""
    _mark(shop_product_ids(event.payload["shop_id"]))


# Order events that change what is free: placing allocates; expiry, cancellation and a refund
# before the goods left release. Shipping and completing consume (on hand and allocated drop
# together): free stays the same. order.paid is not wired: only a revival (`revived`, rare)
# allocates again, and a handler on every payment would cost each paid order one more task.
def order_products_mark(event: Event) -> None:
    """order.placed, order.cancelled, order.expired, order.refunded (and an order.paid that
    says `revived`, if it is ever wired): the stock, places or rooms of the order's products
    changed. Payload: order_id."""
    if event.name == "order.paid" and not event.payload.get("revived"):
        return
    _mark(order_product_ids(event.payload["order_id"]))
