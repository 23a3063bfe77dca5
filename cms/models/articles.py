from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.snippets.models import register_snippet

from cms.models.promotion import PromotionPage


@register_snippet
class ArticleTopic(TranslatableMixin, models.Model):
    """What an article is about ("Cerita pembuat", "Berita"), translated like pages are."""

    name = models.CharField(_("nama"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80)

    panels = ["name", "slug"]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topik artikel")
        verbose_name_plural = _("topik artikel")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


class ArticleIndexPage(PromotionPage):
    """/artikel/: the articles, newest first, by topic (?topik=slug)."""

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("daftar artikel")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.article_listing(self, request.GET.get("topik", "")))
        return context


class ArticlePage(PromotionPage):
    """News, and the stories of the region's makers."""

    date = models.DateField(_("tanggal"), default=timezone.localdate)
    author = models.CharField(_("penulis"), max_length=120, blank=True)
    topic = models.ForeignKey(
        ArticleTopic,
        verbose_name=_("topik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )

    content_panels = [
        *PromotionPage.content_panels[:1],
        "date",
        "author",
        FieldPanel("topic"),
        *PromotionPage.content_panels[1:],
    ]
    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artikel")

    def structured_data(self, request) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.seo_title or self.title,
            "description": self.description,
            "datePublished": self.date.isoformat(),
            "image": [self.share_image_url(request)],
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
            "publisher": {"@type": "GovernmentOrganization", "name": "Diskominfo Kabupaten Toba"},
        }
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        if self.author:
            data["author"] = {"@type": "Person", "name": self.author}
        return data
