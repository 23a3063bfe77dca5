"""The page queries of the promotion pages: what each page lists from the live catalog and
from the page tree. Each costs a fixed number of queries however many items it lists or
editors feature (tests/cms/test_query_counts.py)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone
from wagtail.models import Page

from marketplace.models import ExperienceSlot, Product, Shop
from marketplace.selectors import public_products, public_shops
from marketplace.selectors.storefront import product_cards

HOME_PRODUCTS = 8
HOME_SHOPS = 6
HOME_EVENTS = 4
HOME_PLACES = 6
BOOKABLE_LIMIT = 24


def _live(model, locale) -> QuerySet:
    return model.objects.live().public().filter(locale=locale)


# -- featured blocks ------------------------------------------------------------------------


@dataclass
class Featured:
    """The cards every catalog block of a page shows, loaded at once: product and shop cards
    by id (only those public now: a suspended shop's products vanish), and each experience's
    free slots by id."""

    products: dict[int, Product] = field(default_factory=dict)
    shops: dict[int, Shop] = field(default_factory=dict)
    slots: dict[int, list[ExperienceSlot]] = field(default_factory=lambda: defaultdict(list))
    # The catalog's experiences listed by an "experiences on dates" block that chose none, by
    # the block's (start, end) dates.
    auto_experiences: dict[tuple[dt.date, dt.date], list[Product]] = field(default_factory=dict)

    def product_list(self, ids) -> list[Product]:
        return [self.products[i] for i in ids if i in self.products]

    def shop_list(self, ids) -> list[Shop]:
        return [self.shops[i] for i in ids if i in self.shops]

    def experiences_on(self, ids, start: dt.date, end: dt.date) -> list[tuple[Product, list]]:
        """The chosen experiences (or, none chosen, the catalog's) with their free slots
        between the dates."""
        products = self.product_list(ids) if ids else self.auto_experiences.get((start, end), [])
        return [
            (
                product,
                [
                    slot
                    for slot in self.slots.get(product.pk, [])
                    if start <= timezone.localtime(slot.starts_at).date() <= end
                ],
            )
            for product in products
        ]


def _raw_blocks(*streams) -> list[dict]:
    """The stored (not yet converted) blocks of some StreamFields: ids, with no query."""
    return [block for stream in streams if stream for block in stream.raw_data]


def featured_for(*streams, extra_products=(), extra_shops=()) -> Featured:
    """One query for the product cards (and one per photo prefetch), one for the shops, one for
    the slots of every experience shown, one per "experiences on dates" block that lists the
    catalog's (none chosen)."""
    return featured_for_blocks(
        _raw_blocks(*streams), extra_products=extra_products, extra_shops=extra_shops
    )


def featured_for_values(values: dict) -> Featured:
    """The cards of one catalog block rendered alone (a block preview), from its values."""
    blocks = []
    if "products" in values:
        blocks.append(
            {"type": "featured_products", "value": {"products": _pks(values["products"])}}
        )
    if "shops" in values:
        blocks.append({"type": "featured_shops", "value": {"shops": _pks(values["shops"])}})
    if "experiences_on_dates" in values:
        value = values["experiences_on_dates"]
        blocks.append(
            {
                "type": "experiences_on_dates",
                "value": {
                    "experiences": _pks(value["experiences"]),
                    "start_date": value["start_date"],
                    "end_date": value["end_date"],
                },
            }
        )
    return featured_for_blocks(blocks)


def _pks(items) -> list[int]:
    return [item.pk for item in items or [] if item is not None]


def featured_for_blocks(raw_blocks, extra_products=(), extra_shops=()) -> Featured:
    featured = Featured()
    product_ids: set[int] = set(extra_products)
    shop_ids: set[int] = set(extra_shops)
    windows: list[tuple[dt.date, dt.date, list[int]]] = []
    for block in raw_blocks:
        kind, value = block["type"], block["value"]
        if kind == "featured_products":
            product_ids.update(_ids(value.get("products")))
        elif kind == "featured_shops":
            shop_ids.update(_ids(value.get("shops")))
        elif kind == "experiences_on_dates":
            chosen = _ids(value.get("experiences"))
            product_ids.update(chosen)
            start, end = _date(value.get("start_date")), _date(value.get("end_date"))
            if start and end:
                windows.append((start, end, chosen))
    if product_ids:
        featured.products = product_cards(public_products().filter(pk__in=product_ids)).in_bulk()
    if shop_ids:
        featured.shops = public_shops().select_related("kecamatan").in_bulk(shop_ids)
    for start, end, chosen in windows:
        if not chosen and (start, end) not in featured.auto_experiences:
            free = _free_slots(start, end).values("product_id")
            found = list(
                product_cards(public_products().filter(kind="experience", pk__in=free)).order_by(
                    "title"
                )[:HOME_PRODUCTS]
            )
            featured.auto_experiences[(start, end)] = found
            featured.products.update({p.pk: p for p in found})
    if windows:
        start = min(w[0] for w in windows)
        end = max(w[1] for w in windows)
        experience_ids = [pk for pk, p in featured.products.items() if p.kind == "experience"]
        for slot in _free_slots(start, end).filter(product_id__in=experience_ids):
            featured.slots[slot.product_id].append(slot)
    return featured


def _free_slots(start: dt.date, end: dt.date) -> QuerySet[ExperienceSlot]:
    now = timezone.now()
    return (
        ExperienceSlot.objects.filter(
            starts_at__date__gte=start, starts_at__date__lte=end, starts_at__gt=now
        )
        .filter(booked__lt=F("capacity"))
        .order_by("starts_at")
    )


def _ids(values) -> list[int]:
    """Chooser ids from a raw ListBlock value (new format: [{"type": "item", "value": id}])."""
    ids = []
    for item in values or []:
        value = item.get("value") if isinstance(item, dict) else item
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            ids.append(int(value))
    return ids


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


# -- the home page ---------------------------------------------------------------------------


def home_listing(home) -> dict[str, Any]:
    """Running campaigns, editor-picked products and shops filled up from the live catalog,
    upcoming events, destinations and tourism villages: all in the home page's language."""
    from cms.models import CampaignPage, DestinationPage, EventPage, VillagePage

    today = timezone.localdate()
    picked_products = _ids(home.featured_products.raw_data if home.featured_products else [])
    picked_shops = _ids(home.featured_shops.raw_data if home.featured_shops else [])
    featured = featured_for(home.body, extra_products=picked_products, extra_shops=picked_shops)
    # The fill-ups run whether or not editors picked enough, so that the page costs the same
    # queries however many they picked.
    products = featured.product_list(picked_products)[:HOME_PRODUCTS]
    latest = product_cards(public_products().exclude(pk__in=[p.pk for p in products])).order_by(
        "-published_at", "-id"
    )
    products += list(latest[:HOME_PRODUCTS])[: HOME_PRODUCTS - len(products)]
    shops = featured.shop_list(picked_shops)[:HOME_SHOPS]
    newest = (
        public_shops()
        .select_related("kecamatan")
        .exclude(pk__in=[s.pk for s in shops])
        .order_by("-verified_at", "name")
    )
    shops += list(newest[:HOME_SHOPS])[: HOME_SHOPS - len(shops)]
    campaigns = (
        _live(CampaignPage, home.locale)
        .filter(start_date__lte=today, end_date__gte=today)
        .select_related("hero_image")
        .prefetch_related("hero_image__renditions")
        .order_by("end_date", "title")
    )
    events = (
        _live(EventPage, home.locale)
        .filter(end__gte=timezone.now())
        .select_related("hero_image")
        .prefetch_related("hero_image__renditions")
        .order_by("start")[:HOME_EVENTS]
    )
    return {
        "featured": featured,
        "products": products,
        "shops": shops,
        "campaigns": list(campaigns),
        "events": list(events),
        "destinations": list(
            _live(DestinationPage, home.locale)
            .select_related("hero_image")
            .prefetch_related("hero_image__renditions")[:HOME_PLACES]
        ),
        "villages": list(
            _live(VillagePage, home.locale)
            .select_related("hero_image")
            .prefetch_related("hero_image__renditions")[:HOME_PLACES]
        ),
    }


def child_pages(index: Page, model) -> list:
    """An index page's live children of one type, with their hero images' renditions."""
    return list(
        model.objects.child_of(index)
        .live()
        .public()
        .select_related("hero_image")
        .prefetch_related("hero_image__renditions")
        .order_by("path")
    )


def campaign_listing(index: Page) -> dict[str, Any]:
    """The campaigns running today (ending soonest first), and the ended ones, newest first."""
    from cms.models import CampaignPage

    today = timezone.localdate()
    campaigns = child_pages(index, CampaignPage)
    return {
        "running": sorted(
            (c for c in campaigns if c.start_date <= today <= c.end_date),
            key=lambda c: (c.end_date, c.title),
        ),
        "upcoming": sorted(
            (c for c in campaigns if c.start_date > today), key=lambda c: c.start_date
        ),
        "ended": sorted(
            (c for c in campaigns if c.end_date < today), key=lambda c: c.end_date, reverse=True
        ),
    }


# -- places ----------------------------------------------------------------------------------


def bookable_in_kecamatan(kecamatan_id: int) -> list[Product]:
    """Experiences and stays bookable in a kecamatan: public, from its shops."""
    return list(
        product_cards(
            public_products().filter(
                shop__kecamatan_id=kecamatan_id, kind__in=["experience", "stay"]
            )
        ).order_by("kind", "title")[:BOOKABLE_LIMIT]
    )


def village_catalog(desa_id: int) -> dict[str, Any]:
    """A tourism village's shops and every live product of them, by kind."""
    products = list(
        product_cards(public_products().filter(shop__desa_id=desa_id)).order_by("kind", "title")
    )
    by_kind: dict[str, list[Product]] = defaultdict(list)
    for product in products:
        by_kind[product.kind].append(product)
    return {
        "shops": list(public_shops().filter(desa_id=desa_id).order_by("name")),
        "products": products,
        "goods": by_kind["goods"],
        "experiences": by_kind["experience"],
        "stays": by_kind["stay"],
    }


# -- articles and events ---------------------------------------------------------------------


def article_listing(index: Page, topic_slug: str) -> dict[str, Any]:
    from cms.models import ArticlePage, ArticleTopic

    articles = (
        ArticlePage.objects.child_of(index)
        .live()
        .public()
        .select_related("hero_image", "topic")
        .order_by("-date", "-pk")
    )
    topics = ArticleTopic.objects.filter(locale=index.locale)
    topic = topics.filter(slug=topic_slug).first() if topic_slug else None
    if topic is not None:
        articles = articles.filter(topic=topic)
    return {"articles": list(articles[:50]), "topics": list(topics), "topic": topic}


@dataclass(frozen=True)
class CalendarMonth:
    year: int
    month: int
    weeks: list[list[dt.date | None]]
    events_by_day: dict[dt.date, list]
    previous: tuple[int, int]
    next: tuple[int, int]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


def event_calendar(index: Page, year_month: tuple[int, int] | None, request) -> dict[str, Any]:
    """One month of the calendar: the grid of weeks (Monday first), each day's events, and the
    months before and after; ?kategori= narrows it to one category."""
    from cms.models import EventCategory, EventPage

    today = timezone.localdate()
    year, month = year_month or (today.year, today.month)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    events = (
        EventPage.objects.child_of(index)
        .live()
        .public()
        .filter(start__date__lte=last, end__date__gte=first)
        .select_related("hero_image")
        .order_by("start")
    )
    category = request.GET.get("kategori", "")
    if category in EventCategory.values:
        events = events.filter(category=category)
    else:
        category = ""
    events = list(events)
    by_day: dict[dt.date, list] = defaultdict(list)
    for event in events:
        day = max(timezone.localtime(event.start).date(), first)
        end = min(timezone.localtime(event.end).date(), last)
        while day <= end:
            by_day[day].append(event)
            day += dt.timedelta(days=1)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    grid = [[d if d.month == month else None for d in week] for week in weeks]
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return {
        "calendar": CalendarMonth(year, month, grid, dict(by_day), previous, following),
        "events": events,
        "category": category,
        "categories": EventCategory.choices,
    }


def calendar_events(index: Page) -> list:
    """The events of the .ics calendar: from 30 days ago on."""
    from cms.models import EventPage

    since = timezone.now() - dt.timedelta(days=30)
    return list(
        EventPage.objects.child_of(index).live().public().filter(end__gte=since).order_by("start")
    )
