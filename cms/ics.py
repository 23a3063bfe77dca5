"""iCalendar (RFC 5545) files for events: one per event and one for the calendar. Written by
hand: the format is small, and no calendar library is among the project's dependencies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

PRODID = "-//Pasar Kreatif//Kalender Acara//ID"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after one space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return [line]
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return [parts[0], *(" " + p for p in parts[1:])]


def calendar(events: Iterable, request) -> str:
    """A VCALENDAR with one VEVENT per event page (UID from the page's translation key, so a
    calendar that subscribed keeps the event across edits and languages)."""
    now = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for event in events:
        url = event.get_full_url(request)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.translation_key}@pasar-kreatif",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(event.start)}",
            f"DTEND:{_stamp(event.end)}",
            f"SUMMARY:{_escape(event.title)}",
            f"CATEGORIES:{_escape(event.get_category_display())}",
        ]
        if event.venue:
            lines.append(f"LOCATION:{_escape(event.venue)}")
        if event.latitude is not None and event.longitude is not None:
            lines.append(f"GEO:{event.latitude};{event.longitude}")
        if event.intro:
            lines.append(f"DESCRIPTION:{_escape(event.intro)}")
        if url:
            lines.append(f"URL:{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"
