from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfflineChangeStatus(models.TextChoices):
    APPLIED = "applied", _("Diterapkan")
    REFUSED = "refused", _("Ditolak")


class OfflineChange(models.Model):
    """A change a seller made without a connection and sent later (marketplace.offline): kept
    under its idempotency key with its outcome, so the same change sent twice is applied
    once and answered the same way twice."""

    key = models.UUIDField(unique=True)
    shop = models.ForeignKey("Shop", on_delete=models.CASCADE, related_name="offline_changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    target = models.CharField(max_length=60)
    version = models.CharField(max_length=60, blank=True)
    value = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=OfflineChangeStatus.choices)
    message = models.TextField(blank=True)
    detail = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan luring")
        verbose_name_plural = _("perubahan luring")
        indexes = [models.Index(fields=["shop", "received_at"], name="offline_change_shop")]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} ({self.status})"
