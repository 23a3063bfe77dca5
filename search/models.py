from django.db import models
from django.utils.translation import gettext_lazy as _


class SynonymGroup(models.Model):
    """Words a tourist may use for the same thing ("ulos, kain tenun"). Editors change them in
    the Wagtail admin; both backends apply them at once (search.synonyms)."""

    terms = models.CharField(
        _("kata-kata sepadan"),
        max_length=300,
        help_text=_("Dipisah koma, misalnya: homestay, penginapan, guest house"),
    )
    gloss_en = models.CharField(
        _("penjelasan dalam bahasa Inggris"),
        max_length=200,
        blank=True,
        help_text=_("Untuk kata lokal, misalnya andaliman: Batak pepper (a citrusy spice)"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sinonim pencarian")
        verbose_name_plural = _("sinonim pencarian")
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        return [t.strip().lower() for t in self.terms.split(",") if t.strip()]


class IndexMark(models.Model):
    """A product whose index entry is out of date: written by event handlers, cleared by the
    indexing task once the backends hold the new version (search.indexing)."""

    product_id = models.PositiveBigIntegerField(primary_key=True)
    marked_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("antrean indeks")
        verbose_name_plural = _("antrean indeks")

    def __str__(self) -> str:
        return f"product {self.product_id}"


class SearchQueryLog(models.Model):
    """One search a visitor made: what Diskominfo reads to learn what tourists look for."""

    text = models.CharField(_("kata kunci"), max_length=200, db_index=True)
    normalized = models.CharField(max_length=200, db_index=True)  # lowercased, spaces squeezed
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    result_count = models.PositiveIntegerField(_("jumlah hasil"))
    took_ms = models.PositiveIntegerField(_("waktu (ms)"))
    language = models.CharField(max_length=8, default="id")
    source = models.CharField(max_length=10, default="page")  # "page", "api"
    searched_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pencarian pengunjung")
        verbose_name_plural = _("pencarian pengunjung")
        indexes = [models.Index(fields=["searched_at", "normalized"])]

    def __str__(self) -> str:
        return self.text
