"""The product list of the API costs a fixed number of queries, however many products."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.marketplace.test_storefront_queries import shop_with_products

pytestmark = pytest.mark.django_db

# COUNT, products with shop/kecamatan/category, photos with images, renditions, variants,
# slots, nights.
PRODUCT_LIST_MAX_QUERIES = 7
SHOP_LIST_MAX_QUERIES = 3  # COUNT, shops with category/kecamatan/desa/logo, logo renditions


def count_queries(client, url: str) -> tuple[int, dict]:
    assert client.get(url).status_code == 200  # makes the renditions, once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()


def test_product_list_queries_do_not_grow_with_products(client):
    small, _ = shop_with_products(5)
    large, _ = shop_with_products(50)
    few, few_body = count_queries(client, f"/api/v1/products/?shop={small.slug}")
    many, many_body = count_queries(client, f"/api/v1/products/?shop={large.slug}")
    assert few_body["count"] == 5 and many_body["count"] == 50
    assert few == many <= PRODUCT_LIST_MAX_QUERIES
    # Every kind's lists came from the prefetches.
    kinds = {row["kind"] for row in many_body["results"]}
    assert kinds == {"goods", "experience", "stay"}
    assert all(len(row["images"]) == 2 for row in many_body["results"])


def test_shop_list_queries_do_not_grow_with_shops(client):
    shop_with_products(1)
    few, _ = count_queries(client, "/api/v1/shops/")
    for _ in range(20):
        shop_with_products(0)
    many, body = count_queries(client, "/api/v1/shops/")
    assert body["count"] == 21
    assert few == many <= SHOP_LIST_MAX_QUERIES
