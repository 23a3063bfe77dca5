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


class SearchEntry(models.Model):
    """One public product as the database backend searches it (search.backends.database): the
    ProductDocument's fields, denormalised. PostgreSQL adds a stored `document` tsvector column
    and trigram indexes in migration 0002; SQLite keeps an FTS5 table (search_fts) beside it."""

    product_id = models.PositiveBigIntegerField(primary_key=True)
    slug = models.CharField(max_length=220)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=12)
    category_slug = models.CharField(max_length=100)
    category_label = models.CharField(max_length=120)
    category_label_en = models.CharField(max_length=120, blank=True)
    kecamatan_slug = models.CharField(max_length=100)
    kecamatan_label = models.CharField(max_length=120)
    desa = models.CharField(max_length=120, blank=True)
    shop_slug = models.CharField(max_length=120)
    shop_name = models.CharField(max_length=150)
    price = models.PositiveBigIntegerField()
    in_stock = models.BooleanField(default=False)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("entri pencarian")
        verbose_name_plural = _("entri pencarian")
        indexes = [
            models.Index(fields=["category_slug"]),
            models.Index(fields=["kecamatan_slug"]),
            models.Index(fields=["kind", "price"]),
            models.Index(fields=["shop_slug"]),
            models.Index(fields=["price"]),
            models.Index(fields=["published_at"]),
            models.Index(fields=["latitude", "longitude"]),
        ]

    def __str__(self) -> str:
        return self.title


class SearchEntryDay(models.Model):
    """A day an entry can be had: an experience's slot with places left, a stay's free night."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "entry"], name="search_entry_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.day}"
