"""Handlers wired only in tests: they write a row in the handler's transaction."""

from marketplace.outbox import Event
from tests.probe.models import ProbeCall

FAILURES: dict[str, int] = {}


def record(event: Event) -> None:
    ProbeCall.objects.create(event_id=event.id, handler="record", payload=event.payload)


def record_other(event: Event) -> None:
    ProbeCall.objects.create(event_id=event.id, handler="record_other", payload=event.payload)


def fail_once(event: Event) -> None:
    """Writes its row, then fails the first time it sees an event: the row must not survive."""
    ProbeCall.objects.create(event_id=event.id, handler="fail_once", payload=event.payload)
    seen = FAILURES.get(str(event.id), 0)
    FAILURES[str(event.id)] = seen + 1
    if seen == 0:
        raise RuntimeError("a handler failing mid-way")
