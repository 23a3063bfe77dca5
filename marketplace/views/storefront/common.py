"""Small helpers shared by the storefront views."""

from __future__ import annotations

import contextlib
import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from marketplace.phone import normalize_indonesian_mobile


def whatsapp_url(number: str, message: str) -> str:
    """https://wa.me/<international digits>?text=<message>, or "" when there is no number."""
    if not number:
        return ""
    # Stored numbers are +62...; anything else is used with its digits as they are.
    with contextlib.suppress(ValidationError):
        number = normalize_indonesian_mobile(number)
    digits = re.sub(r"\D", "", number)
    if not digits:
        return ""
    return f"https://wa.me/{digits}?text={quote(message, safe='')}"


def paginate(request: HttpRequest, items, per_page: int) -> Page:
    """The requested page; a page number that is not a number or too large gives the nearest."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def clean_slug(value: str | None) -> str:
    """A filter's slug from the query string; anything that is not a slug counts as no filter."""
    value = (value or "").strip()
    return value if re.fullmatch(r"[-a-zA-Z0-9_]{1,170}", value) else ""
