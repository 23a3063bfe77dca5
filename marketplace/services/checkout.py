"""Checkout: a cart of items from one or more shops becomes one order per shop, under one code.

Everything happens in one transaction: stock, slot places and room-nights are allocated for all
orders at once, or none is made. Prices are read from the database, never from the request.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.campaigns import campaign_clean
from marketplace.models import (
    Checkout,
    CourierRate,
    DeliveryMethod,
    ExperienceSlot,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    ProductKind,
    Shop,
    ShopDelivery,
    User,
    Variant,
    Voucher,
    VoucherKind,
)
from marketplace.money import format_rupiah
from marketplace.outbox import publish
from marketplace.phone import normalize_phone
from marketplace.selectors import public_products
from marketplace.services.delivery import courier_fee, kind_ships
from marketplace.services.orders import order_event_payload
from marketplace.services.stock import allocation_for, stock_allocate

MAX_QUANTITY = 100


# The input field each refusal code concerns: a CheckoutItem field for item refusals, a
# ShopChoice field for shop refusals. Views and the API place the message by it.
REFUSED_FIELD = {
    "product_unavailable": "product",
    "quantity_out_of_range": "quantity",
    "variant_required": "variant",
    "slot_required": "slot",
    "slot_past": "slot",
    "check_in_required": "check_in",
    "check_in_past": "check_in",
    "check_out_after_check_in": "check_out",
    "stay_too_long": "check_out",
    "pickup_unavailable": "delivery",
    "local_delivery_unavailable": "delivery",
    "delivery_unknown": "delivery",
    "delivery_not_shipped": "delivery",
    "courier_rate_missing": "kabupaten",
    "voucher_invalid": "voucher",
    "voucher_used_up": "voucher",
    "voucher_below_minimum": "voucher",
}


class CheckoutRefused(ValidationError):
    """One part of a checkout refused, with a stable `code` (callers place it by `field`, never
    by reading the translated message) and where it is: `item`, the index of the CheckoutItem
    concerned, or `shop`, the slug of the shop whose ShopChoice is refused."""

    def __init__(self, message: str, *, code: str, item: int | None = None, shop: str = ""):
        super().__init__(message, code=code)
        self.item = item
        self.shop = shop

    @property
    def field(self) -> str | None:
        """The CheckoutItem or ShopChoice field this refusal concerns, if it is one field."""
        return REFUSED_FIELD.get(self.code)


@dataclass(frozen=True)
class CheckoutItem:
    product: str  # slug
    quantity: int
    variant: int | None = None
    slot: int | None = None
    check_in: date | None = None
    check_out: date | None = None


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class ShopChoice:
    """The buyer's choices for one shop's order."""

    delivery: str = DeliveryMethod.PICKUP
    kabupaten: str = ""
    address: str = ""
    note: str = ""
    voucher: str = ""


@dataclass
class _Draft:
    shop: Shop
    lines: list[OrderLine] = field(default_factory=list)
    weight_grams: int = 0  # of what is shipped (goods)
    ships: bool = False  # holds goods, so is delivered (services.delivery.kind_ships)


def _order_number() -> str:
    alphabet = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"
    return (
        "PK"
        + timezone.localdate().strftime("%y%m%d")
        + "-"
        + "".join(secrets.choice(alphabet) for _ in range(6))
    )


def contact_clean(contact: Contact) -> Contact:
    errors: dict[str, ValidationError] = {}
    name = contact.name.strip()
    if not name:
        errors["name"] = ValidationError(_("Isi nama pemesan."), code="name_required")
    try:
        phone = normalize_phone(contact.phone)
    except ValidationError as exc:
        errors["phone"] = ValidationError(exc.messages[0], code="phone_invalid")
        phone = ""
    email = contact.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(_("Alamat email tidak valid."), code="email_invalid")
    if errors:
        raise ValidationError(errors)
    return Contact(name=name, phone=phone, email=email)


def _lines_for(items: list[CheckoutItem]) -> dict[int, _Draft]:
    """Check each item against the catalog and price it. Raises ValidationError naming the
    item; availability is checked later, under lock."""
    if not items:
        raise CheckoutRefused(_("Keranjang kosong."), code="cart_empty")
    slugs = {item.product for item in items}
    products = {p.slug: p for p in public_products().select_related("shop").filter(slug__in=slugs)}
    variants = {v.pk: v for v in Variant.objects.filter(product__slug__in=slugs)}
    slots = {s.pk: s for s in ExperienceSlot.objects.filter(product__slug__in=slugs)}
    drafts: dict[int, _Draft] = {}
    today = timezone.localdate()
    for index, item in enumerate(items):
        product = products.get(item.product)
        if product is None:
            raise CheckoutRefused(
                _("Produk “%(slug)s” tidak tersedia.") % {"slug": item.product},
                code="product_unavailable",
                item=index,
            )
        if not 0 < item.quantity <= MAX_QUANTITY:
            raise CheckoutRefused(
                _("Jumlah %(product)s harus 1 sampai %(max)s.")
                % {"product": product.title, "max": MAX_QUANTITY},
                code="quantity_out_of_range",
                item=index,
            )
        line = OrderLine(product=product, quantity=item.quantity)
        if product.kind == ProductKind.GOODS:
            variant = (
                variants.get(item.variant)
                if item.variant
                else next(
                    (
                        v
                        for v in sorted(variants.values(), key=lambda v: (v.position, v.pk))
                        if v.product_id == product.pk
                    ),
                    None,
                )
            )
            if variant is None or variant.product_id != product.pk:
                raise CheckoutRefused(
                    _("Pilih varian %(product)s.") % {"product": product.title},
                    code="variant_required",
                    item=index,
                )
            line.variant, line.unit_price = variant, variant.price
            line.title = f"{product.title} – {variant.name}"
            line.line_total = variant.price * item.quantity
        elif product.kind == ProductKind.EXPERIENCE:
            slot = slots.get(item.slot) if item.slot else None
            if slot is None or slot.product_id != product.pk:
                raise CheckoutRefused(
                    _("Pilih jadwal %(product)s.") % {"product": product.title},
                    code="slot_required",
                    item=index,
                )
            if slot.starts_at <= timezone.now():
                raise CheckoutRefused(
                    _("Jadwal %(product)s sudah lewat.") % {"product": product.title},
                    code="slot_past",
                    item=index,
                )
            line.slot, line.unit_price = slot, product.price
            local = timezone.localtime(slot.starts_at)
            line.title = f"{product.title} – {local:%d-%m-%Y %H:%M}"
            line.line_total = product.price * item.quantity
        else:
            if not item.check_in or not item.check_out or item.check_out <= item.check_in:
                raise CheckoutRefused(
                    _("Pilih tanggal check-in dan check-out %(product)s.")
                    % {"product": product.title},
                    code="check_in_required" if not item.check_in else "check_out_after_check_in",
                    item=index,
                )
            if item.check_in < today:
                raise CheckoutRefused(
                    _("Tanggal check-in sudah lewat."), code="check_in_past", item=index
                )
            if (item.check_out - item.check_in).days > 30:
                raise CheckoutRefused(
                    _("Paling lama 30 malam sekali pesan."), code="stay_too_long", item=index
                )
            nights = (item.check_out - item.check_in).days
            line.check_in, line.check_out = item.check_in, item.check_out
            line.unit_price = product.price
            line.title = (
                f"{product.title} – {item.check_in:%d-%m-%Y} s.d. {item.check_out:%d-%m-%Y}"
            )
            line.line_total = product.price * item.quantity * nights
        draft = drafts.setdefault(product.shop_id, _Draft(shop=product.shop))
        draft.lines.append(line)
        if kind_ships(product.kind):
            draft.ships = True
            draft.weight_grams += product.weight_grams * item.quantity
    return drafts


def delivery_fee(*, shop: Shop, choice: ShopChoice, weight_grams: int, ships: bool = True) -> int:
    """The fee of the chosen delivery. An order that `ships` nothing (experiences and stays
    only) is not delivered: pickup, at no fee, is its one method, whatever the shop offers for
    goods; local delivery and courier are refused."""
    if not ships:
        if choice.delivery == DeliveryMethod.PICKUP:
            return 0
        if choice.delivery in (DeliveryMethod.LOCAL, DeliveryMethod.COURIER):
            raise CheckoutRefused(
                _(
                    "Pesanan dari %(shop)s hanya berisi pengalaman wisata atau penginapan: "
                    "tidak ada yang dikirim, jadi tidak ada kurir atau ongkos kirim."
                )
                % {"shop": shop.name},
                code="delivery_not_shipped",
                shop=shop.slug,
            )
    options = ShopDelivery.objects.filter(shop=shop).first() or ShopDelivery(shop=shop)
    if choice.delivery == DeliveryMethod.PICKUP:
        if not options.offers_pickup:
            raise CheckoutRefused(
                _("%(shop)s tidak melayani ambil sendiri.") % {"shop": shop.name},
                code="pickup_unavailable",
                shop=shop.slug,
            )
        return 0
    if choice.delivery == DeliveryMethod.LOCAL:
        if options.local_delivery_fee is None:
            raise CheckoutRefused(
                _("%(shop)s tidak melayani antar lokal.") % {"shop": shop.name},
                code="local_delivery_unavailable",
                shop=shop.slug,
            )
        return options.local_delivery_fee
    if choice.delivery == DeliveryMethod.COURIER:
        rate = CourierRate.objects.filter(
            shop=shop, destination_kabupaten__iexact=choice.kabupaten.strip()
        ).first()
        if rate is None:
            raise CheckoutRefused(
                _("%(shop)s belum punya tarif kurir ke %(kab)s.")
                % {"shop": shop.name, "kab": choice.kabupaten or "?"},
                code="courier_rate_missing",
                shop=shop.slug,
            )
        return courier_fee(first_kg=rate.first_kg, next_kg=rate.next_kg, weight_grams=weight_grams)
    raise CheckoutRefused(
        _("Cara pengiriman tidak dikenal."), code="delivery_unknown", shop=shop.slug
    )


def _voucher_apply(
    *, shop: Shop, code: str, subtotal: int, lock: bool
) -> tuple[Voucher | None, int]:
    """Check a voucher against a shop's subtotal. Returns (voucher, discount). With `lock` the
    voucher row is held (placing, which then takes one use of its quota); without it the row is
    only read (a quote)."""
    if not code.strip():
        return None, 0
    vouchers = Voucher.objects.select_for_update() if lock else Voucher.objects.all()
    voucher = vouchers.filter(shop=shop, code__iexact=code.strip()).first()
    now = timezone.now()
    if voucher is None or not voucher.valid_from <= now <= voucher.valid_until:
        raise CheckoutRefused(
            _("Voucher %(code)s tidak berlaku.") % {"code": code},
            code="voucher_invalid",
            shop=shop.slug,
        )
    if voucher.used >= voucher.quota:
        raise CheckoutRefused(
            _("Kuota voucher %(code)s sudah habis.") % {"code": code},
            code="voucher_used_up",
            shop=shop.slug,
        )
    if subtotal < voucher.min_purchase:
        raise CheckoutRefused(
            _("Voucher %(code)s berlaku untuk belanja minimal %(min)s.")
            % {"code": code, "min": format_rupiah(voucher.min_purchase)},
            code="voucher_below_minimum",
            shop=shop.slug,
        )
    discount = (
        voucher.value if voucher.kind == VoucherKind.FIXED else subtotal * voucher.value // 100
    )
    return voucher, min(discount, subtotal)


@dataclass(frozen=True)
class ShopQuote:
    """What one shop's order costs: the figures `checkout_place` stores on the order."""

    shop: Shop
    subtotal: int
    delivery_fee: int
    discount: int
    voucher: Voucher | None

    @property
    def total(self) -> int:
        return self.subtotal + self.delivery_fee - self.discount


@dataclass(frozen=True)
class Quote:
    shops: list[ShopQuote]  # by shop id, the order checkout_place makes them in

    @property
    def total(self) -> int:
        return sum(shop.total for shop in self.shops)

    def for_shop(self, slug: str) -> ShopQuote | None:
        return next((shop for shop in self.shops if shop.shop.slug == slug), None)


def _shop_quote(*, draft: _Draft, choice: ShopChoice, lock: bool) -> ShopQuote:
    subtotal = sum(line.line_total for line in draft.lines)
    fee = delivery_fee(
        shop=draft.shop, choice=choice, weight_grams=draft.weight_grams, ships=draft.ships
    )
    voucher, discount = _voucher_apply(
        shop=draft.shop, code=choice.voucher, subtotal=subtotal, lock=lock
    )
    return ShopQuote(
        shop=draft.shop, subtotal=subtotal, delivery_fee=fee, discount=discount, voucher=voucher
    )


def _sorted_drafts(drafts: dict[int, _Draft]) -> list[_Draft]:
    return sorted(drafts.values(), key=lambda d: d.shop.pk)


def checkout_quote(
    *, items: list[CheckoutItem], choices: dict[str, ShopChoice] | None = None
) -> Quote:
    """What `checkout_place` would charge for these items and choices, reserving nothing and
    taking no voucher use: each shop's subtotal, delivery fee and discount, and the total.

    Raises CheckoutRefused as `checkout_place` does for the same input (stock, places and rooms
    are checked only when placing)."""
    choices = choices or {}
    return Quote(
        shops=[
            _shop_quote(draft=draft, choice=choices.get(draft.shop.slug, ShopChoice()), lock=False)
            for draft in _sorted_drafts(_lines_for(items))
        ]
    )


def checkout_place(
    *,
    items: list[CheckoutItem],
    contact: Contact,
    choices: dict[str, ShopChoice] | None = None,
    buyer: User | None = None,
    language: str = "id",
    campaign: str = "",
    campaign_source: str = "",
) -> Checkout:
    """Make one order per shop and reserve everything, or raise and make nothing.

    Raises ValidationError for bad input (CheckoutRefused, with a code and the item or shop it
    concerns; a ValidationError keyed by Contact field for the contact) and NotEnoughStock
    (naming the product) when stock, capacity or rooms are short. `choices` maps shop slug →
    that shop's delivery, note, voucher. `campaign` and `campaign_source` (marketplace.campaigns:
    the campaign that brought the buyer, blank when none) are written on every order.
    """
    contact = contact_clean(contact)
    campaign, campaign_source = campaign_clean(campaign), campaign_clean(campaign_source)
    choices = choices or {}
    drafts = _lines_for(items)
    deadline = timezone.now() + timedelta(minutes=settings.ORDER_PAYMENT_MINUTES)
    with transaction.atomic():
        all_lines = [line for draft in drafts.values() for line in draft.lines]
        titles = {line.product.pk: (line.product.slug, line.product.title) for line in all_lines}
        stock_allocate(allocation_for(all_lines), titles=titles)
        checkout = Checkout.objects.create(
            buyer=buyer if buyer and buyer.is_authenticated else None,
            contact_name=contact.name,
            contact_phone=contact.phone,
            contact_email=contact.email,
            language=language,  # the buyer's mails and their links follow it
        )
        for draft in _sorted_drafts(drafts):
            choice = choices.get(draft.shop.slug, ShopChoice())
            price = _shop_quote(draft=draft, choice=choice, lock=True)
            if price.voucher is not None:
                Voucher.objects.filter(pk=price.voucher.pk).update(used=F("used") + 1)
            order = Order.objects.create(
                checkout=checkout,
                shop=draft.shop,
                number=_order_number(),
                delivery_method=choice.delivery,
                delivery_kabupaten=choice.kabupaten.strip(),
                delivery_address=choice.address.strip(),
                note=choice.note.strip(),
                subtotal=price.subtotal,
                delivery_fee=price.delivery_fee,
                discount=price.discount,
                total=price.total,
                voucher=price.voucher,
                expires_at=deadline,
                campaign=campaign,
                campaign_source=campaign_source if campaign else "",
            )
            for line in draft.lines:
                line.order = order
            OrderLine.objects.bulk_create(draft.lines)
            OrderEvent.objects.create(order=order, to_status=OrderStatus.AWAITING_PAYMENT)
            publish("order.placed", order_event_payload(order, expires_at=deadline.isoformat()))
    return checkout
