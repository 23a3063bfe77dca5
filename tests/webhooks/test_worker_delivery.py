"""Outbound webhooks end to end on a real Celery worker (the configured broker) and the test
database: a committed event is relayed by the outbox, the webhooks handler writes the delivery,
the worker POSTs it to a receiver on loopback, Celery retries the 500 it gets first, and the
receiver sees one webhook-id, which the specification's own library verifies."""

import json
import time

import pytest
from django.db import transaction
from standardwebhooks import Webhook

from marketplace import outbox
from tests.support.worker import celery_worker, wait_for
from tests.webhooks.receiver import loopback_receiver, spec_verify
from webhooks.models import Delivery, DeliveryStatus, Subscriber

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_committed_event_reaches_the_receiver_signed_after_one_retry(tmp_path):
    with loopback_receiver() as receiver:
        receiver.statuses = [500]
        subscriber = Subscriber.objects.create(
            name="Satu Data", url=receiver.url, events=["payment.started"]
        )
        with celery_worker(tmp=tmp_path, extra_env={"WEBHOOK_RETRY_BACKOFF_SECONDS": "1"}):
            committed = time.monotonic()
            with transaction.atomic():
                event = outbox.publish(
                    "payment.started", {"payment_id": 5, "shop_id": 3, "amount": 150000}
                )
            wait_for(
                lambda: Delivery.objects.filter(status=DeliveryStatus.SUCCEEDED).exists(),
                timeout=30,
                what="the delivery to succeed",
            )
            took = time.monotonic() - committed
            print(f"webhook delivered {took:.2f} s after commit, after one retry")

    assert receiver.ids() == [str(event.id), str(event.id)]
    for request in receiver.requests:
        spec_verify(subscriber.secret, request.body, request.headers)
        body = Webhook(subscriber.secret).verify(request.body, request.headers)
        assert body["type"] == "payment.started" and body["data"]["payment_id"] == 5
    assert json.loads(receiver.requests[0].body) == json.loads(receiver.requests[1].body)
    delivery = Delivery.objects.get()
    assert delivery.attempts == 2
    assert [a.status_code for a in delivery.attempt_log.order_by("attempted_at")] == [500, 200]
    assert took < 10
