from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldRowPanel

from cms.models.promotion import PromotionPage


class CampaignIndexPage(PromotionPage):
    """/kampanye/: the running campaigns, then the ended ones."""

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("daftar kampanye")

    def catalog_context(self, request) -> dict:
        from cms import selectors

        return {**super().catalog_context(request), **selectors.campaign_listing(self)}


class CampaignPage(PromotionPage):
    """A campaign ("Festival Danau Toba", "Bangga Buatan Toba"): on the home page between its
    dates, and gone from it by itself once it ends."""

    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"))

    content_panels = [
        *PromotionPage.content_panels[:1],
        FieldRowPanel(["start_date", "end_date"], heading=_("Tanggal kampanye")),
        *PromotionPage.content_panels[1:],
    ]
    parent_page_types = ["cms.CampaignIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("kampanye")
        verbose_name_plural = _("kampanye")

    def catalog_context(self, request) -> dict:
        return {**super().catalog_context(request), "today": timezone.localdate()}

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Tanggal selesai sebelum tanggal mulai.")})

    def is_running(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.start_date <= today <= self.end_date
