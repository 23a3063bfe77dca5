"""The public catalog API: /api/v1/shops/ and /api/v1/products/, and its OpenAPI schema."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images.models import Image

from marketplace.models import ProductKind, ProductPhoto, ProductStatus, ShopStatus, Variant
from tests.factories import (
    CategoryFactory,
    ExperienceSlotFactory,
    KecamatanFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db

HIDDEN_SHOP_STATUSES = [
    ShopStatus.DRAFT,
    ShopStatus.PENDING,
    ShopStatus.REJECTED,
    ShopStatus.SUSPENDED,
]


def new_image(name: str, size=(640, 480)) -> Image:
    image = Image(title=name)
    image.file = ImageFile(io.BytesIO(image_bytes(size=size)), name=f"{name}.jpg")
    image.save()
    return image


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["slug"] for row in response.json()["results"]}


# Shops ---------------------------------------------------------------------------------------


def test_shop_list_and_detail(client):
    shop = ShopFactory(
        name="Ulos Sianipar",
        story="Tenun sejak 1980.",
        address="Jl. Pagar Batu 1",
        latitude=Decimal("2.333333"),
        longitude=Decimal("99.066667"),
        logo=new_image("logo", size=(300, 300)),
    )
    listing = client.get("/api/v1/shops/")
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 1 and {"next", "previous", "results"} <= body.keys()
    detail = client.get(f"/api/v1/shops/{shop.slug}/").json()
    assert detail == body["results"][0]
    assert detail["slug"] == shop.slug and detail["name"] == "Ulos Sianipar"
    assert detail["story"] == "Tenun sejak 1980."
    assert detail["category"] == {"slug": shop.category.slug, "name": shop.category.name}
    assert detail["kecamatan"] == {"slug": shop.kecamatan.slug, "name": shop.kecamatan.name}
    assert detail["whatsapp"] == "+6281234567890"
    assert detail["logo"].startswith("http://testserver/media/") and ".webp" in detail["logo"]
    assert detail["location"] == {
        "address": "Jl. Pagar Batu 1",
        "desa": None,
        "kecamatan": shop.kecamatan.name,
        "latitude": 2.333333,
        "longitude": 99.066667,
    }
    assert detail["url"] == f"http://testserver/shops/{shop.slug}/"
    assert "bank_account_number" not in detail and "nib" not in detail


@pytest.mark.parametrize("status", HIDDEN_SHOP_STATUSES)
def test_shops_that_are_not_verified_are_not_served(client, status):
    hidden = ShopFactory(status=status)
    visible = ShopFactory()
    assert slugs(client.get("/api/v1/shops/")) == {visible.slug}
    assert client.get(f"/api/v1/shops/{hidden.slug}/").status_code == 404


def test_shop_filters(client):
    balige, porsea = KecamatanFactory(name="Balige"), KecamatanFactory(name="Porsea")
    kopi = CategoryFactory(name="Kopi")
    a = ShopFactory(kecamatan=balige, category=kopi)
    b = ShopFactory(kecamatan=porsea, category=kopi)
    c = ShopFactory(kecamatan=balige, category=CategoryFactory(name="Homestay"))
    assert slugs(client.get("/api/v1/shops/?kecamatan=balige")) == {a.slug, c.slug}
    assert slugs(client.get("/api/v1/shops/?category=kopi")) == {a.slug, b.slug}
    assert slugs(client.get("/api/v1/shops/?category=kopi&kecamatan=porsea")) == {b.slug}


def test_the_api_is_read_only(client):
    shop = ShopFactory()
    product = ProductFactory(shop=shop)
    assert client.post("/api/v1/shops/", {}).status_code == 405
    assert client.delete(f"/api/v1/shops/{shop.slug}/").status_code == 405
    assert client.patch(f"/api/v1/products/{product.slug}/", {}).status_code == 405


# Products ------------------------------------------------------------------------------------


def test_goods_product_with_stock_summed_over_variants(client):
    product = ProductFactory(title="Ulos Sadum", price=350_000, stock=4)
    Variant.objects.create(product=product, name="Besar", price=500_000, on_hand=7, position=1)
    Variant.objects.create(product=product, name="Kecil", price=400_000, on_hand=0, position=2)
    ProductPhoto.objects.create(product=product, image=new_image("b"), position=1)
    ProductPhoto.objects.create(product=product, image=new_image("a"), position=0)

    data = client.get(f"/api/v1/products/{product.slug}/").json()
    assert data["slug"] == product.slug and data["title"] == "Ulos Sadum"
    assert data["kind"] == "goods" and data["price"] == 350_000
    assert data["description"] == product.description
    assert data["category"] == {"slug": product.category.slug, "name": product.category.name}
    assert data["kecamatan"]["slug"] == product.shop.kecamatan.slug
    assert data["shop"] == {"slug": product.shop.slug, "name": product.shop.name}
    assert data["stock"] == 11
    assert [(v["name"], v["stock"]) for v in data["variants"]] == [
        ("Standar", 4),
        ("Besar", 7),
        ("Kecil", 0),
    ]
    assert data["slots"] is None and data["nights"] is None
    assert len(data["images"]) == 2
    assert "/a." in data["images"][0] and "/b." in data["images"][1]  # the seller's order
    assert all(url.startswith("http://testserver/media/") for url in data["images"])
    assert all(url.endswith(".webp") for url in data["images"])
    assert data["url"] == f"http://testserver/products/{product.slug}/"


def test_experience_product_with_upcoming_slots_only(client):
    product = ProductFactory(kind=ProductKind.EXPERIENCE, stock=False, price=150_000)
    now = timezone.now()
    ExperienceSlotFactory(product=product, starts_at=now - timedelta(hours=1), capacity=10)
    soon = ExperienceSlotFactory(
        product=product, starts_at=now + timedelta(days=1), capacity=10, booked=3
    )
    later = ExperienceSlotFactory(
        product=product, starts_at=now + timedelta(days=8), capacity=6, booked=6
    )
    data = client.get(f"/api/v1/products/{product.slug}/").json()
    assert data["kind"] == "experience" and data["stock"] is None and data["variants"] is None
    assert [(s["id"], s["capacity"], s["places_left"]) for s in data["slots"]] == [
        (soon.pk, 10, 7),
        (later.pk, 6, 0),
    ]
    assert data["slots"][0]["starts_at"].startswith(
        timezone.localtime(soon.starts_at).date().isoformat()
    )
    assert data["nights"] is None


def test_stay_product_with_upcoming_nights(client):
    product = ProductFactory(kind=ProductKind.STAY, stock=False, price=300_000)
    today = timezone.localdate()
    StayNightFactory(product=product, night=today - timedelta(days=1), rooms=5)
    StayNightFactory(product=product, night=today, rooms=2)
    StayNightFactory(product=product, night=today + timedelta(days=1), rooms=0)
    data = client.get(f"/api/v1/products/{product.slug}/").json()
    assert data["nights"] == [
        {"night": today.isoformat(), "rooms_free": 2, "units_free": 2},
        {"night": (today + timedelta(days=1)).isoformat(), "rooms_free": 0, "units_free": 0},
    ]
    assert data["slots"] is None and data["stock"] is None


@pytest.mark.parametrize(
    "product_kwargs",
    [
        {"status": ProductStatus.DRAFT},
        {"status": ProductStatus.ARCHIVED},
        *({"shop__status": status} for status in HIDDEN_SHOP_STATUSES),
    ],
)
def test_products_that_are_not_public_are_not_served(client, product_kwargs):
    hidden = ProductFactory(**product_kwargs)
    visible = ProductFactory()
    assert slugs(client.get("/api/v1/products/")) == {visible.slug}
    assert slugs(client.get(f"/api/v1/products/?shop={hidden.shop.slug}")) == set()
    assert client.get(f"/api/v1/products/{hidden.slug}/").status_code == 404


def test_product_filters(client):
    balige, porsea = KecamatanFactory(name="Balige"), KecamatanFactory(name="Porsea")
    kopi, ulos = CategoryFactory(name="Kopi"), CategoryFactory(name="Tenun dan Ulos")
    kopi_shop = ShopFactory(kecamatan=balige, category=kopi)
    ulos_shop = ShopFactory(kecamatan=porsea, category=ulos)
    roast = ProductFactory(shop=kopi_shop)
    tour = ProductFactory(shop=kopi_shop, kind=ProductKind.EXPERIENCE, stock=False)
    ulos_item = ProductFactory(shop=ulos_shop)
    stay = ProductFactory(shop=ulos_shop, kind=ProductKind.STAY, stock=False, category=kopi)

    def get(query: str) -> set[str]:
        return slugs(client.get(f"/api/v1/products/?{query}"))

    assert get(f"shop={kopi_shop.slug}") == {roast.slug, tour.slug}
    assert get("category=kopi") == {roast.slug, tour.slug, stay.slug}
    assert get("kecamatan=porsea") == {ulos_item.slug, stay.slug}
    assert get("kind=experience") == {tour.slug}
    assert get("kind=stay&kecamatan=porsea") == {stay.slug}
    assert get("kind=goods&category=kopi") == {roast.slug}
    assert get("shop=tidak-ada") == set()
    assert client.get("/api/v1/products/?kind=kapal").status_code == 400


def test_products_are_paginated(client):
    shop = ShopFactory()
    for _ in range(30):
        ProductFactory(shop=shop)
    first = client.get("/api/v1/products/").json()
    assert first["count"] == 30 and len(first["results"]) == 24 and first["next"]
    second = client.get("/api/v1/products/?page=2").json()
    assert len(second["results"]) == 6
    seen = {row["slug"] for row in first["results"] + second["results"]}
    assert len(seen) == 30


# Schema --------------------------------------------------------------------------------------


def test_schema_is_openapi_3_and_lists_the_catalog_paths(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/v1/shops/",
        "/api/v1/shops/{slug}/",
        "/api/v1/products/",
        "/api/v1/products/{slug}/",
    ):
        assert "get" in paths[path], path
        assert set(paths[path]) <= {"get", "parameters"}  # read-only
    names = {p["name"] for p in paths["/api/v1/products/"]["get"]["parameters"]}
    assert {"shop", "category", "kecamatan", "kind", "page"} <= names
    product = schema["components"]["schemas"]["Product"]["properties"]
    assert {"slug", "title", "kind", "price", "images", "shop", "stock", "slots", "nights"} <= set(
        product
    )
    assert all(path.startswith("/api/v1/") for path in paths)


def test_schema_validates(client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    validate_schema(response.json())


def test_schema_yaml_and_docs_answer(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200 and b"/api/v1/products/" in response.content
    assert client.get("/api/docs/").status_code == 200
