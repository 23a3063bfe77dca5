"""Queries for pages and the API. The rule "only verified shops and active products are public"
lives here, in `public_shops()` and `public_products()`: every public page starts from them."""

from django.db.models import QuerySet

from marketplace.models import Product, ProductStatus, Shop, ShopStatus


def public_shops() -> QuerySet[Shop]:
    return Shop.objects.filter(status=ShopStatus.VERIFIED)


def public_products() -> QuerySet[Product]:
    return Product.objects.filter(status=ProductStatus.ACTIVE, shop__status=ShopStatus.VERIFIED)
