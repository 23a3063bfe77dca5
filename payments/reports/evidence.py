"""The evidence for the annual smart-city evaluation: every figure of the cashless reports
for one year with its definition in plain words, as a printable page and as a spreadsheet
with a sheet per figure (`?export=xlsx`)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from payments.reports import selectors
from payments.reports.permissions import may_read_reports
from payments.reports.selectors import DEFINITIONS, Scope


@dataclass
class Sheet:
    title: str
    definition: str
    headings: list[str]
    keys: list[str]
    rows: list[dict]

    def values(self):
        for row in self.rows:
            yield [_cell(row.get(key)) for key in self.keys]


def _cell(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return (
        str(value) if value is not None and not isinstance(value, int | float | dt.date) else value
    )


def sheets_for(year: int) -> list[Sheet]:
    """A sheet per report of payments.reports.views (its title, definitions, headings and
    rows), and the cashless share."""
    from payments.reports.views import REPORTS

    today = timezone.localdate()
    scope = Scope(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today))
    sheets = [
        Sheet(
            str(title),
            " ".join(str(DEFINITIONS[key]) for key in report.definitions),
            [str(field[1]) for field in report.table_fields()],
            [field[0] for field in report.table_fields()],
            report.rows(scope),
        )
        for _name, _route, report, title in REPORTS
    ]
    sheets.insert(
        3,
        Sheet(
            _("Pangsa nontunai"),
            str(DEFINITIONS["cashless_share"]),
            [_("Nilai pesanan dibayar (Rp)"), _("Nilai nontunai bersih (Rp)"), _("Pangsa (%)")],
            ["order_value", "cashless_value", "share"],
            [selectors.cashless_share(scope)],
        ),
    )
    return sheets


def workbook(year: int) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets_for(year):
        page = book.create_sheet(sheet.title[:31])  # Excel's limit on sheet names
        page.append([sheet.title])
        page["A1"].font = Font(bold=True, size=13)
        page.append([sheet.definition])
        page.append([])
        page.append(sheet.headings)
        for cell in page[4]:
            cell.font = Font(bold=True)
        for values in sheet.values():
            page.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def evidence_view(request):
    if not may_read_reports(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2020), today.year)
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(
            workbook(year),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="bukti-ekonomi-nontunai-{year}.xlsx"'
        )
        return response
    return render(
        request,
        "payments/reports/evidence.html",
        {"year": year, "years": range(today.year, 2019, -1), "sheets": sheets_for(year)},
    )
