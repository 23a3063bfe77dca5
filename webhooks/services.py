"""Outbound webhooks: deliveries made by the event handler, attempts made by the task, the
pause after repeated failures and the admin's resume (docs/webhooks.md)."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.outbox import Event
from webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Subscriber
from webhooks.payloads import body_for
from webhooks.signing import signed_headers

logger = logging.getLogger(__name__)

SEND_TASK = "webhooks.delivery_send"
S = DeliveryStatus


def deliveries_create(*, event: Event) -> list[int]:
    """One delivery per active subscriber that wants the event (unique per subscriber and
    event: a second call for the same event creates nothing), in the caller's transaction;
    their tasks are sent after it commits. A paused subscriber's delivery is held until it is
    resumed. Returns the ids of the deliveries to send."""
    to_send = []
    for subscriber in Subscriber.objects.filter(is_active=True):
        if not subscriber.wants(event.name, event.payload):
            continue
        delivery, created = Delivery.objects.get_or_create(
            subscriber=subscriber,
            event_id=event.id,
            defaults={
                "event_name": event.name,
                "body": body_for(
                    name=event.name,
                    occurred_at=event.occurred_at,
                    payload=event.payload,
                    personal_data=subscriber.personal_data,
                ),
                "status": S.HELD if subscriber.is_paused else S.PENDING,
                "next_attempt_at": timezone.now(),
            },
        )
        if created and delivery.status == S.PENDING:
            to_send.append(delivery.pk)
    if to_send:
        # Lost if the broker is down: webhooks.deliveries_sweep sends it later.
        transaction.on_commit(functools.partial(deliveries_send, to_send), robust=True)
    return to_send


def deliveries_send(delivery_ids: list[int]) -> None:
    for pk in delivery_ids:
        current_app.send_task(SEND_TASK, args=[pk, 0])


@dataclass(frozen=True)
class AttemptResult:
    outcome: str  # "skipped", "held", "succeeded", "retry", "failed"
    attempts: int = 0
    retry_in: int | None = None


def retry_countdown(attempts: int) -> int:
    """Seconds before the next attempt after `attempts` failed ones: doubling each time."""
    base = settings.WEBHOOK_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** (attempts - 1), settings.WEBHOOK_RETRY_BACKOFF_MAX_SECONDS)


def delivery_attempt(*, delivery_id: int, attempt: int) -> AttemptResult:
    """Make attempt number `attempt + 1` of a pending delivery, outside any transaction.

    The attempt is claimed first (attempts goes from `attempt` to `attempt + 1` only if it is
    still pending at `attempt`), so a duplicate task, a task redelivered after its worker died
    and the sweep never send the same attempt twice, and a delivery that succeeded is never
    sent again.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 30)
    claimed = Delivery.objects.filter(pk=delivery_id, status=S.PENDING, attempts=attempt).update(
        attempts=F("attempts") + 1, next_attempt_at=lease
    )
    if not claimed:
        return AttemptResult("skipped")
    delivery = Delivery.objects.select_related("subscriber").get(pk=delivery_id)
    subscriber = delivery.subscriber
    if not subscriber.is_active or subscriber.is_paused:
        Delivery.objects.filter(pk=delivery_id).update(
            status=S.HELD, attempts=F("attempts") - 1, next_attempt_at=None
        )
        return AttemptResult("held", attempts=attempt)

    headers = signed_headers(
        secret=subscriber.secret, msg_id=str(delivery.event_id), body=delivery.body
    )
    status_code, error = None, ""
    started = time.monotonic()
    try:
        response = requests.post(
            subscriber.url,
            data=delivery.body.encode(),
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        status_code = response.status_code
        response.close()
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    duration_ms = round((time.monotonic() - started) * 1000)

    attempt_row = DeliveryAttempt(
        delivery=delivery, status_code=status_code, error=error, duration_ms=duration_ms
    )
    done = timezone.now()
    with transaction.atomic():
        attempt_row.save()
        mine = Delivery.objects.filter(pk=delivery_id, attempts=delivery.attempts)
        if attempt_row.succeeded:
            mine.update(status=S.SUCCEEDED, finished_at=done, next_attempt_at=None)
            return AttemptResult("succeeded", attempts=delivery.attempts)
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            mine.update(status=S.FAILED, finished_at=done, next_attempt_at=None)
            logger.warning(
                "webhook %s to %s failed after %d attempts: %s",
                delivery.event_id,
                subscriber.url,
                delivery.attempts,
                attempt_row.outcome(),
            )
            subscriber_pause_if_failing(subscriber=subscriber, reason=attempt_row.outcome())
            return AttemptResult("failed", attempts=delivery.attempts)
        countdown = retry_countdown(delivery.attempts)
        mine.update(next_attempt_at=done + timedelta(seconds=countdown))
    return AttemptResult("retry", attempts=delivery.attempts, retry_in=countdown)


def subscriber_pause_if_failing(*, subscriber: Subscriber, reason: str) -> bool:
    """Pause a subscriber whose last WEBHOOK_PAUSE_AFTER_FAILURES finished deliveries all
    failed; `reason` (the last status or error) is shown to the admin."""
    wanted = settings.WEBHOOK_PAUSE_AFTER_FAILURES
    last = list(
        Delivery.objects.filter(subscriber=subscriber, status__in=[S.SUCCEEDED, S.FAILED])
        .order_by("-finished_at")
        .values_list("status", flat=True)[:wanted]
    )
    if len(last) < wanted or any(status != S.FAILED for status in last):
        return False
    paused = Subscriber.objects.filter(pk=subscriber.pk, paused_at__isnull=True).update(
        paused_at=timezone.now(),
        paused_reason=f"{wanted}× gagal berturut-turut; terakhir: {reason}"[:300],
    )
    if paused:
        logger.warning("webhook subscriber %s paused: %s", subscriber, reason)
    return bool(paused)


def subscriber_resume(*, subscriber: Subscriber) -> int:
    """Resume a paused subscriber: its failed and held deliveries start again from their
    first attempt, sent after commit. Returns how many were queued again."""
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).update(paused_at=None, paused_reason="")
        again = list(
            Delivery.objects.filter(subscriber=subscriber, status__in=[S.FAILED, S.HELD])
            .order_by("created_at")
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=again).update(
            status=S.PENDING, attempts=0, finished_at=None, next_attempt_at=timezone.now()
        )
        if again:
            transaction.on_commit(functools.partial(deliveries_send, again), robust=True)
    subscriber.refresh_from_db()
    return len(again)


def deliveries_sweep(*, older_than: timedelta, batch_size: int = 500) -> int:
    """Send again the pending deliveries whose next attempt is long overdue (the task was lost:
    the broker was down after commit, or its worker died). Their time is moved on, so the
    next sweep does not send them again at once."""
    now = timezone.now()
    due = list(
        Delivery.objects.filter(status=S.PENDING, next_attempt_at__lt=now - older_than)
        .order_by("next_attempt_at")
        .values_list("pk", "attempts")[:batch_size]
    )
    for pk, attempts in due:
        Delivery.objects.filter(pk=pk, attempts=attempts).update(next_attempt_at=now)
        current_app.send_task(SEND_TASK, args=[pk, attempts])
    return len(due)
