"""An experience's slots page, one week at a time (/seller/<shop>/products/<pk>/stock/?week=),
with a repeating schedule made in one form and one day's slots changed or closed at once. The
page itself is `stock.product_stock`; this module gives it its slot part."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.forms.seller import SlotCapacityForm, SlotForm
from marketplace.forms.seller_slots import SlotDayForm, SlotScheduleForm
from marketplace.models import Product, ProductKind, ShopMember
from marketplace.selectors.seller import shop_product, slot_week, slot_week_start, week_monday
from marketplace.services.schedules import (
    ScheduleRefused,
    slot_day_close,
    slot_day_set_capacity,
    slot_schedule_add,
)

from .common import seller_render, seller_view


def week_url(membership: ShopMember, product: Product, when: date | datetime) -> str:
    """The slots page at the week holding `when` (a day, or a moment read in local time)."""
    day = timezone.localdate(when) if isinstance(when, datetime) else when
    url = reverse(
        "seller:product_stock", kwargs={"shop_slug": membership.shop.slug, "pk": product.pk}
    )
    return f"{url}?week={week_monday(day).isoformat()}"


def slots_context(
    request: HttpRequest,
    product: Product,
    *,
    bound: dict | None = None,
    bound_pk: int | None = None,
    bound_day: date | None = None,
) -> dict:
    """The week's days, each slot with its capacity form and each day with its day form, and the
    forms to add one slot or a schedule. A form that came back with errors (in `bound`) takes
    its row's place and shows its week."""
    bound = bound or {}
    if bound_day:
        start = week_monday(bound_day)
    elif bound_pk and "slot" in bound:
        start = week_monday(timezone.localdate(bound["slot"].starts_at))
    else:
        start = slot_week_start(product, request.GET.get("week"))
    week = slot_week(product, start)
    days = []
    rows = []
    for slot_day in week.days:
        day_rows = [
            (
                slot,
                bound["capacity_form"]
                if slot.pk == bound_pk and "capacity_form" in bound
                else SlotCapacityForm(initial={"capacity": slot.capacity}, prefix=f"s{slot.pk}"),
            )
            for slot in slot_day.slots
        ]
        day_form = (
            bound["day_form"]
            if slot_day.day == bound_day and "day_form" in bound
            else SlotDayForm(day=slot_day.day)
        )
        days.append((slot_day, day_form, day_rows))
        rows.extend(day_rows)
    return {
        "week": week,
        "days": days,
        "rows": rows,
        "slot_form": bound.get("slot_form") or SlotForm(),
        "schedule_form": bound.get("schedule_form")
        or SlotScheduleForm(initial={"start": timezone.localdate(), "weeks": 4}),
    }


def render_slots(
    request: HttpRequest, membership: ShopMember, product: Product, **bound
) -> HttpResponse:
    return seller_render(
        request,
        "product_stock.html",
        membership,
        {"product": product, **slots_context(request, product, **bound)},
        section="products",
    )


def _form_refusal(form, exc: ScheduleRefused) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc)


@seller_view(methods=("POST",))
def slot_schedule(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    product = shop_product(membership.shop, pk, kind=ProductKind.EXPERIENCE)
    form = SlotScheduleForm(request.POST)
    if form.is_valid():
        try:
            result = slot_schedule_add(product=product, **form.schedule())
        except ScheduleRefused as exc:
            _form_refusal(form, exc)
        else:
            text = ngettext(
                "%(made)s jadwal ditambahkan.", "%(made)s jadwal ditambahkan.", result.made
            ) % {"made": result.made}
            if result.skipped:
                text += " " + ngettext(
                    "%(n)s sudah ada, dilewati.", "%(n)s sudah ada, dilewati.", result.skipped
                ) % {"n": result.skipped}
            if result.past:
                text += " " + ngettext(
                    "%(n)s jam hari ini sudah lewat.",
                    "%(n)s jam hari ini sudah lewat.",
                    result.past,
                ) % {"n": result.past}
            (messages.success if result.made else messages.warning)(request, text)
            return redirect(
                week_url(membership, product, result.first or form.cleaned_data["start"])
            )
    return render_slots(request, membership, product, bound={"schedule_form": form})


@seller_view(methods=("POST",))
def slot_day(request: HttpRequest, membership: ShopMember, pk: int, day: str) -> HttpResponse:
    product = shop_product(membership.shop, pk, kind=ProductKind.EXPERIENCE)
    try:
        when = date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    if when > timezone.localdate() + timedelta(weeks=520):  # no slots there; nor date overflows
        raise Http404
    form = SlotDayForm(request.POST, day=when)
    if form.is_valid():
        try:
            if form.cleaned_data["action"] == "close":
                result = slot_day_close(product=product, day=when)
            else:
                result = slot_day_set_capacity(
                    product=product, day=when, capacity=form.cleaned_data["capacity"]
                )
        except ScheduleRefused as exc:
            _form_refusal(form, exc)
        else:
            label = formats.date_format(when, "DATE_FORMAT")
            if form.cleaned_data["action"] == "close":
                text = _(
                    "%(day)s ditutup: %(removed)s jadwal tanpa pesanan dihapus, %(kept)s jadwal "
                    "berpesanan tidak menerima pesanan baru."
                ) % {"day": label, "removed": result.removed, "kept": result.changed}
            else:
                text = _("Kapasitas %(n)s jadwal pada %(day)s disimpan.") % {
                    "n": result.changed,
                    "day": label,
                }
            messages.success(request, text)
            return redirect(week_url(membership, product, when))
    return render_slots(request, membership, product, bound={"day_form": form}, bound_day=when)
