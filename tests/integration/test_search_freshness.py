"""Search freshness end to end (issue 9, item 5): a real Celery worker on the configured broker
(Redis with CELERY_BROKER_URL=redis://..., else the embedded filesystem one) and the test
database. A seller's change goes through the marketplace service and commits; the outbox relays
product.changed, search.handlers marks the product, search.index_marked writes it to the
database backend, and search finds the new title. bench/search_freshness.py measures the same
path twenty times for docs/benchmarks.md."""

import time

import pytest

from marketplace.services import catalog, shops
from search import indexing
from search.query import SearchQuery
from tests.factories import ProductFactory, UserFactory
from tests.support.worker import celery_worker, wait_for

pytest.importorskip("search.backends.database")

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FRESH_WITHIN_S = 5.0


def found(text: str) -> list[int]:
    from search.backends import search

    return [hit.product_id for hit in search(SearchQuery(text=text)).hits]


def test_a_changed_title_is_found_within_seconds_and_a_suspended_shop_disappears(tmp_path):
    product = ProductFactory(title="Ulos Sadum Merah")
    other = ProductFactory(title="Kopi Arabika Lintong")
    indexing.products_mark([product.pk, other.pk])
    indexing.index_marked()
    assert product.pk in found("sadum") and other.pk in found("lintong")

    with celery_worker(tmp=tmp_path):
        committed = time.monotonic()
        catalog.product_update(product=product, fields={"title": "Songket Silungkang"})
        wait_for(lambda: product.pk in found("silungkang"), timeout=30, what="the new title")
        delay = time.monotonic() - committed
        print(f"search freshness: found {delay:.2f} s after commit")
        assert product.pk not in found("sadum")

        shops.shop_suspend(shop=other.shop, by=UserFactory(), reason="Laporan pembeli")
        wait_for(
            lambda: other.pk not in found("lintong"), timeout=30, what="the suspended shop to go"
        )
    assert delay < FRESH_WITHIN_S, f"found {delay:.2f} s after commit"
