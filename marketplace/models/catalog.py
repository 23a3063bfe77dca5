from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .shops import Category, Shop


class ProductKind(models.TextChoices):
    GOODS = "goods", _("Barang")
    EXPERIENCE = "experience", _("Pengalaman wisata")
    STAY = "stay", _("Penginapan")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    ACTIVE = "active", _("Aktif")
    ARCHIVED = "archived", _("Diarsipkan")


class Product(models.Model):
    """Something a shop sells: goods (with variants), an experience (dated slots) or a stay
    (nights). `price` is whole rupiah: the lowest variant price for goods, the price per person
    for an experience, the nightly price for a stay."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    kind = models.CharField(_("jenis"), max_length=10, choices=ProductKind.choices)
    title = models.CharField(_("nama produk"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    description = models.TextField(_("deskripsi"), blank=True)
    # What /en/ pages show instead, when the seller wrote it (else the Indonesian).
    title_en = models.CharField(_("nama produk (Inggris)"), max_length=150, blank=True)
    description_en = models.TextField(_("deskripsi (Inggris)"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("kategori")
    )
    price = models.PositiveIntegerField(_("harga (Rp)"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    weight_grams = models.PositiveIntegerField(_("berat (gram)"), default=0)
    low_stock_threshold = models.PositiveIntegerField(_("batas stok menipis"), default=3)
    # What a tourist asks before booking an experience (blank for other kinds).
    duration_minutes = models.PositiveIntegerField(_("durasi (menit)"), null=True, blank=True)
    meeting_point = models.CharField(_("titik kumpul"), max_length=200, blank=True)
    meeting_latitude = models.DecimalField(
        _("lintang titik kumpul"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    meeting_longitude = models.DecimalField(
        _("bujur titik kumpul"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    included = models.TextField(_("sudah termasuk"), blank=True)
    guide_languages = models.CharField(_("bahasa pemandu"), max_length=120, blank=True)
    group_size_max = models.PositiveSmallIntegerField(
        _("ukuran grup maksimum"), null=True, blank=True
    )
    cancellation_terms = models.TextField(_("ketentuan pembatalan"), blank=True)
    # ... and before booking a stay.
    guests_per_room = models.PositiveSmallIntegerField(_("tamu per kamar"), null=True, blank=True)
    check_in_time = models.TimeField(_("jam check-in"), null=True, blank=True)
    check_out_time = models.TimeField(_("jam check-out"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "kind", "category"]),
            models.Index(fields=["shop", "status"]),
            # Newest-first lists (API, home) read these instead of sorting every product.
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(status="active"),
                name="product_active_newest",
            ),
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(status="active"),
                name="product_active_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProductPhoto(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.product} #{self.position}"


class Variant(models.Model):
    """A sellable form of a goods product (size, motif, roast), with its own price and stock.
    Every goods product has at least one.

    Stock in django-oscar's words: `on_hand` is what the seller has on the shelf (the seller sets
    it); `allocated` is what unpaid and unshipped orders hold. Free to sell is the difference.
    An order allocates; shipping consumes (both drop); expiry or cancellation releases exactly
    what that order allocated. The seller never overwrites `allocated`."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("varian"), max_length=100)
    sku = models.CharField(_("SKU"), max_length=60, blank=True)
    price = models.PositiveIntegerField(_("harga (Rp)"))
    on_hand = models.PositiveIntegerField(_("stok di tangan"), default=0)
    allocated = models.PositiveIntegerField(_("dipesan"), default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("varian")
        verbose_name_plural = _("varian")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(on_hand__gte=0, allocated__gte=0), name="variant_stock_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(allocated__lte=models.F("on_hand")),
                name="variant_allocated_lte_on_hand",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} – {self.name}"

    @property
    def free(self) -> int:
        """Units that can still be sold."""
        return max(self.on_hand - self.allocated, 0)


class ExperienceSlot(models.Model):
    """One dated departure of an experience, with room for `capacity` people."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("mulai"))
    capacity = models.PositiveIntegerField(_("kapasitas"))
    booked = models.PositiveIntegerField(_("terpesan"), default=0)

    class Meta:
        verbose_name = _("jadwal")
        verbose_name_plural = _("jadwal")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
            models.UniqueConstraint(fields=["product", "starts_at"], name="slot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return self.capacity - self.booked


class StayNight(models.Model):
    """How many rooms of a stay there are on one night (`rooms`, set by the seller) and how many
    of them orders hold (`booked`). Free rooms are the difference."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="nights")
    night = models.DateField(_("malam"))
    rooms = models.PositiveIntegerField(_("jumlah kamar"))
    booked = models.PositiveIntegerField(_("kamar terpesan"), default=0)

    class Meta:
        verbose_name = _("malam")
        verbose_name_plural = _("malam")
        ordering = ["night"]
        constraints = [
            models.UniqueConstraint(fields=["product", "night"], name="stay_night_once"),
            models.CheckConstraint(
                condition=models.Q(rooms__gte=0, booked__gte=0), name="stay_units_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("rooms")), name="stay_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.night}"

    @property
    def rooms_free(self) -> int:
        return max(self.rooms - self.booked, 0)


class WishlistItem(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wishlist"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "product"], name="wishlist_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.product}"


class Review(models.Model):
    """A buyer's review of a product, written from a completed order (one per product per
    order)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    # The completed order that entitles the review: one review per product per order.
    order = models.ForeignKey(
        "Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_name = models.CharField(_("nama"), max_length=80)
    rating = models.PositiveSmallIntegerField(
        _("nilai"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    body = models.TextField(_("ulasan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_visible = models.BooleanField(_("tampil"), default=True)

    class Meta:
        verbose_name = _("ulasan")
        verbose_name_plural = _("ulasan")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
            models.UniqueConstraint(fields=["order", "product"], name="review_once_per_order"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.product}"
