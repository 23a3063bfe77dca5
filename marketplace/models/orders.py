import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalog import ExperienceSlot, Product, Variant
from .shops import Shop


def new_checkout_code() -> str:
    # 16 url-safe characters (96 bits): the buyer's only key to their orders, so unguessable.
    return secrets.token_urlsafe(12)


class Checkout(models.Model):
    """One buyer's checkout: the orders (one per shop) made from one cart, under one code."""

    code = models.CharField(max_length=24, unique=True, default=new_checkout_code, editable=False)
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkouts",
    )
    contact_name = models.CharField(_("nama"), max_length=120)
    contact_phone = models.CharField(_("telepon"), max_length=16)
    contact_email = models.EmailField(_("email"))
    # The language the buyer used at checkout: their mails and links follow it.
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkout")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Menunggu pembayaran")
    PAID = "paid", _("Dibayar")
    PROCESSING = "processing", _("Diproses")
    SHIPPED = "shipped", _("Dikirim")
    READY_FOR_PICKUP = "ready_for_pickup", _("Siap diambil")
    COMPLETED = "completed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")
    EXPIRED = "expired", _("Kedaluwarsa")
    REFUNDED = "refunded", _("Dikembalikan")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Ambil sendiri")
    LOCAL = "local", _("Antar lokal")
    COURIER = "courier", _("Kurir")


class Order(models.Model):
    """What one shop must fulfil and be paid for. Money is whole rupiah."""

    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="orders")
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="orders")
    number = models.CharField(_("nomor"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.AWAITING_PAYMENT,
    )
    delivery_method = models.CharField(
        _("pengiriman"),
        max_length=10,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.PICKUP,
    )
    delivery_kabupaten = models.CharField(_("kabupaten tujuan"), max_length=100, blank=True)
    delivery_address = models.TextField(_("alamat kirim"), blank=True)
    tracking_number = models.CharField(_("nomor resi"), max_length=60, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    subtotal = models.PositiveIntegerField(_("subtotal"))
    delivery_fee = models.PositiveIntegerField(_("ongkos kirim"), default=0)
    discount = models.PositiveIntegerField(_("diskon"), default=0)
    total = models.PositiveIntegerField(_("total"))
    voucher = models.ForeignKey(
        "Voucher", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    expires_at = models.DateTimeField(_("batas bayar"))
    # Whether this order still holds an allocation (stock, slot places, nights). Set to False
    # exactly once: when it is released (expiry, cancellation, refund before the goods left) or
    # consumed (shipped or completed: goods leave the shelf; places and nights stay taken).
    holds_stock = models.BooleanField(default=True)
    status_reason = models.TextField(_("alasan"), blank=True)
    # The campaign that brought the buyer (marketplace.campaigns: utm_campaign or a poster's
    # ?c=), and its utm_source; blank when none did.
    campaign = models.CharField(_("kampanye"), max_length=80, blank=True, db_index=True)
    campaign_source = models.CharField(_("sumber kampanye"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pesanan")
        verbose_name_plural = _("pesanan")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["shop", "status", "created_at"]),
            models.Index(
                fields=["expires_at"],
                name="order_awaiting_expiry_idx",
                condition=models.Q(status="awaiting_payment"),
            ),
            # Lost sales in the cashless reports: expired orders by their deadline.
            models.Index(
                fields=["expires_at"],
                name="order_expired_idx",
                condition=models.Q(status="expired"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    total=models.F("subtotal") + models.F("delivery_fee") - models.F("discount")
                ),
                name="order_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """One item of an order, with the price and title as they were when ordered."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    slot = models.ForeignKey(
        ExperienceSlot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    check_in = models.DateField(null=True, blank=True)
    check_out = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=250)
    quantity = models.PositiveIntegerField()  # pieces, people or rooms
    unit_price = models.PositiveIntegerField()  # per piece, per person, or per room-night
    line_total = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="line_quantity_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class OrderEvent(models.Model):
    """The order's history: every transition, who made it and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order}: {self.from_status} → {self.to_status}"


class VoucherKind(models.TextChoices):
    FIXED = "fixed", _("Potongan tetap (Rp)")
    PERCENT = "percent", _("Persen")


class Voucher(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="vouchers")
    code = models.CharField(_("kode"), max_length=30)
    kind = models.CharField(_("jenis"), max_length=8, choices=VoucherKind.choices)
    value = models.PositiveIntegerField(_("nilai"))
    min_purchase = models.PositiveIntegerField(_("minimal belanja"), default=0)
    quota = models.PositiveIntegerField(_("kuota"))
    used = models.PositiveIntegerField(_("terpakai"), default=0)
    valid_from = models.DateTimeField(_("berlaku mulai"))
    valid_until = models.DateTimeField(_("berlaku sampai"))

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("voucher")
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="voucher_code_per_shop"),
            models.CheckConstraint(
                condition=models.Q(used__lte=models.F("quota")), name="voucher_within_quota"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="percent") | models.Q(value__lte=100),
                name="voucher_percent_max_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.shop})"


class ShopDelivery(models.Model):
    """How a shop delivers: pickup, a local delivery fee, courier rates by destination."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="delivery")
    offers_pickup = models.BooleanField(_("bisa ambil sendiri"), default=True)
    local_delivery_fee = models.PositiveIntegerField(
        _("ongkos antar lokal"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila tidak melayani antar lokal."),
    )

    def __str__(self) -> str:
        return f"delivery of {self.shop}"


class CourierRate(models.Model):
    """The seller's courier rate: a first kilogram and each further kilogram, by destination."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="courier_rates")
    destination_kabupaten = models.CharField(_("kabupaten tujuan"), max_length=100)
    first_kg = models.PositiveIntegerField(_("kg pertama (Rp)"))
    next_kg = models.PositiveIntegerField(_("kg berikutnya (Rp)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "destination_kabupaten"], name="courier_rate_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop} → {self.destination_kabupaten}"


class CartItem(models.Model):
    """A signed-in buyer's cart line. Guests keep theirs in the session; it is merged here at
    sign-in (see marketplace.cart)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart_items"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    slot = models.ForeignKey(
        ExperienceSlot, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    check_in = models.DateField(null=True, blank=True)
    check_out = models.DateField(null=True, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "product", "variant", "slot", "check_in", "check_out"],
                name="cart_item_once",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"
