"""What the frame of every page shows from the CMS (the announcement banner, the footer's
contact and social links), cached: the storefront's pages keep their query counts, and an
editor's change shows within FRAME_SECONDS (at once in the process that saved it)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from marketplace.languages import site_language

FRAME_SECONDS = 60
_GENERATION_KEY = "cms-frame-generation"


@dataclass(frozen=True)
class Frame:
    banner_text: str = ""
    banner_url: str = ""
    footer_text: str = ""
    address: str = ""
    phone: str = ""
    whatsapp: str = ""
    email: str = ""
    social_links: tuple[tuple[str, str], ...] = ()


def frame_for(request) -> Frame:
    language = site_language()
    generation = cache.get_or_set(_GENERATION_KEY, 1, None)
    key = f"cms-frame:{generation}:{request.get_host() if request else ''}:{language}"
    frame = cache.get(key)
    if frame is None:
        frame = _load(request, language)
        cache.set(key, frame, FRAME_SECONDS)
    return frame


def _load(request, language: str) -> Frame:
    from cms.models import AnnouncementBanner, SiteSettings

    site = Site.find_for_request(request) if request else None
    site = site or Site.objects.filter(is_default_site=True).first()
    # Not SiteSettings.for_site, which saves an empty row on a GET (and a save forgets frames).
    settings = (site and SiteSettings.objects.filter(site=site).first()) or SiteSettings()
    banner = AnnouncementBanner.objects.showing(language).select_related("link_page").first()
    footer = settings.footer_text_en if language == "en" and settings.footer_text_en else ""
    return Frame(
        banner_text=banner.text if banner else "",
        banner_url=banner.url if banner else "",
        footer_text=footer or settings.footer_text,
        address=settings.address,
        phone=settings.contact_phone,
        whatsapp=settings.whatsapp,
        email=settings.contact_email,
        social_links=tuple(settings.social_links()),
    )


def forget_frame(**kwargs) -> None:
    with contextlib.suppress(ValueError):  # not set yet: nothing cached under it
        cache.incr(_GENERATION_KEY)


def connect_frame_signals() -> None:
    from cms.models import AnnouncementBanner, SiteSettings

    for model in (AnnouncementBanner, SiteSettings):
        post_save.connect(forget_frame, sender=model, dispatch_uid=f"cms-frame-save-{model}")
        post_delete.connect(forget_frame, sender=model, dispatch_uid=f"cms-frame-del-{model}")
