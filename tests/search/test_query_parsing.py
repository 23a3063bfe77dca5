"""One reading of a search's query string for the page and the API: bad values are refused
with a code and the parameter, never a 500."""

import datetime as dt

import pytest
from django.utils import translation

from search.query import SearchQuery, SearchQueryInvalid, parse_query


def test_a_full_query_is_read():
    query = parse_query(
        {
            "q": "  kopi  ",
            "category": "kopi",
            "kecamatan": "balige",
            "kind": "goods",
            "min_price": "10000",
            "max_price": "90000",
            "in_stock": "1",
            "date": "2026-12-05",
            "near": "2.33,99.06",
            "radius": "15",
            "sort": "nearest",
            "page": "2",
        },
        language="en-gb",
    )
    assert query == SearchQuery(
        text="kopi",
        category="kopi",
        kecamatan="balige",
        kind="goods",
        min_price=10_000,
        max_price=90_000,
        in_stock=True,
        available_on=dt.date(2026, 12, 5),
        near=(2.33, 99.06),
        radius_km=15.0,
        sort="nearest",
        page=2,
        language="en",
    )
    assert query.offset == 20
    assert query.filters()["near"] == "2.33,99.06"
    assert query.without("kecamatan").kecamatan == "" and query.without("kecamatan").page == 1


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"sort": "popular"}, "bad_sort", "sort"),
        ({"min_price": "murah"}, "bad_price", "min_price"),
        ({"max_price": "-5"}, "bad_price", "max_price"),
        ({"min_price": "9", "max_price": "1"}, "bad_price_range", "min_price"),
        ({"date": "5/12/2026"}, "bad_date", "date"),
        ({"kind": "jasa"}, "bad_kind", "kind"),
        ({"page": "0"}, "bad_page", "page"),
        ({"page": "x"}, "bad_page", "page"),
        ({"near": "utara"}, "bad_point", "near"),
        ({"near": "95,10"}, "bad_point", "near"),
        ({"near": "2,99", "radius": "999"}, "bad_radius", "radius"),
        ({"sort": "nearest"}, "nearest_needs_point", "sort"),
        ({"in_stock": "maybe"}, "bad_in_stock", "in_stock"),
    ],
)
def test_bad_values_are_refused_with_a_code_and_the_parameter(params, code, field):
    with pytest.raises(SearchQueryInvalid) as refused:
        parse_query(params)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message


def test_the_messages_are_english_for_an_english_reader():
    with pytest.raises(SearchQueryInvalid) as refused:
        parse_query({"sort": "popular"})
    with translation.override("en"):
        assert refused.value.message.startswith("Unknown sort")
    with translation.override("id"):
        assert refused.value.message.startswith("Urutan tidak dikenal")
