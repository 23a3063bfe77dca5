"""A buyer's wishlist: products saved for later. Only public products can be saved (the view
finds them through the public selectors); a saved product that later stops being public stays
saved and is simply not shown until it is public again.

Guests keep theirs in the session (product ids, most recently saved last); at sign-in
(marketplace.receivers) they join the account's WishlistItem rows."""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction

from marketplace.models import Product, User, WishlistItem
from marketplace.selectors import public_products

SESSION_KEY = "wishlist"
MAX_GUEST_ITEMS = 100  # keeps the session small; the oldest saved product drops out first


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


# Guests ----------------------------------------------------------------------------------------


def guest_wishlist_ids(session: SessionBase) -> list[int]:
    """The guest's saved product ids, most recently saved last."""
    raw = session.get(SESSION_KEY, [])
    return [pk for pk in raw if isinstance(pk, int)] if isinstance(raw, list) else []


def guest_wishlist_toggle(*, session: SessionBase, product: Product) -> bool:
    """Save the product in the session, or forget it when it is already there. True when it
    is now saved."""
    ids = guest_wishlist_ids(session)
    if product.pk in ids:
        ids.remove(product.pk)
        saved = False
    else:
        ids = [*ids, product.pk][-MAX_GUEST_ITEMS:]
        saved = True
    session[SESSION_KEY] = ids
    return saved


def wishlist_merge_on_login(*, session: SessionBase, user: User) -> int:
    """Called at sign-in: the guest's saved products join the account's wishlist (a product
    already there stays once; one no longer public is dropped). Returns how many were added."""
    ids = guest_wishlist_ids(session)
    session.pop(SESSION_KEY, None)
    if not ids:
        return 0
    public = set(public_products().filter(pk__in=ids).values_list("pk", flat=True))
    kept = set(WishlistItem.objects.filter(user=user).values_list("product_id", flat=True))
    # Oldest first, so that the most recently saved gets the latest `added_at` (lists sort by it).
    added = [
        WishlistItem(user=user, product_id=pk) for pk in ids if pk in public and pk not in kept
    ]
    WishlistItem.objects.bulk_create(added, ignore_conflicts=True)  # a parallel save may win
    return len(added)


def wishlist_contains(*, user: User, session: SessionBase, product: Product) -> bool:
    """Whether the product is saved: in the account's wishlist, or a guest's session."""
    if user.is_authenticated:
        return WishlistItem.objects.filter(user=user, product=product).exists()
    return product.pk in guest_wishlist_ids(session)
