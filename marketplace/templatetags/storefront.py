"""Template helpers of the storefront: responsive images, JSON-LD, localized names."""

from __future__ import annotations

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.images.models import ResponsiveImage
from wagtail.images.shortcuts import get_renditions_or_not_found

from marketplace.selectors.storefront import IMAGE_PRESETS

register = template.Library()

# The characters that could end a <script> element or start a comment inside it.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def responsive_image(image, preset: str, **attrs) -> SafeString:
    """<img> with a WebP srcset of the preset's renditions (IMAGE_PRESETS), width and height set.

    {% responsive_image photo.image "card" alt=product.title sizes="45vw" loading="lazy" %}
    The renditions come from the image's prefetched renditions when the selector fetched them.
    """
    if not image:
        return mark_safe("")  # noqa: S308 - empty string
    renditions = get_renditions_or_not_found(image, IMAGE_PRESETS[preset])
    # A photo smaller than the larger sizes gives renditions of the same width: list each once.
    unique: dict[str, object] = {}
    widths: set[int] = set()
    for spec, rendition in renditions.items():
        if rendition.width not in widths:
            widths.add(rendition.width)
            unique[spec] = rendition
    attrs.setdefault("decoding", "async")
    return mark_safe(ResponsiveImage(unique, attrs).__html__())  # noqa: S308 - flatatt escapes


@register.filter
def json_ld(data) -> SafeString:
    """A <script type="application/ld+json"> element holding `data`, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def localized_name(obj) -> str:
    """A category's English name on English pages (when it has one), its name otherwise."""
    if (get_language() or "").startswith("en") and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name


@register.filter
def localized(obj, field: str) -> str:
    """A product's or shop's English text on English pages where the seller wrote one
    (`title_en`, `description_en`, `story_en`), the Indonesian otherwise.

    {{ product|localized:"title" }}
    """
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)
