"""/search/?q=: the search page, rendered on the server. Facets, sorting and pages are plain
links and GET forms that carry the whole query in the URL, so it works without JavaScript; the
page never knows which backend answered (search.backends.search)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from marketplace.languages import site_language
from marketplace.models import ProductKind
from marketplace.selectors.product_photos import first_photos
from search import backends
from search.params import NAMES, search_params
from search.query import MAX_PAGE, SearchQuery, SearchQueryInvalid, parse_query
from search.query_log import search_counted
from search.results import FacetValue, SearchHit

SORT_LABELS = {
    "relevance": _("Paling cocok"),
    "price": _("Harga termurah"),
    "-price": _("Harga termahal"),
    "newest": _("Terbaru"),
    "nearest": _("Terdekat"),
}
FACET_TITLES = {
    "category": _("Kategori"),
    "kecamatan": _("Kecamatan"),
    "kind": _("Jenis"),
    "price": _("Harga"),
}
POPULAR_CATEGORIES = 8


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    url: str
    chosen: bool


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    values: list[FacetLink]
    remove_url: str  # the same search without this filter; "" when none is chosen


@dataclass(frozen=True)
class Result:
    hit: SearchHit
    photo: object | None


def _url(params: QueryDict, **changes: str | None) -> str:
    """`?` + params with `changes` (None removes a name), in parse_query's order of names so a
    search has one URL; the page starts again at 1 unless `page` is among the changes."""
    pairs = {name: value for name, value in params.items() if name != "page"}
    for name, value in changes.items():
        if value in (None, ""):
            pairs.pop(name, None)
        else:
            pairs[name] = value
    ordered = sorted(pairs.items(), key=lambda pair: NAMES.index(pair[0]))
    return "?" + urlencode(ordered) if ordered else "?"


def _price_bounds(value: str) -> tuple[str, str | None]:
    """A price facet value "from-to" ([from, to), "to" empty when open) as min and max price."""
    low, _sep, high = value.partition("-")
    return low, (str(int(high) - 1) if high else None)


def _facet(name: str, values: list[FacetValue], query: SearchQuery, params: QueryDict) -> Facet:
    links = []
    if name == "price":
        chosen_any = query.min_price is not None or query.max_price is not None
        for value in values:
            low, high = _price_bounds(value.value)
            chosen = (str(query.min_price), str(query.max_price)) == (low, str(high))
            links.append(
                FacetLink(
                    value.label, value.count, _url(params, min_price=low, max_price=high), chosen
                )
            )
        remove = _url(params, min_price=None, max_price=None) if chosen_any else ""
    else:
        current = getattr(query, name)
        labels = dict(ProductKind.choices) if name == "kind" else {}
        for value in values:
            links.append(
                FacetLink(
                    str(labels.get(value.value, value.label)),
                    value.count,
                    _url(params, **{name: value.value}),
                    value.value == current,
                )
            )
        remove = _url(params, **{name: None}) if current else ""
    return Facet(name, str(FACET_TITLES[name]), links, remove)


def _pages(query: SearchQuery, count: int, params: QueryDict) -> dict:
    last = min(MAX_PAGE, max(1, -(-count // query.per_page)))

    def page_url(number: int) -> str:
        return _url(params, page=str(number) if number > 1 else None)

    return {
        "number": query.page,
        "last": last,
        "previous_url": page_url(query.page - 1) if query.page > 1 else "",
        "next_url": page_url(query.page + 1) if query.page < last else "",
    }


def search_page(request: HttpRequest) -> HttpResponse:
    language = site_language()
    context: dict = {"search_text": request.GET.get("q", "").replace("\x00", "").strip()[:200]}
    try:
        params = search_params(request.GET)
        query = parse_query(params, language=language)
    except SearchQueryInvalid as error:
        context["error"] = error.message
        return render(request, "search/search_page.html", context, status=400)
    results = search_counted(query, source="page")
    photos = first_photos(hit.product_id for hit in results.hits)
    facets = [
        _facet(name, results.facets[name], query, params)
        for name in FACET_TITLES
        if results.facets.get(name)
    ]
    sorts = [s for s in SORT_LABELS if s != "nearest" or query.near is not None]
    context.update(
        query=query,
        results=results,
        hits=[Result(hit, photos.get(hit.product_id)) for hit in results.hits],
        facets=facets,
        sorts=[(s, SORT_LABELS[s]) for s in sorts],
        sort_hidden=[(k, v) for k, v in params.items() if k not in ("sort", "page")],
        pages=_pages(query, results.count, params),
    )
    if results.count == 0:
        if results.did_you_mean:
            context["did_you_mean_url"] = _url(params, q=results.did_you_mean)
        context["popular_categories"] = _popular_categories(language)
    return render(request, "search/search_page.html", context)


def _popular_categories(language: str) -> list[FacetLink]:
    """The categories with the most products: the facet of a search for everything."""
    everything = backends.search(SearchQuery(language=language, per_page=1))
    values = sorted(everything.facets.get("category", []), key=lambda v: -v.count)
    empty = QueryDict()
    return [
        FacetLink(v.label, v.count, _url(empty, category=v.value), False)
        for v in values[:POPULAR_CATEGORIES]
    ]
