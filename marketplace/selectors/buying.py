"""Queries for the buyer's pages: the cart priced from the database, each shop's delivery
options, and a checkout with its orders (found by its unguessable code).

Every function here runs a fixed number of queries, whatever the number of lines: related rows
come with `select_related`, lists with `prefetch_related` or one `__in` query.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.images import get_image_model

from marketplace.cart import (
    CartLine,
    Shortage,
    goods_shortage,
    shortage_note,
    slot_shortage,
    stay_nights,
    stay_shortage,
)
from marketplace.dates import moment_text, stay_text
from marketplace.models import (
    Checkout,
    CourierRate,
    DeliveryMethod,
    ExperienceSlot,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    ProductKind,
    ProductPhoto,
    Review,
    Shop,
    ShopDelivery,
    StayNight,
    Variant,
)
from marketplace.selectors import public_products
from marketplace.services.delivery import kind_ships, order_ships

# Cart ----------------------------------------------------------------------------------------


def line_key(line: CartLine) -> str:
    """A cart line's identity as one form value: `slug|variant|slot|check-in|check-out`."""
    return "|".join("" if part is None else str(part) for part in line.key)


def parse_line_key(raw: str) -> tuple | None:
    """The tuple `CartLine.key` from `line_key`'s text, or None when it is not one."""
    parts = (raw or "").split("|")
    if len(parts) != 5 or not parts[0]:
        return None
    slug, variant, slot, check_in, check_out = parts
    try:
        return (
            slug,
            int(variant) if variant else None,
            int(slot) if slot else None,
            date.fromisoformat(check_in).isoformat() if check_in else None,
            date.fromisoformat(check_out).isoformat() if check_out else None,
        )
    except ValueError:
        return None


# A cart line's photo: a small square, drawn at 64 CSS px from a 128 px rendition (sharp on a
# phone's 2x screen). The cart page prefetches exactly this rendition.
CART_PHOTO_SPEC = "fill-128x128|format-webp"
CART_PHOTO_SIZE = 64


@dataclass
class PricedLine:
    """A cart line with what it costs now. `problem` says why it cannot be ordered ("" if it
    can: a withdrawn product, a past slot, nothing left of what it asks); `warning` says it may
    fail at checkout (fewer pieces, places or rooms left than it asks). Both name the night or
    slot concerned; `shortage` is the availability verdict behind them, with its code."""

    line: CartLine
    product: Product | None
    title: str
    detail: str = ""
    unit_price: int = 0
    unit_label: str = ""
    nights: int = 1
    line_total: int = 0
    problem: str = ""
    warning: str = ""
    shortage: Shortage | None = None

    @property
    def available(self) -> bool:
        return not self.problem

    @property
    def photo(self) -> ProductPhoto | None:
        """The product's first photo, with its cart rendition prefetched (None without one)."""
        photos = getattr(self.product, "cart_photos", None) or []
        return photos[0] if photos else None

    @property
    def key(self) -> str:
        return line_key(self.line)

    @property
    def quantity(self) -> int:
        return self.line.quantity

    @property
    def check_in_date(self) -> date | None:
        """A stay's check-in day, shown with the stay's check-in time at checkout."""
        return date.fromisoformat(self.line.check_in) if self.line.check_in else None


@dataclass
class ShopGroup:
    shop: Shop
    lines: list[PricedLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def weight_grams(self) -> int:
        # As the checkout service weighs an order: each shipped product's weight times its
        # quantity (experiences and stays are not shipped).
        return sum(
            line.product.weight_grams * line.quantity
            for line in self.lines
            if kind_ships(line.product.kind)
        )

    @property
    def ships(self) -> bool:
        """Does this shop's order hold goods to deliver (services.delivery.order_ships)?"""
        return order_ships(line.product.kind for line in self.lines)


@dataclass
class PricedCart:
    groups: list[ShopGroup]  # available lines, by shop name
    unavailable: list[PricedLine]

    @property
    def total(self) -> int:
        return sum(group.subtotal for group in self.groups)

    @property
    def lines(self) -> list[PricedLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def __bool__(self) -> bool:
        return bool(self.groups or self.unavailable)


def _cart_photos() -> Prefetch:
    """Each product's first photo as `cart_photos` (a list of zero or one), with its image and
    that image's cart rendition: two queries for any number of lines."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=CART_PHOTO_SPEC)
    photos = (
        ProductPhoto.objects.select_related("image")
        .prefetch_related(Prefetch("image__renditions", queryset=renditions))
        .order_by("position", "id")
    )
    return Prefetch("photos", queryset=photos[:1], to_attr="cart_photos")


def cart_priced(lines: list[CartLine]) -> PricedCart:
    """Price cart lines from the catalog (never from the session) and check what is still free.
    Six queries at most: products with their shops, their first photos, those photos'
    renditions, the lines' variants, the lines' slots, the stays' nights."""
    slugs = {line.product for line in lines}
    products = {
        product.slug: product
        for product in public_products()
        .select_related("shop")
        .prefetch_related(_cart_photos())
        .filter(slug__in=slugs)
    }
    variants = Variant.objects.in_bulk({line.variant for line in lines if line.variant})
    slots = ExperienceSlot.objects.in_bulk({line.slot for line in lines if line.slot})
    now, today = timezone.now(), timezone.localdate()
    nights = _nights_for(lines, products)

    groups: dict[int, ShopGroup] = {}
    unavailable: list[PricedLine] = []
    for line in lines:
        product = products.get(line.product)
        priced = _price(
            line,
            product,
            variants,
            slots,
            nights.get(product.pk, {}) if product else {},
            now=now,
            today=today,
        )
        if priced.available:
            shop = priced.product.shop
            groups.setdefault(shop.pk, ShopGroup(shop=shop)).lines.append(priced)
        else:
            unavailable.append(priced)
    ordered = sorted(groups.values(), key=lambda group: (group.shop.name.lower(), group.shop.pk))
    return PricedCart(groups=ordered, unavailable=unavailable)


def _stay_dates(line: CartLine) -> tuple[date, date] | None:
    if not line.check_in or not line.check_out:
        return None
    check_in, check_out = date.fromisoformat(line.check_in), date.fromisoformat(line.check_out)
    return (check_in, check_out) if check_in < check_out else None


def _nights_for(lines: list[CartLine], products: dict[str, Product]) -> dict:
    """The StayNight rows the cart's stays ask for, as `cart.stay_nights` gives them. One query
    (none without a stay)."""
    stays = [
        (products[line.product].pk, dates)
        for line in lines
        if line.product in products
        and products[line.product].kind == ProductKind.STAY
        and (dates := _stay_dates(line))
    ]
    if not stays:
        return {}
    first = min(check_in for _pk, (check_in, _out) in stays)
    last = max(check_out for _pk, (_in, check_out) in stays)
    return stay_nights({pk for pk, _dates in stays}, first, last)


def _flag(priced: PricedLine, shortage: Shortage | None) -> None:
    """Nothing left: the line cannot be ordered (a problem); less than asked: a warning."""
    if shortage is None:
        return
    priced.shortage = shortage
    if shortage.blocking:
        priced.problem = shortage_note(shortage)
    else:
        priced.warning = shortage_note(shortage)


def _price(
    line: CartLine,
    product: Product | None,
    variants: dict[int, Variant],
    slots: dict[int, ExperienceSlot],
    nights: dict[date, StayNight],
    *,
    now: datetime,
    today: date,
) -> PricedLine:
    if product is None:
        return PricedLine(line, None, line.product, problem=_("Produk ini sudah tidak dijual."))
    priced = PricedLine(line, product, product.title)
    if product.kind == ProductKind.GOODS:
        variant = variants.get(line.variant) if line.variant else None
        if variant is None or variant.product_id != product.pk:
            priced.problem = _("Varian ini sudah tidak tersedia.")
            return priced
        priced.detail = variant.name
        priced.unit_price = variant.price
        priced.unit_label = _("per barang")
        _flag(priced, goods_shortage(variant, line.quantity))
    elif product.kind == ProductKind.EXPERIENCE:
        slot = slots.get(line.slot) if line.slot else None
        if slot is None or slot.product_id != product.pk:
            priced.problem = _("Jadwal ini sudah tidak tersedia.")
            return priced
        priced.detail = moment_text(slot.starts_at)
        if slot.starts_at <= now:
            priced.problem = _("Jadwal ini sudah lewat.")
            return priced
        priced.unit_price = product.price
        priced.unit_label = _("per orang")
        _flag(priced, slot_shortage(slot, line.quantity))
    else:
        dates = _stay_dates(line)
        if dates is None:
            priced.problem = _("Tanggal menginap tidak lengkap.")
            return priced
        check_in, check_out = dates
        priced.nights = (check_out - check_in).days
        priced.detail = ngettext(
            "%(dates)s (%(nights)s malam)", "%(dates)s (%(nights)s malam)", priced.nights
        ) % {"dates": stay_text(check_in, check_out), "nights": priced.nights}
        if check_in < today:
            priced.problem = _("Tanggal check-in sudah lewat.")
            return priced
        priced.unit_price = product.price
        priced.unit_label = _("per kamar per malam")
        _flag(priced, stay_shortage(nights, check_in, check_out, line.quantity))
    if priced.available:
        priced.line_total = priced.unit_price * line.quantity * priced.nights
    return priced


# Delivery ------------------------------------------------------------------------------------


@dataclass
class CourierOption:
    kabupaten: str
    fee: int  # for this order's weight


@dataclass
class DeliveryOptions:
    """What one shop offers, as `services.checkout.delivery_fee` reads it (a shop without a
    ShopDelivery row offers pickup only)."""

    pickup: bool
    local_fee: int | None
    courier: list[CourierOption]
    # False for an order of experiences and stays only: nothing is delivered, and pickup (the
    # buyer comes) is the one method, at no fee, as the checkout service prices it.
    ships: bool = True

    @property
    def methods(self) -> list[str]:
        if not self.ships:
            return [DeliveryMethod.PICKUP]
        methods = []
        if self.pickup:
            methods.append(DeliveryMethod.PICKUP)
        if self.local_fee is not None:
            methods.append(DeliveryMethod.LOCAL)
        if self.courier:
            methods.append(DeliveryMethod.COURIER)
        return methods

    def fee_for(self, method: str, kabupaten: str = "") -> int | None:
        if not self.ships:
            return 0 if method == DeliveryMethod.PICKUP else None
        if method == DeliveryMethod.PICKUP and self.pickup:
            return 0
        if method == DeliveryMethod.LOCAL:
            return self.local_fee
        if method == DeliveryMethod.COURIER:
            wanted = kabupaten.strip().lower()
            return next((c.fee for c in self.courier if c.kabupaten.lower() == wanted), None)
        return None


def courier_fee(rate: CourierRate, weight_grams: int) -> int:
    """The same sum `services.checkout.delivery_fee` makes: the first kilogram, then each
    further started kilogram. The service's figure is the one charged."""
    kilograms = max(1, math.ceil(weight_grams / 1000))
    return rate.first_kg + rate.next_kg * (kilograms - 1)


def delivery_options(groups: list[ShopGroup]) -> dict[int, DeliveryOptions]:
    """Each shop's options, keyed by shop id. Two queries for any number of shops."""
    shop_ids = [group.shop.pk for group in groups]
    settings = {row.shop_id: row for row in ShopDelivery.objects.filter(shop_id__in=shop_ids)}
    rates: dict[int, list[CourierRate]] = defaultdict(list)
    for rate in CourierRate.objects.filter(shop_id__in=shop_ids).order_by("destination_kabupaten"):
        rates[rate.shop_id].append(rate)
    options = {}
    for group in groups:
        row = settings.get(group.shop.pk) or ShopDelivery(shop=group.shop)
        ships = group.ships
        options[group.shop.pk] = DeliveryOptions(
            pickup=row.offers_pickup,
            local_fee=row.local_delivery_fee if ships else None,
            courier=[
                CourierOption(rate.destination_kabupaten, courier_fee(rate, group.weight_grams))
                for rate in rates[group.shop.pk]
            ]
            if ships
            else [],
            ships=ships,
        )
    return options


# Orders --------------------------------------------------------------------------------------


def _orders() -> Prefetch:
    return Prefetch(
        "orders",
        queryset=Order.objects.select_related("shop")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")))
        .order_by("id"),
        to_attr="order_list",
    )


def checkout_by_code(code: str) -> Checkout:
    """The checkout with `order_list` (each order with its shop and `lines`), or
    Checkout.DoesNotExist. Three queries."""
    return Checkout.objects.prefetch_related(_orders()).get(code=code)


def order_by_number(code: str, number: str) -> Order:
    """One order of a checkout, with its checkout, shop and lines, or Order.DoesNotExist."""
    return (
        Order.objects.select_related("checkout", "shop", "shop__kecamatan", "voucher")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")))
        .get(checkout__code=code, number=number)
    )


def review_author_name(name: str) -> str:
    """The name a review is written under (Review.author_name holds 80 characters)."""
    return (name or "").strip()[: Review._meta.get_field("author_name").max_length]


def reviewed_products(checkout: Checkout, orders: list[Order]) -> dict[int, set[int]]:
    """Order id → ids of the products already reviewed for that order. One query."""
    if not orders:
        return {}
    found: dict[int, set[int]] = {order.pk: set() for order in orders}
    for order_id, product_id in Review.objects.filter(order__in=orders).values_list(
        "order_id", "product_id"
    ):
        found[order_id].add(product_id)
    return found


@dataclass
class OrderView:
    order: Order
    lines: list[OrderLine]
    to_review: list[OrderLine]  # one line per product not yet reviewed (completed orders)

    @property
    def awaiting_payment(self) -> bool:
        return self.order.status == OrderStatus.AWAITING_PAYMENT


@dataclass
class CheckoutView:
    checkout: Checkout
    orders: list[OrderView]

    @property
    def awaiting_payment(self) -> bool:
        return any(view.awaiting_payment for view in self.orders)

    @property
    def total(self) -> int:
        return sum(view.order.total for view in self.orders)

    @property
    def statuses(self) -> dict[str, str]:
        return {view.order.number: view.order.status for view in self.orders}


def checkout_page(code: str) -> CheckoutView:
    """What /orders/<code>/ shows, or Checkout.DoesNotExist. Four queries at most."""
    checkout = checkout_by_code(code)
    completed = [o for o in checkout.order_list if o.status == OrderStatus.COMPLETED]
    reviewed = reviewed_products(checkout, completed)
    views = []
    for order in checkout.order_list:
        lines = list(order.lines.all())
        to_review: list[OrderLine] = []
        if order.status == OrderStatus.COMPLETED:
            seen = set(reviewed.get(order.pk, ()))
            for line in lines:
                if line.product_id not in seen:
                    seen.add(line.product_id)
                    to_review.append(line)
        views.append(OrderView(order=order, lines=lines, to_review=to_review))
    return CheckoutView(checkout=checkout, orders=views)
