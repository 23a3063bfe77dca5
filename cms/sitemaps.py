"""Every live promotion page in /sitemap.xml, in both languages: Wagtail's own sitemap lists the
site root's descendants only, and the English tree is a sibling of the Indonesian one."""

from __future__ import annotations

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class PromotionSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        in_any_language = Q()
        for tree in [root, *root.get_translations()]:
            in_any_language |= Q(path__startswith=tree.path)
        return (
            Page.objects.filter(in_any_language)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
