from django.db import models
from django.utils.translation import gettext_lazy as _


class Kabupaten(models.Model):
    """The regency that runs this marketplace (one per installation, kept as data)."""

    name = models.CharField(_("nama"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    province = models.CharField(_("provinsi"), max_length=100)

    class Meta:
        verbose_name = _("kabupaten")
        verbose_name_plural = _("kabupaten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Kecamatan(models.Model):
    """A district of the kabupaten; shops and experiences are found by it."""

    kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, related_name="kecamatan")
    name = models.CharField(_("nama"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "name"], name="kecamatan_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
