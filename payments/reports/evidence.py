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
    today = timezone.localdate()
    scope = Scope(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today))
    merchant_keys = [
        "name",
        "registered",
        "verified",
        "qris",
        "paid_cashless",
        "tourism_verified",
        "tourism_paid_cashless",
    ]
    merchant_headings = [
        _("Terdaftar"),
        _("Terverifikasi"),
        _("Dengan QRIS"),
        _("Dibayar nontunai"),
        _("Pelaku wisata terverifikasi"),
        _("Pelaku wisata dibayar nontunai"),
    ]
    money_keys = ["name", "payments", "value", "refunded", "net", "share"]
    money_headings = [
        _("Jumlah pembayaran"),
        _("Nilai dibayar (Rp)"),
        _("Dikembalikan (Rp)"),
        _("Nilai bersih (Rp)"),
        _("Pangsa nilai bersih (%)"),
    ]
    merchants_definition = " ".join(
        str(DEFINITIONS[k]) for k in ("registered", "verified", "qris", "paid_cashless", "tourism")
    )
    share = selectors.cashless_share(scope)
    return [
        Sheet(
            _("Merchant per kecamatan"),
            merchants_definition,
            [_("Kecamatan"), *merchant_headings],
            merchant_keys,
            selectors.merchants(scope, "kecamatan"),
        ),
        Sheet(
            _("Merchant per kategori"),
            merchants_definition,
            [_("Kategori"), *merchant_headings],
            merchant_keys,
            selectors.merchants(scope, "category"),
        ),
        Sheet(
            _("Adopsi per bulan"),
            str(DEFINITIONS["paid_cashless"]),
            [
                _("Bulan"),
                _("Merchant dibayar nontunai bulan itu"),
                _("Merchant dibayar nontunai sejak awal periode"),
            ],
            ["name", "merchants", "merchants_so_far"],
            selectors.adoption_by_month(scope),
        ),
        Sheet(
            _("Pangsa nontunai"),
            str(DEFINITIONS["cashless_share"]),
            [_("Nilai pesanan dibayar (Rp)"), _("Nilai nontunai bersih (Rp)"), _("Pangsa (%)")],
            ["order_value", "cashless_value", "share"],
            [share],
        ),
        *[
            Sheet(
                title,
                str(DEFINITIONS["value"]),
                [label, *money_headings],
                money_keys,
                selectors.payments_by(scope, group),
            )
            for group, title, label in (
                ("month", _("Pembayaran per bulan"), _("Bulan")),
                ("kecamatan", _("Pembayaran per kecamatan"), _("Kecamatan")),
                ("category", _("Pembayaran per kategori"), _("Kategori")),
                ("method", _("Pembayaran per metode"), _("Metode")),
            )
        ],
        Sheet(
            _("Penjualan hilang"),
            str(DEFINITIONS["lost_sales"]),
            [_("Kecamatan"), _("Pesanan"), _("Nilai (Rp)")],
            ["name", "orders", "value"],
            selectors.lost_sales(scope),
        ),
        Sheet(
            _("Toko teratas"),
            str(DEFINITIONS["top"]),
            [_("Toko"), _("Kecamatan"), _("Jumlah pembayaran"), _("Nilai bersih (Rp)")],
            ["name", "kecamatan", "payments", "net"],
            selectors.top_shops(scope),
        ),
        Sheet(
            _("Produk teratas"),
            str(DEFINITIONS["top"]),
            [_("Produk"), _("Toko"), _("Terjual"), _("Nilai (Rp)")],
            ["name", "shop", "quantity", "value"],
            selectors.top_products(scope),
        ),
        Sheet(
            _("Menunggu verifikasi"),
            str(DEFINITIONS["waiting"]),
            [_("Toko"), _("Kecamatan"), _("Kategori"), _("Diajukan"), _("Hari menunggu")],
            ["name", "kecamatan", "category", "submitted_at", "days_waiting"],
            selectors.waiting_verification(),
        ),
    ]


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
