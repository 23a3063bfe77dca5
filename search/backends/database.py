"""The database backend: the embedded default and what CI runs, on PostgreSQL and on SQLite.

One SearchEntry row per public product (search.models), its text searched by the database's own
machinery (database_pg: a weighted tsvector and pg_trgm; database_sqlite: FTS5 with trigrams).
Filters, facets, sorts and pages are the same ORM queries on both; a search costs a fixed number
of queries however many entries there are: one per typed word (to forgive typos; one more when a
typed word shares no trigram with any name), one to build
the tsquery on PostgreSQL, the count, the page, one GROUP BY per facet, and one more for
did_you_mean when nothing was found."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from marketplace.models import ProductKind
from search.backends.database_pg import PostgresText
from search.backends.database_sqlite import SqliteText
from search.backends.database_text import (
    closest_word,
    concepts_for,
    correct,
    highlight,
    highlight_terms,
    words,
)
from search.documents import ProductDocument
from search.models import SearchEntry, SearchEntryDay
from search.query import PRICE_RANGES, SearchQuery
from search.results import FacetValue, SearchHit, SearchResults, Suggestion

BATCH = 1000
EARTH_KM = 6371.0
FACETS = ("category", "kecamatan", "kind", "price")
FIELDS = (
    "slug",
    "title",
    "description",
    "kind",
    "category_slug",
    "category_label",
    "category_label_en",
    "kecamatan_slug",
    "kecamatan_label",
    "desa",
    "shop_slug",
    "shop_name",
    "price",
    "in_stock",
    "latitude",
    "longitude",
    "published_at",
)


def _text_engine():
    if connection.vendor == "postgresql":
        return PostgresText()
    if connection.vendor == "sqlite":
        return SqliteText()
    raise NotImplementedError(f"no database search for {connection.vendor}")


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _price_value(low: int, high: int | None) -> str:
    return f"{low}-{high if high is not None else ''}"


def _price_label(low: int, high: int | None) -> str:
    from marketplace.money import format_rupiah

    if high is None:
        return f"≥ {format_rupiah(low)}"
    return f"{format_rupiah(low)} – {format_rupiah(high)}"


def _distance(latitude: float, longitude: float):
    """Haversine in SQL, in km: the same expression on PostgreSQL and SQLite (Django registers
    the math functions on SQLite)."""
    lat0, lng0 = math.radians(latitude), math.radians(longitude)
    half_dlat = (Radians(F("latitude")) - Value(lat0)) / Value(2.0)
    half_dlng = (Radians(F("longitude")) - Value(lng0)) / Value(2.0)
    a = Power(Sin(half_dlat), 2) + Value(math.cos(lat0)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlng), 2
    )
    return Value(2 * EARTH_KM) * ASin(Sqrt(a))


def _bounding_box(latitude: float, longitude: float, radius_km: float) -> Q:
    """A box around the circle, so an index on (latitude, longitude) narrows before the exact
    distance is computed."""
    dlat = radius_km / 111.0
    box = Q(latitude__gte=latitude - dlat, latitude__lte=latitude + dlat)
    cos_lat = math.cos(math.radians(latitude))
    if cos_lat > 0.01:
        dlng = radius_km / (111.320 * cos_lat)
        box &= Q(longitude__gte=longitude - dlng, longitude__lte=longitude + dlng)
    return box


class DatabaseBackend:
    name = "database"

    # -- writing ---------------------------------------------------------------------------

    def index(self, documents: Iterable[ProductDocument]) -> int:
        written = 0
        engine = _text_engine()
        for chunk in _chunks(documents, BATCH):
            chunk = list({d.product_id: d for d in chunk}.values())
            ids = [d.product_id for d in chunk]
            with transaction.atomic():
                SearchEntry.objects.bulk_create(
                    [
                        SearchEntry(product_id=d.product_id, **{f: getattr(d, f) for f in FIELDS})
                        for d in chunk
                    ],
                    update_conflicts=True,
                    unique_fields=["product_id"],
                    update_fields=list(FIELDS),
                )
                SearchEntryDay.objects.filter(entry_id__in=ids).delete()
                SearchEntryDay.objects.bulk_create(
                    [
                        SearchEntryDay(entry_id=d.product_id, day=day)
                        for d in chunk
                        for day in set(d.available_dates)
                    ],
                    batch_size=5000,
                )
                engine.after_write(ids)
            written += len(chunk)
        return written

    def remove(self, product_ids: Iterable[int]) -> int:
        removed = 0
        engine = _text_engine()
        for ids in _chunks(product_ids, BATCH):
            with transaction.atomic():
                engine.before_remove(ids)
                SearchEntryDay.objects.filter(entry_id__in=ids).delete()
                _, per_model = SearchEntry.objects.filter(pk__in=ids).delete()
                removed += per_model.get(SearchEntry._meta.label, 0)
        return removed

    def after_rebuild(self) -> None:
        """search_reindex calls this once every product is written and the stale removed."""
        _text_engine().after_rebuild()

    def synonyms_changed(self) -> None:
        """Nothing to do: the database backend expands synonyms when it reads a query
        (search.synonyms, re-read once the editors' change clears its cache), so the stored
        entries never hold synonyms and need no rebuild."""

    # -- reading ---------------------------------------------------------------------------

    def _filters(self, query: SearchQuery) -> dict[str, Q]:
        chosen: dict[str, Q] = {}
        if query.category:
            chosen["category"] = Q(category_slug=query.category)
        if query.kecamatan:
            chosen["kecamatan"] = Q(kecamatan_slug=query.kecamatan)
        if query.kind:
            chosen["kind"] = Q(kind=query.kind)
        if query.shop:
            chosen["shop"] = Q(shop_slug=query.shop)
        price = Q()
        if query.min_price is not None:
            price &= Q(price__gte=query.min_price)
        if query.max_price is not None:
            price &= Q(price__lte=query.max_price)
        if price:
            chosen["price"] = price
        if query.in_stock:
            chosen["in_stock"] = Q(in_stock=True)
        if query.available_on:
            chosen["available_on"] = Q(
                pk__in=SearchEntryDay.objects.filter(day=query.available_on).values("entry_id")
            )
        if query.near and query.radius_km is not None:
            chosen["near"] = _bounding_box(*query.near, query.radius_km) & Q(
                distance_km__lte=query.radius_km
            )
        return chosen

    def _base(self, query: SearchQuery, engine) -> tuple[QuerySet, QuerySet, object, list]:
        """All entries (with their distance when near a point), those the text matches (all
        without text), the rank expression, and the text's concepts."""
        entries = SearchEntry.objects.all()
        if query.near:
            entries = entries.annotate(distance_km=_distance(*query.near))
        concepts = concepts_for(query.text) if query.text.strip() else []
        if not concepts:
            return entries, entries, Value(0.0, output_field=FloatField()), []
        known = {
            c.original: set(words(" ".join(engine.known_words(c.original))))
            for c in concepts
            if not c.is_synonym_group and len(c.original) >= 4 and c.original.isalpha()
        }
        correct(concepts, known)
        # A swap of letters near the start ("ulso", "luos", "kpoi") shares no trigram with the
        # word meant: those still unknown get the names that start as the word would unswapped
        # as candidates (bounded prefix scans, for typos only).
        unplaced = [c for c in concepts if c.original in known and not c.known and not c.correction]
        if unplaced:
            correct(
                unplaced,
                {
                    c.original: set(words(" ".join(self._names_starting(c.original, engine))))
                    for c in unplaced
                },
            )
        matched, rank = engine.text_filter(entries, concepts, query.text, query.language)
        return entries, matched, rank, concepts

    def _names_starting(self, word: str, engine) -> list[str]:
        """Titles, shop and kecamatan names that start as `word` would with its first, or its
        second, pair of letters swapped back ("ulso" ul, "luos" ul, "kpoi" ko): one query of
        bounded index range scans (migration 0004's keys)."""
        prefixes = list(dict.fromkeys([word[:2], word[1] + word[0], word[0] + word[2]]))
        parts, params = [], []
        for column in ("title", "shop_name", "kecamatan_label"):
            key = engine.prefix_key(column)
            for prefix in prefixes:
                parts.append(
                    f"SELECT * FROM (SELECT {column} FROM search_searchentry"
                    f" WHERE {key} LIKE %s ORDER BY {key} LIMIT 20) AS p{len(parts)}"
                )
                params.append(f"{prefix}%")
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            return [row[0] for row in cursor.fetchall()]

    def _ordering(self, query: SearchQuery) -> list:
        sort = query.sort
        if sort == "relevance" and not query.text.strip():
            sort = "newest"
        if sort in ("price", "-price"):
            price = F("price")
            if query.text.strip():
                # Matches first, then the cheapest of them: `price + 0` keeps PostgreSQL from
                # walking the price index and testing every entry on the way for the words
                # (27,000 tested to find 20 of "tur": 50 ms, against 15 ms this way).
                price = ExpressionWrapper(F("price") + 0, output_field=IntegerField())
            price = price.asc() if sort == "price" else price.desc()
            return [price, "-rank", "product_id"]
        if sort == "newest":
            return [F("published_at").desc(nulls_last=True), "-product_id"]
        if sort == "nearest" and query.near:
            return [F("distance_km").asc(nulls_last=True), "-rank", "product_id"]
        return ["-rank", F("published_at").desc(nulls_last=True), "-product_id"]

    def _count_and_facets(
        self, matched: QuerySet, chosen: dict[str, Q], query: SearchQuery
    ) -> tuple[int, dict[str, list[FacetValue]]]:
        """The count and the four facets from ONE scan: the matches under the filters that are
        not facets, grouped by (category, kecamatan, kind, price bucket, within the chosen
        price?). Each facet then adds up the groups that pass every OTHER chosen filter."""
        fixed = [q for name, q in chosen.items() if name not in FACETS]
        rows = matched.filter(*fixed) if fixed else matched
        bucket = Case(
            *[
                When(Q(price__gte=low) & (Q(price__lt=high) if high is not None else Q()), then=i)
                for i, (low, high) in enumerate(PRICE_RANGES)
            ],
            default=Value(-1),
            output_field=IntegerField(),
        )
        price_ok = (
            Case(
                When(chosen["price"], then=Value(1)), default=Value(0), output_field=IntegerField()
            )
            if "price" in chosen
            else Value(1, output_field=IntegerField())
        )
        groups = list(
            rows.annotate(bucket=bucket, price_ok=price_ok)
            # Grouped by the short codes only; the labels ride along as aggregates (cheaper).
            .values("category_slug", "kecamatan_slug", "kind", "bucket", "price_ok")
            .annotate(
                n=Count("*"),  # not a column: the facet index covers the query
                category_name=Max("category_label"),
                category_name_en=Max("category_label_en"),
                kecamatan_name=Max("kecamatan_label"),
            )
            .order_by()
        )
        wanted = {"category": query.category, "kecamatan": query.kecamatan, "kind": query.kind}
        columns = {"category": "category_slug", "kecamatan": "kecamatan_slug", "kind": "kind"}

        def passes(group: dict, facet: str) -> bool:
            for name, value in wanted.items():
                if name != facet and value and group[columns[name]] != value:
                    return False
            return facet == "price" or bool(group["price_ok"])

        count = sum(g["n"] for g in groups if passes(g, ""))
        totals: dict[str, dict] = {facet: {} for facet in FACETS}
        labels: dict[tuple[str, str], str] = {}
        english = query.language == "en"
        for g in groups:
            keys = {
                "category": g["category_slug"],
                "kecamatan": g["kecamatan_slug"],
                "kind": g["kind"],
                "price": g["bucket"],
            }
            labels[("category", g["category_slug"])] = (
                g["category_name_en"] if english and g["category_name_en"] else g["category_name"]
            )
            labels[("kecamatan", g["kecamatan_slug"])] = g["kecamatan_name"]
            for facet in FACETS:
                if passes(g, facet):
                    totals[facet][keys[facet]] = totals[facet].get(keys[facet], 0) + g["n"]

        def ordered(facet: str) -> list[tuple]:
            return sorted(totals[facet].items(), key=lambda item: (-item[1], str(item[0])))

        facets = {
            facet: [FacetValue(k, labels[(facet, k)], n) for k, n in ordered(facet)]
            for facet in ("category", "kecamatan")
        }
        with translation.override(query.language):
            facets["kind"] = [
                FacetValue(k, str(ProductKind(k).label) if k in ProductKind.values else k, n)
                for k, n in ordered("kind")
            ]
            facets["price"] = [
                FacetValue(_price_value(low, high), _price_label(low, high), totals["price"][i])
                for i, (low, high) in enumerate(PRICE_RANGES)
                if totals["price"].get(i)
            ]
        return count, facets

    def _did_you_mean(self, query: SearchQuery, concepts, hits: list[SearchHit], count: int) -> str:
        corrected = [c for c in concepts if c.correction]
        if corrected:
            # Offered when the typed word itself found nothing on this page ("kopii").
            page_text = " ".join(h.title + " " + h.highlight for h in hits).lower()
            if count == 0 or not any(c.original in page_text for c in corrected):
                return " ".join(c.correction or c.original for c in concepts)
            return ""
        unknown = [c for c in concepts if not c.is_synonym_group and not c.known]
        if count or not unknown:  # a known word filtered away needs no other spelling
            return ""
        # Nothing found and no title word near: the closest category or kecamatan name.
        places = SearchEntry.objects.values_list("category_label", "kecamatan_label").distinct()
        known = {w for row in places for label in row for w in words(label)}
        replaced = [closest_word(c.original, known) if c in unknown else "" for c in concepts]
        if any(replaced):
            return " ".join(r or c.original for r, c in zip(replaced, concepts, strict=True))
        return ""

    def search(self, query: SearchQuery) -> SearchResults:
        engine = _text_engine()
        entries, matched, rank, concepts = self._base(query, engine)
        chosen = self._filters(query)
        count, facets = self._count_and_facets(matched, chosen, query)
        if count == 0 and len(concepts) > 1:
            # Every word together found nothing ("ulos murah"): rather the entries matching
            # some of them, those matching most ranked first, than an empty page.
            matched, rank = engine.text_filter(
                entries, concepts, query.text, query.language, any_concept=True
            )
            count, facets = self._count_and_facets(matched, chosen, query)
        selected = matched.filter(*chosen.values()) if chosen else matched
        terms = highlight_terms(concepts)
        rows: list = []
        if count > query.offset:
            relevance = query.sort == "relevance" and concepts
            page_ids = (
                engine.ranked_page(selected, query.offset, query.per_page) if relevance else None
            )
            if page_ids is not None:  # SQLite: bm25 orders the page inside FTS
                by_id = {e.product_id: e for e in entries.filter(pk__in=page_ids)}
                rows = [by_id[i] for i in page_ids if i in by_id]
            else:
                rows = selected.annotate(rank=rank).order_by(*self._ordering(query))[
                    query.offset : query.offset + query.per_page
                ]
        hits = [
            SearchHit(
                product_id=e.product_id,
                slug=e.slug,
                title=e.title,
                price=e.price,
                kind=e.kind,
                shop_slug=e.shop_slug,
                shop_name=e.shop_name,
                kecamatan=e.kecamatan_label,
                highlight=highlight(e.title, e.description, terms),
                distance_km=round(e.distance_km, 2)
                if query.near and e.distance_km is not None
                else None,
            )
            for e in rows
        ]
        return SearchResults(
            count=count,
            hits=hits,
            facets=facets,
            did_you_mean=self._did_you_mean(query, concepts, hits, count),
            backend=self.name,
        )

    # -- as you type -----------------------------------------------------------------------

    def suggest(self, text: str, *, language: str = "id", limit: int = 8) -> list[Suggestion]:
        """Products whose title starts with `text` (then those with a word that does), shops
        and kecamatan whose name does. Each is a bounded prefix scan of an index on the lowered
        name (migration 0004 on PostgreSQL): no query reads every entry."""
        text = " ".join(text.lower().split())[:100]
        if not text or limit <= 0:
            return []
        engine = _text_engine()
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

        def rows(sql: str, params: list) -> list[tuple]:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        def names(column: str, slug: str, n: int) -> list[tuple]:
            # The first few hundred entries in name order, then their distinct names: one shop
            # or kecamatan has many entries, and GROUP BY over all of them would read them all.
            key = engine.prefix_key(column)
            return rows(
                f"SELECT {slug}, {column} FROM (SELECT {slug}, {column}, {key} AS k"
                f" FROM search_searchentry WHERE {key} LIKE %s ESCAPE '\\' ORDER BY {key}"
                f" LIMIT 300) AS first GROUP BY {slug}, {column} ORDER BY MIN(k) LIMIT {int(n)}",
                [f"{escaped}%"],
            )

        kecamatan = names("kecamatan_label", "kecamatan_slug", 2)
        shops = names("shop_name", "shop_slug", 2)
        wanted = max(limit - len(kecamatan) - len(shops), 1)
        key = engine.prefix_key("title")
        products = rows(
            f"SELECT slug, title FROM search_searchentry WHERE {key} LIKE %s ESCAPE '\\'"
            f" ORDER BY {key}, product_id LIMIT {wanted}",
            [f"{escaped}%"],
        )
        if len(products) < wanted:  # then a later word of the title ("kain ULos")
            products += rows(
                f"SELECT slug, title FROM search_searchentry WHERE {engine.like('title')}"
                f" LIMIT {wanted - len(products)}",
                [f"% {escaped}%"],
            )
        with translation.override(language):
            found = [
                Suggestion("product", title, reverse("storefront:product_detail", args=[slug]))
                for slug, title in products
            ]
            found += [
                Suggestion("shop", name, reverse("storefront:shop_detail", args=[slug]))
                for slug, name in shops
            ]
            try:
                page = reverse("search:page")
            except NoReverseMatch:  # the search page's URL name may not be wired yet
                page = "/search/"
            found += [
                Suggestion("kecamatan", label, f"{page}?kecamatan={slug}")
                for slug, label in kecamatan
            ]
        return found[:limit]
