"""What a search index may know of the catalog: public products with their shop, place and
availability, read in batches. The search app reads the catalog only through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from marketplace.models import ExperienceSlot, OrderLine, Product, StayNight, Variant
from marketplace.selectors import public_products

AVAILABILITY_DAYS = 180  # how far ahead slots and nights are indexed


def public_product_ids() -> QuerySet:
    return public_products().values_list("pk", flat=True)


def search_feed(product_ids: Iterable[int]) -> Iterator[Product]:
    """The public ones among these products, each with `variants_list`, `open_slots` (future,
    places left) and `free_nights` (future, a room free) prefetched: a fixed number of queries
    per batch however many products."""
    now = timezone.now()
    horizon = now + dt.timedelta(days=AVAILABILITY_DAYS)
    today = timezone.localdate()
    products = (
        public_products()
        .filter(pk__in=list(product_ids))
        .select_related("shop__kecamatan", "shop__desa", "category")
        .prefetch_related(
            Prefetch(
                "variants", queryset=Variant.objects.order_by("position"), to_attr="variants_list"
            ),
            Prefetch(
                "slots",
                queryset=ExperienceSlot.objects.filter(
                    starts_at__gte=now, starts_at__lt=horizon, booked__lt=F("capacity")
                ).order_by("starts_at"),
                to_attr="open_slots",
            ),
            Prefetch(
                "nights",
                queryset=StayNight.objects.filter(
                    night__gte=today,
                    night__lt=today + dt.timedelta(days=AVAILABILITY_DAYS),
                    booked__lt=F("rooms"),
                ).order_by("night"),
                to_attr="free_nights",
            ),
        )
    )
    yield from products


# What the search index's event handlers and sweep ask (search.indexing): ids only, one query.


def shop_product_ids(shop_id: int) -> list[int]:
    """Every product of the shop, whatever its status: a suspended shop's must all go."""
    return list(Product.objects.filter(shop_id=shop_id).values_list("pk", flat=True))


def order_product_ids(order_id: int) -> list[int]:
    """The products an order's lines hold (their stock, places or rooms)."""
    return list(
        OrderLine.objects.filter(order_id=order_id)
        .values_list("product_id", flat=True)
        .distinct()
        .order_by()
    )


def changed_product_ids(since: dt.datetime) -> list[int]:
    """Products changed since then, or whose shop was (a new name, place or status), whether or
    not an event said so."""
    return list(
        Product.objects.filter(Q(updated_at__gte=since) | Q(shop__updated_at__gte=since))
        .values_list("pk", flat=True)
        .order_by()
    )


def availability_passed_product_ids(since: dt.datetime) -> list[int]:
    """Experiences with a slot that started since then and stays with a night that ended since
    then: what they offer shrank with the clock, no event said so."""
    now = timezone.now()
    slots = ExperienceSlot.objects.filter(starts_at__gte=since, starts_at__lt=now)
    nights = StayNight.objects.filter(
        night__gte=timezone.localdate(since), night__lt=timezone.localdate(now)
    )
    return sorted(
        set(slots.values_list("product_id", flat=True).order_by())
        | set(nights.values_list("product_id", flat=True).order_by())
    )
