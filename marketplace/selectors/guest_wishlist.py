"""The guest's wishlist page: the public products among the ids kept in their session."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from marketplace.models import Product
from marketplace.selectors import public_products
from marketplace.selectors.storefront import product_cards


def guest_wishlist_products(ids: list[int]) -> QuerySet[Product]:
    """Public products among `ids` (most recently saved last), most recently saved first,
    ready for cards, like selectors.storefront.wishlist_products for an account."""
    if not ids:
        return Product.objects.none()
    position = Case(
        *[When(pk=pk, then=Value(index)) for index, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return (
        product_cards(public_products().filter(pk__in=ids))
        .annotate(saved_position=position)
        .order_by("-saved_position")
    )
