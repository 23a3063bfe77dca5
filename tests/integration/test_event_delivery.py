"""The event spine end to end: a real Celery worker (and beat) on the configured broker and the
test database. These are the three promises of the outbox in docs/events.md."""

import shutil

import pytest
from django.conf import settings
from django.db import transaction

from config.celery import app
from marketplace import outbox
from marketplace.models import OutboxEvent
from tests.probe.models import ProbeCall
from tests.support.race import run_concurrently
from tests.support.worker import RedisServer, celery_worker, publishing_to, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def delivered(count: int):
    return lambda: ProbeCall.objects.count() >= count


def test_an_event_from_a_rolled_back_transaction_is_never_delivered(tmp_path):
    with celery_worker(tmp=tmp_path):
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.publish("probe.happened", {"what": "rolled back"})
            raise RuntimeError("the change fails")
        with transaction.atomic():
            marker = outbox.publish("probe.happened", {"what": "committed"})
        wait_for(delivered(2), timeout=60, what="the committed event's two handlers")
    # The committed marker went through the same worker and got there: the other never will.
    assert {call.event_id for call in ProbeCall.objects.all()} == {marker.id}
    assert not OutboxEvent.objects.filter(payload__what="rolled back").exists()


def test_each_handler_gets_a_committed_event_exactly_once_despite_races_and_redelivery(tmp_path):
    with celery_worker(tmp=tmp_path):
        with transaction.atomic():
            events = [outbox.publish("probe.happened", {"n": n}) for n in range(30)]
        # Two more relays race the one that the commit asked for.
        run_concurrently(outbox.outbox_relay, outbox.outbox_relay)
        # And the broker hands the same handler task over twice more.
        for _ in range(2):
            app.send_task(
                outbox.HANDLE_TASK, args=[str(events[0].id), "tests.probe.handlers.record"]
            )
        wait_for(
            lambda: OutboxEvent.objects.filter(completed_at__isnull=True).count() == 0,
            timeout=90,
            what="every event to be completed",
        )
        # Give the duplicate deliveries time to arrive before counting.
        wait_for(lambda: "already handled" in _log(tmp_path), timeout=30, what="the duplicates")
    calls = list(ProbeCall.objects.values_list("event_id", "handler"))
    assert len(calls) == 60
    assert set(calls) == {(e.id, h) for e in events for h in ("record", "record_other")}


def _log(tmp_path) -> str:
    return (tmp_path / "worker.log").read_text()


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server installed")
def test_events_published_while_the_broker_is_down_are_delivered_by_the_sweep(tmp_path):
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("the broker outage is staged with Redis (set CELERY_BROKER_URL=redis://...)")
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        with publishing_to(redis.url), celery_worker(tmp=tmp_path, broker_url=redis.url, beat=True):
            redis.stop()
            with transaction.atomic():
                event = outbox.publish("probe.happened", {"during": "outage"})
            # The relay request after commit could not reach the broker: the event waits.
            event.refresh_from_db()
            assert event.relayed_at is None
            assert not ProbeCall.objects.exists()
            redis.start()
            wait_for(delivered(2), timeout=120, what="the sweep to deliver after the outage")
            assert "outbox sweep relayed 1" in _log(tmp_path)
    finally:
        redis.stop()
    assert sorted(ProbeCall.objects.values_list("handler", flat=True)) == [
        "record",
        "record_other",
    ]


def test_an_event_whose_worker_dies_mid_handler_is_handled_once_by_another(tmp_path):
    marks = tmp_path / "marks"
    slow = {"PROBE_MARK_DIR": str(marks), "PROBE_SLOW_SECONDS": "4"}
    first = tmp_path / "first"
    first.mkdir()
    with celery_worker(tmp=first, extra_env=slow) as worker:
        with transaction.atomic():
            event = outbox.publish("probe.slowed", {"n": 1})
        wait_for(
            lambda: marks.exists() and any(marks.iterdir()), timeout=60, what="the handler to start"
        )
        worker.kill()  # SIGKILL mid-handler: its transaction dies with it
    assert not ProbeCall.objects.exists()
    assert OutboxEvent.objects.get(pk=event.pk).completed_at is None
    # A new worker; the sweep sends again what was relayed but never finished.
    second = tmp_path / "second"
    second.mkdir()
    with celery_worker(
        tmp=second, beat=True, extra_env={**slow, "OUTBOX_REDELIVER_AFTER_SECONDS": "2"}
    ):
        wait_for(
            lambda: OutboxEvent.objects.get(pk=event.pk).completed_at is not None,
            timeout=120,
            what="another worker to finish the event",
        )
    assert ProbeCall.objects.filter(event_id=event.id).count() == 1
