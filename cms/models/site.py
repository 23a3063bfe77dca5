"""What every page's frame shows: the site's contact and social links (a Wagtail site setting)
and an announcement banner (a translatable snippet with its own dates)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import TranslatableMixin
from wagtail.snippets.models import register_snippet


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    contact_email = models.EmailField(_("email kontak"), blank=True)
    contact_phone = models.CharField(_("telepon kontak"), max_length=30, blank=True)
    address = models.CharField(_("alamat kantor"), max_length=250, blank=True)
    whatsapp = models.CharField(_("nomor WhatsApp"), max_length=20, blank=True)
    facebook = models.URLField(_("Facebook"), blank=True)
    instagram = models.URLField(_("Instagram"), blank=True)
    tiktok = models.URLField(_("TikTok"), blank=True)
    youtube = models.URLField(_("YouTube"), blank=True)
    footer_text = models.CharField(_("teks kaki halaman"), max_length=250, blank=True)
    footer_text_en = models.CharField(_("teks kaki halaman (Inggris)"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("pengaturan situs")

    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("Facebook", self.facebook),
            ("Instagram", self.instagram),
            ("TikTok", self.tiktok),
            ("YouTube", self.youtube),
        ]
        return [(name, url) for name, url in links if url]


class AnnouncementQuerySet(models.QuerySet):
    def showing(self, language_code: str):
        """The banners showing now on pages in that language, newest first."""
        now = timezone.now()
        return self.filter(
            Q(show_from__isnull=True) | Q(show_from__lte=now),
            Q(show_until__isnull=True) | Q(show_until__gt=now),
            locale__language_code=language_code,
            active=True,
        ).order_by("-show_from", "-pk")


@register_snippet
class AnnouncementBanner(TranslatableMixin, models.Model):
    """A line above every page ("Festival Danau Toba 12-15 Des: daftar sekarang")."""

    text = models.CharField(_("teks"), max_length=200)
    link = models.URLField(_("tautan"), blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("atau halaman"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("tampil"), default=True)
    show_from = models.DateTimeField(_("tampil mulai"), null=True, blank=True)
    show_until = models.DateTimeField(_("tampil sampai"), null=True, blank=True)

    objects = AnnouncementQuerySet.as_manager()
    panels = ["text", "link", "link_page", "active", "show_from", "show_until"]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")

    def __str__(self) -> str:
        return self.text

    @property
    def url(self) -> str:
        if self.link_page_id and self.link_page:
            return self.link_page.url
        return self.link
