from django.db import models
from django.utils.translation import gettext_lazy as _

from webhooks.signing import secret_generate


class Subscriber(models.Model):
    """A system that receives the events it asked for, signed (webhooks/services.py)."""

    name = models.CharField(_("nama"), max_length=120)
    url = models.URLField(_("alamat URL"), max_length=500)
    secret = models.CharField(
        _("rahasia penandatanganan"),
        max_length=80,
        default=secret_generate,
        help_text=_("Berikan kepada penerima untuk memeriksa tanda tangan setiap pengiriman."),
    )
    events = models.JSONField(
        _("peristiwa"),
        default=list,
        blank=True,
        help_text=_("Nama-nama peristiwa yang dikirim ke penerima ini."),
    )
    personal_data = models.BooleanField(
        _("boleh menerima data pribadi pembeli"),
        default=False,
        help_text=_("Jika tidak, nama, surel, telepon, alamat dan catatan dihapus dari data."),
    )
    shop = models.ForeignKey(
        "marketplace.Shop",
        verbose_name=_("hanya untuk toko"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_subscribers",
        help_text=_("Untuk alat milik penjual: hanya peristiwa toko ini yang dikirim."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    paused_at = models.DateTimeField(_("dijeda pada"), null=True, blank=True, editable=False)
    paused_reason = models.CharField(_("alasan jeda"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("penerima webhook")
        verbose_name_plural = _("penerima webhook")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def wants(self, name: str, payload: dict) -> bool:
        if name not in self.events:
            return False
        return self.shop_id is None or payload.get("shop_id") == self.shop_id


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("menunggu")
    HELD = "held", _("ditahan (penerima dijeda)")
    SUCCEEDED = "succeeded", _("berhasil")
    FAILED = "failed", _("gagal")


class Delivery(models.Model):
    """One event for one subscriber. The body is written once, so every attempt sends the
    same bytes under the same webhook-id (the outbox event's id). No foreign key to the outbox
    event: the outbox purges its events after OUTBOX_KEEP_DAYS, deliveries stay."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(_("id peristiwa"))
    event_name = models.CharField(_("peristiwa"), max_length=64)
    body = models.TextField()
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    # When the next attempt is due, or until when the running one holds it; the sweep sends
    # again a pending delivery whose time is long past (a task lost with the broker).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "event_id"], name="webhooks_delivery_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due"),
            models.Index(fields=["subscriber", "-finished_at"], name="webhooks_delivery_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.event_name} {self.event_id} → {self.subscriber}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("kode status"), null=True, blank=True)
    error = models.CharField(_("galat"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"))

    class Meta:
        verbose_name = _("percobaan pengiriman")
        verbose_name_plural = _("percobaan pengiriman")
        ordering = ["-attempted_at"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.attempted_at:%Y-%m-%d %H:%M:%S}: {self.outcome()}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def outcome(self) -> str:
        return f"HTTP {self.status_code}" if self.status_code is not None else self.error
