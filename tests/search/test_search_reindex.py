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


class RecordingIndex:
    """Not Elasticsearch: a stand-in with ElasticsearchBackend's reindex methods that records
    the order the command calls them in, and keeps documents per index in memory. It checks
    the command's sequence (build beside, swap once, catch up, delete old); the requests
    themselves are pinned in test_elasticsearch_bodies.py."""

    alias = "pasar-products"

    def __init__(self, on_first_load=None):
        self.indexes = {"pasar-products-old": {1: "stale"}}
        self.behind_alias = ["pasar-products-old"]
        self.calls: list[tuple] = []
        self.on_first_load = on_first_load

    def current_indexes(self):
        return list(self.behind_alias)

    def create_index(self):
        self.indexes["pasar-products-new"] = {}
        self.calls.append(("create",))
        return "pasar-products-new"

    def set_building(self, index, building):
        self.calls.append(("building", index, building))

    def bulk_load(self, documents, *, index, chunk_size):
        docs = list(documents)
        self.indexes[index].update({d.product_id: d.title for d in docs})
        self.calls.append(("load", index, len(docs)))
        if self.on_first_load:
            self.on_first_load()
            self.on_first_load = None
        return len(docs)

    def refresh(self, index=None):
        self.calls.append(("refresh", index))

    def swap_alias(self, new_index, *, old_indexes):
        self.calls.append(("swap", new_index, tuple(old_indexes)))
        self.behind_alias = [new_index]

    def index(self, documents):
        docs = list(documents)
        self.indexes[self.behind_alias[0]].update({d.product_id: d.title for d in docs})
        self.calls.append(("index", sorted(d.product_id for d in docs)))
        return len(docs)

    def remove(self, ids):
        ids = list(ids)
        for pk in ids:
            self.indexes[self.behind_alias[0]].pop(pk, None)
        self.calls.append(("remove", sorted(ids)))
        return len(ids)

    def delete_indexes(self, names):
        for name in names:
            self.indexes.pop(name, None)
        self.calls.append(("delete", tuple(names)))


@pytest.mark.django_db
def test_the_elasticsearch_sequence_builds_beside_swaps_once_catches_up_and_deletes(
    database_only, monkeypatch
):
    from search.management.commands import search_reindex
    from search.models import IndexMark

    products = [ProductFactory(title=f"Kopi {n}") for n in range(3)]

    def meanwhile():
        # While the new index loads: one product is unpublished, one renamed (and marked).
        products[0].status = ProductStatus.ARCHIVED
        products[0].save(update_fields=["status"])
        products[1].title = "Kopi Baru"
        products[1].save(update_fields=["title"])
        IndexMark.objects.create(product_id=products[1].pk)

    fake = RecordingIndex(on_first_load=meanwhile)
    monkeypatch.setattr(search_reindex, "elasticsearch_backend", lambda: fake)
    out = StringIO()
    call_command(
        "search_reindex",
        "--backend",
        "elasticsearch",
        "--batch-size",
        "2",
        stdout=out,
        stderr=StringIO(),
    )
    names = [call[0] for call in fake.calls]
    assert names[:2] == ["create", "building"]
    assert names.count("swap") == 1
    swap = names.index("swap")
    assert all(n in ("load", "building", "refresh") for n in names[2:swap])
    assert fake.calls[swap] == ("swap", "pasar-products-new", ("pasar-products-old",))
    assert names[-1] == "delete" and fake.calls[-1] == ("delete", ("pasar-products-old",))
    # Caught up after the swap, in the new index: the renamed one again, the archived gone.
    assert ("index", [products[1].pk]) in fake.calls[swap:]
    assert ("remove", [products[0].pk]) in fake.calls[swap:]
    assert fake.indexes == {
        "pasar-products-new": {products[1].pk: "Kopi Baru", products[2].pk: "Kopi 2"}
    }
    assert "alias pasar-products swapped from pasar-products-old" in out.getvalue()


@pytest.mark.django_db
def test_a_failed_build_deletes_the_new_index_and_keeps_the_alias(database_only, monkeypatch):
    from search.management.commands import search_reindex

    ProductFactory()

    def fail():
        raise search_reindex.SearchBackendUnavailable("bulk index: ConnectionTimeout")

    fake = RecordingIndex(on_first_load=fail)
    monkeypatch.setattr(search_reindex, "elasticsearch_backend", lambda: fake)
    with pytest.raises(CommandError, match="Elasticsearch unavailable"):
        call_command("search_reindex", "--backend", "elasticsearch", stderr=StringIO())
    assert fake.behind_alias == ["pasar-products-old"]
    assert set(fake.indexes) == {"pasar-products-old"}
