"""The query string of a search, cleaned once for the page and the API: the names
search.query.parse_query reads, without NUL characters (PostgreSQL refuses them in a query),
and prices no column can hold refused as the bad price they are."""

from __future__ import annotations

from django.http import QueryDict

from search.query import SearchQueryInvalid

# The names parse_query reads; links and the API keep these and drop anything else.
NAMES = (
    "q",
    "category",
    "kecamatan",
    "kind",
    "shop",
    "min_price",
    "max_price",
    "in_stock",
    "date",
    "near",
    "radius",
    "sort",
    "page",
)
MAX_PRICE = 10**12  # rupiah; far above any product, far below a bigint


def search_params(raw: QueryDict) -> QueryDict:
    params = QueryDict(mutable=True)
    for name in NAMES:
        value = raw.get(name, "").replace("\x00", "").strip()
        if value:
            params[name] = value
    for name in ("min_price", "max_price"):
        value = params.get(name, "")
        if value.isdigit() and int(value) > MAX_PRICE:
            raise SearchQueryInvalid("bad_price", name)
    return params
