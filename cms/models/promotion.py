"""What every promotion page shares: a hero image, a body from the block library, and what a
link shared on WhatsApp or Instagram shows (SEO title and description are Wagtail's own)."""

from __future__ import annotations

from django.db import models
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.blocks import BodyBlock


class PromotionPage(Page):
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar utama"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = models.TextField(
        _("ringkasan"),
        blank=True,
        max_length=400,
        help_text=_("Satu atau dua kalimat di bawah judul; juga deskripsi bila kosong."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("isi"), blank=True)
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar untuk media sosial"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tampil saat tautan dibagikan; bila kosong, gambar utama."),
    )

    content_panels = [*Page.content_panels, "hero_image", "intro", "body"]
    promote_panels = [*Page.promote_panels, FieldPanel("social_image")]

    class Meta:
        abstract = True

    def get_full_url(self, request=None):
        """The page's address as the visitor reached the site (its host, http or https), where
        there is a request; the Wagtail Site's otherwise."""
        if request is not None:
            url = self.get_url(request)
            return request.build_absolute_uri(url) if url else None
        return super().get_full_url(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.catalog_context(request))
        return context

    def catalog_context(self, request) -> dict:
        """What the page lists from the catalog: at least the cards of its body's catalog
        blocks, loaded at once (cms.selectors.featured_for)."""
        from cms import selectors

        return {"featured": selectors.featured_for(self.body)}

    def structured_data(self, request) -> dict | None:
        """The page's schema.org JSON-LD, where a type fits it (events, places, articles)."""
        return None

    def share_image_url(self, request) -> str:
        """The absolute address of the picture a shared link shows: a 1200×630 rendition of
        the share image, else the site's default picture."""
        if not hasattr(self, "_share_image_url"):
            image = self.share_image
            if image is not None:
                url = image.get_rendition("fill-1200x630|format-jpeg|jpegquality-80").url
            else:
                url = static("img/og-default.jpg")
            self._share_image_url = request.build_absolute_uri(url)
        return self._share_image_url

    @property
    def share_image(self):
        """The image a shared link shows: the social image, else the hero."""
        return self.social_image or self.hero_image

    @property
    def description(self) -> str:
        """The meta description: the editor's search description, else the intro."""
        text = self.search_description or strip_tags(self.intro or "").strip()[:300]
        return text or gettext("Pasar digital UMKM dan wisata Kabupaten Toba")
