"""Experience slots in bulk: a repeating schedule (chosen weekdays, at given times, for some
weeks, with one capacity) made in one go, and one day's slots changed or closed at once.

The single-slot rules of `services.catalog` (`slot_add`, `slot_set_capacity`) hold here too:
only experiences have slots, a slot starts in the future, one slot per product and start
(the `slot_once` constraint), capacity never below what is booked (`slot_not_overbooked`), and
a public product announces the change. Refusals are `ScheduleRefused` with a code:
not_experience, no_weekday, no_time, bad_time, bad_weeks, too_many_weeks, start_in_past,
start_too_far, no_capacity, below_booked, no_slots.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from marketplace import events
from marketplace.models import ExperienceSlot, OrderLine, Product, ProductKind, ProductStatus

MAX_WEEKS = 26  # half a year: a longer schedule is more likely a typo than a plan
MAX_TIMES = 12
MAX_CAPACITY = 10_000  # as the single-slot form allows
MAX_DAYS_AHEAD = 730  # a start further on is a typo (and 9999-12-31 would overflow the dates)


class ScheduleRefused(ValidationError):
    """A schedule or day change the service will not make; `code` says which rule refused it and
    `field` which input it concerns (a form field name, or None for the whole form)."""

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message, code=code)
        self.field = field


@dataclass(frozen=True)
class ScheduleResult:
    made: int  # new slots
    skipped: int  # times that already had a slot
    past: int  # times earlier today, already gone
    first: datetime | None  # the first new slot, for the week the page then shows


@dataclass(frozen=True)
class DayResult:
    changed: int  # slots whose capacity was set
    removed: int  # slots without bookings taken away (closing)


def _announce_change(product: Product) -> None:
    # As services.catalog does for one slot: search and caches must hear of a public change.
    if product.status == ProductStatus.ACTIVE:
        events.product_event(events.PRODUCT_CHANGED, product)


def _refuse_unless_experience(product: Product) -> None:
    if product.kind != ProductKind.EXPERIENCE:
        raise ScheduleRefused(_("Jadwal hanya untuk pengalaman wisata."), code="not_experience")


def _refuse_bad_capacity(capacity: int) -> None:
    if capacity < 1:
        raise ScheduleRefused(
            _("Kapasitas paling sedikit 1 orang."), code="no_capacity", field="capacity"
        )
    if capacity > MAX_CAPACITY:
        raise ScheduleRefused(
            _("Kapasitas paling banyak %(n)s orang.") % {"n": MAX_CAPACITY},
            code="no_capacity",
            field="capacity",
        )


_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def times_parse(text: str) -> list[time]:
    """Start times as sellers write them, "09:00, 14.30" (comma, semicolon or space between),
    in order and without repeats. A time that is not HH:MM or HH.MM is refused (bad_time)."""
    found: set[time] = set()
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        match = _TIME.match(part)
        if not match:
            raise ScheduleRefused(
                _("Jam %(value)s tidak dikenali. Tulis seperti 09:00 atau 14.30.")
                % {"value": part},
                code="bad_time",
                field="times",
            )
        found.add(time(int(match[1]), int(match[2])))
    return sorted(found)


@transaction.atomic
def slot_schedule_add(
    *,
    product: Product,
    start: date,
    weeks: int,
    weekdays: Collection[int],
    times: Sequence[time],
    capacity: int,
) -> ScheduleResult:
    """Slots on each of `weekdays` (0 Monday … 6 Sunday) at each of `times` (the site's time
    zone), over `weeks` weeks from `start`, each for `capacity` people: all made in one
    transaction. A time that already has a slot is skipped (and counted), never changed; times
    earlier today are left out."""
    _refuse_unless_experience(product)
    days = sorted(set(weekdays))
    if not days:
        raise ScheduleRefused(_("Pilih setidaknya satu hari."), code="no_weekday", field="weekdays")
    if any(day not in range(7) for day in days):
        raise ScheduleRefused(_("Hari tidak dikenali."), code="no_weekday", field="weekdays")
    if not times:
        raise ScheduleRefused(
            _("Tuliskan setidaknya satu jam mulai."), code="no_time", field="times"
        )
    if len(set(times)) > MAX_TIMES:
        raise ScheduleRefused(
            _("Paling banyak %(n)s jam sehari.") % {"n": MAX_TIMES}, code="bad_time", field="times"
        )
    if weeks < 1:
        raise ScheduleRefused(_("Paling sedikit 1 minggu."), code="bad_weeks", field="weeks")
    if weeks > MAX_WEEKS:
        raise ScheduleRefused(
            _("Paling banyak %(n)s minggu sekaligus.") % {"n": MAX_WEEKS},
            code="too_many_weeks",
            field="weeks",
        )
    if start < timezone.localdate():
        raise ScheduleRefused(
            _("Tanggal mulai tidak boleh sebelum hari ini."), code="start_in_past", field="start"
        )
    if start > timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD):
        raise ScheduleRefused(
            _("Tanggal mulai paling jauh dua tahun dari sekarang."),
            code="start_too_far",
            field="start",
        )
    _refuse_bad_capacity(capacity)

    now = timezone.now()
    wanted: list[datetime] = []
    past = 0
    for offset in range(weeks * 7):
        day = start + timedelta(days=offset)
        if day.weekday() not in days:
            continue
        for at in sorted(set(times)):
            starts_at = timezone.make_aware(datetime.combine(day, at))
            if starts_at <= now:
                past += 1
            else:
                wanted.append(starts_at)

    # One schedule at a time per product, so that what exists is still true when we insert.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    existing = (
        set(
            ExperienceSlot.objects.filter(
                product=product, starts_at__range=(wanted[0], wanted[-1])
            ).values_list("starts_at", flat=True)
        )
        if wanted
        else set()
    )
    new = [
        ExperienceSlot(product=product, starts_at=at, capacity=capacity)
        for at in wanted
        if at not in existing
    ]
    # ignore_conflicts: a single slot added meanwhile (slot_add takes no product lock) is
    # skipped by the slot_once constraint instead of failing the whole schedule.
    ExperienceSlot.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    if new:
        _announce_change(product)
    return ScheduleResult(
        made=len(new),
        skipped=len(wanted) - len(new),
        past=past,
        first=new[0].starts_at if new else None,
    )


def _day_slots(product: Product, day: date) -> list[ExperienceSlot]:
    """The day's slots still to come (site time zone), locked in primary-key order."""
    begins = timezone.make_aware(datetime.combine(day, time.min))
    ends = begins + timedelta(days=1)
    return list(
        ExperienceSlot.objects.select_for_update()
        .filter(product=product, starts_at__gte=max(begins, timezone.now()), starts_at__lt=ends)
        .order_by("pk")
    )


def _refuse_no_slots(slots: list[ExperienceSlot], day: date) -> None:
    if not slots:
        raise ScheduleRefused(
            _("Tidak ada jadwal mendatang pada %(day)s.")
            % {"day": formats.date_format(day, "DATE_FORMAT")},
            code="no_slots",
        )


@transaction.atomic
def slot_day_set_capacity(*, product: Product, day: date, capacity: int) -> DayResult:
    """Every slot still to come on `day` gets `capacity`. All or nothing: a slot with more
    people booked than that refuses the change (below_booked), as `slot_set_capacity` does."""
    _refuse_unless_experience(product)
    _refuse_bad_capacity(capacity)
    slots = _day_slots(product, day)
    _refuse_no_slots(slots, day)
    fullest = max(slots, key=lambda slot: slot.booked)
    if fullest.booked > capacity:
        raise ScheduleRefused(
            _("Jadwal %(when)s sudah dipesan %(booked)s orang; kapasitas tidak bisa di bawah itu.")
            % {
                "when": formats.time_format(timezone.localtime(fullest.starts_at), "TIME_FORMAT"),
                "booked": fullest.booked,
            },
            code="below_booked",
            field="capacity",
        )
    ExperienceSlot.objects.filter(pk__in=[slot.pk for slot in slots]).update(capacity=capacity)
    _announce_change(product)
    return DayResult(changed=len(slots), removed=0)


@transaction.atomic
def slot_day_close(*, product: Product, day: date) -> DayResult:
    """No more bookings on `day`: slots nobody booked go; a booked slot keeps its people, its
    capacity set to what is booked (never below). A slot that old orders still name (expired or
    cancelled, so nothing booked) cannot be deleted (OrderLine.slot protects it) and is closed
    the same way, at capacity 0."""
    _refuse_unless_experience(product)
    slots = _day_slots(product, day)
    _refuse_no_slots(slots, day)
    unbooked = [slot.pk for slot in slots if slot.booked == 0]
    named = set(OrderLine.objects.filter(slot_id__in=unbooked).values_list("slot_id", flat=True))
    removable = [pk for pk in unbooked if pk not in named]
    ExperienceSlot.objects.filter(pk__in=removable).delete()
    kept = [slot for slot in slots if slot.pk not in set(removable)]
    for slot in kept:
        if slot.capacity != slot.booked:
            slot.capacity = slot.booked
    ExperienceSlot.objects.bulk_update(kept, ["capacity"])
    _announce_change(product)
    return DayResult(changed=len(kept), removed=len(removable))
