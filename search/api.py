"""GET /api/v1/search/ and GET /api/v1/search/suggest/, as DESIGN.md's outside contract says.

Both answer through search.backends (never a backend directly), so the API never knows which
one did. A bad parameter is a 400 {"code", "field", "detail"} (search.query.SearchQueryInvalid),
never a 500."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.languages import site_language
from search import backends
from search.params import MAX_PRICE, search_params
from search.query import KINDS, MAX_PAGE, MAX_RADIUS_KM, SORTS, SearchQueryInvalid, parse_query
from search.query_log import search_counted
from search.results import SearchResults

SUGGEST_LIMIT = 8
QUERY_LENGTH = 200

# Serializers (the schema; the views build plain dicts) ---------------------------------------


class ShopRefOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SearchHitOut(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    price = serializers.IntegerField(help_text="Rupiah: the lowest price a buyer can pay.")
    shop = ShopRefOut()
    highlight = serializers.CharField(
        help_text="HTML-safe snippet: escaped text with <mark>…</mark> around the matches."
    )
    kind = serializers.ChoiceField(choices=KINDS)
    kecamatan = serializers.CharField(help_text="The shop's kecamatan (its name).")


class FacetValueOut(serializers.Serializer):
    value = serializers.CharField(
        help_text='A slug, a kind, or a price range "from-to" in rupiah, [from, to); '
        '"500000-" is open-ended.'
    )
    label = serializers.CharField()
    count = serializers.IntegerField()


class FacetsOut(serializers.Serializer):
    category = FacetValueOut(many=True)
    kecamatan = FacetValueOut(many=True)
    kind = FacetValueOut(many=True)
    price = FacetValueOut(many=True)


class SearchOut(serializers.Serializer):
    count = serializers.IntegerField()
    results = SearchHitOut(many=True)
    facets = FacetsOut(
        help_text="Each counted with every other chosen filter applied (a chosen kecamatan "
        "still shows the counts of the others)."
    )
    did_you_mean = serializers.CharField(
        help_text='The closest spelling when nothing was found ("kopi" for "kopii"), else "".'
    )


class SuggestionOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["product", "shop", "kecamatan"])
    text = serializers.CharField()
    url = serializers.CharField()


class SuggestOut(serializers.Serializer):
    suggestions = SuggestionOut(many=True)


class SearchErrorOut(serializers.Serializer):
    code = serializers.ChoiceField(choices=sorted(SearchQueryInvalid.MESSAGES))
    field = serializers.CharField(help_text="The query parameter that is wrong.")
    detail = serializers.CharField(help_text="What is wrong, in the request's language.")


# Views ---------------------------------------------------------------------------------------


def _language(request: Request) -> str:
    """?language=id|en, else the request's language (Accept-Language, the language cookie)."""
    asked = request.query_params.get("language", "")
    if asked in ("id", "en"):
        return asked
    # /api/ has no language prefix, so the active language is always the default: read the
    # language cookie and Accept-Language instead.
    return site_language(translation.get_language_from_request(request._request))


def _refusal(error: SearchQueryInvalid) -> Response:
    return Response({"code": error.code, "field": error.field, "detail": error.message}, 400)


def _text(name: str, description: str, **extra) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description, **extra
    )


LANGUAGE_PARAM = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["id", "en"],
    description="Labels, messages and links in this language (default: the language cookie, "
    "then Accept-Language, then Indonesian); "
    '"en" prefers the English text.',
)
PRICE_SCHEMA = {"type": "integer", "minimum": 0, "maximum": MAX_PRICE}
SEARCH_PARAMS = [
    _text(
        "q",
        "The words searched for (typos forgiven, synonyms applied; the first 200 characters).",
    ),
    _text("category", "Only this category (its slug)."),
    _text("kecamatan", "Only shops in this kecamatan (its slug)."),
    _text("kind", "Only goods, experiences or stays.", enum=list(KINDS)),
    _text("shop", "Only this shop (its slug)."),
    OpenApiParameter(
        "min_price", PRICE_SCHEMA, OpenApiParameter.QUERY, description="Rupiah, at least."
    ),
    OpenApiParameter(
        "max_price", PRICE_SCHEMA, OpenApiParameter.QUERY, description="Rupiah, at most."
    ),
    _text("in_stock", "Only what can be had now.", enum=["1", "0", "true", "false"]),
    OpenApiParameter(
        "date",
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        description="Available that day: an experience with places left, a stay with a free "
        "room that night (YYYY-MM-DD).",
    ),
    _text(
        "near", "A point, latitude,longitude (e.g. 2.33,99.06).", pattern=r"^-?[0-9.]+,-?[0-9.]+$"
    ),
    OpenApiParameter(
        "radius",
        {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": MAX_RADIUS_KM},
        OpenApiParameter.QUERY,
        description="Kilometres around `near`.",
    ),
    _text("sort", "The order; `nearest` needs `near`.", enum=list(SORTS)),
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        OpenApiParameter.QUERY,
        description="20 results a page.",
    ),
    LANGUAGE_PARAM,
]


def _search_body(results: SearchResults) -> dict:
    return {
        "count": results.count,
        "results": [
            {
                "slug": hit.slug,
                "title": hit.title,
                "price": hit.price,
                "shop": {"slug": hit.shop_slug, "name": hit.shop_name},
                "highlight": hit.highlight,
                "kind": hit.kind,
                "kecamatan": hit.kecamatan,
            }
            for hit in results.hits
        ],
        "facets": {
            name: [
                {"value": v.value, "label": v.label, "count": v.count}
                for v in results.facets.get(name, [])
            ]
            for name in ("category", "kecamatan", "kind", "price")
        },
        "did_you_mean": results.did_you_mean,
    }


class SearchView(APIView):
    @extend_schema(
        operation_id="search",
        summary="Search products, experiences and stays, with facets",
        parameters=SEARCH_PARAMS,
        responses={
            200: SearchOut,
            400: OpenApiResponse(
                SearchErrorOut,
                description="A bad parameter: an unknown sort, a bad price, a bad date…",
            ),
        },
    )
    def get(self, request: Request) -> Response:
        language = _language(request)
        with translation.override(language):
            try:
                query = parse_query(search_params(request.query_params), language=language)
            except SearchQueryInvalid as error:
                return _refusal(error)
            results = search_counted(query, source="api")
            return Response(_search_body(results))


class SuggestView(APIView):
    @extend_schema(
        operation_id="search_suggest",
        summary="Suggestions as the visitor types: products, shops, kecamatan",
        parameters=[
            _text("q", "What has been typed so far (the first 200 characters)."),
            LANGUAGE_PARAM,
        ],
        responses={200: SuggestOut},
    )
    def get(self, request: Request) -> Response:
        language = _language(request)
        text = request.query_params.get("q", "").replace("\x00", "").strip()[:QUERY_LENGTH]
        if not text:
            return Response({"suggestions": []})
        # Links (suggestion urls) in the visitor's language: /en/products/… for "en".
        with translation.override(language):
            suggestions = backends.suggest(text, language=language, limit=SUGGEST_LIMIT)
        return Response(
            {"suggestions": [{"kind": s.kind, "text": s.text, "url": s.url} for s in suggestions]}
        )
