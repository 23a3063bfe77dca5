"""The order's life: an explicit state machine. Every change goes through `order_transition`,
which refuses an illegal move (and changes nothing), records who made it, releases what the
order allocated when it ends before the goods left, consumes it when they leave, and publishes
the event that others react to. `order_revive` is the one way back: money that arrived after
the order expired or was cancelled."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.models import Order, OrderEvent, OrderStatus, User, Voucher
from marketplace.outbox import publish
from marketplace.services.stock import (
    allocation_for,
    stock_allocate,
    stock_consume,
    stock_release,
)

S = OrderStatus
TRANSITIONS: dict[str, set[str]] = {
    S.AWAITING_PAYMENT: {S.PAID, S.CANCELLED, S.EXPIRED},
    S.PAID: {S.PROCESSING, S.CANCELLED, S.REFUNDED},
    S.PROCESSING: {S.SHIPPED, S.READY_FOR_PICKUP, S.CANCELLED, S.REFUNDED},
    S.SHIPPED: {S.COMPLETED, S.REFUNDED},
    S.READY_FOR_PICKUP: {S.COMPLETED, S.REFUNDED},
    S.COMPLETED: {S.REFUNDED},
    S.CANCELLED: set(),
    S.EXPIRED: set(),
    S.REFUNDED: set(),
}
# The event each arrival publishes (DESIGN.md's names; processing has none of its own).
EVENTS: dict[str, str] = {
    S.PAID: "order.paid",
    S.PROCESSING: "order.processing",
    S.SHIPPED: "order.shipped",
    S.READY_FOR_PICKUP: "order.ready_for_pickup",
    S.COMPLETED: "order.completed",
    S.CANCELLED: "order.cancelled",
    S.EXPIRED: "order.expired",
    S.REFUNDED: "order.refunded",
}
# Ending in one of these while the order still holds its allocation releases it; arriving in
# one of CONSUMES_STOCK first means the goods left the shelf.
RELEASES_STOCK = {S.CANCELLED, S.EXPIRED, S.REFUNDED}
CONSUMES_STOCK = {S.SHIPPED, S.COMPLETED}


class IllegalTransition(Exception):
    code = "illegal_transition"

    def __init__(self, order: Order, to: str):
        super().__init__(
            _("Pesanan %(number)s berstatus %(status)s tidak dapat menjadi %(to)s.")
            % {
                "number": order.number,
                "status": order.get_status_display(),
                "to": OrderStatus(to).label,
            }
        )
        self.order, self.to = order, to


def order_event_payload(order: Order, **extra) -> dict:
    return {
        "order_id": order.pk,
        "number": order.number,
        "checkout_code": order.checkout.code,
        "shop_id": order.shop_id,
        "status": order.status,
        "total": order.total,
        **extra,
    }


@transaction.atomic
def order_transition(
    *,
    order: Order,
    to: str,
    by: User | None = None,
    note: str = "",
    tracking_number: str | None = None,
) -> Order:
    """Move an order to `to`, or raise IllegalTransition and change nothing."""
    order = Order.objects.select_for_update().select_related("checkout").get(pk=order.pk)
    if to not in TRANSITIONS[order.status]:
        raise IllegalTransition(order, to)
    previous = order.status
    changed = ["status", "updated_at"]
    order.status = to
    if tracking_number is not None:
        order.tracking_number = tracking_number
        changed.append("tracking_number")
    if order.holds_stock and to in RELEASES_STOCK | CONSUMES_STOCK:
        allocation = allocation_for(list(order.lines.all()))
        if to in CONSUMES_STOCK:
            stock_consume(allocation)
        else:
            stock_release(allocation)
            if order.voucher_id:
                Voucher.objects.filter(pk=order.voucher_id).update(used=F("used") - 1)
        order.holds_stock = False
        changed.append("holds_stock")
    if note:
        order.status_reason = note
        changed.append("status_reason")
    order.save(update_fields=changed)
    OrderEvent.objects.create(order=order, from_status=previous, to_status=to, by=by, note=note)
    publish(EVENTS[to], order_event_payload(order, previous=previous, note=note))
    return order


@transaction.atomic
def order_revive(*, order: Order, note: str = "", by: User | None = None) -> Order:
    """Money arrived for an order that had expired or been cancelled (and so released what it
    held): allocate its lines again and make it paid. Raises NotEnoughStock, changing nothing,
    when the stock, places or rooms are gone; IllegalTransition for any other status."""
    order = Order.objects.select_for_update().select_related("checkout").get(pk=order.pk)
    if order.status not in {S.EXPIRED, S.CANCELLED} or order.holds_stock:
        raise IllegalTransition(order, S.PAID)
    lines = list(order.lines.select_related("product"))
    titles = {line.product_id: (line.product.slug, line.product.title) for line in lines}
    stock_allocate(allocation_for(lines), titles=titles)
    previous = order.status
    order.status = S.PAID
    order.holds_stock = True
    changed = ["status", "holds_stock", "updated_at"]
    if note:
        order.status_reason = note
        changed.append("status_reason")
    order.save(update_fields=changed)
    OrderEvent.objects.create(order=order, from_status=previous, to_status=S.PAID, by=by, note=note)
    publish(EVENTS[S.PAID], order_event_payload(order, previous=previous, note=note, revived=True))
    return order


def order_mark_paid(*, order: Order, by: User | None = None, note: str = "") -> Order:
    return order_transition(order=order, to=S.PAID, by=by, note=note)


def order_process(*, order: Order, by: User) -> Order:
    return order_transition(order=order, to=S.PROCESSING, by=by)


def order_ship(*, order: Order, by: User, tracking_number: str) -> Order:
    if not tracking_number.strip():
        raise ValidationError(_("Isi nomor resi pengiriman."))
    return order_transition(
        order=order, to=S.SHIPPED, by=by, tracking_number=tracking_number.strip()
    )


def order_ready_for_pickup(*, order: Order, by: User) -> Order:
    return order_transition(order=order, to=S.READY_FOR_PICKUP, by=by)


def order_complete(*, order: Order, by: User | None) -> Order:
    return order_transition(order=order, to=S.COMPLETED, by=by)


def order_cancel(*, order: Order, by: User | None, reason: str) -> Order:
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan pembatalan untuk pembeli."))
    return order_transition(order=order, to=S.CANCELLED, by=by, note=reason.strip())


def order_expire(*, order: Order) -> bool:
    """Expire one unpaid order past its deadline. False if it was paid or ended meanwhile."""
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.status != S.AWAITING_PAYMENT or locked.expires_at > timezone.now():
                return False
            order_transition(order=locked, to=S.EXPIRED, note=_("Tidak dibayar tepat waktu."))
            return True
    except IllegalTransition:
        return False


def orders_expire_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Expire every unpaid order whose deadline passed; each in its own transaction."""
    now = now or timezone.now()
    due = Order.objects.filter(status=S.AWAITING_PAYMENT, expires_at__lte=now).order_by(
        "expires_at"
    )[:limit]
    return sum(order_expire(order=order) for order in due)
