"""The relevance set (tests/search/relevance_set.json) over the demo catalogue, held at the
precision at 5 measured when it was written (docs/benchmarks.md, "Search"). Each database holds
its own level: PostgreSQL's text search and SQLite's FTS5 rank differently.

A ranking change that lowers the mean fails here; one that raises it should raise the level
(and the figure in docs/benchmarks.md). `bench/relevance.py` prints every query's score."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from marketplace.models import Product
from marketplace.selectors.search_feed import public_product_ids
from search import backends, relevance, synonyms
from search.documents import documents_for
from search.results import SearchHit, SearchResults

SET = Path(__file__).with_name("relevance_set.json")
# Mean precision at 5, as measured on the demo catalogue (seed 0) when the level was set.
MEASURED = {"postgresql": 0.967, "sqlite": 0.975}
SLACK = 0.02


@pytest.fixture
def database_search(settings):
    """search.backends.search answering from the database backend, whatever the environment
    says about Elasticsearch (the set's index is written to the database only)."""
    settings.ELASTICSEARCH_URL = ""
    backends.elasticsearch_backend.cache_clear()
    synonyms.forget()
    yield backends.search
    backends.elasticsearch_backend.cache_clear()
    synonyms.forget()


def test_the_set_is_big_enough_and_covers_every_kind_of_query():
    cases = relevance.load(SET)
    assert len([c for c in cases if c.relevant]) >= 30
    assert {"indonesian", "english", "typo", "place", "local", "synonym"} <= {
        c.group for c in cases
    }
    assert len({(c.query, c.language) for c in cases}) == len(cases)


def _results(*slugs: str) -> SearchResults:
    hits = [SearchHit(i, s, s, 0, "goods", "shop", "Shop", "Balige") for i, s in enumerate(slugs)]
    return SearchResults(count=len(hits), hits=hits)


def test_precision_counts_relevant_products_in_the_top_five_only():
    case = relevance.Case("ulos", "id", "indonesian", frozenset({"a", "b", "c"}))
    score = relevance.run([case], lambda q: _results("x", "a", "y", "z", "w", "b", "c"))[0]
    assert score.found == 1
    assert score.precision == pytest.approx(1 / 3)  # 1 of min(5, 3)
    assert score.reciprocal_rank == pytest.approx(1 / 2)
    many = relevance.Case("kopi", "id", "indonesian", frozenset("abcdefgh"))
    score = relevance.run([many], lambda q: _results("a", "b", "c", "d", "x"))[0]
    assert score.precision == pytest.approx(4 / 5)  # 4 of min(5, 8)
    assert score.recall == pytest.approx(4 / 8)


def test_the_relevance_set_holds_its_precision_at_5(db, database_search):
    call_command("seed_demo", stdout=io.StringIO())
    cases = relevance.load(SET)
    slugs = set(Product.objects.values_list("slug", flat=True))
    unknown = {slug for c in cases for slug in c.relevant} - slugs
    assert not unknown, f"the relevance set names products seed_demo does not make: {unknown}"
    written = backends.database_backend().index(documents_for(public_product_ids()))
    assert written == len(slugs)
    scores = relevance.run(cases, database_search)
    summary = relevance.summarise(scores)
    report = "\n".join(
        f"{s.precision:.2f} {s.case.query!r}: top {list(s.top)}" for s in scores if s.case.relevant
    )
    measured = MEASURED[connection.vendor]
    assert summary.precision >= measured - SLACK, (
        f"mean precision at 5 fell to {summary.precision:.3f} (held at {measured:.3f})\n{report}"
    )
