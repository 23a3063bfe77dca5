"""Places a tourist travels to: destinations (a place and what is bookable there, by its
kecamatan) and tourism villages (desa wisata: their story, what they offer, and their shops'
products by the village's desa)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock

from cms import selectors
from cms.models.promotion import PromotionPage


class MapPosition(models.Model):
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    map_panel = FieldRowPanel(["latitude", "longitude"], heading=_("Posisi di peta"))

    class Meta:
        abstract = True


class DestinationIndexPage(PromotionPage):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.DestinationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("daftar destinasi")

    def catalog_context(self, request) -> dict:
        return {
            **super().catalog_context(request),
            "children": selectors.child_pages(self, DestinationPage),
        }


class DestinationPage(MapPosition, PromotionPage):  # noqa: DJ008 (Page has __str__)
    """A place (Balige, Pantai Lumban Bulbul, Bukit Senyum): photos, map position, how to get
    there, and the experiences and stays bookable in its kecamatan."""

    kecamatan = models.ForeignKey(
        "marketplace.Kecamatan",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Pengalaman dan penginapan di kecamatan ini tampil di halaman."),
    )
    getting_there = RichTextField(
        _("cara ke sana"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )

    content_panels = [
        *PromotionPage.content_panels[:1],
        "kecamatan",
        MapPosition.map_panel,
        *PromotionPage.content_panels[1:],
        FieldPanel("getting_there"),
    ]
    parent_page_types = ["cms.DestinationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("destinasi")
        verbose_name_plural = _("destinasi")

    def catalog_context(self, request) -> dict:
        return {
            **super().catalog_context(request),
            "bookable": selectors.bookable_in_kecamatan(self.kecamatan_id),
        }

    def structured_data(self, request) -> dict:
        return place_data(self, request, address=self.kecamatan.name)


class OfferBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("jenis"),
        choices=[
            ("attraction", _("Atraksi")),
            ("homestay", _("Homestay")),
            ("souvenir", _("Oleh-oleh")),
            ("facility", _("Fasilitas")),
        ],
    )
    name = blocks.CharBlock(label=_("nama"), max_length=120)
    description = blocks.TextBlock(label=_("keterangan"), required=False)
    image = ImageBlock(label=_("gambar"), required=False)

    class Meta:
        icon = "pick"
        label = _("Yang ditawarkan")
        template = "cms/blocks/offer.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = dict(self.child_blocks["kind"].field.choices).get(value["kind"], "")
        return context


class VillageIndexPage(PromotionPage):
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.VillagePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("daftar desa wisata")

    def catalog_context(self, request) -> dict:
        return {
            **super().catalog_context(request),
            "children": selectors.child_pages(self, VillagePage),
        }


class VillagePage(MapPosition, PromotionPage):  # noqa: DJ008 (Page has __str__)
    """A tourism village (desa wisata): its story, photos and map position, what it offers,
    and the live products of the shops in its desa."""

    desa = models.ForeignKey(
        "marketplace.Desa",
        verbose_name=_("desa"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Produk toko-toko di desa ini tampil di halaman."),
    )
    story = RichTextField(
        _("cerita desa"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    offers = StreamField([("offer", OfferBlock())], verbose_name=_("yang ditawarkan"), blank=True)

    content_panels = [
        *PromotionPage.content_panels[:1],
        "desa",
        MapPosition.map_panel,
        "hero_image",
        "intro",
        FieldPanel("story"),
        "offers",
        "body",
    ]
    parent_page_types = ["cms.VillageIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("desa wisata")
        verbose_name_plural = _("desa wisata")

    def catalog_context(self, request) -> dict:
        return {
            **super().catalog_context(request),
            "village": selectors.village_catalog(self.desa_id),
        }

    def structured_data(self, request) -> dict:
        return place_data(self, request, address=self.desa.name)


def place_data(page, request, address: str) -> dict:
    """schema.org TouristAttraction of a destination or a tourism village."""
    data = {
        "@context": "https://schema.org",
        "@type": "TouristAttraction",
        "name": page.title,
        "description": page.description,
        "url": page.get_full_url(request),
        "image": page.share_image_url(request),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": address,
            "addressRegion": "Toba, Sumatera Utara",
            "addressCountry": "ID",
        },
    }
    if page.latitude is not None and page.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(page.latitude),
            "longitude": float(page.longitude),
        }
    return data
