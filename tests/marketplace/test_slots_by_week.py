"""The experience's slots page, one week at a time (?week=YYYY-MM-DD): only that week's slots to
come, by day, with previous/next links; never before this week; an empty week points at the
next one with slots; a fixed number of queries whatever the week holds."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import ProductKind
from marketplace.services.schedules import slot_schedule_add
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def monday(weeks_ahead: int = 0) -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


@pytest.fixture
def tour(client):
    tour = ProductFactory(kind=ProductKind.EXPERIENCE, stock=False)
    client.force_login(tour.shop.members.get())
    return tour


def url(tour, week: str | None = None) -> str:
    base = reverse("seller:product_stock", args=[tour.shop.slug, tour.pk])
    return f"{base}?week={week}" if week is not None else base


def fill(tour, *, start: date, weeks: int, times=(time(9), time(14))) -> None:
    slot_schedule_add(
        product=tour, start=start, weeks=weeks, weekdays=range(7), times=list(times), capacity=8
    )


def local_days(rows) -> set[date]:
    return {timezone.localdate(slot.starts_at) for slot, _form in rows}


def test_a_week_shows_only_its_own_slots_by_day(client, tour):
    fill(tour, start=monday(1), weeks=9)  # 126 slots
    week = monday(3)
    response = client.get(url(tour, week.isoformat()))
    rows = response.context["rows"]
    assert len(rows) == 14
    assert local_days(rows) == {week + timedelta(days=n) for n in range(7)}
    assert [d.day for d, _form, _rows in response.context["days"]] == [
        week + timedelta(days=n) for n in range(7)
    ]
    page = response.content.decode()
    assert f"?week={(week - timedelta(days=7)).isoformat()}" in page
    assert f"?week={(week + timedelta(days=7)).isoformat()}" in page
    assert page.count('class="slot"') == 14


def test_any_day_of_a_week_names_that_week(client, tour):
    fill(tour, start=monday(1), weeks=3)
    wednesday = monday(2) + timedelta(days=2)
    response = client.get(url(tour, wednesday.isoformat()))
    assert response.context["week"].start == monday(2)
    assert local_days(response.context["rows"]) == {monday(2) + timedelta(days=n) for n in range(7)}


def test_without_a_week_the_page_opens_at_the_next_slot(client, tour):
    fill(tour, start=monday(4), weeks=2)
    response = client.get(url(tour))
    assert response.context["week"].start == monday(4)
    assert len(response.context["rows"]) == 14


@pytest.mark.parametrize("week", ["kemarin", "2026-02-30", monday(-3).isoformat(), "9999-12-31"])
def test_a_bad_or_past_week_shows_this_week_without_a_previous_link(client, tour, week):
    response = client.get(url(tour, week))
    assert response.status_code == 200
    assert response.context["week"].start == monday(0)
    assert response.context["week"].previous is None
    assert 'rel="prev"' not in response.content.decode()


def test_an_empty_week_points_at_the_next_week_with_slots(client, tour):
    fill(tour, start=monday(5), weeks=1)
    page = client.get(url(tour, monday(1).isoformat())).content.decode()
    assert "Tidak ada jadwal mendatang minggu ini." in page
    assert f"?week={monday(5).isoformat()}" in page


def test_slots_already_started_are_not_shown(client, tour):
    now = timezone.localtime()
    start = timezone.make_aware(datetime.combine(now.date(), time.min))
    tour.slots.create(starts_at=start + timedelta(minutes=1), capacity=5)  # 00:01 today, gone
    later = tour.slots.create(starts_at=now + timedelta(hours=1), capacity=5)
    response = client.get(url(tour, timezone.localdate(later.starts_at).isoformat()))
    shown = [slot for slot, _form in response.context["rows"]]
    assert later in shown and all(slot.starts_at > timezone.now() for slot in shown)


def _queries(client, tour, week: date) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(tour, week.isoformat())).status_code == 200
    return len(queries)


def test_a_week_takes_the_same_number_of_queries_for_21_or_42_slots(client, tour):
    fill(tour, start=monday(1), weeks=1, times=[time(9)])
    fill(tour, start=monday(1), weeks=1, times=[time(7), time(10)])  # week 1: 3 a day
    fill(tour, start=monday(2), weeks=1, times=[time(h) for h in range(6, 12)])  # week 2: 6 a day
    client.get(url(tour, monday(1).isoformat()))  # the session's first request asks more
    small, big = _queries(client, tour, monday(1)), _queries(client, tour, monday(2))
    assert small == big, (small, big)
