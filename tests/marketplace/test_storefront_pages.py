"""The public storefront pages: /shops/, /shops/<slug>/, /products/<slug>/."""

import io
import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images.models import Image

from marketplace.models import (
    ProductKind,
    ProductPhoto,
    ProductStatus,
    Review,
    ShopStatus,
    Variant,
)
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
HIDDEN_PRODUCT_STATUSES = [ProductStatus.DRAFT, ProductStatus.ARCHIVED]


def add_photo(product, *, position: int = 0, size=(640, 480)) -> ProductPhoto:
    image = Image(title=product.title)
    image.file = ImageFile(io.BytesIO(image_bytes(size=size)), name=f"{product.slug}.jpg")
    image.save()
    return ProductPhoto.objects.create(product=product, image=image, position=position)


class Tags(HTMLParser):
    """The <meta>, <a>, <img> and <script type=application/ld+json> of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.images: list[dict] = []
        self.json_ld: list[str] = []
        self._in_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "property" in attrs:
            self.meta[attrs["property"]] = attrs.get("content", "")
        elif tag == "a":
            self.links.append(attrs)
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


# /shops/ ------------------------------------------------------------------------------------


def test_shop_list_shows_verified_shops_with_category_and_kecamatan(client):
    shop = ShopFactory(name="Ulos Sianipar")
    response = client.get("/shops/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ulos Sianipar" in html
    assert f'href="/shops/{shop.slug}/"' in html
    assert shop.category.name in html and shop.kecamatan.name in html
    assert "css/storefront.css" in html


@pytest.mark.parametrize("status", HIDDEN_SHOP_STATUSES)
def test_shop_list_hides_shops_that_are_not_verified(client, status):
    ShopFactory(name="Toko Tersembunyi", status=status)
    ShopFactory(name="Toko Terbuka")
    html = client.get("/shops/").content.decode()
    assert "Toko Terbuka" in html
    assert "Toko Tersembunyi" not in html


def test_shop_list_filters_by_kecamatan_and_category(client):
    balige = KecamatanFactory(name="Balige")
    porsea = KecamatanFactory(name="Porsea")
    kopi = CategoryFactory(name="Kopi")
    ulos = CategoryFactory(name="Tenun dan Ulos")
    ShopFactory(name="Kopi Balige", kecamatan=balige, category=kopi)
    ShopFactory(name="Ulos Balige", kecamatan=balige, category=ulos)
    ShopFactory(name="Kopi Porsea", kecamatan=porsea, category=kopi)

    def names(query: str) -> set[str]:
        response = client.get(f"/shops/?{query}")
        assert response.status_code == 200
        return {shop.name for shop in response.context["shops"]}

    assert names("kecamatan=balige") == {"Kopi Balige", "Ulos Balige"}
    assert names("category=kopi") == {"Kopi Balige", "Kopi Porsea"}
    assert names("kecamatan=balige&category=kopi") == {"Kopi Balige"}
    assert names("kecamatan=tidak-ada") == set()
    assert names("") == {"Kopi Balige", "Ulos Balige", "Kopi Porsea"}
    # The filter form offers the kecamatan and categories, the chosen one selected.
    html = client.get("/shops/?kecamatan=porsea").content.decode()
    assert '<option value="porsea" selected>' in html


def test_shop_list_is_paginated_by_24_and_keeps_the_filters(client):
    kecamatan = KecamatanFactory(name="Laguboti")
    for n in range(30):
        ShopFactory(name=f"Toko {n:02d}", kecamatan=kecamatan)
    first = client.get("/shops/?kecamatan=laguboti")
    assert len(first.context["shops"]) == 24
    assert "kecamatan=laguboti&amp;page=2" in first.content.decode()
    second = client.get("/shops/?kecamatan=laguboti&page=2")
    assert len(second.context["shops"]) == 6
    # A page number past the end gives the last page, not an error.
    assert client.get("/shops/?page=99").status_code == 200


def test_shop_list_shows_the_logo_as_a_lazy_responsive_webp(client):
    image = Image(title="logo")
    image.file = ImageFile(io.BytesIO(image_bytes(size=(400, 400))), name="logo.jpg")
    image.save()
    ShopFactory(logo=image)
    tags = Tags(client.get("/shops/").content.decode())
    (logo,) = tags.images
    assert logo["loading"] == "lazy"
    assert logo["width"] and logo["height"]
    assert ".webp" in logo["src"] and "srcset" in logo


# /shops/<slug>/ -----------------------------------------------------------------------------


def test_shop_page_shows_story_location_whatsapp_and_active_products(client):
    shop = ShopFactory(
        story="Tenun tangan dari Balige sejak 1980.", address="Jl. Sisingamangaraja 5"
    )
    active = ProductFactory(shop=shop, title="Ulos Ragi Hotang", price=125_000)
    add_photo(active)
    ProductFactory(shop=shop, title="Ulos Draf", status=ProductStatus.DRAFT)
    ProductFactory(shop=shop, title="Ulos Lama", status=ProductStatus.ARCHIVED)
    ProductFactory(title="Ulos Toko Lain")

    response = client.get(f"/shops/{shop.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tenun tangan dari Balige sejak 1980." in html
    assert "Jl. Sisingamangaraja 5" in html and shop.kecamatan.name in html
    assert "Ulos Ragi Hotang" in html and "Rp 125.000" in html
    assert "Ulos Draf" not in html and "Ulos Lama" not in html and "Ulos Toko Lain" not in html
    tags = Tags(html)
    whatsapp = [link["href"] for link in tags.links if link["href"].startswith("https://wa.me/")]
    assert whatsapp and whatsapp[0].startswith("https://wa.me/6281234567890?text=")
    # Product photos: lazy, sized, WebP with a srcset.
    (photo,) = tags.images
    assert photo["loading"] == "lazy" and photo["alt"] == "Ulos Ragi Hotang"
    assert int(photo["width"]) > 0 and int(photo["height"]) > 0
    assert ".webp" in photo["src"] and " 480w" in photo["srcset"]


@pytest.mark.parametrize("status", HIDDEN_SHOP_STATUSES)
def test_shop_page_of_a_shop_that_is_not_verified_is_404(client, status):
    shop = ShopFactory(status=status)
    assert client.get(f"/shops/{shop.slug}/").status_code == 404


def test_unknown_shop_is_404(client):
    assert client.get("/shops/tidak-ada/").status_code == 404


# /products/<slug>/ --------------------------------------------------------------------------


@pytest.mark.parametrize("status", HIDDEN_SHOP_STATUSES)
def test_product_of_a_shop_that_is_not_verified_is_404(client, status):
    product = ProductFactory(shop=ShopFactory(status=status))
    assert client.get(f"/products/{product.slug}/").status_code == 404


@pytest.mark.parametrize("status", HIDDEN_PRODUCT_STATUSES)
def test_product_that_is_not_active_is_404(client, status):
    product = ProductFactory(status=status)
    assert client.get(f"/products/{product.slug}/").status_code == 404


def test_goods_page_shows_price_photos_variants_stock_and_shop(client):
    product = ProductFactory(title="Ulos Sadum Merah", price=125_000, stock=4)
    Variant.objects.create(product=product, name="Besar", price=200_000, on_hand=0, position=1)
    add_photo(product, position=0)
    add_photo(product, position=1)
    response = client.get(f"/products/{product.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp 125.000" in html and "Rp 200.000" in html
    # Each variant once, in the buy box's list, with its stock (issue 13, item 7).
    assert "Standar · Rp 125.000 · stok 4" in html and "Besar · Rp 200.000 · habis" in html
    assert product.shop.name in html and f'href="/shops/{product.shop.slug}/"' in html
    images = Tags(html).images
    assert len(images) == 2
    for image in images:
        assert ".webp" in image["src"] and "srcset" in image and image["width"] and image["height"]
    # The first photo is what the visitor sees first; the others wait until scrolled to.
    assert "loading" not in images[0] and images[1]["loading"] == "lazy"


def test_experience_page_shows_upcoming_slots_with_places_left(client):
    product = ProductFactory(kind=ProductKind.EXPERIENCE, stock=False, title="Tur Perahu Danau")
    now = timezone.now()
    ExperienceSlotFactory(product=product, starts_at=now + timedelta(days=2), capacity=12, booked=5)
    ExperienceSlotFactory(product=product, starts_at=now + timedelta(days=3), capacity=8, booked=8)
    ExperienceSlotFactory(product=product, starts_at=now - timedelta(days=1), capacity=9, booked=0)
    response = client.get(f"/products/{product.slug}/")
    assert [slot.places_left for slot in response.context["slots"]] == [7, 0]
    html = response.content.decode()
    assert "Sisa 7 tempat" in html and "Penuh" in html
    assert "Sisa 9 tempat" not in html  # yesterday's departure is gone
    assert "/ orang" in html


def test_stay_page_shows_the_next_nights_with_rooms_free(client):
    product = ProductFactory(kind=ProductKind.STAY, stock=False, title="Homestay Tepi Danau")
    today = timezone.localdate()
    StayNightFactory(product=product, night=today - timedelta(days=1), rooms=9)
    StayNightFactory(product=product, night=today, rooms=2)
    StayNightFactory(product=product, night=today + timedelta(days=1), rooms=0)
    response = client.get(f"/products/{product.slug}/")
    assert [night.night for night in response.context["nights"]] == [
        today,
        today + timedelta(days=1),
    ]
    html = response.content.decode()
    assert "2 kamar kosong" in html and "9 kamar kosong" not in html and "Penuh" in html
    assert "/ malam" in html


def test_product_json_ld_is_a_schema_org_product_with_its_price(client):
    product = ProductFactory(title='Kopi "Lintong" </script>', price=85_000, stock=3)
    add_photo(product)
    html = client.get(f"/products/{product.slug}/").content.decode()
    (raw,) = Tags(html).json_ld
    assert "</script>" not in raw  # the title cannot end the script element
    data = json.loads(raw)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == 'Kopi "Lintong" </script>'
    assert data["description"] == product.description
    assert data["offers"]["price"] == 85_000
    assert data["offers"]["priceCurrency"] == "IDR"
    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["image"] and all(
        url.startswith("http://testserver/media/") for url in data["image"]
    )
    assert "aggregateRating" not in data


def test_product_json_ld_says_out_of_stock_when_no_variant_has_stock(client):
    product = ProductFactory(stock=0)
    data = json.loads(Tags(client.get(f"/products/{product.slug}/").content.decode()).json_ld[0])
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_visible_reviews_with_their_average_and_aggregate_rating(client):
    product = ProductFactory()
    Review.objects.create(product=product, author_name="Rina", rating=5, body="Tenunannya rapi.")
    Review.objects.create(product=product, author_name="Budi", rating=4, body="Bagus.")
    Review.objects.create(
        product=product, author_name="Spam", rating=1, body="Disembunyikan", is_visible=False
    )
    html = client.get(f"/products/{product.slug}/").content.decode()
    assert "Rina" in html and "Tenunannya rapi." in html and "Budi" in html
    assert "Disembunyikan" not in html
    assert "4.5" in html or "4,5" in html
    data = json.loads(Tags(html).json_ld[0])
    assert data["aggregateRating"]["ratingValue"] == 4.5
    assert data["aggregateRating"]["reviewCount"] == 2


def test_product_opengraph_tags(client):
    product = ProductFactory(title="Ulos Mangiring", description="Ulos untuk upacara adat.")
    add_photo(product, size=(1600, 1200))
    meta = Tags(client.get(f"/products/{product.slug}/").content.decode()).meta
    assert meta["og:title"] == "Ulos Mangiring"
    assert meta["og:description"] == "Ulos untuk upacara adat."
    assert meta["og:type"] == "product"
    assert meta["og:url"] == f"http://testserver/products/{product.slug}/"
    assert meta["og:image"].startswith("http://testserver/media/")
    assert meta["og:image"].endswith(".jpg")
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")


def test_product_without_photos_still_has_opengraph_and_json_ld(client):
    product = ProductFactory()
    html = client.get(f"/products/{product.slug}/").content.decode()
    tags = Tags(html)
    assert "og:image" not in tags.meta and tags.meta["og:title"] == product.title
    assert "image" not in json.loads(tags.json_ld[0])


def test_whatsapp_link_names_the_product_and_carries_its_url(client):
    product = ProductFactory(title="Kopi Arabika Toba")
    html = client.get(f"/products/{product.slug}/").content.decode()
    (href,) = [a["href"] for a in Tags(html).links if a["href"].startswith("https://wa.me/")]
    parts = urlsplit(href)
    assert parts.path == "/6281234567890"
    (text,) = parse_qs(parts.query)["text"]
    assert "Kopi Arabika Toba" in text
    assert f"http://testserver/products/{product.slug}/" in text
    # The message is URL-encoded: no raw spaces or slashes in the query.
    assert " " not in parts.query and "/" not in parts.query


def test_shop_without_whatsapp_gets_no_whatsapp_link(client):
    product = ProductFactory(shop=ShopFactory(whatsapp=""))
    html = client.get(f"/products/{product.slug}/").content.decode()
    assert "wa.me" not in html


def test_product_page_in_english(client):
    product = ProductFactory()
    response = client.get(f"/en/products/{product.slug}/")
    assert response.status_code == 200
    assert Tags(response.content.decode()).meta["og:url"].endswith(f"/en/products/{product.slug}/")


def test_pages_fit_a_phone_and_load_no_script(client):
    product = ProductFactory()
    for url in ("/shops/", f"/shops/{product.shop.slug}/", f"/products/{product.slug}/"):
        html = client.get(url).content.decode()
        assert 'name="viewport"' in html
        # Besides the JSON-LD data, the only script is our own deferred search suggestions
        # (a few KB; the search box works without it): nothing from elsewhere, nothing blocking.
        scripts = re.findall(r"<script[^>]*>", html)
        code = [tag for tag in scripts if 'type="application/ld+json"' not in tag]
        assert len(code) == 1 and "/static/js/search-suggest" in code[0], code
        assert " defer" in code[0]
