"""The events the marketplace publishes, with their payloads. docs/events.md describes them;
config/events.py wires their subscribers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from marketplace.outbox import publish

if TYPE_CHECKING:
    from marketplace.models import Product, Shop, Variant

SHOP_REGISTERED = "shop.registered"
SHOP_SUBMITTED = "shop.submitted"
SHOP_VERIFIED = "shop.verified"
SHOP_REJECTED = "shop.rejected"
SHOP_SUSPENDED = "shop.suspended"
PRODUCT_PUBLISHED = "product.published"
PRODUCT_CHANGED = "product.changed"
PRODUCT_UNPUBLISHED = "product.unpublished"
STOCK_LOW = "stock.low"


def shop_event(name: str, shop: Shop, **extra) -> None:
    publish(name, {"shop_id": shop.pk, "slug": shop.slug, "status": shop.status, **extra})


def product_event(name: str, product: Product, **extra) -> None:
    publish(
        name,
        {
            "product_id": product.pk,
            "slug": product.slug,
            "shop_id": product.shop_id,
            "kind": product.kind,
            "status": product.status,
            **extra,
        },
    )


def stock_low(variant: Variant) -> None:
    publish(
        STOCK_LOW,
        {
            "product_id": variant.product_id,
            "variant_id": variant.pk,
            "shop_id": variant.product.shop_id,
            "on_hand": variant.on_hand,
            "allocated": variant.allocated,
            "free": variant.free,
            "threshold": variant.product.low_stock_threshold,
        },
    )
