"""The database backend: the embedded default and what CI runs, on PostgreSQL and on SQLite.

One SearchEntry row per public product (search.models), its text searched by the database's own
machinery (database_pg: a weighted tsvector and pg_trgm; database_sqlite: FTS5 with trigrams).
Filters, facets, sorts and pages are the same ORM queries on both; a search costs a fixed number
of queries however many entries there are: one per typed word (to forgive typos), one to build
the tsquery on PostgreSQL, the count, the page, one GROUP BY per facet, and one more for
did_you_mean when nothing was found."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, QuerySet, Value, When
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

    def _base(self, query: SearchQuery, engine) -> tuple[QuerySet, list]:
        entries = SearchEntry.objects.all()
        if query.near:
            entries = entries.annotate(distance_km=_distance(*query.near))
        concepts = concepts_for(query.text) if query.text.strip() else []
        if not concepts:
            return entries.annotate(rank=Value(0.0, output_field=FloatField())), []
        known = {
            c.original: set(words(" ".join(engine.known_words(c.original))))
            for c in concepts
            if not c.is_synonym_group and len(c.original) >= 4 and c.original.isalpha()
        }
        correct(concepts, known)
        return engine.text_filter(entries, concepts, query.text, query.language), concepts

    def _ordering(self, query: SearchQuery) -> list:
        sort = query.sort
        if sort == "relevance" and not query.text.strip():
            sort = "newest"
        if sort == "price":
            return ["price", "-rank", "product_id"]
        if sort == "-price":
            return ["-price", "-rank", "product_id"]
        if sort == "newest":
            return [F("published_at").desc(nulls_last=True), "-product_id"]
        if sort == "nearest" and query.near:
            return [F("distance_km").asc(nulls_last=True), "-rank", "product_id"]
        return ["-rank", F("published_at").desc(nulls_last=True), "-product_id"]

    def _facets(
        self, matched: QuerySet, chosen: dict[str, Q], language: str
    ) -> dict[str, list[FacetValue]]:
        def others(facet: str) -> QuerySet:
            rest = [q for name, q in chosen.items() if name != facet]
            return matched.filter(*rest) if rest else matched

        facets: dict[str, list[FacetValue]] = {}
        rows = (
            others("category")
            .values("category_slug", "category_label", "category_label_en")
            .annotate(n=Count("product_id"))
            .order_by("-n", "category_slug")
        )
        label = "category_label_en" if language == "en" else "category_label"
        facets["category"] = [
            FacetValue(r["category_slug"], r[label] or r["category_label"], r["n"]) for r in rows
        ]
        rows = (
            others("kecamatan")
            .values("kecamatan_slug", "kecamatan_label")
            .annotate(n=Count("product_id"))
            .order_by("-n", "kecamatan_slug")
        )
        facets["kecamatan"] = [
            FacetValue(r["kecamatan_slug"], r["kecamatan_label"], r["n"]) for r in rows
        ]
        rows = others("kind").values("kind").annotate(n=Count("product_id")).order_by("-n", "kind")
        with translation.override(language):
            facets["kind"] = [
                FacetValue(
                    r["kind"],
                    str(ProductKind(r["kind"]).label)
                    if r["kind"] in ProductKind.values
                    else r["kind"],
                    r["n"],
                )
                for r in rows
            ]
            bucket = Case(
                *[
                    When(
                        Q(price__gte=low) & (Q(price__lt=high) if high is not None else Q()),
                        then=Value(i),
                    )
                    for i, (low, high) in enumerate(PRICE_RANGES)
                ],
                default=Value(-1),
                output_field=IntegerField(),
            )
            counts = {
                r["bucket"]: r["n"]
                for r in others("price")
                .annotate(bucket=bucket)
                .values("bucket")
                .annotate(n=Count("product_id"))
                .order_by("bucket")
            }
            facets["price"] = [
                FacetValue(_price_value(low, high), _price_label(low, high), counts[i])
                for i, (low, high) in enumerate(PRICE_RANGES)
                if counts.get(i)
            ]
        return facets

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
        matched, concepts = self._base(query, engine)
        chosen = self._filters(query)
        selected = matched.filter(*chosen.values()) if chosen else matched
        count = selected.count()
        terms = highlight_terms(concepts)
        rows = selected.order_by(*self._ordering(query))[
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
            facets=self._facets(matched, chosen, query.language),
            did_you_mean=self._did_you_mean(query, concepts, hits, count),
            backend=self.name,
        )

    # -- as you type -----------------------------------------------------------------------

    def suggest(self, text: str, *, language: str = "id", limit: int = 8) -> list[Suggestion]:
        """Products whose title, shops whose name, kecamatan whose name start with `text` or
        have a word that does: prefix LIKE queries the trigram indexes answer on PostgreSQL."""
        text = " ".join(text.split())[:100]
        if not text or limit <= 0:
            return []
        engine = _text_engine()
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        start, inner = f"{escaped}%", f"% {escaped}%"

        def prefixed(column: str, select: str, group: bool, n: int) -> list[tuple]:
            like = engine.like(column)
            sql = (
                f"SELECT {select} FROM search_searchentry WHERE ({like} OR {like})"
                + (f" GROUP BY {select}" if group else "")
                + f" ORDER BY CASE WHEN {like} THEN 0 ELSE 1 END, {column} LIMIT {int(n)}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [start, inner, start])
                return cursor.fetchall()

        kecamatan = prefixed("kecamatan_label", "kecamatan_slug, kecamatan_label", True, 2)
        shops = prefixed("shop_name", "shop_slug, shop_name", True, 2)
        products = prefixed(
            "title", "slug, title", False, max(limit - len(kecamatan) - len(shops), 1)
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
