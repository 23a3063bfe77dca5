"""The transactional outbox: how a committed change reaches the code that reacts to it.

`publish()` writes the event in the caller's transaction. After commit, `outbox_relay()` hands
each pending event to the broker, one task per subscribed handler; `event_handle()` runs one
handler once; `outbox_sweep()` (periodic) relays what was missed and sends again what was relayed
but never finished. The wiring (event name → handlers) is the table named by
settings.EVENT_WIRING, so this module knows no other app.

Fewer trips through the broker: an event nobody subscribes to is stored already complete and
asks for no relay; events committed by a task in a worker (a payment notification applied, a
handler whose change publishes more) are relayed and handled in that worker at once (see
`AfterCommit`) instead of queueing behind everything else
(docs/decisions/0005-prompt-embedded-broker.md).
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import current_app, current_task
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
    now = timezone.now()
    if not handlers_for(name):
        # Nobody listens: the event is kept (for the record) as relayed and complete, as the
        # relay would leave it, without a trip through the broker.
        return OutboxEvent.objects.create(
            name=name, payload=payload, relayed_at=now, completed_at=now
        )
    # One relay request (or one run of handlers here) per transaction, however many events.
    after_commit = next(
        (
            func
            for _sids, func, _robust in connection.run_on_commit
            if isinstance(func, AfterCommit)
        ),
        None,
    )
    if after_commit is None:
        after_commit = AfterCommit()
        transaction.on_commit(after_commit, robust=True)
    if after_commit.mode == AfterCommit.RELAY:
        event = OutboxEvent.objects.create(name=name, payload=payload)
    else:
        # Claimed in the transaction that makes it: no relay elsewhere sends it too.
        event = OutboxEvent.objects.create(
            name=name, payload=payload, relayed_at=now, relay_attempts=1
        )
    after_commit.events.append((event.id, name))
    return event


_handling_here = contextvars.ContextVar("outbox_handling_here", default=False)


class AfterCommit:
    """What runs once a transaction that published events has committed: one of three ways.

    RELAY, outside a worker (a web request, the shell): one relay request to the broker. If
    the broker is down this fails (logged by robust on_commit) and the sweep relays later.

    HANDLE, in a worker running a task (a payment notification being applied, a handler whose
    change publishes more): the events were claimed (marked relayed) by the transaction that
    published them, and their handlers run right here, each in its own transaction as
    `event_handle` runs it, instead of a relay request and then one task per handler queued
    behind everything else. So a settlement marks its order paid in the task that applied it.
    A handler that fails is sent to the broker as its own task, which Celery retries with
    back-off.

    DISPATCH, in a handler that runs here: only one level is handled in place (mail and other
    slow work stays in tasks of its own, in parallel); the claimed events' handlers are sent to
    the broker at once, one task each, without a relay request in between. If the broker is
    down, the claim is undone and the sweep relays them.

    A worker that dies after a commit leaves its claimed events relayed but not complete: the
    sweep sends their unfinished handlers again (OUTBOX_REDELIVER_AFTER_SECONDS), as it does for
    a task lost with its worker.
    """

    RELAY, HANDLE, DISPATCH = "relay", "handle", "dispatch"

    def __init__(self) -> None:
        if not current_task or current_task.request.called_directly:  # not a worker's task
            self.mode = self.RELAY
        else:
            self.mode = self.DISPATCH if _handling_here.get() else self.HANDLE
        self.events: list[tuple[uuid.UUID, str]] = []
        self.__qualname__ = f"outbox.AfterCommit({self.mode})"  # Django logs it on failure

    def __call__(self) -> None:
        if self.mode == self.RELAY:
            current_app.send_task(RELAY_TASK)
        elif self.mode == self.HANDLE:
            token = _handling_here.set(True)
            try:
                handle_here(self.events)
            finally:
                _handling_here.reset(token)
        else:
            try:
                for event_id, name in self.events:
                    for handler in handlers_for(name):
                        dispatch_to_broker(event_id, handler)
            except Exception:
                OutboxEvent.objects.filter(id__in=[e for e, _n in self.events]).update(
                    relayed_at=None
                )
                raise


def handle_here(events: list[tuple[uuid.UUID, str]]) -> int:
    """Run the handlers of these claimed events in this process; send each one that fails to
    the broker for Celery's retries. Returns how many handlers ran."""
    ran = 0
    for event_id, name in events:
        for handler in handlers_for(name):
            try:
                ran += event_handle(event_id=event_id, handler=handler)
            except Exception:
                logger.warning("%s failed on %s; sent for retry", handler, event_id, exc_info=True)
                try:
                    dispatch_to_broker(event_id, handler)
                except Exception:  # the broker is down: the sweep sends it again later
                    logger.exception("could not send %s for %s to the broker", handler, event_id)
    return ran


def dispatch_to_broker(event_id: uuid.UUID, handler: str) -> None:
    current_app.send_task(HANDLE_TASK, args=[str(event_id), handler])


def outbox_relay(*, batch_size: int = 200, dispatch: Dispatch = dispatch_to_broker) -> int:
    """Hand every pending event to the broker. Returns how many events were relayed.

    A batch is claimed in a short transaction (marked relayed; SELECT ... FOR UPDATE SKIP
    LOCKED, so relays running at the same time share the work instead of sending it twice),
    then its handler tasks are sent, outside any transaction: on SQLite a transaction holds the
    one write lock, which checkouts wait for. If sending fails, the events not yet sent are
    given back (pending again, for the sweep) and the error is raised. A relay that dies between
    its claim and its sends leaves its events relayed but not complete: the sweep sends them
    again after OUTBOX_REDELIVER_AFTER_SECONDS.
    """
    relayed = 0
    while True:
        # A plain read first: most relay requests find their events relayed by an earlier one,
        # and on SQLite even a transaction that only reads takes the write lock (IMMEDIATE).
        if not OutboxEvent.objects.filter(relayed_at__isnull=True).exists():
            return relayed
        with transaction.atomic():
            pending = OutboxEvent.objects.filter(relayed_at__isnull=True).order_by("created_at")
            if connection.features.has_select_for_update_skip_locked:
                pending = pending.select_for_update(skip_locked=True)
            batch = list(pending[:batch_size])
            if not batch:
                return relayed
            now = timezone.now()
            for event in batch:
                event.relayed_at = now
                event.relay_attempts += 1
                event.completed_at = None if handlers_for(event.name) else now
            OutboxEvent.objects.bulk_update(batch, ["relayed_at", "relay_attempts", "completed_at"])
        for n, event in enumerate(batch):
            try:
                for handler in handlers_for(event.name):
                    dispatch(event.id, handler)
            except Exception:
                OutboxEvent.objects.filter(id__in=[e.id for e in batch[n:]]).update(
                    relayed_at=None, completed_at=None
                )
                raise
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
    if HandledEvent.objects.filter(event=event, handler=handler).exists():
        # A redelivery: said without a transaction (on SQLite that would take the write lock).
        logger.info("%s already handled %s %s", handler, event.name, event.id)
        _complete_if_done(event)
        return False
    ran = completed = False
    with transaction.atomic():
        try:
            with transaction.atomic():
                HandledEvent.objects.create(event=event, handler=handler)
        except IntegrityError:
            logger.info("%s already handled %s %s", handler, event.name, event.id)
        else:
            func(Event(event.id, event.name, event.payload, event.created_at))
            ran = True
            # Most often the last handler completes the event in its own transaction; handlers
            # of the same event committing at the same moment (PostgreSQL) each see only their
            # own mark, so it is asked again after commit.
            completed = _complete_if_done(event)
    if not completed:
        _complete_if_done(event)
    return ran


def handlers_for_any() -> set[str]:
    return {h for handlers in wiring().values() for h in handlers}


def _complete_if_done(event: OutboxEvent) -> bool:
    if event.completed_at is not None:
        return True
    done = set(HandledEvent.objects.filter(event=event).values_list("handler", flat=True))
    if set(handlers_for(event.name)) <= done:
        OutboxEvent.objects.filter(id=event.id, completed_at__isnull=True).update(
            completed_at=timezone.now()
        )
        return True
    return False


def outbox_purge(*, older_than: timedelta, batch_size: int = 1000, pause: float = 0.0) -> int:
    """Delete events completed more than `older_than` ago, with their handled rows. Returns how
    many events went.

    Pending events and events still waiting on a handler are never touched. The rows are
    walked by primary key, `batch_size` at a time: the ids are read outside any transaction,
    then each batch is deleted in a short transaction of its own (on SQLite a transaction holds
    the one write lock that checkouts wait for), with `pause` seconds between batches so that
    writers waiting for the lock get it.
    """
    cutoff = timezone.now() - older_than
    purged = 0
    last = None
    while True:
        done = OutboxEvent.objects.filter(completed_at__lt=cutoff)
        if last is not None:
            done = done.filter(pk__gt=last)
        ids = list(done.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return purged
        with transaction.atomic():
            old = OutboxEvent.objects.filter(pk__in=ids, completed_at__lt=cutoff)
            HandledEvent.objects.filter(event__in=old).delete()
            purged += old.delete()[1].get(OutboxEvent._meta.label, 0)
        last = ids[-1]
        if len(ids) < batch_size:
            return purged
        if pause:
            time.sleep(pause)
