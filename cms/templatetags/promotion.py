"""Template helpers of the promotion pages: the page in the other language, the share bar's
links, the announcement banner, and the page's JSON-LD."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import override

from cms.frame import frame_for
from marketplace.templatetags.storefront import json_ld

register = template.Library()

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


@dataclass(frozen=True)
class PageLanguage:
    code: str
    name: str
    url: str  # absolute, for hreflang
    path: str  # for the switcher's link
    current: bool
    translated: bool  # False: the page has no live translation; url is that language's home


@register.simple_tag(takes_context=True)
def page_languages(context, page) -> list[PageLanguage]:
    """The page in each of the site's languages, for the language switcher (which keeps the
    reader on the same page) and the hreflang alternates (only real translations): one query."""
    request = context.get("request")
    found = [page, *page.get_translations().live().public().select_related("locale")]
    by_code = {p.locale.language_code: p for p in found}
    languages = []
    for code, _name in settings.LANGUAGES:
        translation = by_code.get(code)
        if translation is not None:
            url, path = translation.get_full_url(request), translation.get_url(request)
        else:
            with override(code):
                path = reverse("wagtail_serve", args=[""])
            url = request.build_absolute_uri(path) if request else path
        languages.append(
            PageLanguage(
                code,
                LANGUAGE_NAMES.get(code, code),
                url,
                path,
                translation is not None and translation.pk == page.pk,
                translation is not None,
            )
        )
    return languages


@register.filter
def full_url(page, request) -> str:
    return page.get_full_url(request)


@register.filter
def share_image_url(page, request) -> str:
    return page.share_image_url(request)


# Who a shared link was shared on, so that a campaign's reach can be counted later
# (utm_source / utm_medium / utm_campaign are what analytics tools read).
SHARE_NETWORKS = (
    ("whatsapp", "WhatsApp", "https://wa.me/?{}", lambda url, title: {"text": f"{title} {url}"}),
    (
        "facebook",
        "Facebook",
        "https://www.facebook.com/sharer/sharer.php?{}",
        lambda url, title: {"u": url},
    ),
    (
        "x",
        "X",
        "https://twitter.com/intent/tweet?{}",
        lambda url, title: {"url": url, "text": title},
    ),
)


def tracked_url(url: str, source: str, campaign: str) -> str:
    separator = "&" if "?" in url else "?"
    query = urlencode({"utm_source": source, "utm_medium": "social", "utm_campaign": campaign})
    return f"{url}{separator}{query}"


@register.simple_tag(takes_context=True)
def share_links(context, page) -> dict:
    """The share bar: each network's link to share the page, carrying campaign parameters, and
    the link to copy."""
    url = page.get_full_url(context.get("request"))
    title = page.seo_title or page.title
    links = [
        (name, label, pattern.format(urlencode(params(tracked_url(url, name, page.slug), title))))
        for name, label, pattern, params in SHARE_NETWORKS
    ]
    return {"links": links, "copy": tracked_url(url, "copy", page.slug)}


@register.inclusion_tag("cms/includes/announcement.html", takes_context=True)
def announcement_banner(context) -> dict:
    """The newest announcement showing now in the page's language (cached: cms.frame)."""
    return {"frame": frame_for(context.get("request"))}


@register.inclusion_tag("cms/includes/footer.html", takes_context=True)
def site_footer(context) -> dict:
    """The footer's text, contact and social links from the site settings (cached)."""
    return {"frame": frame_for(context.get("request"))}


@register.simple_tag(takes_context=True)
def page_json_ld(context, page) -> SafeString:
    data = (
        page.structured_data(context.get("request")) if hasattr(page, "structured_data") else None
    )
    return json_ld(data) if data else mark_safe("")  # noqa: S308 - empty string


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
