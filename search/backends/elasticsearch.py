"""The Elasticsearch backend: the only module that imports elasticsearch / elasticsearch-dsl.

The request bodies are built by pure functions (`index_body`, `query_body`, `suggest_body`,
`alias_actions`, `document_source`), pinned by tests/search/test_elasticsearch_bodies.py, since
no cluster runs where the tests do. `ElasticsearchBackend` only sends them and reads answers.

The index lives behind an alias (ALIAS); concrete indexes are "<alias>-<timestamp>", so
`manage.py search_reindex` can build a new one and swap the alias in one call. Synonyms are
applied at search time from an Elasticsearch synonyms set (ES >= 8.10): putting the set
again reloads the analyzers that use it, so an editor's change applies without a reindex."""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch, helpers
from elasticsearch.dsl import (
    A,
    Boolean,
    Completion,
    Date,
    GeoPoint,
    Index,
    Keyword,
    Long,
    Mapping,
    Object,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from marketplace.models.catalog import ProductKind
from marketplace.money import format_rupiah
from search import synonyms
from search.backends.base import SearchBackendUnavailable
from search.documents import ProductDocument
from search.query import PRICE_RANGES, SearchQuery
from search.results import FacetValue, SearchHit, SearchResults, Suggestion

logger = logging.getLogger(__name__)

ALIAS = "pasar-products"
TIMEOUT_S = 2.0  # a page waits no longer than this before the database answers instead
BULK_TIMEOUT_S = 60.0
FACET_SIZE = 100
HIGHLIGHT_SIZE = 160
SPELL_FIELD = "spell"
SUGGEST_OTHERS = 2  # shops and kecamatan offered beside the products, each

# --- analysis -----------------------------------------------------------------------------
# Rebuilt from the built-in `indonesian` analyzer (lowercase, _indonesian_ stop words, the
# Indonesian stemmer), so the search analyzer can add synonyms in the middle of the chain.
ID_STOP = token_filter("pasar_id_stop", "stop", stopwords="_indonesian_")
ID_STEMMER = token_filter("pasar_id_stemmer", "stemmer", language="indonesian")
EN_POSSESSIVE = token_filter("pasar_en_possessive", "stemmer", language="possessive_english")
EN_STOP = token_filter("pasar_en_stop", "stop", stopwords="_english_")
EN_STEMMER = token_filter("pasar_en_stemmer", "stemmer", language="english")
EDGE_NGRAM = token_filter("pasar_edge_ngram", "edge_ngram", min_gram=1, max_gram=20)


def _synonym_filter(synonyms_set: str):
    # Search time only ("updateable"): a changed set reloads without reindexing. Placed after
    # lowercase and before stop words and the stemmer, so the rules are read as the text is
    # and their words are stemmed like the indexed ones.
    return token_filter(
        "pasar_synonyms", "synonym_graph", synonyms_set=synonyms_set, updateable=True
    )


def _analyzers(synonyms_set: str) -> dict:
    syn = _synonym_filter(synonyms_set)
    return {
        "id": analyzer("pasar_id", tokenizer="standard", filter=["lowercase", ID_STOP, ID_STEMMER]),
        "id_search": analyzer(
            "pasar_id_search",
            tokenizer="standard",
            filter=["lowercase", syn, ID_STOP, ID_STEMMER],
        ),
        "en": analyzer(
            "pasar_en",
            tokenizer="standard",
            filter=[EN_POSSESSIVE, "lowercase", EN_STOP, EN_STEMMER],
        ),
        "en_search": analyzer(
            "pasar_en_search",
            tokenizer="standard",
            filter=[EN_POSSESSIVE, "lowercase", syn, EN_STOP, EN_STEMMER],
        ),
        # No stemming, no synonyms: what the fuzzy match and the did-you-mean read.
        "plain": analyzer(
            "pasar_plain", tokenizer="standard", filter=["lowercase", "asciifolding"]
        ),
        "prefix": analyzer(
            "pasar_prefix",
            tokenizer="standard",
            filter=["lowercase", "asciifolding", EDGE_NGRAM],
        ),
    }


def _mapping(synonyms_set: str) -> Mapping:
    an = _analyzers(synonyms_set)

    def indonesian(*, spell: bool = False, **subfields) -> Text:
        # `spell`: the words are copied to the did-you-mean field too.
        extra = {"copy_to": SPELL_FIELD} if spell else {}
        return Text(analyzer=an["id"], search_analyzer=an["id_search"], fields=subfields, **extra)

    english = lambda: Text(analyzer=an["en"], search_analyzer=an["en_search"])  # noqa: E731
    plain = lambda: Text(analyzer=an["plain"])  # noqa: E731
    prefix = lambda: Text(analyzer=an["prefix"], search_analyzer=an["plain"])  # noqa: E731

    m = Mapping()
    m.meta("dynamic", "strict")
    m.field("product_id", Long())
    m.field("slug", Keyword())
    m.field(
        "title",
        indonesian(
            spell=True, en=english(), plain=plain(), prefix=prefix(), raw=Keyword(ignore_above=256)
        ),
    )
    m.field("description", indonesian(en=english(), plain=plain()))
    m.field("kind", Keyword())
    m.field(
        "category",
        Object(
            properties={
                "slug": Keyword(),
                "label": indonesian(spell=True, raw=Keyword(), plain=plain()),
                "label_en": Text(
                    analyzer=an["en"], search_analyzer=an["en_search"], fields={"raw": Keyword()}
                ),
            }
        ),
    )
    m.field(
        "kecamatan",
        Object(
            properties={
                "slug": Keyword(),
                "label": indonesian(spell=True, raw=Keyword(), plain=plain(), prefix=prefix()),
            }
        ),
    )
    m.field("desa", indonesian())
    m.field(
        "shop",
        Object(
            properties={
                "slug": Keyword(),
                "name": indonesian(spell=True, raw=Keyword(), plain=plain(), prefix=prefix()),
            }
        ),
    )
    m.field("price", Long())
    m.field("in_stock", Boolean())
    m.field("available_dates", Date(format="strict_date"))
    m.field("location", GeoPoint())
    m.field("published_at", Date())
    m.field("suggest", Completion(analyzer="simple", preserve_separators=True))
    # Titles, categories, kecamatan and shop names, unstemmed: the words a spelling is
    # corrected to ("balgie" → "balige", a place; "kopii" → "kopi", a title word).
    m.field(SPELL_FIELD, plain())
    return m


def synonyms_set_id(alias: str = ALIAS) -> str:
    return f"{alias}-synonyms"


def index_body(alias: str = ALIAS) -> dict:
    """Settings and mappings of a new concrete index (PUT /<alias>-<timestamp>)."""
    index = Index(f"{alias}-body")
    # One shard holds a regency's catalog (100,000 products) easily; a replica where a second
    # node exists, none on a single node, so a one-node cluster is green.
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.mapping(_mapping(synonyms_set_id(alias)))
    return index.to_dict()


def synonyms_set_body(groups: Iterable[Iterable[str]]) -> list[dict]:
    """The editors' groups as Solr-format equivalence rules ("ulos, kain tenun, tenun")."""
    rules = []
    for group in groups:
        terms = [term for term in group if term]
        if len(terms) > 1:
            rules.append({"id": f"group-{len(rules) + 1}", "synonyms": ", ".join(terms)})
    return rules


def new_index_name(alias: str = ALIAS, now: dt.datetime | None = None) -> str:
    stamp = (now or timezone.now()).astimezone(dt.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{alias}-{stamp}"


def alias_actions(alias: str, old_indexes: Iterable[str], new_index: str) -> list[dict]:
    """The one update_aliases call of a swap: readers see the old index or the new, never
    neither and never both."""
    actions = [
        {"remove": {"index": name, "alias": alias}}
        for name in sorted(set(old_indexes))
        if name != new_index
    ]
    actions.append({"add": {"index": new_index, "alias": alias, "is_write_index": True}})
    return actions


# --- documents ----------------------------------------------------------------------------
def _completion_inputs(title: str) -> list[str]:
    # The completion suggester matches from the start of an input: give it the title from each
    # of its first words too, so "hotang" finds "Ulos Ragi Hotang".
    words = title.split()
    return [" ".join(words[start:]) for start in range(min(len(words), 5))] or [title]


def document_source(doc: ProductDocument) -> dict:
    location = (
        {"lat": doc.latitude, "lon": doc.longitude}
        if doc.latitude is not None and doc.longitude is not None
        else None
    )
    return {
        "product_id": doc.product_id,
        "slug": doc.slug,
        "title": doc.title,
        "description": doc.description,
        "kind": doc.kind,
        "category": {
            "slug": doc.category_slug,
            "label": doc.category_label,
            "label_en": doc.category_label_en,
        },
        "kecamatan": {"slug": doc.kecamatan_slug, "label": doc.kecamatan_label},
        "desa": doc.desa,
        "shop": {"slug": doc.shop_slug, "name": doc.shop_name},
        "price": doc.price,
        "in_stock": doc.in_stock,
        "available_dates": [day.isoformat() for day in doc.available_dates],
        "location": location,
        "published_at": doc.published_at.isoformat() if doc.published_at else None,
        "suggest": {"input": _completion_inputs(doc.title), "weight": 2 if doc.in_stock else 1},
    }


# --- the search request ---------------------------------------------------------------------
FACETS = ("category", "kecamatan", "kind", "price")


ID_FIELDS = [
    "title^3",
    "description",
    "category.label^2",
    "kecamatan.label^2",
    "shop.name^2",
    "desa",
]
EN_FIELDS = ["title.en^3", "description.en", "category.label_en^2"]
FUZZY_FIELDS = [
    "title.plain^2",
    "description.plain^0.5",
    "category.label.plain",
    "kecamatan.label.plain",
    "shop.name.plain",
]
MAX_FUZZY_WORDS = 8


def _text_query(text: str, language: str):
    """Every word must be found (in any field), through its synonyms or, typed wrong, by
    fuzziness. Elasticsearch does not apply fuzziness to terms that have synonyms, so the two
    are separate clauses of one bool.should: a synonym match on the analysed fields, and a
    fuzzy match on subfields analysed without synonyms or stemming."""
    # combined_fields: term-centric over fields sharing one search analyzer, so "homestay
    # balige" needs "homestay" (or a synonym) somewhere and "balige" somewhere.
    synonym_match = [
        Q(
            "combined_fields",
            query=text,
            fields=ID_FIELDS,
            operator="and",
            _name="synonyms",
        )
    ]
    if language == "en":
        # English prefers the English subfields; the Indonesian ones still count, lower.
        synonym_match = [
            Q(
                "combined_fields",
                query=text,
                fields=EN_FIELDS,
                operator="and",
                boost=2,
                _name="synonyms_en",
            ),
            Q(
                "combined_fields",
                query=text,
                fields=ID_FIELDS,
                operator="and",
                _name="synonyms",
            ),
        ]
    fuzzy_words = [
        Q(
            "multi_match",
            query=word,
            fields=FUZZY_FIELDS,
            fuzziness="AUTO",
            prefix_length=1,
            max_expansions=50,
        )
        for word in text.split()[:MAX_FUZZY_WORDS]
    ]
    fuzzy = Q("bool", must=fuzzy_words, boost=0.5, _name="fuzzy")
    return Q("bool", should=[*synonym_match, fuzzy], minimum_should_match=1)


def _price_clause(query: SearchQuery):
    bounds = {}
    if query.min_price is not None:
        bounds["gte"] = query.min_price
    if query.max_price is not None:
        bounds["lte"] = query.max_price
    return Q("range", price=bounds) if bounds else None


def _facet_clauses(query: SearchQuery) -> dict:
    """The facet-driving filters, by facet: they go in post_filter, not in the query."""
    clauses = {
        "category": Q("term", **{"category.slug": query.category}) if query.category else None,
        "kecamatan": Q("term", **{"kecamatan.slug": query.kecamatan}) if query.kecamatan else None,
        "kind": Q("term", kind=query.kind) if query.kind else None,
        "price": _price_clause(query),
    }
    return {name: clause for name, clause in clauses.items() if clause is not None}


def _query_filters(query: SearchQuery) -> list:
    """Filters that narrow hits and facets alike."""
    filters = []
    if query.shop:
        filters.append(Q("term", **{"shop.slug": query.shop}))
    if query.in_stock:
        filters.append(Q("term", in_stock=True))
    if query.available_on:
        filters.append(Q("term", available_dates=query.available_on.isoformat()))
    if query.near and query.radius_km is not None:
        filters.append(
            Q(
                "geo_distance",
                distance=f"{query.radius_km:g}km",
                location={"lat": query.near[0], "lon": query.near[1]},
            )
        )
    return filters


def _facet_agg(name: str, language: str):
    if name == "price":
        ranges = [
            {"key": _price_key(lo, hi), "from": lo, **({"to": hi} if hi is not None else {})}
            for lo, hi in PRICE_RANGES
        ]
        return A("range", field="price", ranges=ranges, keyed=False)
    if name == "kind":
        return A("terms", field="kind", size=len(ProductKind.values))
    label = {
        "category": "category.label_en.raw" if language == "en" else "category.label.raw",
        "kecamatan": "kecamatan.label.raw",
    }[name]
    values = A("terms", field=f"{name}.slug", size=FACET_SIZE)
    values.bucket("label", "terms", field=label, size=1)
    return values


def _sort(query: SearchQuery) -> list:
    tie = {"product_id": "asc"}  # the same order on every page
    if query.sort == "price":
        return [{"price": "asc"}, "_score", tie]
    if query.sort == "-price":
        return [{"price": "desc"}, "_score", tie]
    if query.sort == "newest":
        return [{"published_at": {"order": "desc", "missing": "_last"}}, tie]
    if query.sort == "nearest" and query.near:
        return [
            {
                "_geo_distance": {
                    "location": {"lat": query.near[0], "lon": query.near[1]},
                    "order": "asc",
                    "unit": "km",
                    "distance_type": "arc",
                }
            },
            "_score",
            tie,
        ]
    return ["_score", {"published_at": {"order": "desc", "missing": "_last"}}, tie]


# Painless: a product without a location has no distance (null, not 0).
DISTANCE_SCRIPT = (
    "if (doc['location'].size() == 0) { return null; } "
    "return doc['location'].arcDistance(params.lat, params.lon) / 1000.0;"
)


def _highlight_fields(language: str) -> list[str]:
    fields = ["title", "title.plain", "description", "description.plain"]
    if language == "en":
        fields = ["title.en", "description.en", *fields]
    return fields


def query_body(query: SearchQuery) -> dict:
    """The body of POST /<alias>/_search for this query."""
    text = " ".join(query.text.split())
    search = Search()
    search = search.query(
        Q(
            "bool",
            must=[_text_query(text, query.language) if text else Q("match_all")],
            filter=_query_filters(query),
        )
    )
    chosen = _facet_clauses(query)
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    for name in FACETS:
        # Each facet counts with every OTHER chosen filter: picking a kecamatan still shows
        # the counts of the other kecamatan.
        others = [clause for other, clause in chosen.items() if other != name]
        facet = search.aggs.bucket(
            name, "filter", filter=Q("bool", filter=others) if others else Q("match_all")
        )
        facet.bucket("values", _facet_agg(name, query.language))
    search = search.sort(*_sort(query))
    search = search.source(["product_id", "slug", "title", "kind", "price", "shop", "kecamatan"])
    if query.near:
        # The distance of every hit, whatever the order (the nearest sort gives it as well).
        search = search.script_fields(
            distance_km={
                "script": {
                    "source": DISTANCE_SCRIPT,
                    "params": {"lat": query.near[0], "lon": query.near[1]},
                }
            }
        )
    if text:
        search = search.highlight_options(
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            encoder="html",
            fragment_size=HIGHLIGHT_SIZE,
            number_of_fragments=1,
        )
        for name in _highlight_fields(query.language):
            options = {"no_match_size": HIGHLIGHT_SIZE} if name == "description" else {}
            search = search.highlight(name, **options)
        search = search.suggest(
            "did_you_mean",
            text,
            phrase={
                "field": SPELL_FIELD,
                "size": 1,
                "max_errors": 2,
                "direct_generator": [
                    {"field": SPELL_FIELD, "suggest_mode": "missing", "min_word_length": 3}
                ],
                # Only a spelling that finds something is worth offering.
                "collate": {
                    "query": {
                        "source": {
                            "match": {SPELL_FIELD: {"query": "{{suggestion}}", "operator": "and"}}
                        }
                    },
                    "prune": False,
                },
            },
        )
    search = search.extra(from_=query.offset, size=query.per_page, track_total_hits=True)
    return search.to_dict()


def suggest_body(text: str, language: str = "id", limit: int = 8) -> dict:
    """The body of POST /<alias>/_search for as-you-type suggestions: products from the
    completion suggester, shops and kecamatan from edge-n-gram prefix matches."""
    text = " ".join(text.split())[:100]
    search = Search().extra(size=0).source(["slug", "title"])
    search = search.suggest(
        "products",
        text,
        completion={
            "field": "suggest",
            "size": limit,
            "skip_duplicates": True,
            "fuzzy": {"fuzziness": "AUTO", "min_length": 4, "prefix_length": 1},
        },
    )
    for name, field, label in (
        ("shops", "shop.name.prefix", "shop.name.raw"),
        ("kecamatan", "kecamatan.label.prefix", "kecamatan.label.raw"),
    ):
        match = Q("match", **{field: {"query": text, "operator": "and"}})
        values = search.aggs.bucket(name, "filter", filter=match).bucket(
            "values", "terms", field=field.split(".")[0] + ".slug", size=SUGGEST_OTHERS
        )
        values.bucket("label", "terms", field=label, size=1)
    return search.to_dict()


# --- reading answers ------------------------------------------------------------------------
def _price_key(lo: int, hi: int | None) -> str:
    return f"{lo}-{hi}" if hi is not None else f"{lo}-"


def price_label(lo: int, hi: int | None, language: str) -> str:
    # Written as the database backend writes it, so the page reads the same either way.
    if hi is None:
        return f"≥ {format_rupiah(lo, language)}"
    return f"{format_rupiah(lo, language)} – {format_rupiah(hi, language)}"


def _label(bucket: dict) -> str:
    labels = bucket.get("label", {}).get("buckets", [])
    return labels[0]["key"] if labels else bucket["key"]


def _facets(aggregations: dict, language: str) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {}
    bounds = {_price_key(lo, hi): (lo, hi) for lo, hi in PRICE_RANGES}
    with translation.override(language):
        kinds = {value: str(label) for value, label in ProductKind.choices}
    for name in FACETS:
        buckets = aggregations.get(name, {}).get("values", {}).get("buckets", [])
        values = []
        for bucket in buckets:
            if not bucket.get("doc_count"):
                continue
            key = str(bucket["key"])
            if name == "price":
                label = price_label(*bounds[key], language) if key in bounds else key
            elif name == "kind":
                label = kinds.get(key, key)
            else:
                label = _label(bucket)
            values.append(FacetValue(value=key, label=label, count=bucket["doc_count"]))
        facets[name] = values
    return facets


def _snippet(hit: dict, language: str) -> str:
    found = hit.get("highlight", {})
    order = _highlight_fields(language)
    descriptions = [f for f in order if f.startswith("description")]
    titles = [f for f in order if f.startswith("title")]
    for fields in (descriptions, titles):
        for field in fields:
            for fragment in found.get(field, []):
                if "<mark>" in fragment:
                    return fragment
    for fragment in found.get("description", []):
        return fragment  # the no-match start of the description, already escaped
    return ""


def results_from_response(
    raw: dict, query: SearchQuery, known_words: set[str] | None = None
) -> SearchResults:
    """SearchResults from the JSON body Elasticsearch answered to query_body(query)."""
    hits = []
    for hit in raw.get("hits", {}).get("hits", []):
        source = hit["_source"]
        distance = None
        computed = hit.get("fields", {}).get("distance_km") or [None]
        if computed[0] is not None:
            distance = round(float(computed[0]), 2)
        elif query.sort == "nearest" and hit.get("sort"):
            distance = round(float(hit["sort"][0]), 2)
        hits.append(
            SearchHit(
                product_id=int(source["product_id"]),
                slug=source["slug"],
                title=source["title"],
                price=int(source["price"]),
                kind=source["kind"],
                shop_slug=source["shop"]["slug"],
                shop_name=source["shop"]["name"],
                kecamatan=source["kecamatan"]["label"],
                highlight=_snippet(hit, query.language) or html.escape(source["title"]),
                distance_km=distance,
            )
        )
    total = raw.get("hits", {}).get("total", {})
    count = total.get("value", 0) if isinstance(total, dict) else int(total)
    return SearchResults(
        count=count,
        hits=hits,
        facets=_facets(raw.get("aggregations", {}), query.language),
        did_you_mean=_did_you_mean(raw, query, count, known_words or set()),
        backend="elasticsearch",
    )


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", html.unescape(text)).lower()))


def _did_you_mean(raw: dict, query: SearchQuery, count: int, known_words: set[str]) -> str:
    """The closest spelling (a collated phrase suggestion: it finds something), offered when
    nothing was found, or when a typed word appears in none of the hits, so they were found
    by forgiving a typo ("kopii"); a word of the synonym list is no typo ("coffee")."""
    typed = " ".join(query.text.lower().split())
    suggestion = ""
    for entry in raw.get("suggest", {}).get("did_you_mean", []):
        for option in entry.get("options", []):
            if option.get("collate_match", True) and option["text"] != typed:
                suggestion = option["text"]
                break
        if suggestion:
            break
    if not suggestion or not count:
        return suggestion
    shown: set[str] = set()
    for hit in raw.get("hits", {}).get("hits", []):
        shown |= _words(hit["_source"].get("title", ""))
        for fragments in hit.get("highlight", {}).values():
            for fragment in fragments:
                shown |= _words(fragment)
    unexplained = [w for w in _words(typed) if w not in shown and w not in known_words]
    return suggestion if unexplained else ""


def _url(name: str, language: str, slug: str) -> str:
    with translation.override(language):
        return reverse(name, args=[slug])


def _kecamatan_url(slug: str, language: str) -> str:
    with translation.override(language):
        try:
            base = reverse("search:page")
        except NoReverseMatch:  # the search page may not be wired yet
            base = "/en/search/" if language == "en" else "/search/"
    return f"{base}?kecamatan={slug}"


def suggestions_from_response(raw: dict, language: str = "id", limit: int = 8) -> list:
    products, others = [], []
    seen = set()
    for entry in raw.get("suggest", {}).get("products", []):
        for option in entry.get("options", []):
            source = option.get("_source", {})
            if source.get("slug") in seen:
                continue
            seen.add(source.get("slug"))
            products.append(
                Suggestion(
                    kind="product",
                    text=source.get("title", option.get("text", "")),
                    url=_url("storefront:product_detail", language, source["slug"]),
                )
            )
    aggregations = raw.get("aggregations", {})
    for bucket in aggregations.get("shops", {}).get("values", {}).get("buckets", []):
        others.append(
            Suggestion(
                kind="shop",
                text=_label(bucket),
                url=_url("storefront:shop_detail", language, bucket["key"]),
            )
        )
    for bucket in aggregations.get("kecamatan", {}).get("values", {}).get("buckets", []):
        others.append(
            Suggestion(
                kind="kecamatan", text=_label(bucket), url=_kecamatan_url(bucket["key"], language)
            )
        )
    # Products first, but always room for the shops and places that match.
    room = max(0, limit - len(others))
    return (products[:room] + others)[:limit]


# --- the backend ----------------------------------------------------------------------------
@contextmanager
def _answering(what: str) -> Iterator[None]:
    """Turn "the cluster is away" into SearchBackendUnavailable (the caller falls back to the
    database); a request we got wrong (400) stays an error."""
    try:
        yield
    except TransportError as error:  # connection refused, timeout, TLS, a bad answer
        raise SearchBackendUnavailable(f"{what}: {error.__class__.__name__}: {error}") from error
    except ApiError as error:
        status = error.status_code
        missing = status == 404 and "index_not_found" in str(error.error)
        if status >= 500 or status in (408, 429) or missing:
            raise SearchBackendUnavailable(f"{what}: HTTP {status} {error.error}") from error
        raise


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str, *, alias: str | None = None, timeout: float = TIMEOUT_S):
        self.url = url
        self.alias = alias or getattr(settings, "ELASTICSEARCH_INDEX", ALIAS)
        # No retries on timeout: a page must not wait 3 × 2 s for a cluster that is away.
        self.client = Elasticsearch(
            url, request_timeout=timeout, max_retries=1, retry_on_timeout=False
        )
        self._ready = False

    # -- the index and its alias
    def _bulk_client(self) -> Elasticsearch:
        return self.client.options(request_timeout=BULK_TIMEOUT_S)

    def put_synonyms(self) -> None:
        """Write the editors' synonym list to the set the search analyzers read; Elasticsearch
        reloads those analyzers itself."""
        rules = synonyms_set_body(synonyms.synonym_groups())
        with _answering("put synonyms"):
            self._bulk_client().synonyms.put_synonym(
                id=synonyms_set_id(self.alias), synonyms_set=rules
            )

    def current_indexes(self) -> list[str]:
        with _answering("get alias"):
            if not self.client.indices.exists_alias(name=self.alias):
                return []
            return sorted(self.client.indices.get_alias(name=self.alias).body)

    def create_index(self, name: str | None = None) -> str:
        """A new concrete index with today's mapping (no alias yet)."""
        name = name or new_index_name(self.alias)
        self.put_synonyms()  # the analyzers need the set to exist
        with _answering("create index"):
            self._bulk_client().indices.create(index=name, **index_body(self.alias))
        return name

    def ensure_index(self) -> None:
        """The alias and an index behind it, made on first use (a fresh cluster, the tests)."""
        if self._ready:
            return
        if not self.current_indexes():
            name = self.create_index()
            try:
                self.swap_alias(name, old_indexes=[])
            except BadRequestError:
                # Another process made the alias first (two write indexes are refused): use
                # theirs, drop ours.
                self.delete_indexes([name])
                if not self.current_indexes():
                    raise
        self._ready = True

    def swap_alias(self, new_index: str, *, old_indexes: Iterable[str]) -> None:
        with _answering("update aliases"):
            self._bulk_client().indices.update_aliases(
                actions=alias_actions(self.alias, old_indexes, new_index)
            )

    def delete_indexes(self, names: Iterable[str]) -> None:
        names = sorted(set(names))
        if names:
            with _answering("delete indexes"):
                self._bulk_client().indices.delete(index=",".join(names), ignore_unavailable=True)

    def set_building(self, index: str, building: bool) -> None:
        """Bulk loads go faster without refreshes; put back the default afterwards."""
        with _answering("index settings"):
            self._bulk_client().indices.put_settings(
                index=index, settings={"index": {"refresh_interval": "-1" if building else None}}
            )

    def refresh(self, index: str | None = None) -> None:
        with _answering("refresh"):
            self._bulk_client().indices.refresh(index=index or self.alias)

    def drop(self) -> None:
        """Delete every index behind the alias and its synonyms set (tests start from
        nothing)."""
        self.delete_indexes(self.current_indexes())
        with _answering("delete synonyms"):
            self.client.options(ignore_status=404).synonyms.delete_synonym(
                id=synonyms_set_id(self.alias)
            )
        self._ready = False

    def bulk_load(
        self,
        documents: Iterable[ProductDocument],
        *,
        index: str | None = None,
        chunk_size: int = 500,
        progress: Callable[[int], object] | None = None,
    ) -> int:
        actions = (
            {
                "_op_type": "index",
                "_index": index or self.alias,
                "_id": str(doc.product_id),
                "_source": document_source(doc),
            }
            for doc in documents
        )
        written = 0
        with _answering("bulk index"):
            for ok, _item in helpers.streaming_bulk(
                self._bulk_client(), actions, chunk_size=chunk_size, raise_on_error=True
            ):
                written += 1 if ok else 0
                if progress:
                    progress(1)
        return written

    # -- the protocol
    def index(self, documents: Iterable[ProductDocument]) -> int:
        self.ensure_index()
        return self.bulk_load(documents)

    def remove(self, product_ids: Iterable[int]) -> int:
        ids = [str(pk) for pk in product_ids]
        if not ids:
            return 0
        self.ensure_index()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in ids)
        removed = 0
        with _answering("bulk delete"):
            for _ok, item in helpers.streaming_bulk(
                self._bulk_client(), actions, raise_on_error=True, ignore_status=(404,)
            ):
                removed += 1 if item.get("delete", {}).get("result") == "deleted" else 0
        return removed

    def search(self, query: SearchQuery) -> SearchResults:
        with _answering("search"):
            raw = self.client.search(index=self.alias, body=query_body(query)).body
        known = {w for group in synonyms.synonym_groups() for term in group for w in term.split()}
        return results_from_response(raw, query, known)

    def suggest(self, text: str, *, language: str = "id", limit: int = 8) -> list[Suggestion]:
        if not text.strip():
            return []
        with _answering("suggest"):
            raw = self.client.search(index=self.alias, body=suggest_body(text, language, limit))
        return suggestions_from_response(raw.body, language, limit)

    def synonyms_changed(self) -> None:
        synonyms.forget()
        self.put_synonyms()
        with _answering("clear cache"):
            # Cached answers were computed with the old list.
            self.client.indices.clear_cache(
                index=self.alias, request=True, ignore_unavailable=True, allow_no_indices=True
            )
