"""Campaign reach in the Wagtail admin (Laporan → Jangkauan kampanye): per campaign page the
visits its shared links brought (utm_campaign is the page's slug, cms.templatetags.promotion),
the orders placed and the money paid, from marketplace.selectors.campaigns; filters by
period, spreadsheet export. For Diskominfo (marketplace.access.is_diskominfo)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from cms.models import CampaignPage
from marketplace.access import is_diskominfo as may_read
from marketplace.models import Order
from marketplace.selectors.campaigns import campaign_reach


class ReachFilters(WagtailFilterSet):
    period = django_filters.DateFromToRangeFilter(
        label=_("Periode"), widget=DateRangePickerWidget, method=lambda qs, name, value: qs
    )

    class Meta:
        model = Order
        fields: list[str] = []

    def period_or_default(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        start, end = today - dt.timedelta(days=89), today
        if self.is_valid() and self.form.cleaned_data.get("period"):
            period = self.form.cleaned_data["period"]
            start = _date(period.start) or start
            end = _date(period.stop) or end
        return start, end


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def reach_rows(start: dt.date, end: dt.date) -> list[dict]:
    """campaign_reach's rows with the campaign page's title where the campaign is a page."""
    rows = campaign_reach(start, end)
    titles = dict(
        CampaignPage.objects.filter(
            slug__in=[r["campaign"] for r in rows], locale__language_code="id"
        ).values_list("slug", "title")
    )
    return [{**row, "title": titles.get(row["campaign"], "")} for row in rows]


class CampaignReachReport(ReportView):
    page_title = _("Jangkauan kampanye")
    header_icon = "link"
    index_url_name = "campaign_reach"
    index_results_url_name = "campaign_reach_results"
    export_filename = "jangkauan-kampanye"
    filterset_class = ReachFilters
    paginate_by = 100
    columns = [
        Column("campaign", label=_("Kampanye (utm_campaign)")),
        Column("title", label=_("Halaman kampanye")),
        Column("visits", label=_("Kunjungan")),
        Column("orders", label=_("Pesanan")),
        Column("paid_orders", label=_("Pesanan dibayar")),
        Column("paid_value", label=_("Nilai dibayar (Rp)")),
    ]
    list_export = ["campaign", "title", "visits", "orders", "paid_orders", "paid_value"]
    export_headings = {
        "campaign": _("Kampanye (utm_campaign)"),
        "title": _("Halaman kampanye"),
        "visits": _("Kunjungan"),
        "orders": _("Pesanan"),
        "paid_orders": _("Pesanan dibayar"),
        "paid_value": _("Nilai dibayar (Rp)"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_read(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def user_has_permission(self, permission):
        return may_read(self.request.user)

    def get_filtered_queryset(self):
        start, end = self.filters.period_or_default() if self.filters else (None, None)
        return reach_rows(start, end)
