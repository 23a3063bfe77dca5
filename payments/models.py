import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.models import Order, Shop
from payments.storage import private_storage, proof_upload_to


def new_payment_reference() -> str:
    return "PAY-" + secrets.token_hex(6).upper()


class Provider(models.TextChoices):
    QRIS = "qris", _("QRIS")
    TRANSFER = "transfer", _("Transfer bank")
    STRIPE = "stripe", _("Kartu (Stripe)")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SUCCEEDED = "succeeded", _("Berhasil")
    FAILED = "failed", _("Gagal")
    EXPIRED = "expired", _("Kedaluwarsa")
    REFUNDED = "refunded", _("Dikembalikan")


class Attention(models.TextChoices):
    """Why a payment waits for someone, and what happens next (blank: nothing to do)."""

    # QRIS and transfers land in the seller's own account: only the seller can send it back.
    REFUND_DUE = "refund_due", _("Dana harus dikembalikan penjual")
    REFUNDING = "refunding", _("Dana sedang dikembalikan otomatis")
    REFUND_FAILED = "refund_failed", _("Pengembalian dana otomatis gagal")
    PAID_TWICE = "paid_twice", _("Pesanan sudah dibayar lewat pembayaran lain")


class Intent(models.TextChoices):
    """A provider call asked for but whose outcome is not recorded yet (see payments.services:
    recorded before the call, cleared with its outcome; payments.reconcile finishes stale ones)."""

    START = "start", _("Memulai pembayaran")
    REFUND = "refund", _("Mengembalikan dana")


class Payment(models.Model):
    """One attempt to pay one order, by one provider. Money is whole rupiah."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("metode"), max_length=10, choices=Provider.choices)
    amount = models.PositiveIntegerField(_("nominal"))
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    reference = models.CharField(
        _("referensi"), max_length=30, unique=True, default=new_payment_reference
    )
    provider_reference = models.CharField(_("referensi penyedia"), max_length=100, blank=True)
    expires_at = models.DateTimeField(_("batas bayar"))
    qr_payload = models.TextField(blank=True)
    client_secret = models.CharField(max_length=200, blank=True)
    # The buyer's transfer proof, a bank document: private storage, not the Wagtail image library;
    # served only by payments.views.proofs to the buyer, the shop's members and superusers.
    proof_file = models.FileField(
        _("bukti transfer"),
        storage=private_storage,
        upload_to=proof_upload_to,
        max_length=200,
        blank=True,
    )
    # Someone must look: money that came after the order ended, or twice; `attention` says why.
    needs_attention = models.BooleanField(_("perlu ditinjau"), default=False)
    attention = models.CharField(
        _("tindak lanjut"), max_length=20, choices=Attention.choices, blank=True, default=""
    )
    # Cumulative, as the provider reports it: the payment is refunded only when all of it is.
    refunded_amount = models.PositiveIntegerField(_("dana dikembalikan"), default=0)
    intent = models.CharField(max_length=10, choices=Intent.choices, blank=True, default="")
    intent_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    succeeded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(
                fields=["intent_at"], name="payment_open_intent", condition=~models.Q(intent="")
            ),
            # The cashless figures: a day's money (payments.cashless recomputes a day's cell).
            models.Index(
                fields=["succeeded_at"],
                name="payment_succeeded_at",
                condition=models.Q(succeeded_at__isnull=False),
            ),
        ]
        constraints = [
            # At most one payment of an order can ever succeed: never paid twice.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(status="succeeded"),
                name="one_succeeded_payment_per_order",
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ProviderEvent(models.Model):
    """A provider's notification, stored verbatim before anything is done with it."""

    provider = models.CharField(max_length=10, choices=Provider.choices)
    event_id = models.CharField(max_length=200)
    payment_reference = models.CharField(max_length=100, blank=True, db_index=True)
    # What the notification says, read from it at receipt (after its signature was checked).
    status = models.CharField(max_length=10, choices=PaymentStatus.choices)
    amount = models.PositiveIntegerField(null=True, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once"),
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                name="provider_event_unprocessed",
                condition=models.Q(processed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class MerchantQris(models.Model):
    """A shop's static QRIS (from its bank sticker), from which each order's dynamic QR is made."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="qris")
    payload = models.TextField()
    merchant_name = models.CharField(max_length=100)
    merchant_city = models.CharField(max_length=60)
    nmid = models.CharField(max_length=50, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("QRIS toko")
        verbose_name_plural = _("QRIS toko")

    def __str__(self) -> str:
        return f"{self.merchant_name} ({self.nmid})"


class CashlessDay(models.Model):
    """The cashless money a shop received on one day by one method: payments that succeeded
    that day (local date of `succeeded_at`), their value, and what was refunded of them since.
    Kept by payments.cashless (each payment event recomputes its own cell from the payments,
    under the cell's row lock), so that the reports read thousands of rows, not millions;
    `manage.py cashless_rebuild` recomputes every cell and `--check` compares."""

    day = models.DateField(_("tanggal"))
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="cashless_days")
    provider = models.CharField(_("metode"), max_length=10, choices=Provider.choices)
    payments = models.PositiveIntegerField(_("jumlah pembayaran"), default=0)
    value = models.PositiveBigIntegerField(_("nilai dibayar"), default=0)
    refunded = models.PositiveBigIntegerField(_("nilai dikembalikan"), default=0)
    # The totals of these payments' orders that count as paid (paid up to completed): the
    # denominator of the cashless share, kept here so the share needs no join of millions.
    order_value = models.PositiveBigIntegerField(_("nilai pesanan dibayar"), default=0)

    class Meta:
        verbose_name = _("rekap nontunai harian")
        verbose_name_plural = _("rekap nontunai harian")
        constraints = [
            models.UniqueConstraint(fields=["day", "shop", "provider"], name="cashless_day_cell")
        ]
        indexes = [models.Index(fields=["shop", "day"], name="cashless_shop_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.shop_id} {self.provider}"


class ProductSalesDay(models.Model):
    """What one product sold on one day in orders whose payment succeeded that day (and was
    not refunded since): the top products report reads these, kept by payments.cashless
    beside CashlessDay."""

    day = models.DateField(_("tanggal"))
    product = models.ForeignKey(
        "marketplace.Product", on_delete=models.CASCADE, related_name="sales_days"
    )
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="product_sales_days")
    quantity = models.PositiveIntegerField(_("terjual"), default=0)
    value = models.PositiveBigIntegerField(_("nilai"), default=0)

    class Meta:
        verbose_name = _("penjualan produk harian")
        verbose_name_plural = _("penjualan produk harian")
        constraints = [
            models.UniqueConstraint(fields=["day", "product"], name="product_sales_day_cell")
        ]
        indexes = [models.Index(fields=["shop", "day"], name="product_sales_shop_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.product_id}"
