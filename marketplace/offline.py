"""Changes a seller made offline and sent when the connection came back (the seller
dashboard's queue, static/js/seller-offline.js → POST /seller/<shop>/sync/).

Each change carries an idempotency key and the version of what the seller saw. It is applied
through the same services as online (same rules, same events) by the applier its kind names
in settings.OFFLINE_CHANGE_APPLIERS (the marketplace's own kinds here; payments adds
payment.confirm, since the marketplace imports nothing of it), or refused with a reason the
seller reads. The change and its outcome are stored in the transaction that applies it, under
the key's unique index: sent twice, even at once, it is applied once and answered alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from marketplace.models import (
    OfflineChange,
    OfflineChangeStatus,
    Order,
    OrderStatus,
    Shop,
    User,
    Variant,
)
from marketplace.services.catalog import stock_set
from marketplace.services.orders import (
    IllegalTransition,
    order_process,
    order_ready_for_pickup,
    order_ship,
)

MAX_CHANGES = 100  # per request: a day offline is a few dozen


class ChangeRefused(Exception):
    """The change cannot be applied as the seller meant it; the message says why."""

    def __init__(self, message: str, code: str, detail: dict | None = None):
        super().__init__(message)
        self.code, self.detail = code, detail or {}


@dataclass(frozen=True)
class Change:
    key: uuid.UUID
    kind: str
    target: str
    version: str = ""
    value: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, data: Any) -> Change:
        if not isinstance(data, dict):
            raise ValidationError(_("Perubahan harus berupa objek JSON."), code="invalid")
        try:
            key = uuid.UUID(str(data.get("key", "")))
        except ValueError as exc:
            raise ValidationError(_("Kunci perubahan tidak sah."), code="invalid_key") from exc
        value = data.get("value") or {}
        if not isinstance(value, dict):
            raise ValidationError(_("Nilai perubahan harus berupa objek."), code="invalid")
        return cls(
            key=key,
            kind=str(data.get("kind", ""))[:30],
            target=str(data.get("target", ""))[:60],
            version=str(data.get("version", ""))[:60],
            value=value,
        )


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str  # applied, refused, duplicate
    message: str
    detail: dict

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "status": self.status,
            "message": self.message,
            "detail": self.detail,
        }


def offline_change_apply(*, shop: Shop, user: User, change: Change) -> Outcome:
    """Apply one queued change, once."""
    known = OfflineChange.objects.filter(key=change.key).first()
    if known is not None:
        return _repeat(known, shop)
    try:
        with transaction.atomic():
            try:
                message, detail = _apply(shop, user, change)
                status = OfflineChangeStatus.APPLIED
            except ChangeRefused as refusal:
                message, detail, status = (
                    str(refusal),
                    {"code": refusal.code, **refusal.detail},
                    (OfflineChangeStatus.REFUSED),
                )
            row = OfflineChange.objects.create(
                key=change.key,
                shop=shop,
                user=user,
                kind=change.kind,
                target=change.target,
                version=change.version,
                value=change.value,
                status=status,
                message=message,
                detail=detail,
            )
    except IntegrityError:
        # The same key sent at the same time: the other request applied it (and rolled back
        # whatever this one did with it).
        return _repeat(OfflineChange.objects.get(key=change.key), shop)
    return Outcome(str(row.key), row.status, row.message, row.detail)


def _repeat(known: OfflineChange, shop: Shop) -> Outcome:
    if known.shop_id != shop.pk:
        return Outcome(str(known.key), "refused", _("Kunci perubahan sudah dipakai."), {})
    return Outcome(
        str(known.key), "duplicate", known.message, {**known.detail, "first": known.status}
    )


def _apply(shop: Shop, user: User, change: Change) -> tuple[str, dict]:
    appliers = getattr(settings, "OFFLINE_CHANGE_APPLIERS", {})
    if change.kind not in appliers:
        raise ChangeRefused(_("Jenis perubahan tidak dikenal."), "unknown_kind")
    return import_string(appliers[change.kind])(shop=shop, user=user, change=change)


# The marketplace's kinds ---------------------------------------------------------------------


def apply_stock_set(*, shop: Shop, user: User, change: Change) -> tuple[str, dict]:
    """ "On hand is now N", whatever was sold meanwhile; refused only below what orders hold."""
    try:
        on_hand = int(change.value.get("on_hand"))
    except (TypeError, ValueError) as exc:
        raise ChangeRefused(_("Stok harus berupa angka."), "invalid") from exc
    variant = Variant.objects.filter(pk=_int(change.target), product__shop=shop).first()
    if variant is None:
        raise ChangeRefused(_("Produk ini tidak ada lagi di toko Anda."), "not_found")
    try:
        variant = stock_set(variant=variant, on_hand=on_hand)
    except ValidationError as exc:
        variant.refresh_from_db()
        raise ChangeRefused(
            " ".join(exc.messages), getattr(exc, "code", None) or "refused", _stock(variant, change)
        ) from exc
    detail = _stock(variant, change)
    message = _("Stok %(title)s sekarang %(on_hand)s.") % {
        "title": variant.product.title,
        "on_hand": variant.on_hand,
    }
    if variant.allocated:
        message += " " + _("%(allocated)s dipesan pembeli, %(free)s bisa dijual.") % {
            "allocated": variant.allocated,
            "free": variant.free,
        }
    return message, detail


def _stock(variant: Variant, change: Change) -> dict:
    seen = _int(change.version)
    return {
        "on_hand": variant.on_hand,
        "allocated": variant.allocated,
        "free": variant.free,
        "seen_on_hand": seen,
    }


ORDER_MARKS = {
    OrderStatus.PROCESSING: lambda order, user, value: order_process(order=order, by=user),
    OrderStatus.SHIPPED: lambda order, user, value: order_ship(
        order=order, by=user, tracking_number=str(value.get("tracking_number", ""))
    ),
    OrderStatus.READY_FOR_PICKUP: lambda order, user, value: order_ready_for_pickup(
        order=order, by=user
    ),
}


def apply_order_mark(*, shop: Shop, user: User, change: Change) -> tuple[str, dict]:
    """Processing, shipped or ready for pickup, as the seller pressed it offline; refused when
    the order moved meanwhile to where that step no longer applies (cancelled, expired)."""
    to = str(change.value.get("status", ""))
    if to not in ORDER_MARKS:
        raise ChangeRefused(_("Status pesanan tidak dikenal."), "invalid")
    order = Order.objects.filter(shop=shop, number=change.target).first()
    if order is None:
        raise ChangeRefused(_("Pesanan ini tidak ada di toko Anda."), "not_found")
    try:
        order = ORDER_MARKS[to](order, user, change.value)
    except IllegalTransition as exc:
        order.refresh_from_db()
        raise ChangeRefused(
            str(exc), exc.code, {"status": order.status, "seen_status": change.version}
        ) from exc
    except ValidationError as exc:
        raise ChangeRefused(" ".join(exc.messages), "invalid") from exc
    return (
        _("Pesanan %(number)s sekarang %(status)s.")
        % {"number": order.number, "status": order.get_status_display()},
        {"status": order.status, "seen_status": change.version},
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
