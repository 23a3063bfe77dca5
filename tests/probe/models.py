from django.db import models


class ProbeCall(models.Model):
    """One row per committed handler run: what the tests count to prove exactly-once."""

    event_id = models.UUIDField()
    handler = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.handler} {self.event_id}"
