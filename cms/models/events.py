"""Events (budaya, kuliner, musik, seni, olahraga): a calendar by month and an .ics file for
each event and for the whole calendar (cms/ics.py writes them)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path

from cms.models.places import MapPosition
from cms.models.promotion import PromotionPage


class EventCategory(models.TextChoices):
    BUDAYA = "budaya", _("Budaya")
    KULINER = "kuliner", _("Kuliner")
    MUSIK = "musik", _("Musik")
    SENI = "seni", _("Seni")
    OLAHRAGA = "olahraga", _("Olahraga")


class EventIndexPage(RoutablePageMixin, PromotionPage):
    """/acara/: the events calendar by month (/acara/2026-12/), and its iCalendar file at
    /acara/ics/ (Wagtail page paths allow no dot; the file is still saved as acara.ics)."""

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("kalender acara")

    @path("")
    def this_month(self, request):
        from cms import selectors

        return self.render(request, context_overrides=selectors.event_calendar(self, None, request))

    @re_path(r"^(?P<year>\d{4})-(?P<month>\d{2})/$")
    def month(self, request, year: str, month: str):
        from django.http import Http404

        from cms import selectors

        if not 1 <= int(month) <= 12:
            raise Http404
        return self.render(
            request,
            context_overrides=selectors.event_calendar(self, (int(year), int(month)), request),
        )

    @path("ics/", name="calendar_ics")
    def calendar_ics(self, request):
        from cms import ics, selectors

        return ics_response(ics.calendar(selectors.calendar_events(self), request), "acara")


class EventPage(RoutablePageMixin, MapPosition, PromotionPage):
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    category = models.CharField(_("kategori"), max_length=10, choices=EventCategory.choices)
    venue = models.CharField(_("tempat"), max_length=200, blank=True)

    content_panels = [
        *PromotionPage.content_panels[:1],
        FieldRowPanel(["start", "end"], heading=_("Waktu")),
        "category",
        "venue",
        MapPosition.map_panel,
        *PromotionPage.content_panels[1:],
    ]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("acara")
        verbose_name_plural = _("acara")
        indexes = [models.Index(fields=["start"], name="cms_event_start")]

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Waktu selesai sebelum waktu mulai.")})

    def structured_data(self, request) -> dict:
        location = {
            "@type": "Place",
            "name": self.venue or "Kabupaten Toba",
            "address": {
                "@type": "PostalAddress",
                "addressRegion": "Toba, Sumatera Utara",
                "addressCountry": "ID",
            },
        }
        if self.latitude is not None and self.longitude is not None:
            location["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        return {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "description": self.description,
            "startDate": self.start.isoformat(),
            "endDate": self.end.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": location,
            "image": [self.share_image_url(request)],
            "url": self.get_full_url(request),
            "organizer": {"@type": "GovernmentOrganization", "name": "Pemerintah Kabupaten Toba"},
        }

    @path("")
    def detail(self, request):
        return self.render(request)

    @path("ics/", name="event_ics")
    def event_ics(self, request):
        from cms import ics

        return ics_response(ics.calendar([self], request), self.slug)


def ics_response(body: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response
