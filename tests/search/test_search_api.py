"""GET /api/v1/search/ and /api/v1/search/suggest/, exactly as DESIGN.md's contract says, on the
real database backend; a bad sort, price or date is a 400 {"code", "field", "detail"}."""

from __future__ import annotations

import pytest
from django.test import Client

from search import synonyms
from tests.factories import ProductFactory
from tests.search.test_search_page import catalog, index  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db

API = "/api/v1/search/"
SUGGEST = "/api/v1/search/suggest/"


@pytest.fixture(autouse=True)
def fresh_synonyms():
    synonyms.forget()
    yield
    synonyms.forget()


def test_the_answer_has_the_contract_shape(client, catalog):  # noqa: F811
    response = client.get(API, {"q": "ulos", "kecamatan": "balige"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"count", "results", "facets"}
    assert body["count"] == 1
    assert body["results"] == [
        {
            "slug": "ulos-ragidup",
            "title": "Ulos Ragidup",
            "price": 450_000,
            "shop": {"slug": "gorga", "name": "Galeri Gorga"},
            "highlight": body["results"][0]["highlight"],
            "kind": "goods",
            "kecamatan": "Balige",
        }
    ]
    assert set(body["facets"]) >= {"category", "kecamatan", "kind"}
    # The chosen kecamatan still shows the others' counts.
    assert body["facets"]["kecamatan"] == [
        {"value": "balige", "label": "Balige", "count": 1},
        {"value": "porsea", "label": "Porsea", "count": 1},
    ]
    assert body["facets"]["category"] == [{"value": "tenun", "label": "Tenun dan Ulos", "count": 1}]
    assert body["facets"]["kind"] == [{"value": "goods", "label": "Barang", "count": 1}]


def test_filters_sort_and_pages(client, catalog):  # noqa: F811
    body = client.get(API, {"q": "ulos", "sort": "price"}).json()
    assert [r["slug"] for r in body["results"]] == ["ulos-sadum", "ulos-ragidup"]
    body = client.get(API, {"kind": "stay"}).json()
    assert [r["slug"] for r in body["results"]] == ["homestay-bolon"]
    body = client.get(API, {"max_price": "100000"}).json()
    assert [r["slug"] for r in body["results"]] == ["kopi-arabika"]
    shop = catalog["ragidup"].shop
    many = [ProductFactory(shop=shop, title=f"Ulos Bintang {n}", slug=f"b-{n}") for n in range(22)]
    index(*many)
    first = client.get(API, {"q": "bintang"}).json()
    second = client.get(API, {"q": "bintang", "page": "2"}).json()
    assert first["count"] == second["count"] == 22
    assert (len(first["results"]), len(second["results"])) == (20, 2)


def test_english_labels_with_language_en(client, catalog):  # noqa: F811
    body = client.get(API, {"q": "coffee", "language": "en"}).json()
    assert [r["slug"] for r in body["results"]] == ["kopi-arabika"]
    assert body["facets"]["category"] == [{"value": "kopi", "label": "Coffee", "count": 1}]


def refusal(response) -> dict:
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_an_unknown_sort_is_a_400(client):
    body = refusal(client.get(API, {"q": "ulos", "sort": "cheapest"}))
    assert body["code"] == "bad_sort" and body["field"] == "sort"
    assert body["detail"].startswith("Urutan tidak dikenal. Pilih salah satu: relevance, price")


def test_a_bad_price_is_a_400(client):
    assert refusal(client.get(API, {"min_price": "murah"})) == {
        "code": "bad_price",
        "field": "min_price",
        "detail": "Harga harus berupa bilangan bulat rupiah, 0 atau lebih.",
    }
    assert refusal(client.get(API, {"max_price": "-5"}))["field"] == "max_price"
    assert refusal(client.get(API, {"max_price": "9" * 30}))["code"] == "bad_price"
    assert refusal(client.get(API, {"min_price": "9", "max_price": "1"}))["code"] == (
        "bad_price_range"
    )


def test_a_bad_date_is_a_400_in_the_callers_language(client):
    body = refusal(client.get(API, {"date": "2026-02-30", "language": "en"}))
    assert body == {
        "code": "bad_date",
        "field": "date",
        "detail": "A date must be written YYYY-MM-DD, for example 2026-12-05.",
    }
    assert (
        refusal(Client(HTTP_ACCEPT_LANGUAGE="en").get(API, {"date": "besok"}))["detail"]
        == (body["detail"])
    )


def test_nearest_without_a_point_and_a_bad_page_are_400s(client):
    assert refusal(client.get(API, {"sort": "nearest"}))["code"] == "nearest_needs_point"
    assert refusal(client.get(API, {"page": "0"}))["code"] == "bad_page"


def test_a_nul_character_is_no_500(client, catalog):  # noqa: F811
    assert client.get(API, {"q": "ulos\x00", "shop": "\x00"}).status_code == 200
    assert client.get(SUGGEST, {"q": "ul\x00"}).status_code == 200


def test_suggestions_as_the_visitor_types(client, catalog):  # noqa: F811
    response = client.get(SUGGEST, {"q": "ul"})
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    products = [s for s in suggestions if s["kind"] == "product"]
    assert {s["text"] for s in products} == {"Ulos Ragidup", "Ulos Sadum Porsea"}
    assert {s["url"] for s in products} == {"/products/ulos-ragidup/", "/products/ulos-sadum/"}
    english = client.get(SUGGEST, {"q": "ul", "language": "en"}).json()["suggestions"]
    assert {s["url"] for s in english if s["kind"] == "product"} == {
        "/en/products/ulos-ragidup/",
        "/en/products/ulos-sadum/",
    }
    assert client.get(SUGGEST, {"q": "  "}).json() == {"suggestions": []}
    assert client.get(SUGGEST).json() == {"suggestions": []}


def test_the_schema_documents_both_operations(client):
    schema = client.get("/api/schema/?format=json").json()
    search = schema["paths"]["/api/v1/search/"]["get"]
    names = {p["name"] for p in search["parameters"]}
    assert names >= {"q", "category", "kecamatan", "kind", "min_price", "max_price", "in_stock"}
    assert names >= {"sort", "page", "date"}
    sort = next(p for p in search["parameters"] if p["name"] == "sort")
    assert set(sort["schema"]["enum"]) == {"relevance", "price", "-price", "newest", "nearest"}
    assert set(search["responses"]) == {"200", "400"}
    ok = search["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    out = schema["components"]["schemas"][ok.rsplit("/", 1)[1]]
    assert set(out["properties"]) >= {"count", "results", "facets"}
    bad = search["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    error = schema["components"]["schemas"][bad.rsplit("/", 1)[1]]
    assert set(error["properties"]) == {"code", "field", "detail"}
    suggest = schema["paths"]["/api/v1/search/suggest/"]["get"]
    ok = suggest["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert schema["components"]["schemas"][ok.rsplit("/", 1)[1]]["properties"].keys() == {
        "suggestions"
    }
