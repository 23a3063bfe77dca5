"""The OpenAPI schema documents what each operation really answers (issue 8, item 16), and the
catalog answers those statuses: a bad page or filter is 400, a page past the end or an unknown
slug 404 in JSON. The fuzzer in tests/integration/test_api_schema_fuzz.py checks the same
against a live server with generated input."""

import pytest

from tests.factories import ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paths(client):
    return client.get("/api/schema/?format=json").json()["paths"]


def responses(paths, path, method="get"):
    return paths[path][method]["responses"]


def test_every_operation_documents_its_error_statuses(paths):
    expected = {
        ("/api/v1/shops/", "get"): {"200", "400", "404"},
        ("/api/v1/shops/{slug}/", "get"): {"200", "404"},
        ("/api/v1/products/", "get"): {"200", "400", "404"},
        ("/api/v1/products/{slug}/", "get"): {"200", "404"},
        ("/api/v1/checkout/", "post"): {"201", "400", "409", "415", "429"},
        ("/api/v1/checkouts/{code}/", "get"): {"200", "404"},
        ("/api/v1/orders/{number}/payments/", "post"): {"201", "400", "404", "409", "415", "429"},
        ("/api/v1/search/", "get"): {"200", "400"},
        ("/api/v1/search/suggest/", "get"): {"200"},
    }
    documented = {
        (path, method): set(operation["responses"])
        for path, operations in paths.items()
        for method, operation in operations.items()
    }
    assert documented == expected


def test_429_says_retry_after_and_errors_have_a_json_body(paths):
    for path in ("/api/v1/checkout/", "/api/v1/orders/{number}/payments/"):
        throttled = responses(paths, path, "post")["429"]
        assert throttled["headers"]["Retry-After"]["schema"] == {"type": "integer"}
        assert "application/json" in throttled["content"]
    not_found = responses(paths, "/api/v1/shops/{slug}/")["404"]
    assert not_found["content"]["application/json"]["schema"]["$ref"].endswith("/DetailOut")


def test_the_payments_call_documents_the_checkout_code(client):
    schema = client.get("/api/schema/?format=json").json()
    body = schema["components"]["schemas"]["PaymentStart"]
    assert set(body["required"]) == {"provider", "checkout"}


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "²", "9" * 12])
def test_a_bad_page_is_400_naming_page(client, page):
    ProductFactory()
    for path in ("/api/v1/products/", "/api/v1/shops/"):
        response = client.get(path, {"page": page})
        assert response.status_code == 400, (path, page)
        assert list(response.json()) == ["page"]


def test_a_page_past_the_end_is_404_and_the_last_page_is_200(client):
    ProductFactory()
    assert client.get("/api/v1/products/", {"page": "2"}).status_code == 404
    assert client.get("/api/v1/products/", {"page": "1"}).status_code == 200
    assert client.get("/api/v1/products/", {"page": "last"}).status_code == 200


@pytest.mark.parametrize("value", ["toko ulos", "ülos", "a\x00b", "x" * 171])
def test_a_filter_that_is_not_a_slug_is_400_naming_it(client, value):
    response = client.get("/api/v1/products/", {"shop": value})
    assert response.status_code == 400
    assert list(response.json()) == ["shop"]


def test_an_unknown_but_well_formed_filter_is_an_empty_list(client):
    ProductFactory()
    response = client.get("/api/v1/products/", {"shop": "tidak-ada"})
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize("slug", ["tidak-ada", "%C2%84", "%00", "a.b", "%E2%80%AE"])
def test_a_slug_that_is_no_shop_or_product_is_a_json_404(client, slug):
    ShopFactory(slug="toko-ada")
    for kind in ("shops", "products"):
        response = client.get(f"/api/v1/{kind}/{slug}/")
        assert response.status_code == 404, (kind, slug)
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("value", ["%00", "a%00b", "%C2%84"])
def test_codes_and_numbers_that_cannot_exist_are_404_without_a_database_error(client, value):
    assert client.get(f"/api/v1/checkouts/{value}/").status_code == 404
    response = client.post(
        f"/api/v1/orders/{value}/payments/",
        {"provider": "qris", "checkout": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
