"""Events: the month calendar's days, and the .ics files for one event and for the calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from cms import ics, selectors
from cms.models import EventIndexPage
from tests.cms import pages

pytestmark = pytest.mark.django_db


def unfolded(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_an_event_has_its_own_ics_file(client):
    event = pages.event(
        "Pesta Ulos, Balige; malam",
        venue="Pantai Lumban Bulbul",
        latitude=Decimal("2.33"),
        longitude=Decimal("99.07"),
    )
    response = client.get(event.url + "ics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfolded(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "SUMMARY:Pesta Ulos\\, Balige\\; malam" in lines
    assert f"DTSTART:{event.start.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in lines
    assert "LOCATION:Pantai Lumban Bulbul" in lines
    assert "GEO:2.330000;99.070000" in lines
    assert f"UID:{event.translation_key}@pasar-kreatif" in lines
    assert any(line.startswith("URL:http") and event.url in line for line in lines)


def test_the_calendar_ics_lists_recent_and_coming_events_only(client):
    coming = pages.event("Festival Kopi", days=10, category="kuliner")
    pages.event("Lama Sekali", days=-60)
    index = EventIndexPage.objects.get()
    response = client.get(index.url + "ics/")
    lines = unfolded(response.content.decode())
    assert lines.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Festival Kopi" in lines
    assert f"UID:{coming.translation_key}@pasar-kreatif" in lines


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    folded = ics._fold("DESCRIPTION:" + "é" * 80)
    assert all(len(part.encode()) <= 75 for part in folded)
    assert "".join(p.lstrip(" ") if i else p for i, p in enumerate(folded)).endswith("é" * 80)


def test_the_month_calendar_places_each_event_on_its_days_and_filters_by_category():
    now = timezone.localtime()
    start = now.replace(day=1, hour=10, minute=0) + dt.timedelta(days=40)
    festival = pages.event("Festival Danau Toba", category="budaya")
    festival.start, festival.end = start, start + dt.timedelta(days=2)
    festival.save_revision().publish()
    pages.event("Lomba Solu", category="olahraga")
    index = EventIndexPage.objects.get()
    request = RequestFactory().get("/acara/")
    month = selectors.event_calendar(index, (start.year, start.month), request)
    days = sorted(d for d, events in month["calendar"].events_by_day.items() if festival in events)
    first = start.date()
    assert days == [
        d
        for d in (first, first + dt.timedelta(1), first + dt.timedelta(2))
        if d.month == start.month
    ]
    assert all(len(week) == 7 for week in month["calendar"].weeks)
    filtered = selectors.event_calendar(
        index, (start.year, start.month), RequestFactory().get("/acara/?kategori=olahraga")
    )
    assert festival not in filtered["events"] and filtered["category"] == "olahraga"
    unknown = selectors.event_calendar(index, None, RequestFactory().get("/acara/?kategori=x"))
    assert unknown["category"] == ""


def test_an_event_ending_before_it_starts_is_refused():
    from django.core.exceptions import ValidationError

    event = pages.event()
    event.end = event.start - dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert "end" in refused.value.message_dict
