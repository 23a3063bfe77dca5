from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .regions import Kecamatan

NIB_VALIDATOR = RegexValidator(r"^\d{13}$", _("NIB terdiri dari 13 angka."))


class Category(models.Model):
    """A line of business, shared by shops and products (tenun dan ulos, kopi, homestay...)."""

    name = models.CharField(_("nama"), max_length=80, unique=True)
    name_en = models.CharField(_("nama (Inggris)"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Desa(models.Model):
    """A village (desa or kelurahan) inside a kecamatan."""

    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="desa")
    name = models.CharField(_("nama"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("desa")
        verbose_name_plural = _("desa")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "name"], name="desa_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.kecamatan}"


class ShopStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PENDING = "pending", _("Menunggu verifikasi")
    VERIFIED = "verified", _("Terverifikasi")
    REJECTED = "rejected", _("Ditolak")
    SUSPENDED = "suspended", _("Ditangguhkan")


class Shop(models.Model):
    """A seller's shop. Public only when verified by Diskominfo."""

    name = models.CharField(_("nama toko"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    story = models.TextField(_("cerita toko"), blank=True)
    story_en = models.TextField(_("cerita toko (Inggris)"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="shops", verbose_name=_("kategori")
    )
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="shops", verbose_name=_("kecamatan")
    )
    desa = models.ForeignKey(
        Desa, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("desa")
    )
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    whatsapp = models.CharField(_("nomor WhatsApp"), max_length=16, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, validators=[NIB_VALIDATOR])
    bank_name = models.CharField(_("nama bank"), max_length=60, blank=True)
    bank_account_number = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    bank_account_name = models.CharField(_("atas nama"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ShopStatus.choices, default=ShopStatus.DRAFT
    )
    status_reason = models.TextField(_("alasan"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ShopMember", related_name="shops"
    )

    class Meta:
        verbose_name = _("toko")
        verbose_name_plural = _("toko")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "kecamatan", "category"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == ShopStatus.VERIFIED


class ShopRole(models.TextChoices):
    OWNER = "owner", _("Pemilik")
    STAFF = "staff", _("Staf")


class ShopMember(models.Model):
    """Who may run a shop. Owners manage staff and the shop profile; staff manage products
    and orders."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships"
    )
    role = models.CharField(_("peran"), max_length=8, choices=ShopRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("anggota toko")
        verbose_name_plural = _("anggota toko")
        constraints = [
            models.UniqueConstraint(fields=["shop", "user"], name="shop_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) @ {self.shop}"
