"""Slots in bulk (marketplace.services.schedules): a repeating schedule made in one transaction,
skipping times that exist, with coded refusals; one day's slots set or closed at once, never
below what is booked; and the pages' forms that call them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import (
    ExperienceSlot,
    OutboxEvent,
    ProductKind,
    ProductStatus,
    ShopMember,
    ShopRole,
)
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.schedules import (
    ScheduleRefused,
    slot_day_close,
    slot_day_set_capacity,
    slot_schedule_add,
    times_parse,
)
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

NINE, TWO = time(9, 0), time(14, 0)


def next_monday(weeks_ahead: int = 1) -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def tour():
    return ProductFactory(kind=ProductKind.EXPERIENCE, stock=False, title="Tur Danau Toba")


def schedule(tour, **overrides):
    arguments = {
        "product": tour,
        "start": next_monday(),
        "weeks": 4,
        "weekdays": range(7),
        "times": [NINE, TWO],
        "capacity": 12,
        **overrides,
    }
    return slot_schedule_add(**arguments)


# The schedule ---------------------------------------------------------------------------------


def test_two_slots_a_day_for_four_weeks(tour):
    result = schedule(tour)
    assert (result.made, result.skipped, result.past) == (56, 0, 0)
    slots = list(tour.slots.order_by("starts_at"))
    assert len(slots) == 56
    assert {timezone.localtime(s.starts_at).time() for s in slots} == {NINE, TWO}
    assert slots[0].starts_at == at(next_monday(), 9) == result.first
    assert slots[-1].starts_at == at(next_monday() + timedelta(days=27), 14)
    assert {s.capacity for s in slots} == {12} and {s.booked for s in slots} == {0}


def test_chosen_weekdays_only(tour):
    result = schedule(tour, weekdays=[5, 6], times=[time(8, 30)], weeks=3)
    assert result.made == 6
    assert {timezone.localtime(s.starts_at).weekday() for s in tour.slots.all()} == {5, 6}


def test_existing_times_are_skipped_and_left_as_they_were(tour):
    monday = next_monday()
    ExperienceSlot.objects.create(product=tour, starts_at=at(monday, 9), capacity=3, booked=2)
    first = schedule(tour, weeks=1)
    assert (first.made, first.skipped) == (13, 1)
    kept = tour.slots.get(starts_at=at(monday, 9))
    assert (kept.capacity, kept.booked) == (3, 2)
    again = schedule(tour, weeks=2)
    assert (again.made, again.skipped) == (14, 14)
    assert tour.slots.count() == 28


def test_times_earlier_today_are_left_out(tour):
    today = timezone.localdate()
    result = schedule(tour, start=today, weeks=1, times=[time(0, 0), time(23, 59)])
    # 00:00 today has passed; 23:59 today is still to come unless the test runs in that minute.
    assert result.past >= 1
    assert result.made + result.past == 14
    assert not tour.slots.filter(starts_at__lte=timezone.now()).exists()


def test_the_schedule_is_made_in_one_insert(tour):
    with CaptureQueriesContext(connection) as queries:
        schedule(tour, weeks=8)
    inserts = [q for q in queries if q["sql"].startswith("INSERT")]
    slot_inserts = [q for q in inserts if "experienceslot" in q["sql"]]
    assert len(slot_inserts) == 1, [q["sql"][:80] for q in inserts]
    assert tour.slots.count() == 112


def test_a_public_product_announces_the_change_once(tour):
    before = OutboxEvent.objects.filter(name="product.changed").count()
    schedule(tour)
    assert OutboxEvent.objects.filter(name="product.changed").count() == before + 1
    draft = ProductFactory(kind=ProductKind.EXPERIENCE, stock=False, status=ProductStatus.DRAFT)
    schedule(draft)
    assert OutboxEvent.objects.filter(name="product.changed").count() == before + 1


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"weekdays": []}, "no_weekday", "weekdays"),
        ({"weekdays": [7]}, "no_weekday", "weekdays"),
        ({"times": []}, "no_time", "times"),
        ({"weeks": 0}, "bad_weeks", "weeks"),
        ({"weeks": 27}, "too_many_weeks", "weeks"),
        ({"start": date.today() - timedelta(days=2)}, "start_in_past", "start"),
        ({"start": date(9999, 12, 1)}, "start_too_far", "start"),
        ({"capacity": 0}, "no_capacity", "capacity"),
        ({"capacity": 10_001}, "no_capacity", "capacity"),
    ],
)
def test_refusals_carry_a_code_and_make_nothing(tour, overrides, code, field):
    with pytest.raises(ScheduleRefused) as refused:
        schedule(tour, **overrides)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not tour.slots.exists()


def test_only_experiences_have_schedules():
    goods = ProductFactory()
    with pytest.raises(ScheduleRefused) as refused:
        schedule(goods)
    assert refused.value.code == "not_experience"


def test_times_as_sellers_write_them():
    assert times_parse("14:00, 9:00;09.00  16.30") == [NINE, TWO, time(16, 30)]
    for bad in ("25:00", "9", "09:7", "pagi", "09:00, 14:60"):
        with pytest.raises(ScheduleRefused) as refused:
            times_parse(bad)
        assert refused.value.code == "bad_time", bad


# One day at once ------------------------------------------------------------------------------


def day_slots(tour, day):
    return list(tour.slots.filter(starts_at__date=day).order_by("starts_at"))


def test_setting_a_days_capacity_changes_only_that_day(tour):
    schedule(tour, weeks=1)
    monday = next_monday()
    result = slot_day_set_capacity(product=tour, day=monday, capacity=20)
    assert (result.changed, result.removed) == (2, 0)
    assert [s.capacity for s in day_slots(tour, monday)] == [20, 20]
    assert {s.capacity for s in day_slots(tour, monday + timedelta(days=1))} == {12}


def test_a_days_capacity_never_goes_below_what_is_booked(tour):
    schedule(tour, weeks=1)
    monday = next_monday()
    ExperienceSlot.objects.filter(starts_at=at(monday, 14)).update(booked=8)
    with pytest.raises(ScheduleRefused) as refused:
        slot_day_set_capacity(product=tour, day=monday, capacity=5)
    assert refused.value.code == "below_booked"
    assert "8" in refused.value.messages[0]
    assert [s.capacity for s in day_slots(tour, monday)] == [12, 12]  # all or nothing


def test_closing_a_day_removes_unbooked_slots_and_fills_booked_ones(tour):
    schedule(tour, weeks=1, times=[NINE, time(11, 0), TWO])
    monday = next_monday()
    # 09:00 booked by an order; 11:00 named by an order that expired (nothing booked).
    checkout_place(
        items=[CheckoutItem(tour.slug, 3, slot=tour.slots.get(starts_at=at(monday, 9)).pk)],
        contact=Contact("Anna", "0812 9876 5432", "anna@example.test"),
    )
    expired = checkout_place(
        items=[CheckoutItem(tour.slug, 2, slot=tour.slots.get(starts_at=at(monday, 11)).pk)],
        contact=Contact("Ben", "0812 9876 5433", "ben@example.test"),
    ).orders.get()
    from marketplace.services.orders import order_transition

    order_transition(order=expired, to="expired")
    result = slot_day_close(product=tour, day=monday)
    assert (result.changed, result.removed) == (2, 1)
    left = {
        timezone.localtime(s.starts_at).time(): (s.capacity, s.booked)
        for s in day_slots(tour, monday)
    }
    assert left == {NINE: (3, 3), time(11, 0): (0, 0)}
    assert len(day_slots(tour, monday + timedelta(days=1))) == 3


def test_a_day_without_slots_to_come_is_refused(tour):
    with pytest.raises(ScheduleRefused) as refused:
        slot_day_close(product=tour, day=next_monday())
    assert refused.value.code == "no_slots"


# Through the page -----------------------------------------------------------------------------


@pytest.fixture
def seller(client, tour):
    owner = tour.shop.members.get()
    client.force_login(owner)
    return owner


def test_the_schedule_form_makes_the_slots_and_shows_their_week(client, seller, tour):
    monday = next_monday(2)
    response = client.post(
        reverse("seller:slot_schedule", args=[tour.shop.slug, tour.pk]),
        {
            "schedule-weekdays": ["0", "2", "4"],
            "schedule-times": "09:00, 14.00",
            "schedule-start": monday.isoformat(),
            "schedule-weeks": "4",
            "schedule-capacity": "10",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?week={monday.isoformat()}")
    assert tour.slots.count() == 24
    page = client.get(response["Location"])
    assert "24 jadwal ditambahkan." in page.content.decode()
    assert len(page.context["rows"]) == 6


def test_the_schedule_form_shows_refusals_next_to_their_field(client, seller, tour):
    url = reverse("seller:slot_schedule", args=[tour.shop.slug, tour.pk])
    base = {
        "schedule-times": "09:00",
        "schedule-start": next_monday().isoformat(),
        "schedule-weeks": "4",
        "schedule-capacity": "10",
    }
    response = client.post(url, base)
    assert response.status_code == 200
    assert response.context["schedule_form"].errors["weekdays"] == ["Pilih setidaknya satu hari."]
    response = client.post(url, {**base, "schedule-every_day": "on", "schedule-times": "9 pagi"})
    assert "tidak dikenali" in response.context["schedule_form"].errors["times"][0]
    response = client.post(url, {**base, "schedule-every_day": "on", "schedule-weeks": "30"})
    assert response.context["schedule_form"].errors["weeks"] == [
        "Paling banyak 26 minggu sekaligus."
    ]
    assert not tour.slots.exists()


def test_the_day_form_sets_capacity_and_closes(client, seller, tour):
    schedule(tour, weeks=1)
    monday = next_monday()
    url = reverse("seller:slot_day", args=[tour.shop.slug, tour.pk, monday.isoformat()])
    prefix = f"d{monday:%Y%m%d}"
    response = client.post(url, {f"{prefix}-capacity": "30", f"{prefix}-action": "capacity"})
    assert response.status_code == 302 and response["Location"].endswith(f"?week={monday}")
    assert [s.capacity for s in day_slots(tour, monday)] == [30, 30]
    ExperienceSlot.objects.filter(starts_at=at(monday, 9)).update(booked=4)
    response = client.post(url, {f"{prefix}-capacity": "2", f"{prefix}-action": "capacity"})
    assert response.status_code == 200
    [(day, form, _rows)] = [d for d in response.context["days"] if d[0].day == monday]
    assert "4 orang" in form.errors["capacity"][0]
    assert client.post(url, {f"{prefix}-action": "close"}).status_code == 302
    assert [(s.capacity, s.booked) for s in day_slots(tour, monday)] == [(4, 4)]


NEW_VIEWS = [
    ("post", "seller:slot_schedule", lambda tour: [tour.shop.slug, tour.pk]),
    ("post", "seller:slot_day", lambda tour: [tour.shop.slug, tour.pk, next_monday().isoformat()]),
    ("get", "seller:product_stock", lambda tour: [tour.shop.slug, tour.pk]),
]


@pytest.mark.parametrize(("method", "name", "args"), NEW_VIEWS)
def test_another_seller_and_a_stranger_get_404(client, tour, method, name, args):
    schedule(tour, weeks=1)
    url = reverse(name, args=args(tour))
    other = UserFactory()
    ShopFactory(owner=other)
    for who in (other, UserFactory()):
        client.force_login(who)
        assert (
            getattr(client, method)(url + "?week=" + next_monday().isoformat()).status_code == 404
        )
    client.logout()
    assert getattr(client, method)(url).status_code == 302  # to sign in
    assert tour.slots.count() == 14 and {s.capacity for s in tour.slots.all()} == {12}


@pytest.mark.parametrize("day", ["2026-13-01", "besok", "9999-12-31"])
def test_a_day_that_is_no_date_is_404(client, seller, tour, day):
    url = reverse("seller:slot_day", args=[tour.shop.slug, tour.pk, day])
    assert client.post(url, {f"d{next_monday():%Y%m%d}-action": "close"}).status_code == 404


def test_another_shops_product_is_404_for_its_own_seller(client, seller, tour):
    foreign = ProductFactory(kind=ProductKind.EXPERIENCE, stock=False)
    for name, args in (
        ("seller:slot_schedule", [tour.shop.slug, foreign.pk]),
        ("seller:slot_day", [tour.shop.slug, foreign.pk, next_monday().isoformat()]),
    ):
        assert client.post(reverse(name, args=args)).status_code == 404


def test_staff_may_make_a_schedule_and_close_a_day(client, tour):
    staff = UserFactory()
    ShopMember.objects.create(shop=tour.shop, user=staff, role=ShopRole.STAFF)
    client.force_login(staff)
    response = client.post(
        reverse("seller:slot_schedule", args=[tour.shop.slug, tour.pk]),
        {
            "schedule-every_day": "on",
            "schedule-times": "10:00",
            "schedule-start": next_monday().isoformat(),
            "schedule-weeks": "1",
            "schedule-capacity": "6",
        },
    )
    assert response.status_code == 302 and tour.slots.count() == 7
    url = reverse("seller:slot_day", args=[tour.shop.slug, tour.pk, next_monday().isoformat()])
    assert client.post(url, {f"d{next_monday():%Y%m%d}-action": "close"}).status_code == 302
    assert tour.slots.count() == 6
