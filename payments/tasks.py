"""Background work of payments: apply stored notifications, expire, reconcile."""

from celery import shared_task

from payments import services


@shared_task(
    name="payments.provider_event_apply",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=2,
    max_retries=8,
    ignore_result=True,
)
def provider_event_apply(provider_event_id: int) -> str:
    return services.provider_event_apply(provider_event_id=provider_event_id)


@shared_task(name="payments.reconcile", ignore_result=True)
def reconcile() -> dict[str, int]:
    """Apply what was stored but never applied, expire pending payments past deadline, and
    finish provider calls (start, refund) whose outcome was never recorded."""
    applied = 0
    for provider_event_id in services.provider_events_unapplied():
        services.provider_event_apply(provider_event_id=provider_event_id)
        applied += 1
    return {
        "applied": applied,
        "expired": services.payments_expire_due(),
        "intents": services.payment_intents_retry(),
    }


@shared_task(name="payments.provider_events_purge", ignore_result=True)
def provider_events_purge() -> int:
    """Processed notifications older than PROVIDER_EVENTS_KEEP_DAYS go, in short batches."""
    from datetime import timedelta

    from django.conf import settings

    from payments.retention import provider_events_purge as purge

    return purge(
        older_than=timedelta(days=settings.PROVIDER_EVENTS_KEEP_DAYS),
        pause=settings.RETENTION_PAUSE_SECONDS,
    )
