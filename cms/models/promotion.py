"""What every promotion page shares: a hero image, a body from the block library, and what a
link shared on WhatsApp or Instagram shows (SEO title and description are Wagtail's own)."""

from __future__ import annotations

from django.db import models
from django.utils.html import strip_tags
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

    @property
    def share_image(self):
        """The image a shared link shows: the social image, else the hero."""
        return self.social_image or self.hero_image

    @property
    def description(self) -> str:
        """The meta description: the editor's search description, else the intro."""
        return self.search_description or strip_tags(self.intro or "").strip()[:300]
