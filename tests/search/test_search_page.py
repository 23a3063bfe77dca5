"""/search/: the server-rendered search page, on the real database backend (the embedded
default): results with photo, snippet, price, shop and kecamatan; facets as links keeping the
whole query; sort and pages; the zero-result page; bad parameters as a 400 page, never a 500."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image

from marketplace.models import ProductKind, ProductPhoto
from search import backends, synonyms
from search.documents import documents_for
from search.results import FacetValue, SearchResults
from tests.factories import (
    CategoryFactory,
    KecamatanFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db

# Measured on PostgreSQL and SQLite: 9 — the database backend's search (4: its typo check,
# count with the facets, matches, the hits), the query log (savepoint, INSERT, release), the
# first photos with their images, their renditions. The same for 5 hits as for 20.
PAGE_MAX_QUERIES = 10


def _image(name: str) -> Image:
    image = Image(title=name)
    image.file = ImageFile(io.BytesIO(image_bytes(size=(120, 120))), name=f"{name}.jpg")
    image.save()
    return image


def index(*products) -> None:
    backends.database_backend().index(documents_for([p.pk for p in products]))


@pytest.fixture(autouse=True)
def fresh_synonyms():
    synonyms.forget()
    yield
    synonyms.forget()


@pytest.fixture
def catalog():
    balige = KecamatanFactory(name="Balige", slug="balige")
    porsea = KecamatanFactory(name="Porsea", slug="porsea")
    tenun = CategoryFactory(name="Tenun dan Ulos", slug="tenun", name_en="Weaving and ulos")
    kopi = CategoryFactory(name="Kopi", slug="kopi", name_en="Coffee")
    stays = CategoryFactory(name="Penginapan", slug="penginapan", name_en="Stays")
    weaver = ShopFactory(name="Galeri Gorga", slug="gorga", kecamatan=balige, category=tenun)
    porsea_weaver = ShopFactory(
        name="Tenun Porsea", slug="tenun-porsea", kecamatan=porsea, category=tenun
    )
    cafe = ShopFactory(name="Kedai Lintong", slug="lintong", kecamatan=porsea, category=kopi)
    inn = ShopFactory(
        name="Rumah Bolon",
        slug="rumah-bolon",
        kecamatan=balige,
        category=stays,
        latitude=Decimal("2.3335"),
        longitude=Decimal("99.0667"),
    )
    products = {
        "ragidup": ProductFactory(
            shop=weaver,
            slug="ulos-ragidup",
            title="Ulos Ragidup",
            description="Kain adat Batak untuk pesta.",
            price=450_000,
        ),
        "sadum": ProductFactory(
            shop=porsea_weaver,
            slug="ulos-sadum",
            title="Ulos Sadum Porsea",
            description="Warna cerah.",
            price=120_000,
        ),
        "kopi": ProductFactory(
            shop=cafe,
            slug="kopi-arabika",
            title="Kopi Arabika Lintong",
            description="Biji sangrai.",
            price=85_000,
        ),
        "room": ProductFactory(
            shop=inn,
            slug="homestay-bolon",
            title="Homestay Rumah Bolon",
            description="Kamar dekat danau.",
            price=250_000,
            kind=ProductKind.STAY,
            stock=False,
        ),
    }
    StayNightFactory(product=products["room"])
    ProductPhoto.objects.create(product=products["ragidup"], image=_image("ragidup-2"), position=2)
    ProductPhoto.objects.create(product=products["ragidup"], image=_image("ragidup-1"), position=1)
    index(*products.values())
    return products


class FakeBackend:
    """Answers what a test needs the backend to say (nothing found, a spelling)."""

    name = "fake"

    def __init__(self, results: SearchResults, everything: SearchResults | None = None):
        self.results, self.everything, self.queries = results, everything, []

    def search(self, query):
        self.queries.append(query)
        if not query.text and self.everything is not None:
            return self.everything
        return self.results


def test_results_show_photo_snippet_price_shop_and_kecamatan(client, catalog):
    response = client.get("/search/?q=ulos")
    assert response.status_code == 200
    html = response.content.decode()
    assert [h.slug for h in response.context["results"].hits][:2] == [
        "ulos-ragidup",
        "ulos-sadum",
    ] or {h.slug for h in response.context["results"].hits} >= {"ulos-ragidup", "ulos-sadum"}
    ragidup = html[html.index('href="/products/ulos-ragidup/"') :]
    ragidup = ragidup[: ragidup.index("</li>")]
    assert "ragidup-1" in ragidup and "ragidup-2" not in ragidup  # the first photo by position
    assert "Rp 450.000" in ragidup
    assert 'href="/shops/gorga/">Galeri Gorga</a> · Balige' in ragidup
    assert "<mark>" in html  # the backend's snippet, not escaped again
    sadum = html[html.index('href="/products/ulos-sadum/"') :]
    assert 'class="no-photo"' in sadum[: sadum.index("</li>")]


def test_the_snippet_is_trusted_but_the_query_is_escaped(client, catalog):
    response = client.get("/search/", {"q": '<script>alert("x")</script> ulos'})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_facets_are_links_that_keep_the_whole_query_and_can_be_removed(client, catalog):
    response = client.get("/search/?q=ulos&sort=price")
    html = response.content.decode()
    kecamatan = html[html.index('data-facet="kecamatan"') :]
    kecamatan = kecamatan[: kecamatan.index("</section>")]
    assert 'href="?q=ulos&amp;kecamatan=balige&amp;sort=price"' in kecamatan
    assert 'Balige <span class="count">(1)</span>' in kecamatan
    assert 'Porsea <span class="count">(1)</span>' in kecamatan

    chosen = client.get("/search/?q=ulos&sort=price&kecamatan=balige")
    assert [h.slug for h in chosen.context["results"].hits] == ["ulos-ragidup"]
    html = chosen.content.decode()
    kecamatan = html[html.index('data-facet="kecamatan"') :]
    kecamatan = kecamatan[: kecamatan.index("</section>")]
    assert '<span class="chosen" aria-current="true">Balige' in kecamatan
    # The other kecamatan still counted, its link replacing the choice, not adding to it.
    assert 'href="?q=ulos&amp;kecamatan=porsea&amp;sort=price"' in kecamatan
    assert 'href="?q=ulos&amp;sort=price" data-remove="kecamatan"' in kecamatan


def test_the_price_facet_links_to_its_range(client, catalog):
    html = client.get("/search/?q=ulos").content.decode()
    assert 'href="?q=ulos&amp;min_price=150000&amp;max_price=499999"' in html
    chosen = client.get("/search/?q=ulos&min_price=150000&max_price=499999")
    assert [h.slug for h in chosen.context["results"].hits] == ["ulos-ragidup"]
    html = chosen.content.decode()
    assert 'href="?q=ulos" data-remove="price"' in html


def test_sorting_by_price(client, catalog):
    cheap_first = client.get("/search/?q=ulos&sort=price")
    assert [h.slug for h in cheap_first.context["results"].hits] == ["ulos-sadum", "ulos-ragidup"]
    dear_first = client.get("/search/?q=ulos&sort=-price")
    assert [h.slug for h in dear_first.context["results"].hits] == ["ulos-ragidup", "ulos-sadum"]
    html = dear_first.content.decode()
    assert '<option value="-price" selected>' in html
    assert '<input type="hidden" name="q" value="ulos">' in html


def test_pages_keep_the_query(client, catalog):
    shop = ShopFactory(slug="tenun-banyak")
    many = [
        ProductFactory(shop=shop, title=f"Ulos Bintang {n}", slug=f"bintang-{n}") for n in range(23)
    ]
    index(*many)
    first = client.get("/search/?q=bintang&sort=newest")
    assert first.context["results"].count == 23 and len(first.context["hits"]) == 20
    html = first.content.decode()
    assert 'href="?q=bintang&amp;sort=newest&amp;page=2"' in html
    second = client.get("/search/?q=bintang&sort=newest&page=2")
    assert len(second.context["hits"]) == 3
    assert 'rel="prev" href="?q=bintang&amp;sort=newest"' in second.content.decode()
    seen = {h.slug for h in first.context["results"].hits} | {
        h.slug for h in second.context["results"].hits
    }
    assert seen == {p.slug for p in many}


def test_nothing_found_offers_the_spelling_and_popular_categories(client, monkeypatch):
    everything = SearchResults(
        count=30,
        hits=[],
        facets={
            "category": [
                FacetValue("kopi", "Kopi", 4),
                FacetValue("tenun", "Tenun dan Ulos", 26),
            ]
        },
    )
    fake = FakeBackend(SearchResults(count=0, hits=[], did_you_mean="kopi"), everything)
    monkeypatch.setattr(backends, "database_backend", lambda: fake)
    response = client.get("/search/?q=kpoi&kind=goods")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'Maksud Anda: <a href="?q=kopi&amp;kind=goods">kopi</a>?' in html
    popular = html[html.index('class="popular-categories"') :]
    assert popular.index("Tenun dan Ulos") < popular.index("Kopi")  # most products first
    assert 'href="?category=tenun"' in popular


def test_nothing_found_on_the_real_backend_shows_popular_categories(client, catalog):
    response = client.get("/search/?q=zzzqqq")
    assert response.status_code == 200
    assert response.context["results"].count == 0
    popular = [c.label for c in response.context["popular_categories"]]
    assert popular[0] == "Tenun dan Ulos"  # two products
    assert set(popular) == {"Tenun dan Ulos", "Kopi", "Penginapan"}


def test_english_labels_at_en(client, catalog):
    response = client.get("/en/search/?q=coffee")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert response.context["query"].language == "en"
    assert "Kopi Arabika Lintong" in html
    assert ">Coffee <span" in html  # the category facet in English
    assert "Sort" in html and "Urutkan" not in html
    assert 'href="/en/products/kopi-arabika/"' in html
    assert "Rp 85,000" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sort=cheapest", "Urutan tidak dikenal"),
        ("min_price=murah", "Harga harus berupa bilangan bulat"),
        ("min_price=99999999999999999999", "Harga harus berupa bilangan bulat"),
        ("min_price=90000&max_price=10000", "Harga minimum lebih besar"),
        ("date=2026-13-45", "Tanggal harus berformat"),
        ("page=0", "Halaman harus bilangan bulat"),
        ("kind=car", "Jenis tidak dikenal"),
    ],
)
def test_a_bad_parameter_is_a_400_page_with_the_message(client, query, message):
    response = client.get(f"/search/?q=ulos&{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "data-search-error" in html
    assert 'href="/search/?q=ulos"' in html  # the way back: the same words, no filter


def test_a_bad_parameter_in_english(client):
    response = client.get("/en/search/?q=ulos&date=tomorrow")
    assert response.status_code == 400
    assert "Date" in response.content.decode() or "date" in response.content.decode()
    assert "Tanggal harus" not in response.content.decode()


def test_a_nul_character_is_no_500(client, catalog):
    assert client.get("/search/?q=ulos%00&kecamatan=bal%00ige").status_code == 200


@pytest.mark.parametrize("url", ["/", "/shops/", "/en/shops/", "/cart/"])
def test_every_page_has_the_search_box(client, url):
    html = client.get(url, follow=True).content.decode()
    box = html[html.index('<form class="site-search"') :]
    box = box[: box.index("</form>")]
    action = "/en/search/" if url.startswith("/en/") else "/search/"
    assert f'action="{action}" method="get" role="search"' in box
    assert '<label for="site-search-q">' in box
    assert 'id="site-search-q" type="search" name="q"' in box
    assert 'data-suggest-url="/api/v1/search/suggest/"' in box
    assert "js/search-suggest.js" in html


def test_the_search_box_keeps_the_words_on_the_search_page(client, catalog):
    html = client.get("/search/?q=ulos+balige").content.decode()
    assert 'name="q" value="ulos balige"' in html


def queries_for(client, url: str) -> int:
    assert client.get(url).status_code == 200  # renditions are made on the first visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["hits"])


def test_the_page_costs_the_same_queries_for_5_and_20_hits(client):
    shop = ShopFactory(slug="galeri")
    few = [ProductFactory(shop=shop, title=f"Gorga Kecil {n}", slug=f"kecil-{n}") for n in range(5)]
    many = [
        ProductFactory(shop=shop, title=f"Gorga Besar {n}", slug=f"besar-{n}") for n in range(25)
    ]
    for product in few + many:
        for position in range(2):
            ProductPhoto.objects.create(
                product=product, image=_image(f"{product.slug}-{position}"), position=position
            )
    index(*few, *many)
    small, small_hits = queries_for(client, "/search/?q=kecil")
    large, large_hits = queries_for(client, "/search/?q=besar")
    assert (small_hits, large_hits) == (5, 20)
    assert small == large <= PAGE_MAX_QUERIES
