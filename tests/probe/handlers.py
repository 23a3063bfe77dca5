"""Handlers wired only in tests: they write a row in the handler's transaction."""

import os
import time
from pathlib import Path

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


def record_slowly(event: Event) -> None:
    """Says it has started (in a file, outside the transaction), then takes its time: long
    enough for a test to kill the worker in the middle."""
    marks = Path(os.environ["PROBE_MARK_DIR"])
    marks.mkdir(parents=True, exist_ok=True)
    (marks / f"{event.id}-{time.monotonic_ns()}").touch()
    time.sleep(float(os.environ.get("PROBE_SLOW_SECONDS", "4")))
    ProbeCall.objects.create(event_id=event.id, handler="record_slowly", payload=event.payload)
