"""Dates written the one way of the active language (config/formats): "Sab, 5 Des 2026" and
"Sab, 5 Des 2026 09.00" in Indonesian, "Sat 5 Dec 2026" and "Sat 5 Dec 2026 09:00" in English.

For Python code (messages, cart lines); templates use `|date:"DATE_FORMAT"` and
`|date:"DATETIME_FORMAT"`, which give the same text.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import pgettext


def day_text(day: date) -> str:
    """A day: "Sab, 5 Des 2026"."""
    return formats.date_format(day, "DATE_FORMAT")


def moment_text(moment: datetime) -> str:
    """A moment in the site's time zone: "Sab, 5 Des 2026 09.00"."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def stay_text(check_in: date, check_out: date) -> str:
    """A stay's dates: "Sab, 5 Des 2026 s.d. Sen, 7 Des 2026" ("… to …" in English)."""
    return pgettext("stay dates", "%(check_in)s s.d. %(check_out)s") % {
        "check_in": day_text(check_in),
        "check_out": day_text(check_out),
    }
