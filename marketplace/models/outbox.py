import uuid

from django.db import models


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change it announces.

    `relayed_at` is set once its handler tasks were handed to the broker; `completed_at` once
    every subscribed handler has run. The sweep sends again what was never relayed, and what was
    relayed long ago but never completed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    relayed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    relay_attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending_idx",
                condition=models.Q(relayed_at__isnull=True),
            ),
            models.Index(
                fields=["relayed_at"],
                name="outbox_incomplete_idx",
                condition=models.Q(completed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id}"


class HandledEvent(models.Model):
    """Proof that one handler has handled one event: the pair is unique, so a redelivery is a
    no-op. Written in the handler's own transaction, so a handler that fails leaves no mark."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="handled")
    handler = models.CharField(max_length=200)
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="handled_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.handler} ← {self.event_id}"
