"""Queries of the public storefront and the public API.

Everything here starts from `public_shops()` / `public_products()`, so a shop that is not
verified, or a product that is not active, never reaches a page or an API answer.

Each query fetches what its page shows in a fixed number of queries, however many rows there
are: related rows come with `select_related`, lists with `prefetch_related`, and the Wagtail
renditions that the page's images use are prefetched with them. The image sizes live here
(`IMAGE_PRESETS`), next to the prefetches that must match them; the `responsive_image` template
tag and the API read them from here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Avg,
    Count,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone
from wagtail.images import get_image_model

from marketplace.models import (
    Category,
    CourierRate,
    ExperienceSlot,
    Kecamatan,
    Product,
    ProductKind,
    ProductPhoto,
    Review,
    Shop,
    ShopDelivery,
    StayNight,
    User,
    Variant,
    WishlistItem,
)
from marketplace.selectors import public_products, public_shops
from marketplace.services.delivery import courier_fee

# Rendition filter specs, by use. A card is two columns wide on a 360 px phone (about 160 CSS
# px, so 320 to 480 device pixels), a detail photo the whole width of the screen.
IMAGE_PRESETS: dict[str, tuple[str, ...]] = {
    "card": ("fill-320x320|format-webp", "fill-480x480|format-webp"),
    "logo": ("fill-96x96|format-webp", "fill-192x192|format-webp"),
    "detail": (
        "max-480x480|format-webp",
        "max-800x800|format-webp",
        "max-1200x1200|format-webp",
    ),
    # Link previews (WhatsApp, Facebook): JPEG, which every previewer reads.
    "og": ("fill-1200x630|format-jpeg",),
}
API_IMAGE_SPEC = "max-800x800|format-webp"  # one of the detail sizes: no extra rendition
API_LOGO_SPEC = "fill-192x192|format-webp"  # one of the logo sizes

SHOPS_PER_PAGE = 24
PRODUCTS_PER_PAGE = 24
UPCOMING_SLOTS = 60  # experiences: the next departures shown and served
UPCOMING_NIGHTS = 60  # stays: the next nights shown and served
REVIEWS_SHOWN = 20
DATES_UNFOLDED = 5  # the product page lists this many dates; the rest fold behind a <details>
STAY_MAX_NIGHTS = 30  # as services.checkout allows in one booking


def _renditions(*specs: str) -> QuerySet:
    rendition_model = get_image_model().get_rendition_model()
    return rendition_model.objects.filter(filter_spec__in=specs)


def preset_specs(*presets: str) -> tuple[str, ...]:
    return tuple(spec for preset in presets for spec in IMAGE_PRESETS[preset])


def _photos(*specs: str, first_only: bool = False) -> QuerySet[ProductPhoto]:
    """A product's photos in their order, each with its image and the renditions `specs`."""
    photos = (
        ProductPhoto.objects.select_related("image")
        .prefetch_related(Prefetch("image__renditions", queryset=_renditions(*specs)))
        .order_by("position", "id")
    )
    return photos[:1] if first_only else photos


def _variants() -> QuerySet[Variant]:
    return Variant.objects.order_by("position", "id")


def _upcoming_slots() -> QuerySet[ExperienceSlot]:
    return ExperienceSlot.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at")[
        :UPCOMING_SLOTS
    ]


def _upcoming_nights() -> QuerySet[StayNight]:
    return StayNight.objects.filter(night__gte=timezone.localdate()).order_by("night")[
        :UPCOMING_NIGHTS
    ]


# Shops ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopFilters:
    kecamatan: str = ""
    category: str = ""


def shop_list(filters: ShopFilters | None = None) -> QuerySet[Shop]:
    """Verified shops with their category, kecamatan and logo (renditions prefetched)."""
    filters = filters or ShopFilters()
    shops = public_shops()
    if filters.kecamatan:
        shops = shops.filter(kecamatan__slug=filters.kecamatan)
    if filters.category:
        shops = shops.filter(category__slug=filters.category)
    return (
        shops.select_related("category", "kecamatan", "desa", "logo")
        .prefetch_related(
            Prefetch(
                "logo__renditions",
                queryset=_renditions(*preset_specs("logo")),
            )
        )
        .order_by("name", "id")
    )


def shop_detail(slug: str) -> Shop:
    """A verified shop, or Shop.DoesNotExist."""
    return shop_list().get(slug=slug)


def filter_choices() -> tuple[list[Kecamatan], list[Category]]:
    """The kecamatan and categories that have at least one verified shop, for the filters."""
    verified = public_shops()
    kecamatan = list(
        Kecamatan.objects.filter(shops__in=verified)
        .distinct()
        .order_by("name")
        .only("name", "slug")
    )
    categories = list(
        Category.objects.filter(shops__in=verified)
        .distinct()
        .order_by("position", "name")
        .only("name", "name_en", "slug", "position")
    )
    return kecamatan, categories


# Products ------------------------------------------------------------------------------------


def product_cards(products: QuerySet[Product]) -> QuerySet[Product]:
    """Products for a list of cards: the shop, and the first photo as `cover_photos` (a list of
    zero or one ProductPhoto) with its card renditions."""
    return products.select_related("shop", "shop__kecamatan", "category").prefetch_related(
        Prefetch(
            "photos", queryset=_photos(*preset_specs("card"), first_only=True), to_attr="cover"
        )
    )


def shop_products(shop: Shop) -> QuerySet[Product]:
    """The active products of a verified shop, newest first, ready for cards."""
    return product_cards(public_products().filter(shop=shop)).order_by("-created_at", "-id")


@dataclass(frozen=True)
class ProductFilters:
    shop: str = ""
    category: str = ""
    kecamatan: str = ""
    kind: str = ""


def api_products(filters: ProductFilters | None = None) -> QuerySet[Product]:
    """Active products of verified shops with everything the API writes: shop, category,
    kecamatan, all photos with the API rendition, variants, upcoming slots and nights."""
    filters = filters or ProductFilters()
    products = public_products()
    if filters.shop:
        products = products.filter(shop__slug=filters.shop)
    if filters.category:
        products = products.filter(category__slug=filters.category)
    if filters.kecamatan:
        products = products.filter(shop__kecamatan__slug=filters.kecamatan)
    if filters.kind:
        products = products.filter(kind=filters.kind)
    return (
        products.select_related("shop", "shop__kecamatan", "category")
        .prefetch_related(
            Prefetch("photos", queryset=_photos(API_IMAGE_SPEC), to_attr="photo_list"),
            Prefetch(
                "variants",
                queryset=Variant.objects.order_by("position", "id"),
                to_attr="variant_list",
            ),
            Prefetch("slots", queryset=_upcoming_slots(), to_attr="upcoming_slots"),
            Prefetch("nights", queryset=_upcoming_nights(), to_attr="upcoming_nights"),
        )
        .order_by("-created_at", "-id")
    )


def product_detail(slug: str) -> Product:
    """An active product of a verified shop with all it shows, or Product.DoesNotExist.

    Sets `photo_list`, `variant_list`, `upcoming_slots` and `upcoming_nights`; only the list of
    the product's own kind is fetched, the other two are empty. Goods also get the shop's
    `courier_rate_list` (for the delivery estimate) and its delivery options come with the
    shop, so every kind's page costs a fixed number of queries."""
    product = (
        public_products()
        .select_related("shop", "shop__kecamatan", "shop__desa", "shop__delivery", "category")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=_photos(*preset_specs("detail", "og")),
                to_attr="photo_list",
            ),
        )
        .get(slug=slug)
    )
    if product.kind == ProductKind.GOODS:
        lookup = Prefetch("variants", queryset=_variants(), to_attr="variant_list")
        prefetch_related_objects(
            [product.shop],
            Prefetch(
                "courier_rates",
                queryset=CourierRate.objects.order_by("destination_kabupaten"),
                to_attr="courier_rate_list",
            ),
        )
    elif product.kind == ProductKind.EXPERIENCE:
        lookup = Prefetch("slots", queryset=_upcoming_slots(), to_attr="upcoming_slots")
    else:
        lookup = Prefetch("nights", queryset=_upcoming_nights(), to_attr="upcoming_nights")
    prefetch_related_objects([product], lookup)
    for attr in ("variant_list", "upcoming_slots", "upcoming_nights"):
        if not hasattr(product, attr):
            setattr(product, attr, [])
    return product


def is_available(product: Product) -> bool:
    """Can the product be bought now? Needs the lists `product_detail` sets."""
    if product.kind == ProductKind.GOODS:
        return any(variant.free > 0 for variant in product.variant_list)
    if product.kind == ProductKind.EXPERIENCE:
        return any(slot.places_left > 0 for slot in product.upcoming_slots)
    return any(night.rooms_free > 0 for night in product.upcoming_nights)


def total_stock(product: Product) -> int:
    return sum(variant.free for variant in product.variant_list)


def included_list(product: Product) -> list[str]:
    """What an experience includes, one thing a line (or comma-separated on one line)."""
    text = product.included.strip()
    if not text:
        return []
    parts = text.splitlines() if "\n" in text else text.split(",")
    return [part.strip(" -•*\t") for part in parts if part.strip(" -•*\t")]


def map_links(product: Product) -> dict[str, str] | None:
    """Links to the meeting point's position: a geo: URI (phones open their map app) and
    OpenStreetMap. No map is embedded, so the page loads no outside script or tile."""
    lat, lng = product.meeting_latitude, product.meeting_longitude
    if lat is None or lng is None:
        return None
    lat_text, lng_text = f"{lat:.6f}", f"{lng:.6f}"
    return {
        "geo": f"geo:{lat_text},{lng_text}",
        "osm": (
            f"https://www.openstreetmap.org/?mlat={lat_text}&mlon={lng_text}"
            f"#map=16/{lat_text}/{lng_text}"
        ),
        "latitude": lat_text,
        "longitude": lng_text,
    }


# A goods product's delivery to the buyer ------------------------------------------------------


@dataclass(frozen=True)
class DeliveryEstimate:
    """What getting one piece of a goods product costs, as the shop's options price it at
    checkout (services.checkout.delivery_fee): pickup, local delivery, and the courier fee to
    the chosen kabupaten. Courier rates carry no delivery time, so only the fee is known."""

    weight_grams: int
    pickup: bool
    local_fee: int | None
    destinations: list[str]
    kabupaten: str = ""  # the chosen destination, as the rate names it ("" when none)
    courier_fee: int | None = None


def delivery_estimate(product: Product, kabupaten: str = "") -> DeliveryEstimate | None:
    """For goods (None otherwise), from what `product_detail` fetched: no query."""
    if product.kind != ProductKind.GOODS:
        return None
    shop = product.shop
    try:
        options = shop.delivery
    except ShopDelivery.DoesNotExist:
        options = ShopDelivery(shop=shop)  # no row: pickup only, as checkout reads it
    rates = getattr(shop, "courier_rate_list", [])
    wanted = " ".join(kabupaten.split()).lower()
    rate = next((r for r in rates if r.destination_kabupaten.lower() == wanted), None)
    return DeliveryEstimate(
        weight_grams=product.weight_grams,
        pickup=options.offers_pickup,
        local_fee=options.local_delivery_fee,
        destinations=[r.destination_kabupaten for r in rates],
        kabupaten=rate.destination_kabupaten if rate else "",
        courier_fee=courier_fee(
            first_kg=rate.first_kg, next_kg=rate.next_kg, weight_grams=product.weight_grams
        )
        if rate
        else None,
    )


# A stay's total for chosen nights -------------------------------------------------------------


@dataclass(frozen=True)
class StayTotal:
    """What a stay costs for the chosen dates and rooms, priced as checkout prices it
    (nightly price × rooms × nights), and the nights among them that cannot be booked."""

    check_in: date
    check_out: date
    rooms: int
    price: int
    unavailable: list[date] = field(default_factory=list)

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    @property
    def total(self) -> int:
        return self.price * self.rooms * self.nights

    @property
    def bookable(self) -> bool:
        return not self.unavailable


def stay_total(product: Product, *, check_in: date, check_out: date, rooms: int) -> StayTotal:
    """From the nights `product_detail` fetched (no query): a night not among them, or
    without `rooms` free rooms, is unavailable."""
    free = {night.night: night.rooms_free for night in product.upcoming_nights}
    days = [check_in + timedelta(days=n) for n in range((check_out - check_in).days)]
    return StayTotal(
        check_in=check_in,
        check_out=check_out,
        rooms=rooms,
        price=product.price,
        unavailable=[day for day in days if free.get(day, 0) < rooms],
    )


# Reviews -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewSummary:
    average: float | None
    count: int
    latest: list[Review]


def product_reviews(product: Product) -> ReviewSummary:
    visible = Review.objects.filter(product=product, is_visible=True)
    figures = visible.aggregate(average=Avg("rating"), count=Count("id"))
    latest = (
        list(visible.order_by("-created_at", "-id")[:REVIEWS_SHOWN]) if figures["count"] else []
    )
    average = round(float(figures["average"]), 1) if figures["average"] is not None else None
    return ReviewSummary(average=average, count=figures["count"], latest=latest)


# Wishlist ------------------------------------------------------------------------------------


def wishlist_products(user: User) -> QuerySet[Product]:
    """The user's saved products that are public now, most recently saved first."""
    saved = WishlistItem.objects.filter(user=user, product=OuterRef("pk")).values("added_at")[:1]
    return (
        product_cards(public_products())
        .annotate(saved_at=Subquery(saved))
        .filter(saved_at__isnull=False)
        .order_by("-saved_at", "-id")
    )
