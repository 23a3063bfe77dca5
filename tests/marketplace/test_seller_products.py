"""A shop's products in the dashboard: the list (search, filters, pages, queries, weight),
creating, editing, publishing and archiving."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.models import (
    OutboxEvent,
    Product,
    ProductKind,
    ProductStatus,
    ShopStatus,
    Variant,
)
from marketplace.selectors.seller import PRODUCTS_PER_PAGE
from marketplace.services.catalog import photo_add
from tests.factories import (
    CategoryFactory,
    ExperienceSlotFactory,
    ProductFactory,
    ShopFactory,
    UserFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def shop(owner):
    return ShopFactory(owner=owner, status=ShopStatus.VERIFIED)


def list_url(shop, **query) -> str:
    url = reverse("seller:products", args=[shop.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def titles(response) -> set[str]:
    return {p.title for p in response.context["page"].object_list}


# The list -------------------------------------------------------------------------------


def test_the_list_shows_the_shops_products_with_rupiah_prices(client, shop):
    ProductFactory(shop=shop, title="Ulos Ragi Hotang", price=1_250_000)
    ProductFactory(title="Produk toko lain")
    response = client.get(list_url(shop))
    page = response.content.decode()
    assert "Ulos Ragi Hotang" in page
    assert "Rp 1.250.000" in page
    assert "Produk toko lain" not in page


def test_the_list_searches_titles_and_filters_by_status_and_kind(client, shop):
    ProductFactory(shop=shop, title="Kopi Lintong", status=ProductStatus.ACTIVE)
    ProductFactory(shop=shop, title="Kopi Sidikalang", status=ProductStatus.DRAFT)
    ProductFactory(shop=shop, title="Ulos Sadum", status=ProductStatus.ACTIVE)
    ProductFactory(shop=shop, title="Tur Kopi", kind=ProductKind.EXPERIENCE, stock=False)
    assert titles(client.get(list_url(shop, q="kopi"))) == {
        "Kopi Lintong",
        "Kopi Sidikalang",
        "Tur Kopi",
    }
    assert titles(client.get(list_url(shop, q="kopi", status="draft"))) == {"Kopi Sidikalang"}
    assert titles(client.get(list_url(shop, kind="experience"))) == {"Tur Kopi"}


def test_an_unknown_filter_value_shows_everything_rather_than_failing(client, shop):
    ProductFactory(shop=shop, title="Kopi Lintong")
    response = client.get(list_url(shop, status="bogus"))
    assert response.status_code == 200
    assert titles(response) == {"Kopi Lintong"}


def test_the_list_is_paginated_and_keeps_its_filters(client, shop):
    for n in range(PRODUCTS_PER_PAGE + 5):
        ProductFactory(shop=shop, title=f"Kopi {n}")
    first = client.get(list_url(shop, q="Kopi"))
    assert len(first.context["page"].object_list) == PRODUCTS_PER_PAGE
    assert "?q=Kopi&amp;page=2" in first.content.decode()
    second = client.get(list_url(shop, q="Kopi", page=2))
    assert len(second.context["page"].object_list) == 5
    assert not titles(first) & titles(second)


def test_the_list_flags_low_stock_and_counts_upcoming_slots(client, shop):
    ProductFactory(shop=shop, title="Ulos Menipis", stock=1)
    tour = ProductFactory(shop=shop, title="Tur", kind=ProductKind.EXPERIENCE, stock=False)
    ExperienceSlotFactory.create_batch(2, product=tour)
    response = client.get(list_url(shop))
    rows = {p.title: p for p in response.context["page"].object_list}
    assert rows["Ulos Menipis"].stock_is_low and rows["Ulos Menipis"].stock_total == 1
    assert rows["Tur"].upcoming_slots == 2
    page = response.content.decode()
    assert "menipis" in page and "2 jadwal" in page


def _make_products(shop, n: int) -> None:
    category = shop.category
    for i in range(n):
        product = ProductFactory(shop=shop, category=category, stock=i % 5)
        if i % 2 == 0:
            photo_add(product=product, upload=_jpeg())
        if i % 7 == 0:
            ExperienceSlotFactory(
                product=ProductFactory(
                    shop=shop, category=category, kind=ProductKind.EXPERIENCE, stock=False
                )
            )


def _jpeg():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("foto.jpg", image_bytes(), content_type="image/jpeg")


def _count_queries(client, url) -> int:
    client.get(url)  # the first view of a photo makes its thumbnail once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_takes_the_same_number_of_queries_for_5_and_50_products(client, owner):
    small, large = ShopFactory(owner=owner), ShopFactory(owner=owner)
    _make_products(small, 5)
    _make_products(large, 50)
    few = _count_queries(client, list_url(small))
    many = _count_queries(client, list_url(large))
    assert few == many, (few, many)
    assert many <= 12


def test_the_list_of_50_products_weighs_under_100_kb(client, shop):
    for i in range(50):
        ProductFactory(
            shop=shop,
            title=f"Ulos Sadum motif {i} tenun tangan asli dari Balige, Toba",
            stock=i % 4,
        )
    response = client.get(list_url(shop))
    assert len(response.content) < 100 * 1024, len(response.content)


# Creating -------------------------------------------------------------------------------


def test_creating_goods_makes_a_draft_with_a_first_variant(client, shop):
    response = client.post(
        reverse("seller:product_create", args=[shop.slug]),
        {
            "kind": "goods",
            "title": "Kopi Arabika Lintong",
            "category": shop.category_id,
            "price": "Rp 85.000",
            "on_hand": "12",
            "description": "250 gram, sangrai sedang.",
            "weight_grams": "250",
            "low_stock_threshold": "3",
        },
    )
    product = Product.objects.get(title="Kopi Arabika Lintong")
    assert response.status_code == 302
    assert response["Location"] == reverse("seller:product_edit", args=[shop.slug, product.pk])
    assert product.shop == shop
    assert product.status == ProductStatus.DRAFT
    assert product.price == 85_000
    variant = product.variants.get()
    assert (variant.price, variant.on_hand) == (85_000, 12)


def test_creating_an_experience_makes_no_variant(client, shop):
    category = CategoryFactory(name="Wisata Danau", slug="wisata-danau")
    client.post(
        reverse("seller:product_create", args=[shop.slug]),
        {
            "kind": "experience",
            "title": "Tur perahu Danau Toba",
            "category": category.pk,
            "price": "150000",
            "on_hand": "99",
            "weight_grams": "0",
            "low_stock_threshold": "3",
        },
    )
    product = Product.objects.get(title="Tur perahu Danau Toba")
    assert product.kind == ProductKind.EXPERIENCE
    assert not product.variants.exists()


def test_the_product_form_shows_errors_next_to_the_fields(client, shop):
    response = client.post(
        reverse("seller:product_create", args=[shop.slug]),
        {"kind": "goods", "title": "", "category": shop.category_id, "price": "murah"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"title", "price"}
    assert "has-error" in response.content.decode()
    assert not Product.objects.exists()


# Editing, publishing, archiving ---------------------------------------------------------


def test_editing_a_product(client, shop):
    product = ProductFactory(shop=shop, title="Ulos Lama", status=ProductStatus.ACTIVE)
    response = client.post(
        reverse("seller:product_edit", args=[shop.slug, product.pk]),
        {
            "title": "Ulos Baru",
            "category": shop.category_id,
            "description": "Tenun ulang.",
            "weight_grams": "700",
            "low_stock_threshold": "1",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.title, product.weight_grams, product.low_stock_threshold) == (
        "Ulos Baru",
        700,
        1,
    )
    assert OutboxEvent.objects.filter(name="product.changed").exists()


def test_a_goods_price_is_not_edited_on_the_product_but_an_experience_price_is(client, shop):
    goods = ProductFactory(shop=shop)
    tour = ProductFactory(shop=shop, kind=ProductKind.EXPERIENCE, stock=False, price=100_000)
    page = client.get(reverse("seller:product_edit", args=[shop.slug, goods.pk]))
    assert "price" not in page.context["form"].fields
    client.post(
        reverse("seller:product_edit", args=[shop.slug, tour.pk]),
        {"title": tour.title, "category": tour.category_id, "price": "125.000"},
    )
    tour.refresh_from_db()
    assert tour.price == 125_000


def test_a_refused_edit_keeps_the_saved_title_on_the_page(client, shop):
    product = ProductFactory(shop=shop, title="Ulos Lama")
    response = client.post(
        reverse("seller:product_edit", args=[shop.slug, product.pk]),
        {"title": "", "category": shop.category_id},
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "<h1>Ulos Lama</h1>" in response.content.decode()
    product.refresh_from_db()
    assert product.title == "Ulos Lama"


def test_publishing_and_archiving(client, shop):
    product = ProductFactory(shop=shop, status=ProductStatus.DRAFT)
    edit = reverse("seller:product_edit", args=[shop.slug, product.pk])
    response = client.post(reverse("seller:product_publish", args=[shop.slug, product.pk]))
    assert response["Location"] == edit
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE
    assert OutboxEvent.objects.filter(name="product.published").count() == 1
    client.post(reverse("seller:product_archive", args=[shop.slug, product.pk]))
    product.refresh_from_db()
    assert product.status == ProductStatus.ARCHIVED
    assert OutboxEvent.objects.filter(name="product.unpublished").count() == 1


def test_publishing_goods_without_a_variant_explains_why_not(client, shop):
    product = ProductFactory(shop=shop, status=ProductStatus.DRAFT, stock=False)
    assert not Variant.objects.filter(product=product).exists()
    response = client.post(
        reverse("seller:product_publish", args=[shop.slug, product.pk]), follow=True
    )
    assert "Tambahkan setidaknya satu varian" in response.content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT


def test_publish_goes_back_to_a_local_next_but_never_elsewhere(client, shop):
    product = ProductFactory(shop=shop, status=ProductStatus.DRAFT)
    url = reverse("seller:product_publish", args=[shop.slug, product.pk])
    local = list_url(shop)
    assert client.post(url, {"next": local})["Location"] == local
    client.post(reverse("seller:product_archive", args=[shop.slug, product.pk]))
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("seller:product_edit", args=[shop.slug, product.pk])
