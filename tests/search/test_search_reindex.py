"""`manage.py search_reindex`: the database backend rebuilt in batches without truncating; the
Elasticsearch plan (what to re-index after the build); what it says when it cannot run.
The Elasticsearch alias swap itself is pinned in test_elasticsearch_bodies.py (alias_actions):
no cluster runs here."""

from __future__ import annotations

import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from marketplace.models import ProductStatus, ShopStatus
from search import backends
from search.management.commands.search_reindex import changed_ids, chunks
from search.query import SearchQuery
from tests.factories import ProductFactory, ShopFactory


def test_what_changed_during_the_build_is_indexed_again():
    assert changed_ids(
        loaded=[1, 2, 3, 4],
        public_now=[1, 2, 4, 5],  # 3 unpublished during the build, 5 published
        marked=[2],  # stock changed: marked for indexing
        updated=[4, 7],  # edited (7 is no longer public: removed, if it was there)
    ) == [2, 3, 4, 5, 7]
    assert changed_ids(loaded=[1], public_now=[1], marked=[], updated=[]) == []


def test_chunks_cut_in_batches():
    assert list(chunks(range(5), 2)) == [[0, 1], [2, 3], [4]]


@pytest.fixture
def database_only(settings):
    pytest.importorskip("search.backends.database")
    settings.ELASTICSEARCH_URL = ""
    backends.database_backend.cache_clear()
    backends.elasticsearch_backend.cache_clear()
    yield backends.database_backend()
    backends.database_backend.cache_clear()
    backends.elasticsearch_backend.cache_clear()


def indexed(backend) -> set[int]:
    return {hit.product_id for hit in backend.search(SearchQuery(per_page=100)).hits}


@pytest.mark.django_db
def test_the_database_backend_is_rebuilt_without_truncating(database_only):
    from search.documents import documents_for

    public = [ProductFactory() for _ in range(5)]
    archived = ProductFactory()
    suspended_shop = ShopFactory()
    of_suspended = ProductFactory(shop=suspended_shop)
    # Indexed while public, then made non-public behind the index's back.
    database_only.index(documents_for([archived.pk, of_suspended.pk, public[0].pk]))
    archived.status = ProductStatus.ARCHIVED
    archived.save(update_fields=["status"])
    suspended_shop.status = ShopStatus.SUSPENDED
    suspended_shop.save(update_fields=["status"])
    assert indexed(database_only) == {archived.pk, of_suspended.pk, public[0].pk}

    out = StringIO()
    call_command(
        "search_reindex",
        "--backend",
        "database",
        "--batch-size",
        "2",
        stdout=out,
        stderr=StringIO(),
    )

    assert indexed(database_only) == {p.pk for p in public}
    assert "Database: 5 products indexed, 2 removed" in out.getvalue()
    # Run again: the same entries, nothing left to remove.
    out = StringIO()
    call_command("search_reindex", "--backend", "database", stdout=out, stderr=StringIO())
    assert indexed(database_only) == {p.pk for p in public}
    assert "5 products indexed, 0 removed" in out.getvalue()


@pytest.mark.django_db
def test_all_skips_elasticsearch_when_it_is_not_configured(database_only):
    ProductFactory()
    out = StringIO()
    call_command("search_reindex", stdout=out, stderr=StringIO())
    assert "Database: 1 products indexed" in out.getvalue()
    assert "ELASTICSEARCH_URL is not set, skipped" in out.getvalue()


@pytest.mark.django_db
def test_elasticsearch_alone_refuses_without_a_url(database_only):
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL is not set"):
        call_command("search_reindex", "--backend", "elasticsearch", stderr=StringIO())


@pytest.mark.django_db
def test_a_cluster_away_is_a_clear_error_not_a_traceback(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    backends.elasticsearch_backend.cache_clear()
    try:
        with pytest.raises(CommandError, match="Elasticsearch unavailable"):
            call_command("search_reindex", "--backend", "elasticsearch", stderr=StringIO())
    finally:
        backends.elasticsearch_backend.cache_clear()


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("search_reindex", "--batch-size", "0")
