"""The cashless reports in the Wagtail admin: /cms-admin/reports/cashless/ and beside it, and
a menu item under Laporan for those who may read them (payments.reports.permissions)."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from payments.reports import evidence
from payments.reports.permissions import may_read_reports
from payments.reports.views import REPORTS, URL_NAMESPACE


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_reports(request.user)


@hooks.register("register_admin_urls")
def register_cashless_report_urls():
    urls = []
    for name, route, view, _title in REPORTS:
        urls.append(path(route, view.as_view(), name=name))
        urls.append(
            path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results")
        )
    urls.append(path("bukti-tahunan/", evidence.evidence_view, name="evidence"))
    return [path("reports/cashless/", include((urls, URL_NAMESPACE), namespace=URL_NAMESPACE))]


@hooks.register("register_reports_menu_item")
def register_cashless_menu_item():
    return ReportsMenuItem(
        _("Ekonomi nontunai"),
        reverse(f"{URL_NAMESPACE}:merchants"),
        name="cashless-reports",
        icon_name="table",
        order=900,
    )
