"""The buyer's language, as the site offers it: "id" or "en" (settings.LANGUAGES)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def site_language(code: str | None = None) -> str:
    """The active language (or `code`) cut to one the site offers: "en-gb" → "en"; else "id"."""
    base = (code or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    offered = {language for language, _name in settings.LANGUAGES}
    return base if base in offered else settings.LANGUAGE_CODE
