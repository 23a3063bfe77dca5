"""Issue 9, item 6: with Elasticsearch configured but away, search and suggestions answer from the
database backend and a warning is logged; nothing raises, so no page answers 500.

"Away" here is real: ELASTICSEARCH_URL names a loopback port nothing listens on, so the client
gets a refused connection, exactly what a stopped cluster gives."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from elastic_transport import ApiResponseMeta, ConnectionTimeout, HttpHeaders, NodeConfig
from elasticsearch import ApiError, BadRequestError

from search import backends
from search.backends.base import SearchBackendUnavailable
from search.backends.elasticsearch import ElasticsearchBackend, _answering
from search.documents import ProductDocument
from search.query import SearchQuery
from search.results import SearchHit, SearchResults, Suggestion


def closed_port() -> int:
    """A loopback port nothing listens on: bound by us, then let go."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The cached constructors themselves, even while a test has swapped one for a fake.
CACHED = (backends.database_backend, backends.elasticsearch_backend)


def forget_backends() -> None:
    for constructor in CACHED:
        constructor.cache_clear()


@pytest.fixture
def cluster_away(settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    forget_backends()
    yield settings.ELASTICSEARCH_URL
    forget_backends()


class FakeDatabase:
    """Stands in for the database backend only to watch the fallback's mechanics."""

    name = "database"

    def __init__(self):
        self.asked: list = []

    def search(self, query):
        self.asked.append(("search", query.text))
        hit = SearchHit(
            1, "kopi", "Kopi Lintong", 85_000, "goods", "lintong", "Lintong", "Laguboti"
        )
        return SearchResults(count=1, hits=[hit], backend="database")

    def suggest(self, text, *, language="id", limit=8):
        self.asked.append(("suggest", text, language, limit))
        return [Suggestion("product", "Kopi Lintong", "/products/kopi/")]


@pytest.fixture
def fake_database(monkeypatch):
    fake = FakeDatabase()
    monkeypatch.setattr(backends, "database_backend", lambda: fake)
    return fake


def fell_back(caplog) -> bool:
    return any(
        r.levelno == logging.WARNING
        and r.name == "search.backends"
        and "Elasticsearch unavailable" in r.getMessage()
        for r in caplog.records
    )


def test_search_answers_from_the_database_when_the_cluster_is_away(
    cluster_away, fake_database, caplog
):
    assert isinstance(backends.elasticsearch_backend(), ElasticsearchBackend)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="search.backends"):
        results = backends.search(SearchQuery(text="kopi"))
    assert results.backend == "database"
    assert [h.slug for h in results.hits] == ["kopi"]
    assert fake_database.asked == [("search", "kopi")]
    assert fell_back(caplog)
    assert time.monotonic() - started < 5  # short timeouts: the page does not hang


def test_suggestions_answer_from_the_database_when_the_cluster_is_away(
    cluster_away, fake_database, caplog
):
    with caplog.at_level(logging.WARNING, logger="search.backends"):
        found = backends.suggest("kop", language="en", limit=5)
    assert found == [Suggestion("product", "Kopi Lintong", "/products/kopi/")]
    assert fake_database.asked == [("suggest", "kop", "en", 5)]
    assert fell_back(caplog)


def test_the_backend_itself_says_unavailable_for_every_call(cluster_away, db):
    backend = ElasticsearchBackend(cluster_away)
    document = ProductDocument(
        product_id=1,
        slug="kopi",
        title="Kopi",
        description="",
        kind="goods",
        category_slug="kopi",
        category_label="Kopi",
        category_label_en="Coffee",
        kecamatan_slug="laguboti",
        kecamatan_label="Laguboti",
        desa="",
        shop_slug="lintong",
        shop_name="Lintong",
        price=1,
        in_stock=True,
    )
    calls = [
        lambda: backend.search(SearchQuery(text="kopi")),
        lambda: backend.suggest("kop"),
        lambda: backend.index([document]),
        lambda: backend.remove([1]),
        backend.synonyms_changed,
        backend.refresh,
        backend.drop,
        backend.create_index,
    ]
    for call in calls:
        with pytest.raises(SearchBackendUnavailable):
            call()


def api_error(cls, status: int, error: str = "some_exception"):
    meta = ApiResponseMeta(
        status=status,
        http_version="1.1",
        headers=HttpHeaders(),
        duration=0.01,
        node=NodeConfig("http", "127.0.0.1", 9200),
    )
    return cls(error, meta=meta, body={"error": {"type": error}, "status": status})


@pytest.mark.parametrize(
    "error",
    [
        ConnectionTimeout("timed out after 2 s"),
        api_error(ApiError, 503, "cluster_block_exception"),
        api_error(ApiError, 429, "es_rejected_execution_exception"),
        api_error(ApiError, 404, "index_not_found_exception"),
    ],
    ids=["timeout", "503", "429", "no-index-yet"],
)
def test_timeouts_overload_server_errors_and_a_missing_index_mean_unavailable(error):
    with pytest.raises(SearchBackendUnavailable), _answering("search"):
        raise error


def test_a_request_we_got_wrong_stays_an_error():
    # A 400 is a bug in our body, not a cluster away: hiding it behind the fallback would
    # leave it unnoticed.
    with pytest.raises(BadRequestError), _answering("search"):
        raise api_error(BadRequestError, 400, "parsing_exception")


def test_the_real_database_backend_answers_when_the_cluster_is_away(cluster_away, db, caplog):
    pytest.importorskip("search.backends.database")
    from search.documents import documents_for
    from tests.factories import ProductFactory

    product = ProductFactory(title="Kopi Arabika Lintong", slug="kopi-arabika-lintong")
    backends.database_backend().index(documents_for([product.pk]))
    with caplog.at_level(logging.WARNING, logger="search.backends"):
        results = backends.search(SearchQuery(text="kopi"))
        suggestions = backends.suggest("kopi ar")
    assert results.backend == "database"
    assert [h.product_id for h in results.hits] == [product.pk]
    assert [s.text for s in suggestions if s.kind == "product"] == ["Kopi Arabika Lintong"]
    assert fell_back(caplog)
