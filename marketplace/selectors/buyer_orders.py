"""Queries for "Pesanan saya" (/accounts/orders/): a signed-in buyer's orders.

An order is the buyer's when its checkout is (Checkout.buyer): placed while signed in, or a
guest checkout made theirs by verifying the address it was placed with
(marketplace.services.accounts.email_verify)."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.models import Order, User

ORDERS_PER_PAGE = 20


def buyer_orders(user: User) -> QuerySet[Order]:
    """The user's orders, newest first, each with its checkout (the link's code) and shop.
    One query per page, whatever the number of orders, plus the paginator's count."""
    return (
        Order.objects.filter(checkout__buyer=user)
        .select_related("checkout", "shop")
        .order_by("-created_at", "-id")
    )
