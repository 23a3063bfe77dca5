"""Outbound webhooks in one process (issue 11, item 8): the handler writes deliveries, the task
POSTs them signed to a receiver on loopback, retries, pauses, resumes, strips personal data."""

import json
import time
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from marketplace import outbox
from tests.factories import ShopFactory
from tests.webhooks.conftest import HANDLER, published, send
from tests.webhooks.receiver import SignatureRejected, spec_verify
from webhooks import handlers, services, signing, tasks
from webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Subscriber

pytestmark = pytest.mark.django_db

ORDER = {
    "order_id": 41,
    "number": "PK-2026-0041",
    "shop_id": None,
    "status": "paid",
    "total": 185000,
    "previous": "awaiting_payment",
}


def order_paid(shop_id=None, **extra):
    return published("order.paid", {**ORDER, "shop_id": shop_id, **extra})


def test_every_event_of_the_wiring_table_is_offered_to_webhooks():
    from config.events import HANDLERS

    assert all(HANDLER in handlers_ for handlers_ in HANDLERS.values())
    assert HANDLER in outbox.handlers_for("order.paid")


def test_a_secret_is_whsec_and_24_random_bytes():
    secret = Subscriber(name="x", url="https://x.test/").secret
    assert secret.startswith("whsec_")
    assert len(signing.secret_key(secret)) == 24
    assert secret != Subscriber(name="y", url="https://y.test/").secret


def test_a_delivered_event_is_signed_as_the_specification_says(subscriber_for, receiver):
    subscriber = subscriber_for()
    event = order_paid()
    with transaction.atomic():  # as event_handle runs it
        ids = services.deliveries_create(event=event)
    assert len(ids) == 1
    send(*ids)

    [request] = receiver.requests
    assert request.headers["webhook-id"] == str(event.id)
    assert request.headers["content-type"] == "application/json"
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 10
    assert request.headers["webhook-signature"].startswith("v1,")
    # The specification's reference library, and the check written from the specification.
    assert Webhook(subscriber.secret).verify(request.body, request.headers) == {
        "type": "order.paid",
        "timestamp": event.occurred_at.isoformat(),
        "data": ORDER,
    }
    spec_verify(subscriber.secret, request.body, request.headers)
    with pytest.raises(SignatureRejected):
        spec_verify(subscriber.secret, request.body + b" ", request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.secret_generate()).verify(request.body, request.headers)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 1
    [attempt] = DeliveryAttempt.objects.all()
    assert attempt.status_code == 200 and attempt.error == "" and attempt.duration_ms >= 0

    # A delivery that succeeded is never sent again (a duplicate task, the sweep).
    send(delivery.pk)
    assert services.deliveries_sweep(older_than=timedelta(0)) == 0
    assert len(receiver.requests) == 1


def test_an_old_timestamp_is_refused_by_both_checks(subscriber_for):
    subscriber = subscriber_for()
    body = '{"type":"order.paid"}'
    old = time.time() - 6 * 60
    headers = signing.signed_headers(secret=subscriber.secret, msg_id="m1", body=body, now=old)
    spec_verify(subscriber.secret, body.encode(), headers, now=old)  # right when it was made
    with pytest.raises(SignatureRejected, match="tolerance"):
        spec_verify(subscriber.secret, body.encode(), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(subscriber.secret).verify(body, headers)


def test_a_redelivered_event_makes_no_second_delivery_and_keeps_its_webhook_id(
    subscriber_for, receiver, django_capture_on_commit_callbacks
):
    subscriber_for()
    receiver.statuses = [503]  # the first attempt fails, the retry succeeds
    event = order_paid()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        handlers.deliveries_for_subscribers(event)
        handlers.deliveries_for_subscribers(event)  # the same Event twice
    assert Delivery.objects.count() == 1
    assert len(callbacks) == 1
    # Through the outbox too: the handled mark makes a second delivery of the task a no-op.
    assert outbox.event_handle(event_id=event.id, handler=HANDLER) is True
    assert outbox.event_handle(event_id=event.id, handler=HANDLER) is False
    assert Delivery.objects.count() == 1

    delivery = Delivery.objects.get()
    send(delivery.pk, delivery.pk)
    assert receiver.ids() == [str(event.id), str(event.id)]
    assert receiver.requests[0].body == receiver.requests[1].body
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
    assert [a.outcome() for a in delivery.attempt_log.order_by("attempted_at")] == [
        "HTTP 503",
        "HTTP 200",
    ]


def test_a_failure_is_retried_by_celery_with_a_doubling_countdown(subscriber_for, receiver):
    subscriber_for()
    receiver.status = 500
    with transaction.atomic():
        [pk] = services.deliveries_create(event=order_paid())
    with mock.patch.object(tasks.delivery_send, "retry", side_effect=Retry()) as retry:
        with pytest.raises(Retry):
            tasks.delivery_send.run(pk, 0)
        with pytest.raises(Retry):
            tasks.delivery_send.run(pk, 1)
    assert [c.kwargs for c in retry.call_args_list] == [
        {"args": [pk, 1], "countdown": 2},
        {"args": [pk, 2], "countdown": 4},
    ]
    assert [services.retry_countdown(n) for n in (1, 2, 3, 7, 12)] == [2, 4, 8, 128, 600]
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at > timezone.now()
    assert tasks.delivery_send.run(pk, 0) == "skipped"  # that attempt was made already


def test_failing_deliveries_pause_the_subscriber_and_resume_sends_them_again(
    subscriber_for, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 2
    subscriber = subscriber_for()
    receiver.status = 500
    events = [order_paid() for _ in range(3)]

    for event in events[:2]:
        with transaction.atomic():
            send(*services.deliveries_create(event=event))
        subscriber.refresh_from_db()
    assert len(receiver.requests) == 6  # 3 attempts each
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    assert subscriber.is_paused
    assert "HTTP 500" in subscriber.paused_reason

    # While paused an event is kept (held), not sent.
    with transaction.atomic():
        assert services.deliveries_create(event=events[2]) == []
    assert Delivery.objects.get(event_id=events[2].id).status == DeliveryStatus.HELD
    assert len(receiver.requests) == 6

    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.subscriber_resume(subscriber=subscriber) == 3
    assert not subscriber.is_paused and subscriber.paused_reason == ""
    with mock.patch.object(services, "current_app") as app:
        callbacks[0]()
    sent = [c.kwargs["args"] for c in app.send_task.call_args_list]
    assert [args[1] for args in sent] == [0, 0, 0]
    send(*[args[0] for args in sent])
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SUCCEEDED}
    # Every attempt of one event carried that event's id, and nothing else.
    by_id = {}
    for request in receiver.requests:
        by_id.setdefault(request.headers["webhook-id"], set()).add(
            json.loads(request.body)["timestamp"]
        )
    assert set(by_id) == {str(e.id) for e in events}
    assert all(len(stamps) == 1 for stamps in by_id.values())
    assert len(receiver.requests) == 9


def test_a_success_in_between_keeps_the_subscriber_running(subscriber_for, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 2
    subscriber = subscriber_for()
    receiver.statuses = [500, 200, 500]
    for _ in range(3):
        with transaction.atomic():
            send(*services.deliveries_create(event=order_paid()))
    subscriber.refresh_from_db()
    assert not subscriber.is_paused


def test_an_unreachable_subscriber_logs_the_error(subscriber_for, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    subscriber = subscriber_for()
    Subscriber.objects.filter(pk=subscriber.pk).update(url="http://127.0.0.1:9/nobody")
    with transaction.atomic():
        send(*services.deliveries_create(event=order_paid()))
    [attempt] = DeliveryAttempt.objects.all()
    assert attempt.status_code is None and "ConnectionError" in attempt.error
    assert Delivery.objects.get().status == DeliveryStatus.FAILED


def test_personal_data_is_stripped_unless_the_subscriber_may_have_it(subscriber_for, receiver):
    plain = subscriber_for(name="Satu Data")
    trusted = subscriber_for(name="Dinas Koperasi", personal_data=True)
    personal = {
        "buyer_name": "Rina Simanjuntak",
        "buyer_email": "rina@contoh.id",
        "buyer_phone": "+6281200000000",
        "delivery_address": "Jl. Sisingamangaraja 12, Balige",
        "checkout_code": "Z8K2M4Q7",
        "note": "Hubungi 0812000000",
        "buyer_id": 7,
        "lines": [{"product_id": 3, "recipient_name": "Rina", "quantity": 2}],
        "buyer": {"email": "rina@contoh.id"},
    }
    with transaction.atomic():
        send(*services.deliveries_create(event=order_paid(**personal)))
    assert len(receiver.requests) == 2
    by_subscriber = {}
    for request in receiver.requests:
        for s in (plain, trusted):
            try:
                spec_verify(s.secret, request.body, request.headers)
            except SignatureRejected:
                continue
            by_subscriber[s.name] = json.loads(request.body)["data"]
    assert by_subscriber["Satu Data"] == {
        **ORDER,
        "buyer_id": 7,
        "lines": [{"product_id": 3, "quantity": 2}],
    }
    assert by_subscriber["Dinas Koperasi"] == {**ORDER, **personal}


def test_the_event_payloads_of_today_lose_only_the_checkout_code_and_the_note():
    from webhooks.payloads import personal_data_strip

    shop = {"shop_id": 1, "slug": "toko", "status": "rejected", "reason": "Foto buram", "by": 2}
    assert personal_data_strip(shop) == shop
    order = {**ORDER, "checkout_code": "Z8K2", "note": "Batal"}
    assert personal_data_strip(order) == ORDER
    payment = {"payment_id": 1, "reference": "PAY-1", "order_number": "PK-1", "amount": 5}
    assert personal_data_strip(payment) == payment


def test_a_subscriber_limited_to_a_shop_gets_only_that_shops_events(subscriber_for, receiver):
    mine, other = ShopFactory(), ShopFactory()
    subscriber_for(shop=mine, events=["order.paid", "shop.verified"])
    events = [
        order_paid(shop_id=mine.pk),
        order_paid(shop_id=other.pk),
        published("shop.verified", {"shop_id": other.pk, "slug": other.slug}),
        published("shop.verified", {"shop_id": mine.pk, "slug": mine.slug}),
    ]
    with transaction.atomic():
        for event in events:
            send(*services.deliveries_create(event=event))
    assert receiver.ids() == [str(events[0].id), str(events[3].id)]
    assert {json.loads(r.body)["data"]["shop_id"] for r in receiver.requests} == {mine.pk}


def test_only_active_subscribers_of_the_event_get_a_delivery(subscriber_for):
    subscriber_for(name="a", events=["order.shipped"])
    subscriber_for(name="b", is_active=False)
    with transaction.atomic():
        assert services.deliveries_create(event=order_paid()) == []
    assert not Delivery.objects.exists()


def test_the_sweep_sends_again_a_delivery_whose_task_was_lost(subscriber_for, receiver):
    subscriber_for()
    with transaction.atomic():
        [pk] = services.deliveries_create(event=order_paid())  # its task never sent
    Delivery.objects.filter(pk=pk).update(next_attempt_at=timezone.now() - timedelta(hours=1))
    with mock.patch.object(services, "current_app") as app:
        assert services.deliveries_sweep(older_than=timedelta(minutes=15)) == 1
        assert services.deliveries_sweep(older_than=timedelta(minutes=15)) == 0
    app.send_task.assert_called_once_with(services.SEND_TASK, args=[pk, 0])
    send(pk)
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED
