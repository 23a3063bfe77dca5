from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from marketplace.languages import site_language
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

    def hero_in(self, language: str) -> tuple[HomePage, bool]:
        """The page whose hero and intro to show in `language`, and whether that is a fallback:
        a live translation in that language when there is one, else this page as it is."""
        if language == self.locale.language_code:
            return self, False
        translation = (
            self.get_translations().filter(locale__language_code=language).live().specific().first()
        )
        return (translation, False) if translation is not None else (self, True)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # /en/ without an English translation shows the Indonesian hero, and says so.
        context["hero"], context["hero_fallback"] = self.hero_in(site_language())
        context["categories"] = Category.objects.filter(shops__status="verified").distinct()
        context["latest_products"] = product_cards(public_products()).order_by(
            "-published_at", "-id"
        )[:8]
        return context
