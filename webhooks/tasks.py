"""Background work of outbound webhooks: one attempt per run, retried by Celery."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from webhooks import services


@shared_task(
    name=services.SEND_TASK, bind=True, ignore_result=True, acks_late=True, max_retries=None
)
def delivery_send(self, delivery_id: int, attempt: int = 0) -> str:
    """POST one delivery (attempt number `attempt + 1`); a failure is retried by Celery with a
    countdown that doubles, up to WEBHOOK_MAX_ATTEMPTS (services.delivery_attempt counts)."""
    result = services.delivery_attempt(delivery_id=delivery_id, attempt=attempt)
    if result.retry_in is not None:
        raise self.retry(args=[delivery_id, result.attempts], countdown=result.retry_in)
    return result.outcome


@shared_task(name="webhooks.deliveries_sweep", ignore_result=True)
def deliveries_sweep() -> int:
    """Beat, every WEBHOOK_SWEEP_SECONDS: send again the deliveries whose task was lost."""
    return services.deliveries_sweep(
        older_than=timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS)
    )
