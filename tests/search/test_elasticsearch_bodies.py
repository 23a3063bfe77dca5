"""The Elasticsearch backend's exact requests, pinned: no cluster runs where these tests do, so
the mapping and the query bodies of representative searches are compared with JSON files a
person reads (tests/search/es_bodies/). This test never writes them: when a body changes on
purpose, read the diff it prints, then update the file by hand in the same commit.

Also: reading a realistic Elasticsearch answer into SearchResults and suggestions."""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import json
from pathlib import Path

import pytest

from search.backends import elasticsearch as es
from search.documents import ProductDocument
from search.query import PRICE_RANGES, SearchQuery
from search.results import FacetValue, SearchHit, Suggestion

BODIES = Path(__file__).parent / "es_bodies"
ELASTIC_PACKAGES = {"elasticsearch", "elasticsearch_dsl", "elastic_transport"}

CASES: dict[str, SearchQuery] = {
    "query_text": SearchQuery(text="ulos"),
    "query_facets": SearchQuery(
        text="kopi", kecamatan="balige", min_price=50_000, max_price=149_999
    ),
    "query_english": SearchQuery(text="boat trip", language="en"),
    "query_nearest": SearchQuery(
        text="homestay", near=(2.3335, 99.0667), radius_km=10.0, sort="nearest"
    ),
    "query_available_on": SearchQuery(
        kind="experience",
        available_on=dt.date(2026, 12, 5),
        in_stock=True,
        shop="toba-trip",
        sort="price",
        page=2,
    ),
}
SUGGEST_CASES: dict[str, tuple] = {"suggest": ("ul", "id", 8)}


def pinned(name: str, body: dict) -> None:
    expected_text = (BODIES / f"{name}.json").read_text()
    actual_text = json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if json.loads(expected_text) != json.loads(actual_text):
        diff = "".join(
            difflib.unified_diff(
                expected_text.splitlines(keepends=True),
                actual_text.splitlines(keepends=True),
                fromfile=f"es_bodies/{name}.json (pinned)",
                tofile=f"{name} (built now)",
            )
        )
        pytest.fail(f"The {name} body changed; read this, then update the file by hand:\n{diff}")


def test_the_index_mapping_is_the_pinned_one():
    pinned("index", es.index_body())


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_query_body_is_the_pinned_one(name):
    pinned(name, es.query_body(CASES[name]))


@pytest.mark.parametrize("name", sorted(SUGGEST_CASES))
def test_the_suggest_body_is_the_pinned_one(name):
    pinned(name, es.suggest_body(*SUGGEST_CASES[name]))


# --- what the pinned bodies must hold, said in words (so a wrong re-pin still fails) ---------


def test_the_mapping_rebuilds_the_indonesian_analyzer_with_synonyms_at_search_time():
    body = es.index_body()
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["pasar_id"]["filter"] == [
        "lowercase",
        "pasar_id_stop",
        "pasar_id_stemmer",
    ]
    assert analysis["filter"]["pasar_id_stop"] == {"type": "stop", "stopwords": "_indonesian_"}
    assert analysis["filter"]["pasar_id_stemmer"] == {"type": "stemmer", "language": "indonesian"}
    assert analysis["filter"]["pasar_synonyms"] == {
        "type": "synonym_graph",
        "synonyms_set": "pasar-products-synonyms",
        "updateable": True,
    }
    assert "pasar_synonyms" in analysis["analyzer"]["pasar_id_search"]["filter"]
    props = body["mappings"]["properties"]
    title = props["title"]
    assert (title["analyzer"], title["search_analyzer"]) == ("pasar_id", "pasar_id_search")
    assert set(title["fields"]) == {"en", "plain", "prefix", "raw"}
    # The fuzzy subfield has no synonyms (Elasticsearch would not apply fuzziness to them).
    assert "search_analyzer" not in title["fields"]["plain"]
    assert "pasar_synonyms" not in analysis["analyzer"]["pasar_plain"]["filter"]
    assert analysis["filter"]["pasar_edge_ngram"]["type"] == "edge_ngram"
    assert props["price"]["type"] == "long"
    assert props["available_dates"]["type"] == "date"
    assert props["location"]["type"] == "geo_point"
    assert props["kind"]["type"] == "keyword"
    assert props["kecamatan"]["properties"]["slug"]["type"] == "keyword"
    assert props["suggest"]["type"] == "completion"


def test_facet_filters_go_in_post_filter_and_each_facet_counts_with_the_others():
    body = es.query_body(CASES["query_facets"])
    kecamatan = {"term": {"kecamatan.slug": "balige"}}
    price = {"range": {"price": {"gte": 50_000, "lte": 149_999}}}
    assert body["post_filter"] == {"bool": {"filter": [kecamatan, price]}}
    assert "filter" not in body["query"]["bool"] or not body["query"]["bool"]["filter"]
    aggs = body["aggs"]
    assert aggs["kecamatan"]["filter"] == {"bool": {"filter": [price]}}
    assert aggs["price"]["filter"] == {"bool": {"filter": [kecamatan]}}
    assert aggs["category"]["filter"] == {"bool": {"filter": [kecamatan, price]}}
    ranges = aggs["price"]["aggs"]["values"]["range"]["ranges"]
    assert [(r["from"], r.get("to")) for r in ranges] == list(PRICE_RANGES)


def test_the_text_combines_a_synonym_match_with_a_fuzzy_match_without_synonyms():
    should = es.query_body(CASES["query_text"])["query"]["bool"]["must"][0]["bool"]["should"]
    synonym, fuzzy = should
    assert synonym["combined_fields"]["fields"][0] == "title^3"
    assert synonym["combined_fields"]["operator"] == "and"
    words = fuzzy["bool"]["must"]
    assert words[0]["multi_match"]["fuzziness"] == "AUTO"
    assert all(f.split("^")[0].endswith(".plain") for f in words[0]["multi_match"]["fields"])
    english = es.query_body(CASES["query_english"])["query"]["bool"]["must"][0]["bool"]
    assert english["should"][0]["combined_fields"]["fields"][0] == "title.en^3"


def test_nearest_sorts_by_distance_within_the_radius():
    body = es.query_body(CASES["query_nearest"])
    assert body["sort"][0]["_geo_distance"]["location"] == {"lat": 2.3335, "lon": 99.0667}
    assert body["query"]["bool"]["filter"] == [
        {"geo_distance": {"distance": "10km", "location": {"lat": 2.3335, "lon": 99.0667}}}
    ]


def test_available_on_pages_and_in_stock_are_query_filters():
    body = es.query_body(CASES["query_available_on"])
    assert {"term": {"available_dates": "2026-12-05"}} in body["query"]["bool"]["filter"]
    assert {"term": {"in_stock": True}} in body["query"]["bool"]["filter"]
    assert (body["from"], body["size"]) == (20, 20)
    assert body["post_filter"] == {"bool": {"filter": [{"term": {"kind": "experience"}}]}}
    assert "suggest" not in body and "highlight" not in body  # no text: nothing to correct


# --- documents, synonyms, aliases ------------------------------------------------------------


def document(**changes) -> ProductDocument:
    values = dict(
        product_id=7,
        slug="ulos-ragi-hotang",
        title="Ulos Ragi Hotang",
        description="Tenunan tangan dari Balige.",
        kind="goods",
        category_slug="tenun",
        category_label="Tenun dan Ulos",
        category_label_en="Weaving and ulos",
        kecamatan_slug="balige",
        kecamatan_label="Balige",
        desa="Lumban Dolok",
        shop_slug="gorga",
        shop_name="Galeri Gorga",
        price=450_000,
        in_stock=True,
        available_dates=(dt.date(2026, 12, 5),),
        latitude=2.3335,
        longitude=99.0667,
        published_at=dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC),
    )
    values.update(changes)
    return ProductDocument(**values)


def test_a_document_source_holds_the_mapped_fields():
    source = es.document_source(document())
    assert source["location"] == {"lat": 2.3335, "lon": 99.0667}
    assert source["available_dates"] == ["2026-12-05"]
    assert source["suggest"] == {
        "input": ["Ulos Ragi Hotang", "Ragi Hotang", "Hotang"],
        "weight": 2,
    }
    assert source["published_at"] == "2026-11-01T09:00:00+00:00"
    # Every field the document writes is mapped (the mapping is strict).
    mapped = set(es.index_body()["mappings"]["properties"])
    assert set(source) == mapped - {"spell"}  # spell is filled by copy_to
    assert es.document_source(document(latitude=None))["location"] is None


def test_the_synonym_groups_become_solr_rules():
    rules = es.synonyms_set_body([["ulos", "kain tenun"], ["sendiri"], ["kopi", "coffee"]])
    assert rules == [
        {"id": "group-1", "synonyms": "ulos, kain tenun"},
        {"id": "group-2", "synonyms": "kopi, coffee"},
    ]


def test_the_alias_swap_is_one_call_removing_the_old_and_adding_the_new():
    actions = es.alias_actions(
        "pasar-products", ["pasar-products-2", "pasar-products-1"], "pasar-products-3"
    )
    assert actions == [
        {"remove": {"index": "pasar-products-1", "alias": "pasar-products"}},
        {"remove": {"index": "pasar-products-2", "alias": "pasar-products"}},
        {"add": {"index": "pasar-products-3", "alias": "pasar-products", "is_write_index": True}},
    ]
    first = es.alias_actions("pasar-products", [], "pasar-products-1")
    assert first == [
        {"add": {"index": "pasar-products-1", "alias": "pasar-products", "is_write_index": True}}
    ]


def test_a_new_index_name_is_the_alias_with_a_timestamp():
    when = dt.datetime(2026, 12, 2, 5, 30, 1, 123456, tzinfo=dt.UTC)
    assert es.new_index_name("pasar-products", when) == "pasar-products-20261202053001123456"


# --- reading answers -------------------------------------------------------------------------


def facet(name: str, buckets: list[dict]) -> dict:
    return {
        name: {"doc_count": sum(b["doc_count"] for b in buckets), "values": {"buckets": buckets}}
    }


def labelled(key: str, label: str, count: int) -> dict:
    return {
        "key": key,
        "doc_count": count,
        "label": {"buckets": [{"key": label, "doc_count": count}]},
    }


RESPONSE = {
    "took": 4,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {
        "total": {"value": 2, "relation": "eq"},
        "max_score": None,
        "hits": [
            {
                "_index": "pasar-products-20261202053001123456",
                "_id": "11",
                "_score": 7.1,
                "_source": {
                    "product_id": 11,
                    "slug": "kopi-arabika-lintong",
                    "title": "Kopi Arabika Lintong",
                    "kind": "goods",
                    "price": 85000,
                    "shop": {"slug": "lintong", "name": "Kedai Lintong"},
                    "kecamatan": {"slug": "laguboti", "label": "Laguboti"},
                },
                "fields": {"distance_km": [3.14159]},
                "highlight": {
                    "title": ["<mark>Kopi</mark> Arabika Lintong"],
                    "description": ["Biji sangrai sedang &amp; harum."],
                },
                "matched_queries": ["fuzzy"],
                "sort": [3.14159, 7.1, 11],
            },
            {
                "_index": "pasar-products-20261202053001123456",
                "_id": "12",
                "_score": 5.0,
                "_source": {
                    "product_id": 12,
                    "slug": "kopi-robusta",
                    "title": "Kopi Robusta <Sidikalang>",
                    "kind": "goods",
                    "price": 45000,
                    "shop": {"slug": "lintong", "name": "Kedai Lintong"},
                    "kecamatan": {"slug": "laguboti", "label": "Laguboti"},
                },
                "fields": {"distance_km": [None]},
                "highlight": {
                    "description.plain": ["Bubuk <mark>kopi</mark> halus."],
                    "description": ["Bubuk kopi halus."],
                },
                "matched_queries": ["fuzzy"],
                "sort": [None, 5.0, 12],
            },
        ],
    },
    "aggregations": {
        **facet("category", [labelled("kopi", "Kopi", 2)]),
        **facet(
            "kecamatan", [labelled("laguboti", "Laguboti", 2), labelled("balige", "Balige", 1)]
        ),
        **facet("kind", [{"key": "goods", "doc_count": 2}]),
        "price": {
            "doc_count": 3,
            "values": {
                "buckets": [
                    {"key": "0-50000", "from": 0.0, "to": 50000.0, "doc_count": 1},
                    {"key": "50000-150000", "from": 50000.0, "to": 150000.0, "doc_count": 2},
                    {"key": "150000-500000", "from": 150000.0, "to": 500000.0, "doc_count": 0},
                    {"key": "500000-", "from": 500000.0, "doc_count": 0},
                ]
            },
        },
    },
    "suggest": {
        "did_you_mean": [
            {
                "text": "kopii",
                "offset": 0,
                "length": 5,
                "options": [{"text": "kopi", "score": 0.31, "collate_match": True}],
            }
        ]
    },
}


def test_a_response_becomes_search_results():
    query = SearchQuery(text="kopii", near=(2.37, 99.17))
    results = es.results_from_response(RESPONSE, query)
    assert results.count == 2
    assert results.backend == "elasticsearch"
    assert results.hits[0] == SearchHit(
        product_id=11,
        slug="kopi-arabika-lintong",
        title="Kopi Arabika Lintong",
        price=85000,
        kind="goods",
        shop_slug="lintong",
        shop_name="Kedai Lintong",
        kecamatan="Laguboti",
        highlight="<mark>Kopi</mark> Arabika Lintong",  # the title marked, the description not
        distance_km=3.14,
    )
    # A description that marks a match wins over the title; no location, no distance.
    assert results.hits[1].highlight == "Bubuk <mark>kopi</mark> halus."
    assert results.hits[1].distance_km is None
    assert results.facets["kecamatan"] == [
        FacetValue("laguboti", "Laguboti", 2),
        FacetValue("balige", "Balige", 1),
    ]
    assert results.facets["kind"] == [FacetValue("goods", "Barang", 2)]
    assert results.facets["price"] == [
        FacetValue("0-50000", "Rp 0 – Rp 50.000", 1),
        FacetValue("50000-150000", "Rp 50.000 – Rp 150.000", 2),
    ]
    # Found only by forgiving the typo: the spelling is offered.
    assert results.did_you_mean == "kopi"


def test_english_labels_and_no_correction_when_the_words_are_on_the_page_or_synonyms():
    raw = json.loads(json.dumps(RESPONSE))
    raw["suggest"]["did_you_mean"][0]["options"][0]["text"] = "kopi lintang"
    # Every typed word shows in the hits: no typo to correct.
    results = es.results_from_response(raw, SearchQuery(text="Lintong kopi", language="en"))
    assert results.did_you_mean == ""
    # "coffee" is not on the page but it is a word of the synonym list, not a typo.
    coffee = es.results_from_response(raw, SearchQuery(text="coffee"), {"coffee", "kopi"})
    assert coffee.did_you_mean == ""
    assert es.results_from_response(raw, SearchQuery(text="coffee")).did_you_mean == "kopi lintang"
    assert results.facets["kind"] == [FacetValue("goods", "Item", 2)]
    assert results.facets["price"][1].label == "Rp 50,000 – Rp 150,000"


def test_nothing_found_offers_the_collated_spelling_only():
    raw = {
        "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
        "aggregations": {},
        "suggest": {
            "did_you_mean": [
                {
                    "text": "kopii",
                    "options": [
                        {"text": "kapi", "score": 0.4, "collate_match": False},
                        {"text": "kopi", "score": 0.3, "collate_match": True},
                    ],
                }
            ]
        },
    }
    results = es.results_from_response(raw, SearchQuery(text="kopii"))
    assert (results.count, results.hits, results.did_you_mean) == (0, [], "kopi")
    assert results.facets["category"] == []


def test_a_title_without_highlight_is_escaped():
    raw = json.loads(json.dumps(RESPONSE))
    del raw["hits"]["hits"][1]["highlight"]
    hit = es.results_from_response(raw, SearchQuery(text="kopi")).hits[1]
    assert hit.highlight == "Kopi Robusta &lt;Sidikalang&gt;"


def test_a_suggest_response_becomes_suggestions_products_first():
    raw = {
        "hits": {"total": {"value": 3, "relation": "eq"}, "hits": []},
        "suggest": {
            "products": [
                {
                    "text": "ul",
                    "options": [
                        {
                            "text": "Ulos Ragidup",
                            "_id": "1",
                            "_source": {"slug": "ragidup", "title": "Ulos Ragidup"},
                        },
                        {
                            "text": "Ulos Sadum",
                            "_id": "2",
                            "_source": {"slug": "sadum", "title": "Ulos Sadum"},
                        },
                        {
                            "text": "Ulos Sadum",
                            "_id": "2",
                            "_source": {"slug": "sadum", "title": "Ulos Sadum"},
                        },
                    ],
                }
            ]
        },
        "aggregations": {
            "shops": {
                "doc_count": 1,
                "values": {"buckets": [labelled("ulos-boru", "Ulos Boru", 1)]},
            },
            "kecamatan": {"doc_count": 0, "values": {"buckets": []}},
        },
    }
    assert es.suggestions_from_response(raw, "id", 8) == [
        Suggestion("product", "Ulos Ragidup", "/products/ragidup/"),
        Suggestion("product", "Ulos Sadum", "/products/sadum/"),
        Suggestion("shop", "Ulos Boru", "/shops/ulos-boru/"),
    ]
    english = es.suggestions_from_response(raw, "en", 2)
    assert english == [
        Suggestion("product", "Ulos Ragidup", "/en/products/ragidup/"),
        Suggestion("shop", "Ulos Boru", "/en/shops/ulos-boru/"),
    ]


def test_only_the_backend_module_imports_elasticsearch():
    root = Path(__file__).resolve().parents[2]
    importers = set()
    for app in ("config", "marketplace", "payments", "search", "cms", "bin", "bench"):
        for path in (root / app).rglob("*.py"):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                if any(n.split(".")[0] in ELASTIC_PACKAGES for n in names):
                    importers.add(str(path.relative_to(root)))
    assert importers == {"search/backends/elasticsearch.py"}
