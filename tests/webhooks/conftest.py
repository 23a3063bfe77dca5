import pytest

from marketplace import outbox
from tests.webhooks.receiver import loopback_receiver
from webhooks import tasks
from webhooks.models import Subscriber

HANDLER = "webhooks.handlers.deliveries_for_subscribers"


@pytest.fixture
def receiver():
    with loopback_receiver() as r:
        yield r


@pytest.fixture
def subscriber_for(receiver):
    def make(**fields) -> Subscriber:
        fields.setdefault("name", "Satu Data Kabupaten")
        fields.setdefault("events", ["order.paid"])
        return Subscriber.objects.create(url=receiver.url, **fields)

    return make


def published(name: str, payload: dict) -> outbox.Event:
    """An event as the outbox stores it and hands it to a handler."""
    row = outbox.publish(name, payload)
    return outbox.Event(row.id, row.name, row.payload, row.created_at)


def send(*delivery_ids: int) -> None:
    """Run the delivery task here, as a worker would (Celery's retries run eagerly)."""
    for pk in delivery_ids:
        tasks.delivery_send.apply(args=[pk, 0])
