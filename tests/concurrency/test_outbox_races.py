"""Races on the outbox, on PostgreSQL, each side on its own connection."""

import time
import uuid

import pytest

from marketplace import outbox
from marketplace.models import HandledEvent
from tests.probe.models import ProbeCall
from tests.support.race import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class SlowRecorder:
    """Dispatch that takes a little time, so that two relays truly overlap."""

    def __init__(self):
        self.sent: list[tuple[uuid.UUID, str]] = []

    def __call__(self, event_id: uuid.UUID, handler: str) -> None:
        time.sleep(0.002)
        self.sent.append((event_id, handler))


def test_two_relays_at_once_send_each_event_to_each_handler_once():
    events = [outbox.publish("probe.happened", {"n": n}) for n in range(60)]
    first, second = SlowRecorder(), SlowRecorder()
    results = run_concurrently(
        lambda: outbox.outbox_relay(batch_size=10, dispatch=first),
        lambda: outbox.outbox_relay(batch_size=10, dispatch=second),
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 60
    assert first.sent and second.sent, "both relays should have taken a share"
    sent = first.sent + second.sent
    assert len(sent) == len(set(sent)) == 120
    assert {event_id for event_id, _ in sent} == {e.id for e in events}


def test_the_same_handler_task_delivered_twice_at_once_runs_once():
    event = outbox.publish("probe.happened", {})
    handler = "tests.probe.handlers.record"
    results = run_concurrently(
        *[lambda: outbox.event_handle(event_id=event.id, handler=handler)] * 4
    )
    assert sorted(results, key=str) == [False, False, False, True], results
    assert ProbeCall.objects.filter(event_id=event.id, handler="record").count() == 1
    assert HandledEvent.objects.filter(event=event, handler=handler).count() == 1
