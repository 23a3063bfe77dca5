"""The embedded default (`make run`): kombu's filesystem broker, as config/celery.py closes its
races, and a real worker that turns a settlement into a paid order promptly
(docs/decisions/0005-prompt-embedded-broker.md; the figures are in docs/benchmarks.md)."""

import json
import time

import pytest
from django.conf import settings
from django.test import Client
from kombu import Connection

from config.celery import FilesystemTransport
from marketplace.models import HandledEvent, Order, OrderStatus, OutboxEvent
from marketplace.outbox import handlers_for
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import services
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import SERVER_KEY, qris_notification, with_qris
from tests.support.worker import celery_worker, wait_for

embedded = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("filesystem://"),
    reason="the embedded default's filesystem broker (CELERY_BROKER_URL names another)",
)


def folder_connection(folder):
    return Connection(
        "filesystem://",
        transport=FilesystemTransport,
        transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
            "processed_folder": str(folder),
        },
    )


def test_a_message_still_being_written_or_unreadable_is_never_taken_or_fatal(tmp_path):
    folder = tmp_path / "out"
    (folder / "control").mkdir(parents=True)
    with folder_connection(folder) as conn:
        queue = conn.SimpleQueue("q")
        # What kombu's own transport leaves for a moment: the file made, nothing written yet.
        (folder / "1_empty.q.msg").write_bytes(b"")
        (folder / ".2_half.q.msg.part").write_bytes(b'{"body": "')
        queue.put({"n": 1})
        message = queue.get(timeout=2)
        assert message.payload == {"n": 1}
        message.ack()
        with pytest.raises(queue.Empty):
            queue.get(timeout=0.2)
        queue.close()
    left = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert left == [".1_empty.q.msg.bad", ".2_half.q.msg.part"]


def test_a_message_is_written_whole_under_its_final_name(tmp_path):
    folder = tmp_path / "out"
    (folder / "control").mkdir(parents=True)
    with folder_connection(folder) as conn:
        queue = conn.SimpleQueue("whole")  # kombu keeps bindings per process: a queue of its own
        queue.put({"n": 2})
        (message,) = [p for p in folder.iterdir() if p.is_file()]
        queue.close()
    assert message.name.endswith(".whole.msg") and not message.name.startswith(".")
    assert json.loads(message.read_bytes())["body"]


@embedded
@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_settlements_reach_their_orders_within_seconds_while_others_flow(tmp_path, settings):
    """Before (kombu's 1 s polling, a relay request and a task per handler for each event)
    the worker took about one message a second per process: ten settlements queued behind
    the mail of ten checkouts took over half a minute."""
    settings.QRIS_SERVER_KEY = SERVER_KEY
    product = ProductFactory(shop=with_qris(ShopFactory()), price=95_000, stock=20)
    payments = []
    for n in range(10):
        checkout = checkout_place(
            items=[CheckoutItem(product.slug, 1)],
            contact=Contact(f"Turis {n}", "0812 5555 6666", f"turis{n}@example.test"),
        )
        payments.append(services.payment_start(order=checkout.orders.get(), provider="qris"))
    with celery_worker(tmp=tmp_path):
        client = Client()
        posted = {}
        for n, payment in enumerate(payments):
            body = qris_notification(
                payment.reference, "settlement", 95_000, transaction_id=f"T{n}"
            )
            response = client.post(
                "/payments/webhooks/qris/", body, content_type="application/json"
            )
            assert response.status_code == 200
            posted[payment.order_id] = time.monotonic()
        paid = {}
        deadline = time.monotonic() + 30
        while len(paid) < len(posted) and time.monotonic() < deadline:
            for pk in Order.objects.filter(status=OrderStatus.PAID).values_list("pk", flat=True):
                paid.setdefault(pk, time.monotonic())
            time.sleep(0.05)
        latency = {pk: paid[pk] - posted[pk] for pk in paid}
        assert len(paid) == 10, f"paid within 30 s: {len(paid)} of 10"
        assert max(latency.values()) < 5, f"slowest settlement took {max(latency.values()):.1f} s"
        # And every mail of the paid orders goes out (a handler is marked once its mail is sent).
        wait_for(
            lambda: not OutboxEvent.objects.filter(completed_at__isnull=True).exists(),
            timeout=30,
            what="every event's handlers, mail included",
        )
    paid_events = OutboxEvent.objects.filter(name="order.paid")
    assert paid_events.count() == 10
    # Each paid order's event ran every handler wired to it once (mail to buyer and seller,
    # the cashless figures, outbound webhooks).
    wired = handlers_for("order.paid")
    assert {
        "marketplace.handlers.notify_order_buyer",
        "marketplace.handlers.notify_order_seller",
    } <= set(wired)
    assert HandledEvent.objects.filter(event__in=paid_events).count() == 10 * len(wired)
