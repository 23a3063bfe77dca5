"""Dates are written one way per language, on every page and in every mail."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

WIB = ZoneInfo("Asia/Jakarta")
SATURDAY_MORNING = dt.datetime(2026, 12, 5, 9, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    ("language", "datetime_text", "date_text"),
    [
        ("id", "Sab, 5 Des 2026 09.00", "Sab, 5 Des 2026"),
        ("en", "Sat 5 Dec 2026 09:00", "Sat 5 Dec 2026"),
    ],
)
def test_the_same_date_reads_the_same_in_each_language(language, datetime_text, date_text):
    template = Template('{{ when|date:"DATETIME_FORMAT" }}|{{ when|date:"DATE_FORMAT" }}')
    with translation.override(language):
        rendered = template.render(Context({"when": SATURDAY_MORNING}))
    assert rendered == f"{datetime_text}|{date_text}"
