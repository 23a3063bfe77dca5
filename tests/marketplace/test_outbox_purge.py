"""Retention of the outbox: completed events older than OUTBOX_KEEP_DAYS go with their handled
rows, in batches; recent, pending and unfinished events stay."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace import outbox, tasks
from marketplace.models import HandledEvent, OutboxEvent

pytestmark = pytest.mark.django_db

DAYS = timedelta(days=1)


def event(*, completed_days_ago=None, relayed=True, handled=("record", "record_other")):
    now = timezone.now()
    row = OutboxEvent.objects.create(name="probe.happened", payload={})
    done_at = None if completed_days_ago is None else now - completed_days_ago * DAYS
    OutboxEvent.objects.filter(pk=row.pk).update(
        created_at=now - 400 * DAYS,
        relayed_at=now - 400 * DAYS if relayed else None,
        completed_at=done_at,
    )
    for handler in handled:
        HandledEvent.objects.create(event=row, handler=f"tests.probe.handlers.{handler}")
    return row


def test_old_completed_events_go_with_their_handled_rows_and_the_rest_stays():
    old = [event(completed_days_ago=31) for _ in range(5)]
    recent = event(completed_days_ago=29)
    pending = event(relayed=False, handled=())
    unfinished = event(handled=("record",))  # relayed long ago, a handler still missing
    assert outbox.outbox_purge(older_than=timedelta(days=30)) == 5
    assert not OutboxEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert not HandledEvent.objects.filter(event_id__in=[e.pk for e in old]).exists()
    assert set(OutboxEvent.objects.values_list("pk", flat=True)) == {
        recent.pk,
        pending.pk,
        unfinished.pk,
    }
    assert HandledEvent.objects.filter(event=recent).count() == 2
    assert HandledEvent.objects.filter(event=unfinished).count() == 1
    assert outbox.outbox_purge(older_than=timedelta(days=30)) == 0


def test_the_purge_deletes_in_batches_by_primary_key():
    for _ in range(7):
        event(completed_days_ago=60)
    keep = event(completed_days_ago=1)
    with CaptureQueriesContext(connection) as queries:
        assert outbox.outbox_purge(older_than=timedelta(days=30), batch_size=3) == 7
    deletes = [
        q["sql"] for q in queries if q["sql"].startswith('DELETE FROM "marketplace_outboxevent"')
    ]
    assert len(deletes) == 3  # 3 + 3 + 1
    assert list(OutboxEvent.objects.values_list("pk", flat=True)) == [keep.pk]


def test_the_beat_task_reads_the_setting(settings):
    settings.OUTBOX_KEEP_DAYS = 10
    settings.RETENTION_PAUSE_SECONDS = 0
    gone, kept = event(completed_days_ago=11), event(completed_days_ago=9)
    assert tasks.outbox_purge() == 1
    assert list(OutboxEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not OutboxEvent.objects.filter(pk=gone.pk).exists()
    assert "outbox-purge" in settings.CELERY_BEAT_SCHEDULE
