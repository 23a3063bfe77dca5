"""Background work of the marketplace: the outbox relay, the sweep, running one handler,
expiring unpaid orders, purging old events."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from marketplace import outbox
from marketplace.services import orders


@shared_task(name=outbox.RELAY_TASK, ignore_result=True)
def outbox_relay() -> int:
    return outbox.outbox_relay()


@shared_task(name="marketplace.outbox_sweep", ignore_result=True)
def outbox_sweep() -> dict[str, int]:
    return outbox.outbox_sweep()


@shared_task(
    name=outbox.HANDLE_TASK,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(LookupError,),
    retry_backoff=2,
    retry_backoff_max=300,
    max_retries=8,
)
def event_handle(event_id: str, handler: str) -> bool:
    return outbox.event_handle(event_id=event_id, handler=handler)


@shared_task(name="marketplace.orders_expire_due", ignore_result=True)
def orders_expire_due() -> int:
    """Unpaid orders past their deadline expire and give back what they held."""
    return orders.orders_expire_due()


@shared_task(name="marketplace.outbox_purge", ignore_result=True)
def outbox_purge() -> int:
    """Completed events older than OUTBOX_KEEP_DAYS go, with their handled rows, in batches."""
    return outbox.outbox_purge(
        older_than=timedelta(days=settings.OUTBOX_KEEP_DAYS),
        pause=settings.RETENTION_PAUSE_SECONDS,
    )
