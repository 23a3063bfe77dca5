"""What every search backend answers, the same way (the `backend` fixture is in
tests/search/conftest.py). Run on SQLite (the default) and on PostgreSQL (DATABASE_URL), and on
Elasticsearch when ELASTICSEARCH_URL is set."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from search.query import SearchQuery, parse_query

pytestmark = pytest.mark.django_db


def ids(results) -> list[int]:
    return [hit.product_id for hit in results.hits]


def found(catalogue, text: str, **filters) -> list[int]:
    return ids(catalogue.backend.search(SearchQuery(text=text, **filters)))


def test_a_typo_is_forgiven_and_corrected(catalogue):
    results = catalogue.backend.search(SearchQuery(text="kopii"))
    assert catalogue.id("arabika") in ids(results)
    assert catalogue.id("robusta") in ids(results)
    assert catalogue.id("ragidup") not in ids(results)
    assert results.did_you_mean == "kopi"


def test_a_synonym_phrase_finds_the_other_words(catalogue):
    hits = found(catalogue, "kain tenun")
    assert catalogue.id("ragidup") in hits  # "Ulos Ragidup": ulos = kain tenun
    assert catalogue.id("sadum") in hits
    assert catalogue.id("arabika") not in hits


def test_an_inflected_word_finds_its_root(catalogue):
    assert catalogue.id("sadum") in found(catalogue, "tenunan")


def test_a_half_typed_last_word_finds_the_whole_word(catalogue):
    hits = found(catalogue, "kop")
    assert {catalogue.id("arabika"), catalogue.id("robusta")} <= set(hits)
    assert found(catalogue, "perahu samos") == [catalogue.id("boat")]
    assert catalogue.id("ragidup") in found(catalogue, "ul")


def test_when_all_words_together_find_nothing_some_of_them_do(catalogue):
    hits = found(catalogue, "kopi sidikalang murah")
    assert hits[0] == catalogue.id("robusta")  # two of the three words
    assert catalogue.id("arabika") in hits
    assert found(catalogue, "kopi sidikalang murah", kecamatan="balige") == []
    # Common words are not required, nor enough to match on their own.
    assert found(catalogue, "kopi dari sidikalang") == [catalogue.id("robusta")]
    assert found(catalogue, "zzqq tidak ada") == []


def test_english_finds_indonesian_through_the_synonyms(catalogue):
    hits = found(catalogue, "coffee")
    assert {catalogue.id("arabika"), catalogue.id("robusta")} <= set(hits)
    assert catalogue.id("ragidup") not in hits


def test_english_searches_match_the_english_category_label(catalogue):
    hits = found(catalogue, "weaving", language="en")
    assert {catalogue.id("ragidup"), catalogue.id("sadum")} <= set(hits)


def test_a_place_name_puts_that_places_stays_first(catalogue):
    results = catalogue.backend.search(SearchQuery(text="homestay balige"))
    assert ids(results)[0] == catalogue.id("bolon-room")
    assert catalogue.id("ragidup") not in ids(results)


def test_facet_counts_equal_a_direct_query_with_that_filter(catalogue):
    backend = catalogue.backend
    everything = backend.search(SearchQuery())
    assert everything.count == len(catalogue.products)
    for facet, name in [
        ("category", "category"),
        ("kecamatan", "kecamatan"),
        ("kind", "kind"),
    ]:
        assert everything.facets[facet], facet
        for value in everything.facets[facet]:
            direct = backend.search(SearchQuery(**{name: value.value}))
            assert value.count == direct.count, (facet, value)
    for value in everything.facets["price"]:
        low, high = value.value.split("-")
        direct = backend.search(
            SearchQuery(min_price=int(low), max_price=int(high) - 1 if high else None)
        )
        assert value.count == direct.count, value
    assert sum(v.count for v in everything.facets["kind"]) == everything.count


def test_a_facet_is_counted_with_the_other_filters_only(catalogue):
    chosen = catalogue.backend.search(SearchQuery(kecamatan="balige", kind="goods"))
    assert set(ids(chosen)) == {catalogue.id("ragidup"), catalogue.id("sadum")}
    kecamatan = {v.value: v.count for v in chosen.facets["kecamatan"]}
    # The other kecamatan still show their goods: the kecamatan filter is not applied to itself.
    assert kecamatan == {"balige": 2, "laguboti": 3}
    kinds = {v.value: v.count for v in chosen.facets["kind"]}
    assert kinds == {"goods": 2, "stay": 1}
    categories = {v.value: v.count for v in chosen.facets["category"]}
    assert categories == {"tenun": 2}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"category": "kopi"}, {"arabika", "robusta"}),
        ({"kecamatan": "porsea"}, {"porsea-room"}),
        ({"kind": "experience"}, {"boat"}),
        ({"shop": "gorga"}, {"ragidup", "sadum"}),
        ({"min_price": 100_000, "max_price": 200_000}, {"sadum", "boat"}),
        ({"kecamatan": "laguboti", "in_stock": True}, {"arabika", "mandi"}),
    ],
)
def test_filters(catalogue, filters, expected):
    results = catalogue.backend.search(SearchQuery(**filters))
    assert set(ids(results)) == {catalogue.id(n) for n in expected}
    assert results.count == len(expected)


def test_a_filter_narrows_a_text_search(catalogue):
    assert found(catalogue, "kopi", max_price=50_000) == [catalogue.id("robusta")]


def test_sorts(catalogue):
    backend = catalogue.backend
    prices = [h.price for h in backend.search(SearchQuery(sort="price")).hits]
    assert prices == sorted(prices)
    prices = [h.price for h in backend.search(SearchQuery(sort="-price")).hits]
    assert prices == sorted(prices, reverse=True)
    newest = ids(backend.search(SearchQuery(sort="newest")))
    assert newest[:3] == [catalogue.id("mandi"), catalogue.id("robusta"), catalogue.id("arabika")]
    nearest = backend.search(SearchQuery(sort="nearest", near=(2.65, 98.93)))  # at Ajibata
    assert nearest.hits[0].product_id == catalogue.id("boat")
    distances = [h.distance_km for h in nearest.hits]
    assert distances == sorted(distances)
    assert distances[0] < 1


def test_available_on_a_date(catalogue):
    on_night = found(catalogue, "", available_on=catalogue.night)
    assert on_night == [catalogue.id("bolon-room")]
    next_night = found(catalogue, "homestay", available_on=catalogue.night + dt.timedelta(days=1))
    assert next_night == [catalogue.id("porsea-room")]
    assert found(catalogue, "", available_on=catalogue.slot_day) == [catalogue.id("boat")]
    assert found(catalogue, "", available_on=catalogue.slot_day + dt.timedelta(days=90)) == []


def test_near_a_point_within_a_radius(catalogue):
    # Balige to Laguboti is about 12 km, to Porsea about 16 km.
    results = catalogue.backend.search(SearchQuery(near=(2.3335, 99.0667), radius_km=5))
    assert set(ids(results)) == {catalogue.id(n) for n in ("ragidup", "sadum", "bolon-room")}
    assert all(h.distance_km is not None and h.distance_km < 5 for h in results.hits)
    wider = catalogue.backend.search(SearchQuery(near=(2.3335, 99.0667), radius_km=14))
    assert catalogue.id("arabika") in ids(wider)
    assert catalogue.id("porsea-room") not in ids(wider)


def test_pages(catalogue):
    backend = catalogue.backend
    query = SearchQuery(sort="price", per_page=3)
    seen = []
    for page in (1, 2, 3):
        results = backend.search(replace(query, page=page))
        assert results.count == len(catalogue.products)
        seen += ids(results)
    assert len(seen) == len(catalogue.products) == len(set(seen))
    assert backend.search(replace(query, page=4)).hits == []


def test_highlights_are_escaped_and_marked(catalogue):
    product = catalogue.products["mandi"]
    product.description = "Sabun <b>kemiri</b> & minyak kelapa."
    product.save()
    catalogue.index("mandi")
    hit = catalogue.backend.search(SearchQuery(text="kemiri")).hits[0]
    assert hit.product_id == product.pk
    assert "<b>" not in hit.highlight
    assert "&lt;b&gt;" in hit.highlight and "&amp;" in hit.highlight
    assert "<mark>kemiri</mark>" in hit.highlight
    kopi = catalogue.backend.search(SearchQuery(text="kopi")).hits[0]
    assert "<mark>Kopi</mark>" in kopi.highlight


def test_did_you_mean_a_place_name(catalogue):
    results = catalogue.backend.search(SearchQuery(text="balgie"))
    assert results.did_you_mean == "balige"
    # Either the typo is forgiven (Balige's products) or nothing is found: never anything else.
    assert {h.kecamatan for h in results.hits} <= {"Balige"}


def test_no_spelling_to_offer_for_gibberish_or_a_known_word(catalogue):
    results = catalogue.backend.search(SearchQuery(text="zxqvw"))
    assert (results.count, results.hits, results.did_you_mean) == (0, [], "")
    assert catalogue.backend.search(SearchQuery(text="ulos")).did_you_mean == ""


def test_suggest_products_shops_and_kecamatan(catalogue):
    suggestions = catalogue.backend.suggest("ul")
    products = [s for s in suggestions if s.kind == "product"]
    assert products and products[0].text == "Ulos Ragidup"
    assert products[0].url == "/products/ragidup/"
    shops = catalogue.backend.suggest("galeri")
    assert [(s.kind, s.text, s.url) for s in shops] == [("shop", "Galeri Gorga", "/shops/gorga/")]
    places = [s for s in catalogue.backend.suggest("bal") if s.kind == "kecamatan"]
    assert [p.text for p in places] == ["Balige"]
    assert places[0].url.endswith("?kecamatan=balige")
    english = catalogue.backend.suggest("ul", language="en")
    assert english[0].url == "/en/products/ragidup/"


def test_remove_makes_a_product_vanish(catalogue):
    assert catalogue.id("arabika") in found(catalogue, "kopi")
    assert catalogue.backend.remove([catalogue.id("arabika")]) == 1
    refresh = getattr(catalogue.backend, "refresh", None)
    if refresh:
        refresh()
    assert catalogue.id("arabika") not in found(catalogue, "kopi")
    assert catalogue.id("arabika") not in found(catalogue, "")
    assert catalogue.backend.search(SearchQuery()).count == len(catalogue.products) - 1


def test_reindexing_replaces_an_entry(catalogue):
    product = catalogue.products["robusta"]
    product.title = "Kopi Luwak Sidikalang"
    product.save()
    catalogue.index("robusta")
    assert found(catalogue, "luwak") == [product.pk]
    assert catalogue.backend.search(SearchQuery()).count == len(catalogue.products)


def test_a_query_read_from_the_url_is_answered(catalogue):
    query = parse_query({"q": "ulos", "kecamatan": "balige", "sort": "-price"})
    assert found(catalogue, query.text, kecamatan=query.kecamatan, sort=query.sort) == [
        catalogue.id("ragidup"),
        catalogue.id("sadum"),
    ]
