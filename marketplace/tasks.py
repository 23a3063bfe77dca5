"""Background work of the marketplace: the outbox relay, the sweep, running one handler."""

from celery import shared_task

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
