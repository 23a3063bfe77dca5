"""Queries for "Pesanan saya" (/accounts/orders/): a signed-in buyer's orders.

An order is the buyer's when its checkout is (Checkout.buyer): placed while signed in, or a
guest checkout placed with the address they verified (User.email_verified_at, set by
marketplace.services.accounts.email_verify), before or after verifying."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from marketplace.models import Order, User

ORDERS_PER_PAGE = 20


def buyer_orders(user: User) -> QuerySet[Order]:
    """The user's orders, newest first, each with its checkout (the link's code) and shop.
    One query per page, whatever the number of orders, plus the paginator's count."""
    mine = Q(checkout__buyer=user)
    if user.email_verified_at is not None:
        # Checkout stores addresses lowercased; guests' checkouts only, never another account's.
        mine |= Q(checkout__buyer__isnull=True, checkout__contact_email=user.email.lower())
    return (
        Order.objects.filter(mine).select_related("checkout", "shop").order_by("-created_at", "-id")
    )
