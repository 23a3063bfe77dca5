"""The cashless reports in the Wagtail admin (Laporan → Ekonomi nontunai), on Wagtail's report
views: filters (period, kecamatan, category, grouping), a chart drawn as SVG with the table of
its numbers, and `?export=csv` / `?export=xlsx` with Indonesian headings and rupiah as integers.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from marketplace.models import Category, Kecamatan, Shop
from payments.reports import charts, selectors
from payments.reports.permissions import may_read_reports
from payments.reports.selectors import DEFINITIONS, Scope

URL_NAMESPACE = "cashless_reports"


def _keep(queryset, name, value):
    return queryset  # the figures read the filter values themselves (ReportFilters.scope)


class ReportFilters(WagtailFilterSet):
    period = django_filters.DateFromToRangeFilter(
        label=_("Periode"), widget=DateRangePickerWidget, method=_keep
    )
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.order_by("name"),
        empty_label=_("Semua kecamatan"),
        method=_keep,
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Kategori"),
        queryset=Category.objects.order_by("position", "name"),
        empty_label=_("Semua kategori"),
        method=_keep,
    )

    class Meta:
        model = Shop  # the filters only carry values: the figures read them (scope())
        fields: list[str] = []

    def scope(self) -> Scope:
        default = Scope.this_year()
        if not self.is_valid():
            return default
        data = self.form.cleaned_data
        period = data.get("period")
        start = (
            (period.start.date() if isinstance(period.start, dt.datetime) else period.start)
            if period and period.start
            else default.start
        )
        end = (
            (period.stop.date() if isinstance(period.stop, dt.datetime) else period.stop)
            if period and period.stop
            else default.end
        )
        kecamatan, category = data.get("kecamatan"), data.get("category")
        return Scope(
            start,
            end,
            kecamatan.pk if kecamatan else None,
            category.pk if category else None,
        )


class CashlessReport(ReportView):
    """A report of dict rows from payments.reports.selectors, for Diskominfo only."""

    header_icon = "table"
    filterset_class = ReportFilters
    paginate_by = 100
    results_template_name = "payments/reports/results.html"
    definitions: tuple[str, ...] = ()
    chart: dict | None = None  # {"label", "value", "title", "money"}
    slug = ""
    # The table: (key, heading), or (key, heading, column class); the listing's columns and
    # the spreadsheet's headings both come from it.
    fields: tuple[tuple, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.table_fields()
        self.columns = [
            (field[2] if len(field) > 2 else Column)(field[0], label=field[1]) for field in fields
        ]
        self.list_export = [field[0] for field in fields]
        self.export_headings = {field[0]: field[1] for field in fields}

    def dispatch(self, request, *args, **kwargs):
        if not may_read_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def user_has_permission(self, permission):  # checked in dispatch
        return may_read_reports(self.request.user)

    @property
    def scope(self) -> Scope:
        return self.filters.scope() if self.filters else Scope.this_year()

    @classmethod
    def table_fields(cls) -> tuple[tuple, ...]:
        return cls.fields

    @classmethod
    def rows(cls, scope: Scope) -> list[dict]:
        raise NotImplementedError

    def get_filtered_queryset(self):
        if not hasattr(self, "_rows"):
            self._rows = self.rows(self.scope)
        return self._rows

    def get_filename(self):
        scope = self.scope
        return f"{self.export_filename}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        scope = self.scope
        context["scope"] = scope
        context["definitions"] = [DEFINITIONS[key] for key in self.definitions]
        context["report_links"] = report_links()
        if self.chart and not self.is_export:
            rows = self.get_filtered_queryset()
            if self.chart.get("skip_total"):
                rows = rows[1:]
            context["chart_svg"] = charts.bar_chart(
                rows,
                label=self.chart["label"],
                value=self.chart["value"],
                title=str(self.chart["title"]),
                money=self.chart.get("money", False),
                chart_id=self.slug,
            )
        return context


def _view(cls, name: str):
    cls.index_url_name = f"{URL_NAMESPACE}:{name}"
    cls.index_results_url_name = f"{URL_NAMESPACE}:{name}_results"
    cls.slug = name
    return cls


MERCHANT_FIELDS = (
    ("registered", _("Terdaftar")),
    ("verified", _("Terverifikasi")),
    ("qris", _("Dengan QRIS")),
    ("paid_cashless", _("Dibayar nontunai")),
    ("tourism_verified", _("Pelaku wisata terverifikasi")),
    ("tourism_paid_cashless", _("Pelaku wisata dibayar nontunai")),
)


class MerchantsReport(CashlessReport):
    page_title = _("Ekonomi nontunai: merchant")
    export_filename = "merchant-nontunai"
    definitions = ("registered", "verified", "qris", "paid_cashless", "tourism")
    group = "kecamatan"
    chart = {
        "label": "name",
        "value": "paid_cashless",
        "title": _("Merchant yang dibayar nontunai, per kecamatan"),
        "skip_total": True,
    }
    fields = (("name", _("Kecamatan")), *MERCHANT_FIELDS)

    @classmethod
    def rows(cls, scope):
        return selectors.merchants(scope, cls.group)


class MerchantsByCategoryReport(MerchantsReport):
    page_title = _("Ekonomi nontunai: merchant per kategori")
    export_filename = "merchant-nontunai-kategori"
    group = "category"
    chart = {**MerchantsReport.chart, "title": _("Merchant yang dibayar nontunai, per kategori")}
    fields = (("name", _("Kategori")), *MERCHANT_FIELDS)


MONEY_FIELDS = (
    ("payments", _("Jumlah pembayaran")),
    ("value", _("Nilai dibayar (Rp)")),
    ("refunded", _("Dikembalikan (Rp)")),
    ("net", _("Nilai bersih (Rp)")),
    ("share", _("Pangsa nilai bersih (%)")),
)


class PaymentsReport(CashlessReport):
    group = "month"
    group_label = _("Bulan")
    page_title = _("Ekonomi nontunai: pembayaran per bulan")
    export_filename = "pembayaran-nontunai-bulan"
    definitions = ("value", "cashless_share")

    @classmethod
    def table_fields(cls):
        return (("name", cls.group_label), *MONEY_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chart = {
            "label": "name",
            "value": "net",
            "title": _("Nilai bersih per %(group)s") % {"group": str(self.group_label).lower()},
            "money": True,
            "skip_total": True,
        }

    @classmethod
    def rows(cls, scope):
        return selectors.payments_by(scope, cls.group)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:  # the spreadsheet has the table only
            context["share"] = selectors.cashless_share(context["scope"])
        return context


class PaymentsByKecamatanReport(PaymentsReport):
    group, group_label = "kecamatan", _("Kecamatan")
    page_title = _("Ekonomi nontunai: pembayaran per kecamatan")
    export_filename = "pembayaran-nontunai-kecamatan"


class PaymentsByCategoryReport(PaymentsReport):
    group, group_label = "category", _("Kategori")
    page_title = _("Ekonomi nontunai: pembayaran per kategori")
    export_filename = "pembayaran-nontunai-kategori"


class PaymentsByMethodReport(PaymentsReport):
    group, group_label = "method", _("Metode")
    page_title = _("Ekonomi nontunai: pembayaran per metode")
    export_filename = "pembayaran-nontunai-metode"


class AdoptionReport(CashlessReport):
    page_title = _("Ekonomi nontunai: adopsi per bulan")
    export_filename = "adopsi-nontunai"
    definitions = ("paid_cashless",)
    chart = {
        "label": "name",
        "value": "merchants_so_far",
        "title": _("Merchant yang pernah dibayar nontunai, per akhir bulan"),
    }
    fields = (
        ("name", _("Bulan")),
        ("merchants", _("Merchant dibayar nontunai bulan itu")),
        ("merchants_so_far", _("Merchant dibayar nontunai sejak awal periode")),
    )

    @classmethod
    def rows(cls, scope):
        return selectors.adoption_by_month(scope)


class LostSalesReport(CashlessReport):
    page_title = _("Penjualan hilang: pesanan kedaluwarsa")
    export_filename = "pesanan-kedaluwarsa"
    definitions = ("lost_sales",)
    chart = {
        "label": "name",
        "value": "value",
        "title": _("Nilai pesanan kedaluwarsa per kecamatan"),
        "money": True,
        "skip_total": True,
    }
    fields = (("name", _("Kecamatan")), ("orders", _("Pesanan")), ("value", _("Nilai (Rp)")))

    @classmethod
    def rows(cls, scope):
        return selectors.lost_sales(scope)


class WaitingReport(CashlessReport):
    page_title = _("Toko menunggu verifikasi")
    export_filename = "toko-menunggu-verifikasi"
    definitions = ("waiting",)
    filterset_class = None
    fields = (
        ("name", _("Toko")),
        ("kecamatan", _("Kecamatan")),
        ("category", _("Kategori")),
        ("submitted_at", _("Diajukan"), DateColumn),
        ("days_waiting", _("Hari menunggu")),
    )

    @classmethod
    def rows(cls, scope):
        return selectors.waiting_verification()


class TopShopsReport(CashlessReport):
    page_title = _("Toko teratas")
    export_filename = "toko-teratas"
    definitions = ("top",)
    chart = {"label": "name", "value": "net", "title": _("Nilai bersih per toko"), "money": True}
    fields = (
        ("name", _("Toko")),
        ("kecamatan", _("Kecamatan")),
        ("payments", _("Jumlah pembayaran")),
        ("net", _("Nilai bersih (Rp)")),
    )

    @classmethod
    def rows(cls, scope):
        return selectors.top_shops(scope)


class TopProductsReport(CashlessReport):
    page_title = _("Produk teratas")
    export_filename = "produk-teratas"
    definitions = ("top",)
    fields = (
        ("name", _("Produk")),
        ("shop", _("Toko")),
        ("quantity", _("Terjual")),
        ("value", _("Nilai (Rp)")),
    )

    @classmethod
    def rows(cls, scope):
        return selectors.top_products(scope)


REPORTS = [
    ("merchants", "", MerchantsReport, _("Merchant per kecamatan")),
    (
        "merchants_category",
        "merchant-kategori/",
        MerchantsByCategoryReport,
        _("Merchant per kategori"),
    ),
    ("adoption", "adopsi/", AdoptionReport, _("Adopsi per bulan")),
    ("payments", "pembayaran/", PaymentsReport, _("Pembayaran per bulan")),
    (
        "payments_kecamatan",
        "pembayaran-kecamatan/",
        PaymentsByKecamatanReport,
        _("Pembayaran per kecamatan"),
    ),
    (
        "payments_category",
        "pembayaran-kategori/",
        PaymentsByCategoryReport,
        _("Pembayaran per kategori"),
    ),
    ("payments_method", "pembayaran-metode/", PaymentsByMethodReport, _("Pembayaran per metode")),
    ("lost_sales", "kedaluwarsa/", LostSalesReport, _("Penjualan hilang")),
    ("waiting", "menunggu-verifikasi/", WaitingReport, _("Menunggu verifikasi")),
    ("top_shops", "toko-teratas/", TopShopsReport, _("Toko teratas")),
    ("top_products", "produk-teratas/", TopProductsReport, _("Produk teratas")),
]
for _name, _path, _cls, _title in REPORTS:
    _view(_cls, _name)


def report_links() -> list[tuple[str, str]]:
    from django.urls import reverse

    return [(str(title), reverse(f"{URL_NAMESPACE}:{name}")) for name, _p, _c, title in REPORTS]
