"""The outbox in one process: what publish, relay, handle and sweep each promise."""

import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace import outbox
from marketplace.models import HandledEvent, OutboxEvent
from tests.probe.models import ProbeCall


class Recorder:
    def __init__(self, fail: bool = False):
        self.sent: list[tuple[uuid.UUID, str]] = []
        self.fail = fail

    def __call__(self, event_id: uuid.UUID, handler: str) -> None:
        if self.fail:
            raise ConnectionError("broker unreachable")
        self.sent.append((event_id, handler))


pytestmark = pytest.mark.django_db


def test_event_names_are_noun_dot_verb_past():
    with pytest.raises(ValueError, match="noun.verb_past"):
        outbox.publish("OrderPaid", {})


def test_an_event_published_in_a_rolled_back_transaction_does_not_exist():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.publish("probe.happened", {"n": 1})
        raise RuntimeError("the change fails")
    recorder = Recorder()
    assert outbox.outbox_relay(dispatch=recorder) == 0
    assert recorder.sent == []
    assert not OutboxEvent.objects.exists()


def test_relay_sends_one_task_per_handler_and_marks_the_event_relayed():
    event = outbox.publish("probe.happened", {"n": 1})
    recorder = Recorder()
    assert outbox.outbox_relay(dispatch=recorder) == 1
    assert sorted(recorder.sent) == [
        (event.id, "tests.probe.handlers.record"),
        (event.id, "tests.probe.handlers.record_other"),
    ]
    event.refresh_from_db()
    assert event.relayed_at is not None and event.completed_at is None
    assert outbox.outbox_relay(dispatch=recorder) == 0  # nothing sent twice


def test_an_event_nobody_listens_to_is_complete_once_relayed():
    event = outbox.publish("probe.ignored", {})
    outbox.outbox_relay(dispatch=Recorder())
    event.refresh_from_db()
    assert event.completed_at is not None


def test_when_the_broker_is_down_the_event_stays_pending():
    event = outbox.publish("probe.happened", {})
    with pytest.raises(ConnectionError):
        outbox.outbox_relay(dispatch=Recorder(fail=True))
    event.refresh_from_db()
    assert event.relayed_at is None
    recorder = Recorder()
    assert outbox.outbox_relay(dispatch=recorder) == 1
    assert len(recorder.sent) == 2


def test_a_handler_runs_once_however_often_its_task_arrives():
    event = outbox.publish("probe.happened", {"order": "A-1"})
    handler = "tests.probe.handlers.record"
    assert outbox.event_handle(event_id=event.id, handler=handler) is True
    assert outbox.event_handle(event_id=event.id, handler=handler) is False
    assert ProbeCall.objects.filter(handler="record").count() == 1
    event.refresh_from_db()
    assert event.completed_at is None  # record_other has not run yet
    outbox.event_handle(event_id=event.id, handler="tests.probe.handlers.record_other")
    event.refresh_from_db()
    assert event.completed_at is not None


def test_a_handler_that_fails_leaves_no_mark_and_runs_again():
    event = outbox.publish("probe.flaked", {})
    handler = "tests.probe.handlers.fail_once"
    with pytest.raises(RuntimeError):
        outbox.event_handle(event_id=event.id, handler=handler)
    assert not HandledEvent.objects.exists()
    assert not ProbeCall.objects.exists()  # its write rolled back with it
    assert outbox.event_handle(event_id=event.id, handler=handler) is True
    assert ProbeCall.objects.count() == 1


def test_only_handlers_in_the_wiring_table_can_be_run():
    event = outbox.publish("probe.happened", {})
    with pytest.raises(LookupError):
        outbox.event_handle(event_id=event.id, handler="os.system")


def test_the_sweep_sends_again_only_the_handlers_that_never_finished():
    event = outbox.publish("probe.happened", {})
    outbox.outbox_relay(dispatch=Recorder())
    outbox.event_handle(event_id=event.id, handler="tests.probe.handlers.record")
    OutboxEvent.objects.filter(id=event.id).update(relayed_at=timezone.now() - timedelta(hours=1))
    recorder = Recorder()
    assert outbox.outbox_redeliver_stale(older_than=timedelta(minutes=10), dispatch=recorder) == 1
    assert recorder.sent == [(event.id, "tests.probe.handlers.record_other")]
    # Just sent again: not stale any more.
    assert outbox.outbox_redeliver_stale(older_than=timedelta(minutes=10), dispatch=recorder) == 0


def test_many_events_in_one_transaction_ask_for_one_relay(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for n in range(5):
            outbox.publish("probe.happened", {"n": n})
    assert len(callbacks) == 1
