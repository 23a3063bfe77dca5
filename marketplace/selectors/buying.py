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

from marketplace.cart import CartLine
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
    Review,
    Shop,
    ShopDelivery,
    Variant,
)
from marketplace.selectors import public_products

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


@dataclass
class PricedLine:
    """A cart line with what it costs now. `problem` says why it cannot be ordered ("" if it
    can); `warning` says it may fail at checkout (too little stock or places left)."""

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

    @property
    def available(self) -> bool:
        return not self.problem

    @property
    def key(self) -> str:
        return line_key(self.line)

    @property
    def quantity(self) -> int:
        return self.line.quantity


@dataclass
class ShopGroup:
    shop: Shop
    lines: list[PricedLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def weight_grams(self) -> int:
        # As the checkout service weighs an order: each product's weight times its quantity.
        return sum(line.product.weight_grams * line.quantity for line in self.lines)


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


def cart_priced(lines: list[CartLine]) -> PricedCart:
    """Price cart lines from the catalog (never from the session). Three queries at most:
    products with their shops, the lines' variants, the lines' slots."""
    slugs = {line.product for line in lines}
    products = {
        product.slug: product
        for product in public_products().select_related("shop").filter(slug__in=slugs)
    }
    variants = Variant.objects.in_bulk({line.variant for line in lines if line.variant})
    slots = ExperienceSlot.objects.in_bulk({line.slot for line in lines if line.slot})
    now, today = timezone.now(), timezone.localdate()

    groups: dict[int, ShopGroup] = {}
    unavailable: list[PricedLine] = []
    for line in lines:
        priced = _price(line, products.get(line.product), variants, slots, now=now, today=today)
        if priced.available:
            shop = priced.product.shop
            groups.setdefault(shop.pk, ShopGroup(shop=shop)).lines.append(priced)
        else:
            unavailable.append(priced)
    ordered = sorted(groups.values(), key=lambda group: (group.shop.name.lower(), group.shop.pk))
    return PricedCart(groups=ordered, unavailable=unavailable)


def _price(
    line: CartLine,
    product: Product | None,
    variants: dict[int, Variant],
    slots: dict[int, ExperienceSlot],
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
        if variant.free < line.quantity:
            priced.warning = (
                _("Stok habis.")
                if variant.free == 0
                else _("Stok tinggal %(n)s.") % {"n": variant.free}
            )
    elif product.kind == ProductKind.EXPERIENCE:
        slot = slots.get(line.slot) if line.slot else None
        if slot is None or slot.product_id != product.pk:
            priced.problem = _("Jadwal ini sudah tidak tersedia.")
            return priced
        if slot.starts_at <= now:
            priced.problem = _("Jadwal ini sudah lewat.")
            return priced
        priced.detail = timezone.localtime(slot.starts_at).strftime("%d-%m-%Y %H:%M")
        priced.unit_price = product.price
        priced.unit_label = _("per orang")
        if slot.places_left < line.quantity:
            priced.warning = (
                _("Jadwal ini sudah penuh.")
                if slot.places_left <= 0
                else _("Tempat tinggal %(n)s.") % {"n": slot.places_left}
            )
    else:
        check_in = date.fromisoformat(line.check_in) if line.check_in else None
        check_out = date.fromisoformat(line.check_out) if line.check_out else None
        if not check_in or not check_out or check_out <= check_in:
            priced.problem = _("Tanggal menginap tidak lengkap.")
            return priced
        if check_in < today:
            priced.problem = _("Tanggal check-in sudah lewat.")
            return priced
        priced.nights = (check_out - check_in).days
        priced.detail = _("%(check_in)s s.d. %(check_out)s (%(nights)s malam)") % {
            "check_in": check_in.strftime("%d-%m-%Y"),
            "check_out": check_out.strftime("%d-%m-%Y"),
            "nights": priced.nights,
        }
        priced.unit_price = product.price
        priced.unit_label = _("per kamar per malam")
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

    @property
    def methods(self) -> list[str]:
        methods = []
        if self.pickup:
            methods.append(DeliveryMethod.PICKUP)
        if self.local_fee is not None:
            methods.append(DeliveryMethod.LOCAL)
        if self.courier:
            methods.append(DeliveryMethod.COURIER)
        return methods

    def fee_for(self, method: str, kabupaten: str = "") -> int | None:
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
        options[group.shop.pk] = DeliveryOptions(
            pickup=row.offers_pickup,
            local_fee=row.local_delivery_fee,
            courier=[
                CourierOption(rate.destination_kabupaten, courier_fee(rate, group.weight_grams))
                for rate in rates[group.shop.pk]
            ],
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
