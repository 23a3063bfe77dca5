"""The transactional outbox: how a committed change reaches the code that reacts to it.

`publish()` writes the event in the caller's transaction. After commit, `outbox_relay()` hands
each pending event to the broker, one task per subscribed handler; `event_handle()` runs one
handler once; `outbox_sweep()` (periodic) relays what was missed and sends again what was relayed
but never finished. The wiring (event name → handlers) is the table named by
settings.EVENT_WIRING, so this module knows no other app.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from marketplace.models import HandledEvent, OutboxEvent

logger = logging.getLogger(__name__)

EVENT_NAME = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
RELAY_TASK = "marketplace.outbox_relay"
HANDLE_TASK = "marketplace.event_handle"


@dataclass(frozen=True)
class Event:
    """What a handler receives."""

    id: uuid.UUID
    name: str
    payload: dict[str, Any]
    occurred_at: datetime


Dispatch = Callable[[uuid.UUID, str], None]


def wiring() -> dict[str, list[str]]:
    return import_string(settings.EVENT_WIRING)


def handlers_for(name: str) -> list[str]:
    return list(wiring().get(name, []))


def publish(name: str, payload: dict[str, Any]) -> OutboxEvent:
    """Record a domain event in the current transaction; it is relayed after commit."""
    if not EVENT_NAME.match(name):
        raise ValueError(f"Event names are noun.verb_past, not {name!r}")
    event = OutboxEvent.objects.create(name=name, payload=payload)
    # One relay request per transaction is enough, however many events it publishes.
    if not any(func is _request_relay for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_request_relay, robust=True)
    return event


def _request_relay() -> None:
    # If the broker is down this fails (logged by robust on_commit); the sweep relays later.
    current_app.send_task(RELAY_TASK)


def dispatch_to_broker(event_id: uuid.UUID, handler: str) -> None:
    current_app.send_task(HANDLE_TASK, args=[str(event_id), handler])


def outbox_relay(*, batch_size: int = 200, dispatch: Dispatch = dispatch_to_broker) -> int:
    """Hand every pending event to the broker. Returns how many events were relayed.

    Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED, so relays running at the same time
    share the work instead of sending it twice. If dispatching fails, the batch's transaction
    rolls back and its events stay pending for the sweep.
    """
    relayed = 0
    while True:
        with transaction.atomic():
            pending = OutboxEvent.objects.filter(relayed_at__isnull=True).order_by("created_at")
            if connection.features.has_select_for_update_skip_locked:
                pending = pending.select_for_update(skip_locked=True)
            batch = list(pending[:batch_size])
            if not batch:
                return relayed
            now = timezone.now()
            for event in batch:
                handlers = handlers_for(event.name)
                for handler in handlers:
                    dispatch(event.id, handler)
                event.relayed_at = now
                event.relay_attempts += 1
                event.completed_at = None if handlers else now
            OutboxEvent.objects.bulk_update(batch, ["relayed_at", "relay_attempts", "completed_at"])
        relayed += len(batch)


def outbox_redeliver_stale(
    *, older_than: timedelta, batch_size: int = 200, dispatch: Dispatch = dispatch_to_broker
) -> int:
    """Send again the handlers that have not finished an event relayed long ago (a broker that
    lost its queue, a task that exhausted its retries). Handlers already done are not sent."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stale = OutboxEvent.objects.filter(completed_at__isnull=True, relayed_at__lt=cutoff)
        if connection.features.has_select_for_update_skip_locked:
            stale = stale.select_for_update(skip_locked=True)
        batch = list(stale.order_by("relayed_at")[:batch_size])
        done = set(HandledEvent.objects.filter(event__in=batch).values_list("event_id", "handler"))
        now = timezone.now()
        for event in batch:
            missing = [h for h in handlers_for(event.name) if (event.id, h) not in done]
            for handler in missing:
                dispatch(event.id, handler)
            event.relayed_at = now
            event.relay_attempts += 1
            event.completed_at = None if missing else now
        OutboxEvent.objects.bulk_update(batch, ["relayed_at", "relay_attempts", "completed_at"])
    return len(batch)


def outbox_sweep() -> dict[str, int]:
    relayed = outbox_relay()
    redelivered = outbox_redeliver_stale(
        older_than=timedelta(seconds=settings.OUTBOX_REDELIVER_AFTER_SECONDS)
    )
    if relayed or redelivered:
        logger.info("outbox sweep relayed %d, redelivered %d", relayed, redelivered)
    return {"relayed": relayed, "redelivered": redelivered}


def event_handle(*, event_id: uuid.UUID | str, handler: str) -> bool:
    """Run one handler for one event, at most once. Returns False when it had already run.

    The HandledEvent row and the handler's own writes commit together: a handler that raises
    leaves no mark and is retried; a second delivery waits on the unique index, then finds the
    row and does nothing.
    """
    if handler not in handlers_for_any():
        raise LookupError(f"{handler!r} is not in the event wiring table")
    func = import_string(handler)
    try:
        event = OutboxEvent.objects.get(id=event_id)
    except OutboxEvent.DoesNotExist:
        logger.warning("event %s no longer exists; nothing to handle", event_id)
        return False
    ran = False
    with transaction.atomic():
        try:
            with transaction.atomic():
                HandledEvent.objects.create(event=event, handler=handler)
        except IntegrityError:
            logger.info("%s already handled %s %s", handler, event.name, event.id)
        else:
            func(Event(event.id, event.name, event.payload, event.created_at))
            ran = True
    _complete_if_done(event)
    return ran


def handlers_for_any() -> set[str]:
    return {h for handlers in wiring().values() for h in handlers}


def _complete_if_done(event: OutboxEvent) -> None:
    done = set(HandledEvent.objects.filter(event=event).values_list("handler", flat=True))
    if set(handlers_for(event.name)) <= done:
        OutboxEvent.objects.filter(id=event.id, completed_at__isnull=True).update(
            completed_at=timezone.now()
        )
