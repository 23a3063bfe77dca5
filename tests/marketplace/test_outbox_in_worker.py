"""Fewer trips through the broker (docs/decisions/0005-prompt-embedded-broker.md): an event
nobody listens to asks for no relay; events committed by a task in a worker are handled in that
worker; the relay sends outside its transaction."""

import pytest
from celery import shared_task
from django.db import connection, transaction

from marketplace import outbox
from marketplace.models import HandledEvent, OutboxEvent
from tests.probe.models import ProbeCall


@shared_task(name="tests.outbox_publish")
def publish_in_a_task(name: str, in_a_handler: bool = False) -> str:
    token = outbox._handling_here.set(in_a_handler)
    try:
        with transaction.atomic():
            return str(outbox.publish(name, {"from": "a task"}).id)
    finally:
        outbox._handling_here.reset(token)


class Sent:
    def __init__(self, monkeypatch):
        self.tasks: list[str] = []
        self.handlers: list[tuple] = []
        monkeypatch.setattr(
            outbox.current_app, "send_task", lambda name, **kw: self.tasks.append(name)
        )
        monkeypatch.setattr(outbox, "dispatch_to_broker", lambda e, h: self.handlers.append((e, h)))


@pytest.mark.django_db
def test_an_event_nobody_listens_to_is_complete_at_once_and_asks_for_no_relay(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        event = outbox.publish("probe.ignored", {})
    assert callbacks == []
    event.refresh_from_db()
    assert event.relayed_at is not None and event.completed_at is not None


@pytest.mark.django_db
def test_outside_a_worker_a_commit_asks_for_one_relay(
    django_capture_on_commit_callbacks, monkeypatch
):
    sent = Sent(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        event = outbox.publish("probe.happened", {})
    assert sent.tasks == [outbox.RELAY_TASK] and sent.handlers == []
    event.refresh_from_db()
    assert event.relayed_at is None  # the relay task claims it


@pytest.mark.django_db
def test_events_a_task_commits_are_handled_in_that_task(
    django_capture_on_commit_callbacks, monkeypatch
):
    sent = Sent(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        event_id = publish_in_a_task.apply(args=["probe.happened"]).get()
    assert sent.tasks == [] and sent.handlers == []  # nothing went through the broker
    assert sorted(ProbeCall.objects.values_list("handler", flat=True)) == ["record", "record_other"]
    event = OutboxEvent.objects.get(pk=event_id)
    assert event.relayed_at is not None and event.completed_at is not None
    assert outbox.outbox_relay(dispatch=sent.handlers.append) == 0  # claimed: no relay sends it


@pytest.mark.django_db
def test_events_of_a_handler_run_in_place_go_straight_to_the_broker(
    django_capture_on_commit_callbacks, monkeypatch
):
    sent = Sent(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        event_id = publish_in_a_task.apply(args=["probe.happened", True]).get()
    assert sent.tasks == []  # no relay request in between
    assert sorted(h for _e, h in sent.handlers) == [
        "tests.probe.handlers.record",
        "tests.probe.handlers.record_other",
    ]
    assert {str(e) for e, _h in sent.handlers} == {event_id}
    assert OutboxEvent.objects.get(pk=event_id).relayed_at is not None
    assert not ProbeCall.objects.exists()


@pytest.mark.django_db
def test_when_the_broker_is_down_the_claim_is_given_back_for_the_sweep(
    django_capture_on_commit_callbacks, monkeypatch
):
    def down(event_id, handler):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(outbox, "dispatch_to_broker", down)
    with django_capture_on_commit_callbacks(execute=True):
        event_id = publish_in_a_task.apply(args=["probe.happened", True]).get()
    assert OutboxEvent.objects.get(pk=event_id).relayed_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_relay_sends_outside_its_transaction():
    """On SQLite a transaction holds the database's one write lock: checkouts wait for it."""
    outbox.publish("probe.happened", {})
    in_transaction = []
    outbox.outbox_relay(dispatch=lambda e, h: in_transaction.append(connection.in_atomic_block))
    assert in_transaction == [False, False]


@pytest.mark.django_db
def test_a_redelivered_task_says_so_without_a_transaction(django_assert_num_queries):
    event = outbox.publish("probe.happened", {})
    handler = "tests.probe.handlers.record"
    assert outbox.event_handle(event_id=event.id, handler=handler) is True
    with django_assert_num_queries(3):  # the event, the mark, whether all handlers are done
        assert outbox.event_handle(event_id=event.id, handler=handler) is False
    assert HandledEvent.objects.filter(event=event).count() == 1
