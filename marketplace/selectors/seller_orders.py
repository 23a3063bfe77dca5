"""Queries for the seller's orders, delivery options and vouchers (/seller/<shop>/...).

As in `selectors.seller`, every query starts from a shop that `marketplace.access` already
checked; an order number or an id named in a URL is looked up inside that shop, so another
shop's order answers 404. Each function runs a fixed number of queries whatever the number of
rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from marketplace.models import (
    CourierRate,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Shop,
    ShopDelivery,
    Voucher,
)
from marketplace.services.orders import TRANSITIONS

ORDERS_PER_PAGE = 25
S = OrderStatus


def shop_orders(
    shop: Shop,
    *,
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Order]:
    """The shop's orders for the list page, newest first, with the buyer's checkout. Dates are
    days in the site's time zone, both ends included."""
    orders = (
        Order.objects.filter(shop=shop).select_related("checkout").order_by("-created_at", "-pk")
    )
    if status:
        orders = orders.filter(status=status)
    if date_from:
        orders = orders.filter(created_at__date__gte=date_from)
    if date_to:
        orders = orders.filter(created_at__date__lte=date_to)
    return orders


@dataclass(frozen=True)
class OrderCounts:
    """What waits for the seller: orders awaiting the buyer's payment, paid orders to process,
    processing orders to hand over."""

    awaiting_payment: int
    paid: int
    processing: int


def shop_order_counts(shop: Shop) -> OrderCounts:
    counts = Order.objects.filter(
        shop=shop, status__in=[S.AWAITING_PAYMENT, S.PAID, S.PROCESSING]
    ).aggregate(
        awaiting_payment=Count("pk", filter=Q(status=S.AWAITING_PAYMENT)),
        paid=Count("pk", filter=Q(status=S.PAID)),
        processing=Count("pk", filter=Q(status=S.PROCESSING)),
    )
    return OrderCounts(**counts)


@dataclass(frozen=True)
class PaymentCounts:
    """Payments waiting for the seller: transfers and QRIS payments only the seller can confirm
    (the money lands in their own account), and payments flagged for review."""

    transfer: int
    qris: int
    attention: int


def shop_payment_counts(shop: Shop) -> PaymentCounts | None:
    """Counted by the payments app, which the marketplace does not import: the reader is named
    in settings.SHOP_PAYMENTS_TO_CONFIRM_READER (None when no payments app is configured).
    One query."""
    path = getattr(settings, "SHOP_PAYMENTS_TO_CONFIRM_READER", "")
    if not path:
        return None
    counts = import_string(path)(shop.pk)
    return PaymentCounts(
        transfer=counts.get("transfer", 0),
        qris=counts.get("qris", 0),
        attention=counts.get("attention", 0),
    )


def shop_order(shop: Shop, number: str) -> Order:
    """One order of this shop by its number, or 404 (another shop's number too): with its
    checkout, voucher, lines and history (each event with who made it). Three queries."""
    return get_object_or_404(
        Order.objects.filter(shop=shop)
        .select_related("checkout", "voucher", "shop", "shop__kecamatan", "shop__desa")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("id"), to_attr="line_list"),
            Prefetch(
                "history",
                queryset=OrderEvent.objects.select_related("by").order_by("at", "id"),
                to_attr="event_list",
            ),
        ),
        number=number,
    )


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    status: str
    label: str
    who: str
    note: str


def order_history(order: Order) -> list[HistoryRow]:
    """The order's events (from `shop_order`'s prefetch, no query) with status labels and who
    made each: a person's name or email, "Pembeli" for the order being placed, "Sistem" for
    what happened by itself (expiry, a payment provider's notification)."""
    rows = []
    for event in order.event_list:
        if event.by is not None:
            who = event.by.get_full_name() or event.by.email
        elif not event.from_status:
            who = _("Pembeli")
        else:
            who = _("Sistem")
        label = (
            OrderStatus(event.to_status).label
            if event.to_status in OrderStatus.values
            else event.to_status
        )
        rows.append(HistoryRow(event.at, event.to_status, str(label), who, event.note))
    return rows


def shop_order_for_update(shop: Shop, number: str) -> Order:
    """The order an action works on: this shop's, or 404. The service locks it."""
    return get_object_or_404(Order.objects.filter(shop=shop), number=number)


# What a seller may do next, by the state machine ---------------------------------------------

# Seller actions in the order the page shows them: (action, the status it leads to).
SELLER_ACTIONS: list[tuple[str, str]] = [
    ("process", S.PROCESSING),
    ("ship", S.SHIPPED),
    ("ready", S.READY_FOR_PICKUP),
    ("complete", S.COMPLETED),
    ("cancel", S.CANCELLED),
]


def allowed_actions(order: Order) -> list[str]:
    """The seller's actions that `services.orders.TRANSITIONS` allows from the order's status."""
    legal = TRANSITIONS.get(order.status, set())
    return [action for action, to in SELLER_ACTIONS if to in legal]


# Delivery and vouchers ----------------------------------------------------------------------


def shop_delivery(shop: Shop) -> ShopDelivery:
    """The shop's options; an unsaved default (pickup only, as checkout reads it) if none."""
    return ShopDelivery.objects.filter(shop=shop).first() or ShopDelivery(shop=shop)


def shop_courier_rates(shop: Shop) -> list[CourierRate]:
    return list(CourierRate.objects.filter(shop=shop).order_by("destination_kabupaten", "pk"))


def shop_courier_rate(shop: Shop, pk: int) -> CourierRate:
    return get_object_or_404(CourierRate.objects.filter(shop=shop), pk=pk)


@dataclass(frozen=True)
class VoucherRow:
    voucher: Voucher
    state: str  # active, scheduled, ended, used_up
    label: str


def voucher_state(voucher: Voucher, now: datetime) -> tuple[str, str]:
    """Whether checkout would take the voucher now, and why not (as `_voucher_apply` judges)."""
    if voucher.valid_until < now:
        return "ended", _("Berakhir")
    if voucher.used >= voucher.quota:
        return "used_up", _("Kuota habis")
    if voucher.valid_from > now:
        return "scheduled", _("Belum mulai")
    return "active", _("Berlaku")


def shop_vouchers(shop: Shop) -> list[VoucherRow]:
    """The shop's vouchers, those ending last first, each with its state now. One query."""
    now = timezone.now()
    return [
        VoucherRow(voucher, *voucher_state(voucher, now))
        for voucher in Voucher.objects.filter(shop=shop).order_by("-valid_until", "code", "pk")
    ]


def shop_voucher(shop: Shop, pk: int) -> Voucher:
    return get_object_or_404(Voucher.objects.filter(shop=shop), pk=pk)
