"""Queries for the seller dashboard (/seller/). Every query starts from a shop that
`marketplace.access` already checked the user may run; objects named in a URL are looked up
inside that shop, so another shop's id answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from marketplace.models import (
    Desa,
    ExperienceSlot,
    OrderLine,
    Product,
    ProductKind,
    ProductPhoto,
    ProductStatus,
    Shop,
    ShopMember,
    StayNight,
    User,
    Variant,
)

PRODUCTS_PER_PAGE = 25
THUMBNAIL_SPEC = "fill-96x96"


def member_shops(user: User) -> QuerySet[ShopMember]:
    """The memberships of a user, with their shop: the list on /seller/."""
    return (
        ShopMember.objects.filter(user=user)
        .select_related("shop", "shop__category", "shop__kecamatan")
        .order_by("shop__name")
    )


@dataclass(frozen=True)
class ShopOverview:
    products_total: int
    products_draft: int
    products_active: int
    products_archived: int
    low_stock: int


def low_stock_variants(shop: Shop) -> QuerySet[Variant]:
    """Variants of the shop's goods (not archived) whose free stock (on hand less allocated) is
    at or under the product's low-stock threshold, emptiest first."""
    return (
        Variant.objects.annotate(free_units=F("on_hand") - F("allocated"))
        .filter(
            product__shop=shop,
            product__kind=ProductKind.GOODS,
            free_units__lte=F("product__low_stock_threshold"),
        )
        .exclude(product__status=ProductStatus.ARCHIVED)
        .select_related("product")
        .order_by("free_units", "product__title", "position", "pk")
    )


def shop_overview(shop: Shop) -> ShopOverview:
    counts = Product.objects.filter(shop=shop).aggregate(
        total=Count("pk"),
        draft=Count("pk", filter=Q(status=ProductStatus.DRAFT)),
        active=Count("pk", filter=Q(status=ProductStatus.ACTIVE)),
        archived=Count("pk", filter=Q(status=ProductStatus.ARCHIVED)),
    )
    return ShopOverview(
        products_total=counts["total"],
        products_draft=counts["draft"],
        products_active=counts["active"],
        products_archived=counts["archived"],
        low_stock=low_stock_variants(shop).count(),
    )


def _photos_with_thumbnails() -> QuerySet[ProductPhoto]:
    """Photos with their Wagtail image and its renditions, so `{% image %}` asks nothing more."""
    return ProductPhoto.objects.select_related("image").prefetch_related("image__renditions")


def shop_products(
    shop: Shop, *, q: str = "", status: str = "", kind: str = ""
) -> QuerySet[Product]:
    """The shop's products for the list page, in a fixed number of queries whatever their
    number: free stock, low-stock flag and upcoming slots are subqueries; photos are
    prefetched."""
    stock_total = (
        Variant.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(total=Sum(F("on_hand") - F("allocated")))
        .values("total")
    )
    upcoming = (
        ExperienceSlot.objects.filter(product=OuterRef("pk"), starts_at__gte=timezone.now())
        .order_by()
        .values("product")
        .annotate(n=Count("pk"))
        .values("n")
    )
    products = (
        Product.objects.filter(shop=shop)
        .select_related("category")
        .annotate(
            stock_total=Coalesce(Subquery(stock_total, output_field=IntegerField()), Value(0)),
            stock_is_low=Exists(
                Variant.objects.annotate(free_units=F("on_hand") - F("allocated")).filter(
                    product=OuterRef("pk"), free_units__lte=OuterRef("low_stock_threshold")
                )
            ),
            upcoming_slots=Coalesce(Subquery(upcoming, output_field=IntegerField()), Value(0)),
        )
        .prefetch_related(Prefetch("photos", queryset=_photos_with_thumbnails()))
        .order_by("-created_at", "-pk")
    )
    if q:
        products = products.filter(title__icontains=q)
    if status:
        products = products.filter(status=status)
    if kind:
        products = products.filter(kind=kind)
    return products


def shop_product(shop: Shop, pk: int, *, kind: str | None = None) -> Product:
    """One product of this shop (of that kind, when given), or 404: another shop's id too."""
    products = Product.objects.select_related("shop", "category").filter(shop=shop)
    if kind:
        products = products.filter(kind=kind)
    return get_object_or_404(products, pk=pk)


def product_photos(product: Product) -> list[ProductPhoto]:
    return list(_photos_with_thumbnails().filter(product=product))


def product_photo(product: Product, pk: int) -> ProductPhoto:
    return get_object_or_404(
        ProductPhoto.objects.select_related("product", "image"), product=product, pk=pk
    )


def product_variants(product: Product) -> list[Variant]:
    return list(product.variants.all())


@dataclass(frozen=True)
class Holder:
    """An order that holds units of a variant (or rooms of a stay), for the stock page."""

    number: str
    status: str
    quantity: int


def variant_holders(product: Product) -> dict[int, list[Holder]]:
    """For each variant of the product, the orders whose allocation holds it: one query."""
    holders: dict[int, list[Holder]] = {}
    lines = (
        OrderLine.objects.filter(product=product, order__holds_stock=True, variant__isnull=False)
        .order_by("order__created_at", "pk")
        .values_list("variant_id", "order__number", "order__status", "quantity")
    )
    for variant_id, number, status, quantity in lines:
        holders.setdefault(variant_id, []).append(Holder(number, status, quantity))
    return holders


def product_variant(product: Product, pk: int) -> Variant:
    return get_object_or_404(Variant.objects.select_related("product"), product=product, pk=pk)


def shop_variant(shop: Shop, pk: int) -> Variant:
    """A variant of any goods product of this shop (the low-stock page sets stock by variant)."""
    return get_object_or_404(Variant.objects.select_related("product"), product__shop=shop, pk=pk)


def upcoming_slots(product: Product) -> list[ExperienceSlot]:
    return list(product.slots.filter(starts_at__gte=timezone.now()).order_by("starts_at"))


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def slot_week_start(product: Product, value: str | None) -> date:
    """The Monday of the week the slots page shows: the week of ?week=YYYY-MM-DD (any day of
    it; this week instead of a past or absurdly far one), else the week of the next slot to
    come (this week when there is none). One query without ?week=."""
    this_week = week_monday(timezone.localdate())
    if value:
        try:
            asked = week_monday(date.fromisoformat(value))
        except ValueError:
            return this_week
        # Not before this week, and not so far on that the next week's link overflows.
        return asked if this_week <= asked <= this_week + timedelta(weeks=520) else this_week
    first = (
        product.slots.filter(starts_at__gte=timezone.now())
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return week_monday(timezone.localdate(first)) if first else this_week


@dataclass(frozen=True)
class SlotDay:
    day: date
    slots: list[ExperienceSlot]

    @property
    def booked(self) -> int:
        return sum(slot.booked for slot in self.slots)

    @property
    def capacity(self) -> int:
        return sum(slot.capacity for slot in self.slots)


@dataclass(frozen=True)
class SlotWeek:
    start: date  # a Monday
    days: list[SlotDay]  # the days of the week that still have slots to come
    previous: date | None  # None: this week, nothing earlier is shown
    next: date
    later: date | None  # the Monday of the next week with slots, when this one has none

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def slots(self) -> list[ExperienceSlot]:
        return [slot for day in self.days for slot in day.slots]


def slot_week(product: Product, start: date) -> SlotWeek:
    """The product's slots still to come in the week from Monday `start` (site time zone), by
    day. Two queries (one more when the week is empty, to point at the next one with slots)."""
    begins = timezone.make_aware(datetime.combine(start, time.min))
    ends = begins + timedelta(days=7)
    slots = list(
        product.slots.filter(
            starts_at__gte=max(begins, timezone.now()), starts_at__lt=ends
        ).order_by("starts_at")
    )
    by_day: dict[date, list[ExperienceSlot]] = {}
    for slot in slots:
        by_day.setdefault(timezone.localdate(slot.starts_at), []).append(slot)
    later = None
    if not slots:
        after = (
            product.slots.filter(starts_at__gte=max(ends, timezone.now()))
            .order_by("starts_at")
            .values_list("starts_at", flat=True)
            .first()
        )
        later = week_monday(timezone.localdate(after)) if after else None
    this_week = week_monday(timezone.localdate())
    return SlotWeek(
        start=start,
        days=[SlotDay(day, day_slots) for day, day_slots in by_day.items()],
        previous=start - timedelta(days=7) if start > this_week else None,
        next=start + timedelta(days=7),
        later=later,
    )


def product_slot(product: Product, pk: int) -> ExperienceSlot:
    return get_object_or_404(
        ExperienceSlot.objects.select_related("product"), product=product, pk=pk
    )


@dataclass(frozen=True)
class NightRow:
    night: date
    rooms: int | None  # None: not set yet, so not bookable
    booked: int = 0

    @property
    def rooms_free(self) -> int | None:
        return None if self.rooms is None else max(self.rooms - self.booked, 0)


def stay_calendar(product: Product, *, days: int = 30, start: date | None = None) -> list[NightRow]:
    """The next `days` nights from `start` (today by default), set or not."""
    start = start or timezone.localdate()
    end = start + timedelta(days=days - 1)
    known = {
        night: (rooms, booked)
        for night, rooms, booked in StayNight.objects.filter(
            product=product, night__range=(start, end)
        ).values_list("night", "rooms", "booked")
    }
    return [
        NightRow(night, *known.get(night, (None, 0)))
        for night in (start + timedelta(days=n) for n in range(days))
    ]


def shop_members(shop: Shop) -> QuerySet[ShopMember]:
    return ShopMember.objects.filter(shop=shop).select_related("user").order_by("role", "added_at")


def shop_member(shop: Shop, pk: int) -> ShopMember:
    return get_object_or_404(ShopMember.objects.select_related("user"), shop=shop, pk=pk)


def desa_choices() -> QuerySet[Desa]:
    return Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name")
