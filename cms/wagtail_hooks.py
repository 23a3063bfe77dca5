"""The page editor's catalog choosers (products, experiences, shops), and the campaign reach
report under Laporan (cms.reports)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.choosers import experience_chooser, product_chooser, shop_chooser
from cms.reports import CampaignReachReport, may_read


@hooks.register("register_admin_viewset")
def register_catalog_choosers():
    return [product_chooser, experience_chooser, shop_chooser]


@hooks.register("register_admin_urls")
def register_campaign_reach_urls():
    return [
        path("reports/kampanye/", CampaignReachReport.as_view(), name="campaign_reach"),
        path(
            "reports/kampanye/results/",
            CampaignReachReport.as_view(results_only=True),
            name="campaign_reach_results",
        ),
    ]


class ReachMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read(request.user)


@hooks.register("register_reports_menu_item")
def register_campaign_reach_menu_item():
    return ReachMenuItem(
        _("Jangkauan kampanye"),
        reverse("campaign_reach"),
        name="campaign-reach",
        icon_name="link",
        order=950,
    )
