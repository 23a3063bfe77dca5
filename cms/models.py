from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from marketplace.models import Category
from marketplace.selectors import public_products
from marketplace.selectors.storefront import product_cards


class HomePage(Page):
    """The front page: the regency's welcome to visitors, edited by Diskominfo."""

    hero_title = models.CharField(_("judul utama"), max_length=120, blank=True)
    hero_text = models.CharField(_("teks utama"), max_length=250, blank=True)
    intro = RichTextField(_("pengantar"), blank=True)

    content_panels = [*Page.content_panels, "hero_title", "hero_text", FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("halaman beranda")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = Category.objects.filter(shops__status="verified").distinct()
        context["latest_products"] = product_cards(public_products()).order_by(
            "-published_at", "-id"
        )[:8]
        return context
