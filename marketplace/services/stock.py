"""Allocating, consuming and releasing stock, slot places and room-nights.

A variant keeps what is on the shelf (`on_hand`, the seller's number) apart from what orders
hold (`allocated`); free to sell is the difference. An experience slot has `capacity` and
`booked`, a stay night `rooms` and `booked`, in the same way. Placing an order allocates;
shipping (or completing) consumes; expiry, cancellation or a refund before the goods left
releases exactly what the order allocated.

Rows are locked in one fixed order (variants, then slots, then nights, each by primary key), so
two checkouts holding the same items in any order queue behind each other instead of deadlocking.
Changes use F() expressions on locked rows, and the database's CHECK constraints refuse anything
below zero even if a bug got this far.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import F
from django.utils.translation import gettext as _

from marketplace.models import ExperienceSlot, OrderLine, StayNight, Variant


class NotEnoughStock(Exception):
    """Too little stock, capacity or rooms for what was asked. The message names the product."""

    def __init__(self, message: str, *, product_slug: str):
        super().__init__(message)
        self.product_slug = product_slug


@dataclass
class Allocation:
    """What a set of order lines takes: quantities keyed by the row that holds them."""

    variants: dict[int, int]
    slots: dict[int, int]
    nights: dict[tuple[int, date, date], int]  # (product id, check-in, check-out) → rooms


def allocation_for(lines: list[OrderLine]) -> Allocation:
    variants: dict[int, int] = defaultdict(int)
    slots: dict[int, int] = defaultdict(int)
    nights: dict[tuple[int, date, date], int] = defaultdict(int)
    for line in lines:
        if line.variant_id:
            variants[line.variant_id] += line.quantity
        elif line.slot_id:
            slots[line.slot_id] += line.quantity
        elif line.check_in:
            nights[(line.product_id, line.check_in, line.check_out)] += line.quantity
    return Allocation(dict(variants), dict(slots), dict(nights))


def _lock(allocation: Allocation) -> tuple[dict[int, Variant], dict[int, ExperienceSlot], dict]:
    """Lock every row the allocation touches, in the one fixed order."""
    variants = {
        v.pk: v
        for v in Variant.objects.select_for_update()
        .filter(pk__in=allocation.variants)
        .order_by("pk")
    }
    slots = {
        s.pk: s
        for s in ExperienceSlot.objects.select_for_update()
        .filter(pk__in=allocation.slots)
        .order_by("pk")
    }
    return variants, slots, _lock_nights(allocation)


def stock_allocate(allocation: Allocation, *, titles: dict[int, tuple[str, str]]) -> None:
    """Take everything in `allocation` or nothing. Call inside a transaction.

    `titles` maps product id → (slug, title) for the message of NotEnoughStock.
    """
    locked_variants, locked_slots, night_rows = _lock(allocation)

    def short(product_id: int, message: str) -> NotEnoughStock:
        slug, title = titles[product_id]
        return NotEnoughStock(message % {"product": title}, product_slug=slug)

    for variant_id, quantity in allocation.variants.items():
        variant = locked_variants[variant_id]
        if variant.on_hand - variant.allocated < quantity:
            raise short(variant.product_id, _("Stok %(product)s tidak cukup."))
    for slot_id, quantity in allocation.slots.items():
        slot = locked_slots[slot_id]
        if slot.capacity - slot.booked < quantity:
            raise short(slot.product_id, _("Tempat untuk %(product)s pada jadwal itu tidak cukup."))
    for (product_id, check_in, check_out), rooms in allocation.nights.items():
        wanted = (check_out - check_in).days
        rows = night_rows[(product_id, check_in, check_out)]
        if len(rows) < wanted or any(row.rooms - row.booked < rooms for row in rows):
            raise short(product_id, _("Kamar %(product)s tidak tersedia untuk tanggal itu."))

    for variant_id, quantity in allocation.variants.items():
        Variant.objects.filter(pk=variant_id).update(allocated=F("allocated") + quantity)
    for slot_id, quantity in allocation.slots.items():
        ExperienceSlot.objects.filter(pk=slot_id).update(booked=F("booked") + quantity)
    for key, rooms in allocation.nights.items():
        ids = [row.pk for row in night_rows[key]]
        StayNight.objects.filter(pk__in=ids).update(booked=F("booked") + rooms)


def stock_release(allocation: Allocation) -> None:
    """Give back exactly what an order allocated (expiry, cancellation, refund before the goods
    left). Call inside a transaction, once per order: the caller guarantees once through
    Order.holds_stock."""
    _variants, _slots, night_rows = _lock(allocation)
    for variant_id, quantity in allocation.variants.items():
        Variant.objects.filter(pk=variant_id).update(allocated=F("allocated") - quantity)
    for slot_id, quantity in allocation.slots.items():
        ExperienceSlot.objects.filter(pk=slot_id).update(booked=F("booked") - quantity)
    for key, rooms in allocation.nights.items():
        ids = [row.pk for row in night_rows[key]]
        StayNight.objects.filter(pk__in=ids).update(booked=F("booked") - rooms)


def stock_consume(allocation: Allocation) -> None:
    """The goods left the shelf: on hand and allocated both drop by what the order held. Slot
    places and room-nights stay taken (the date is used), so they are not touched. Once per
    order, like stock_release."""
    _lock(Allocation(allocation.variants, {}, {}))
    for variant_id, quantity in allocation.variants.items():
        Variant.objects.filter(pk=variant_id).update(
            on_hand=F("on_hand") - quantity, allocated=F("allocated") - quantity
        )


def _lock_nights(allocation: Allocation) -> dict[tuple[int, date, date], list[StayNight]]:
    if not allocation.nights:
        return {}
    product_ids = {product_id for product_id, _, _ in allocation.nights}
    first = min(check_in for _, check_in, _ in allocation.nights)
    last = max(check_out for _, _, check_out in allocation.nights)
    rows = list(
        StayNight.objects.select_for_update()
        .filter(product_id__in=product_ids, night__gte=first, night__lt=last)
        .order_by("pk")
    )
    return {
        (product_id, check_in, check_out): [
            row
            for row in rows
            if row.product_id == product_id and check_in <= row.night < check_out
        ]
        for product_id, check_in, check_out in allocation.nights
    }
