"""Campaign reach: which campaign brought a visitor, kept from the first page to the order.

A storefront or promotion page opened with `utm_campaign` (the share bar's links:
`utm_source=<network>&utm_medium=social&utm_campaign=<campaign page slug>`) or with a poster's
short code `?c=<code>` names a campaign. `CampaignMiddleware` keeps it in the session and counts
one visit per session, day, campaign and source in `CampaignVisitDay`; checkout views read it
with `session_campaign` and hand it to `checkout_place`, which writes it on each order.

Attribution (decision 0011): the campaign in the session is replaced when a *different*
campaign arrives (last touch); the same campaign arriving again keeps its first source.

A request without campaign parameters does not touch the session or the database, so pages
cost what they cost without this middleware.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from marketplace.models import CampaignVisitDay

SESSION_KEY = "campaign"  # {"name", "source", "medium"}: the campaign orders are credited to
COUNTED_KEY = "campaign_counted"  # {"day": ISO date, "keys": ["campaign|source", ...]}
MAX_LENGTH = 80  # CampaignVisitDay.campaign, Order.campaign and their sources

# Not storefront or promotion pages: admin, API, files, webhooks, feeds for machines.
SKIPPED_PREFIXES = (
    "/cms-admin/",
    "/django-admin/",
    "/api/",
    "/static/",
    "/media/",
    "/documents/",
    "/payments/",
    "/i18n/",
    "/healthz",
    "/sitemap",
    "/robots.txt",
)

# Crawlers and link previews (WhatsApp, Facebook, Telegram, Slack fetch a shared page to draw
# its card): none of them is a visitor.
BOT_MARKERS = ("bot", "spider", "crawl", "preview", "facebookexternalhit", "whatsapp")


@dataclass(frozen=True)
class CampaignTouch:
    name: str = ""  # blank: no campaign
    source: str = ""
    medium: str = ""


def campaign_clean(value: str) -> str:
    """A campaign name or source as stored: lowercased, slug-safe, at most 80 characters."""
    return slugify(value or "")[:MAX_LENGTH].strip("-")


def touch_from_query(query: dict) -> CampaignTouch:
    """The campaign a request's query string names: utm_campaign, else the poster code `c`."""
    name = campaign_clean(query.get("utm_campaign", "")) or campaign_clean(query.get("c", ""))
    if not name:
        return CampaignTouch()
    return CampaignTouch(
        name=name,
        source=campaign_clean(query.get("utm_source", "")),
        medium=campaign_clean(query.get("utm_medium", "")),
    )


def session_campaign(request: HttpRequest) -> CampaignTouch:
    """The campaign this visitor's orders are credited to (blank when none)."""
    raw = request.session.get(SESSION_KEY) or {}
    return CampaignTouch(
        name=raw.get("name", ""), source=raw.get("source", ""), medium=raw.get("medium", "")
    )


def is_bot(user_agent: str) -> bool:
    agent = user_agent.lower()
    return any(marker in agent for marker in BOT_MARKERS)


def campaign_visit_count(*, day, campaign: str, source: str) -> None:
    """One more visit of (day, campaign, source), atomic under concurrent requests: an F()
    increment of the row, which is created (under its unique constraint) when missing."""
    rows = CampaignVisitDay.objects.filter(day=day, campaign=campaign, source=source)
    if rows.update(visits=F("visits") + 1):
        return
    try:
        with transaction.atomic():
            CampaignVisitDay.objects.create(day=day, campaign=campaign, source=source, visits=1)
    except IntegrityError:  # another request created it in between
        rows.update(visits=F("visits") + 1)


def _counts(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.path.startswith(SKIPPED_PREFIXES)
        and ("utm_campaign" in request.GET or "c" in request.GET)
        and not is_bot(request.META.get("HTTP_USER_AGENT", ""))
    )


def campaign_record(request: HttpRequest, touch: CampaignTouch) -> None:
    """Keep the campaign in the session (last touch across campaigns) and count the visit once
    per session, day, campaign and source."""
    session = request.session
    kept = session.get(SESSION_KEY) or {}
    if kept.get("name") != touch.name:
        session[SESSION_KEY] = {"name": touch.name, "source": touch.source, "medium": touch.medium}
    today = timezone.localdate()
    counted = session.get(COUNTED_KEY) or {}
    keys = counted.get("keys", []) if counted.get("day") == today.isoformat() else []
    key = f"{touch.name}|{touch.source}"
    if key in keys:
        return
    campaign_visit_count(day=today, campaign=touch.name, source=touch.source)
    session[COUNTED_KEY] = {"day": today.isoformat(), "keys": [*keys, key]}


class CampaignMiddleware:
    """After SessionMiddleware and LocaleMiddleware: records the campaign of a GET of a page
    that answered (status below 400), never of admin, API or file paths, bots or previews."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 and _counts(request):
            touch = touch_from_query(request.GET)
            if touch.name:
                campaign_record(request, touch)
        return response
