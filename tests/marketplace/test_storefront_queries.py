"""The storefront pages cost a fixed number of queries, however many products a shop has."""

import io
from datetime import timedelta

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images.models import Image

from marketplace.models import ProductKind, ProductPhoto, StayNight
from marketplace.services.wishlist import wishlist_add
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    ShopFactory,
    UserFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db

# Measured on PostgreSQL and SQLite. Shop page: the shop with category, kecamatan and logo, the
# logo renditions, the COUNT for the paginator, the products, their first photos with images,
# and those photos' renditions.
SHOP_PAGE_MAX_QUERIES = 6
SHOP_LIST_MAX_QUERIES = 5  # COUNT, shops, logo renditions, the kecamatan and category choices
WISHLIST_MAX_QUERIES = 7  # session, user, cart size in the header, then as the shop page
PRODUCT_PAGE_MAX_QUERIES = 5  # product, photos, renditions, its kind's list, reviews


def _image(name: str) -> Image:
    image = Image(title=name)
    image.file = ImageFile(io.BytesIO(image_bytes(size=(200, 200))), name=f"{name}.jpg")
    image.save()
    return image


def shop_with_products(count: int):
    """A verified shop with a logo and `count` products of every kind, each with two photos."""
    shop = ShopFactory(logo=_image("logo"))
    kinds = [ProductKind.GOODS, ProductKind.EXPERIENCE, ProductKind.STAY]
    products = []
    for n in range(count):
        kind = kinds[n % 3]
        product = ProductFactory(shop=shop, kind=kind, stock=None if kind == "goods" else False)
        for position in range(2):
            ProductPhoto.objects.create(
                product=product, image=_image(f"{product.slug}-{position}"), position=position
            )
        if kind == ProductKind.EXPERIENCE:
            ExperienceSlotFactory(product=product, starts_at=timezone.now() + timedelta(days=2))
        elif kind == ProductKind.STAY:
            StayNight.objects.create(
                product=product, night=timezone.localdate() + timedelta(days=1), rooms=2
            )
        products.append(product)
    return shop, products


def count_queries(client, url: str) -> int:
    # The first visit makes the renditions (once per image and size, ever); measure the next.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_shop_page_queries_do_not_grow_with_products(client):
    small, _ = shop_with_products(5)
    large, _ = shop_with_products(50)
    few = count_queries(client, f"/shops/{small.slug}/")
    many = count_queries(client, f"/shops/{large.slug}/")
    many_page_2 = count_queries(client, f"/shops/{large.slug}/?page=2")
    assert few == many == many_page_2
    assert many <= SHOP_PAGE_MAX_QUERIES


def test_shop_list_queries_do_not_grow_with_shops(client):
    for _ in range(3):
        ShopFactory(logo=_image("logo"))
    few = count_queries(client, "/shops/")
    for _ in range(30):
        ShopFactory(logo=_image("logo"))
    many = count_queries(client, "/shops/")
    assert few == many <= SHOP_LIST_MAX_QUERIES


def test_wishlist_queries_do_not_grow_with_products(client):
    _, products = shop_with_products(30)
    user = UserFactory()
    client.force_login(user)
    for product in products[:5]:
        wishlist_add(user=user, product=product)
    few = count_queries(client, "/wishlist/")
    for product in products[5:]:
        wishlist_add(user=user, product=product)
    many = count_queries(client, "/wishlist/")
    assert few == many <= WISHLIST_MAX_QUERIES


def test_product_page_queries_do_not_grow_with_photos_and_slots(client):
    product = ProductFactory(kind=ProductKind.EXPERIENCE, stock=False)
    ProductPhoto.objects.create(product=product, image=_image("one"))
    ExperienceSlotFactory(product=product)
    few = count_queries(client, f"/products/{product.slug}/")
    for n in range(6):
        ProductPhoto.objects.create(product=product, image=_image(f"more-{n}"), position=n + 1)
        ExperienceSlotFactory(product=product)
    many = count_queries(client, f"/products/{product.slug}/")
    assert few == many <= PRODUCT_PAGE_MAX_QUERIES
