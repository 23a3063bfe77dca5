"""A buyer's wishlist: products saved for later. Only public products can be saved (the view
finds them through the public selectors); a saved product that later stops being public stays
saved and is simply not shown until it is public again."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from marketplace.models import Product, User, WishlistItem


def wishlist_add(*, user: User, product: Product) -> WishlistItem:
    """Save a product; saving it twice keeps one row."""
    try:
        with transaction.atomic():
            item, _created = WishlistItem.objects.get_or_create(user=user, product=product)
    except IntegrityError:
        # Two requests raced to create the same row: the other one won, which is what we want.
        item = WishlistItem.objects.get(user=user, product=product)
    return item


def wishlist_remove(*, user: User, product: Product) -> bool:
    """Forget a saved product. True when something was removed."""
    deleted, _ = WishlistItem.objects.filter(user=user, product=product).delete()
    return deleted > 0


def wishlist_toggle(*, user: User, product: Product) -> bool:
    """Save the product, or forget it when it is already saved. True when it is now saved."""
    if wishlist_remove(user=user, product=product):
        return False
    wishlist_add(user=user, product=product)
    return True
