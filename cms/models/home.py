from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField

from cms import selectors
from cms.blocks import ProductChooserBlock, ShopChooserBlock
from cms.models.promotion import PromotionPage
from marketplace.languages import site_language
from marketplace.models import Category


class HomePage(PromotionPage):
    """The front page: the regency's welcome, running campaigns, editor-picked shops and
    products (filled up from the live catalog), upcoming events, destinations and tourism
    villages."""

    hero_title = models.CharField(_("judul utama"), max_length=120, blank=True)
    hero_text = models.CharField(_("teks utama"), max_length=250, blank=True)
    intro = RichTextField(_("pengantar"), blank=True)  # rich text here, since migration 0001
    featured_products = StreamField(
        [("product", ProductChooserBlock())],
        verbose_name=_("produk pilihan"),
        blank=True,
        help_text=_("Sampai 8; sisanya diisi produk terbaru."),
    )
    featured_shops = StreamField(
        [("shop", ShopChooserBlock())],
        verbose_name=_("toko pilihan"),
        blank=True,
        help_text=_("Sampai 6; sisanya diisi toko yang baru diverifikasi."),
    )

    content_panels = [
        *PromotionPage.content_panels[:1],
        MultiFieldPanel(
            ["hero_title", "hero_text", "hero_image"], heading=_("Bagian utama (hero)")
        ),
        FieldPanel("intro"),
        "featured_products",
        "featured_shops",
        "body",
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.CampaignIndexPage",
        "cms.DestinationIndexPage",
        "cms.VillageIndexPage",
        "cms.ArticleIndexPage",
        "cms.EventIndexPage",
    ]
    max_count = 2  # the Indonesian home page and its English translation

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

    def catalog_context(self, request) -> dict:
        # /en/ without an English translation shows the Indonesian hero, and says so.
        hero, fallback = self.hero_in(site_language())
        listing = selectors.home_listing(hero)
        return {
            **listing,
            "hero": hero,
            "hero_fallback": fallback,
            "categories": Category.objects.filter(shops__status="verified").distinct(),
        }
