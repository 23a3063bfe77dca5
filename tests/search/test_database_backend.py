"""The database backend's own promises, beyond the contract: a search costs the same number of
queries however many entries there are; writes keep the text index (tsvector on PostgreSQL,
FTS5 on SQLite) in step; typo correction and the highlighter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import synonyms
from search.backends.database import DatabaseBackend
from search.backends.database_text import edit_distance, highlight, light_stem
from search.documents import ProductDocument
from search.models import SearchEntry, SearchEntryDay
from search.query import SearchQuery

pytestmark = pytest.mark.django_db


def document(i: int, **changes) -> ProductDocument:
    fields = dict(
        product_id=i,
        slug=f"produk-{i}",
        title=f"Ulos Sadum {i}" if i % 2 else f"Kopi Lintong {i}",
        description="Tenun tangan dari Balige." if i % 2 else "Biji kopi sangrai.",
        kind="goods",
        category_slug="tenun" if i % 2 else "kopi",
        category_label="Tenun" if i % 2 else "Kopi",
        category_label_en="Weaving" if i % 2 else "Coffee",
        kecamatan_slug=("balige", "laguboti", "porsea")[i % 3],
        kecamatan_label=("Balige", "Laguboti", "Porsea")[i % 3],
        desa="",
        shop_slug=f"toko-{i % 7}",
        shop_name=f"Toko {i % 7}",
        price=10_000 * i,
        in_stock=bool(i % 4),
        available_dates=(dt.date(2026, 12, 5 + i % 3),),
        latitude=2.33 + i / 1000,
        longitude=99.06,
        published_at=None,
    )
    fields.update(changes)
    return ProductDocument(**fields)


@pytest.fixture
def backend():
    synonyms.forget()
    return DatabaseBackend()


def queries_for(backend, query: SearchQuery) -> int:
    backend.search(query)  # warm the synonym cache: it is not what is measured
    with CaptureQueriesContext(connection) as ctx:
        backend.search(query)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(),
        SearchQuery(text="ulos balige", sort="price"),
        SearchQuery(text="kopii", kecamatan="porsea", in_stock=True),
        SearchQuery(
            text="tenun",
            available_on=dt.date(2026, 12, 5),
            near=(2.33, 99.06),
            radius_km=50,
            sort="nearest",
            min_price=20_000,
        ),
        SearchQuery(text="zxqvw"),
        SearchQuery(text="ulso"),
    ],
    ids=["all", "text", "typo", "every-filter", "nothing", "swapped-letters"],
)
def test_a_search_costs_the_same_queries_for_5_and_50_entries(backend, query):
    backend.index(document(i) for i in range(1, 6))
    few = queries_for(backend, query)
    backend.index(document(i) for i in range(6, 51))
    assert SearchEntry.objects.count() == 50
    assert queries_for(backend, query) == few
    assert few <= 10


def test_index_upserts_entries_and_their_days(backend):
    assert backend.index(document(i) for i in range(1, 4)) == 3
    backend.index([document(1, title="Kopi Luwak", available_dates=(dt.date(2026, 12, 24),))])
    entry = SearchEntry.objects.get(pk=1)
    assert entry.title == "Kopi Luwak"
    assert list(SearchEntryDay.objects.filter(entry=entry).values_list("day", flat=True)) == [
        dt.date(2026, 12, 24)
    ]
    hits = backend.search(SearchQuery(text="luwak")).hits
    assert [h.product_id for h in hits] == [1]
    assert backend.search(SearchQuery(text="sadum")).count == 1  # 3 only: 1 is no longer ulos


def test_index_writes_in_batches_of_a_thousand(backend):
    with CaptureQueriesContext(connection) as ctx:
        assert backend.index(document(i) for i in range(1, 1201)) == 1200
    inserts = [q for q in ctx.captured_queries if 'INSERT INTO "search_searchentry"' in q["sql"]]
    assert len(inserts) == 2 if connection.vendor == "postgresql" else len(inserts) >= 2
    assert backend.search(SearchQuery(text="ulos")).count == 600


def test_remove_deletes_the_entry_its_days_and_its_text(backend):
    backend.index(document(i) for i in range(1, 4))
    assert backend.remove([1, 999]) == 1
    assert not SearchEntry.objects.filter(pk=1).exists()
    assert not SearchEntryDay.objects.filter(entry_id=1).exists()
    assert backend.search(SearchQuery(text="sadum")).count == 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts WHERE rowid = 1")
            assert cursor.fetchone()[0] == 0


def test_synonyms_are_read_at_query_time(backend):
    from search.models import SynonymGroup

    backend.index([document(1, title="Gorga Ukiran", description="Ukiran kayu.")])
    assert backend.search(SearchQuery(text="carving")).count == 0
    SynonymGroup.objects.create(terms="gorga, carving")
    synonyms.forget()
    backend.synonyms_changed()
    assert backend.search(SearchQuery(text="carving")).count == 1


@pytest.mark.postgres
def test_the_stored_vector_weighs_title_a_names_b_description_c(backend):
    backend.index([document(1, title="Ulos Ragidup", description="Dari Balige.")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT document::text FROM search_searchentry WHERE product_id = 1")
        vector = cursor.fetchone()[0]
    weights = {}
    for item in vector.split():
        lexeme, positions = item.rsplit(":", 1)
        weights[lexeme.strip("'")] = {
            p[-1] if p[-1].isalpha() else "D" for p in positions.split(",")
        }
    assert "A" in weights["ragidup"] and "A" in weights["ulos"]  # title
    assert weights["laguboti"] == {"B"}  # kecamatan
    assert weights["toko"] == {"B"}  # shop
    assert weights["tenun"] == {"B"}  # category
    assert "weav" in weights  # the English category label, English stems
    assert weights["dari"] == {"C"}  # description


def test_light_stem_and_edit_distance():
    assert light_stem("tenunan") == "tenun"
    assert light_stem("kopi") == "kopi"
    assert edit_distance("kopii", "kopi") == 1
    assert edit_distance("ulso", "ulos") == 1  # a transposition is one typo
    assert edit_distance("balgie", "balige") == 1
    assert edit_distance("kopi", "kapal", limit=1) == 2


@pytest.mark.parametrize("typed", ["ulso", "luos", "kpoi"])
def test_swapped_first_letters_find_the_word_meant(backend, typed):
    """A swap in the first three letters shares no trigram with the word meant; the names that
    start as the typed word does (or swapped) are its candidates."""
    backend.index(document(i) for i in range(1, 7))
    results = backend.search(SearchQuery(text=typed))
    meant = "ulos" if typed != "kpoi" else "kopi"
    assert results.count == 3
    assert all(meant in h.title.lower() for h in results.hits)
    assert results.did_you_mean == meant


def test_an_unknown_word_with_no_near_name_still_finds_nothing(backend):
    backend.index(document(i) for i in range(1, 7))
    results = backend.search(SearchQuery(text="ulxyz"))
    assert results.count == 0 and results.did_you_mean == ""


def test_highlight_escapes_and_marks_word_starts():
    snippet = highlight("Ulos", "Kain <i>tenunan</i> & ulos asli.", ["tenun", "ulos"])
    assert snippet == "Kain &lt;i&gt;<mark>tenunan</mark>&lt;/i&gt; &amp; <mark>ulos</mark> asli."
    assert highlight("Kopi Toba", "Biji sangrai.", ["kopi"]) == "<mark>Kopi</mark> Toba"
    assert "<mark>" not in highlight("Sekopi", "", ["kopi"])


def test_a_title_match_ranks_above_a_name_or_description_match(backend):
    backend.index(
        [
            document(1, title="Sarung Biasa", description="Dibuat dengan andaliman segar."),
            document(2, title="Sambal Andaliman", description="Pedas."),
            document(3, title="Bumbu Dapur", description="", shop_name="Toko Andaliman"),
        ]
    )
    hits = backend.search(SearchQuery(text="andaliman")).hits
    assert [h.product_id for h in hits] == [2, 3, 1]
    page_two = backend.search(SearchQuery(text="andaliman", per_page=1, page=2)).hits
    assert [h.product_id for h in page_two] == [3]
