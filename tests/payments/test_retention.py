"""Retention of provider notifications: processed ones older than PROVIDER_EVENTS_KEEP_DAYS go,
in batches; recent and unprocessed ones stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from payments import tasks
from payments.models import ProviderEvent
from payments.retention import provider_events_purge

pytestmark = pytest.mark.django_db


def notification(n: int, *, processed_days_ago: int | None) -> ProviderEvent:
    now = timezone.now()
    row = ProviderEvent.objects.create(
        provider="qris", event_id=f"TX-{n}:settlement", status="succeeded", payload={"n": n}
    )
    ProviderEvent.objects.filter(pk=row.pk).update(
        received_at=now - timedelta(days=400),
        processed_at=None if processed_days_ago is None else now - timedelta(processed_days_ago),
    )
    return row


def test_old_processed_notifications_go_and_recent_or_unprocessed_ones_stay():
    old = [notification(n, processed_days_ago=181) for n in range(7)]
    recent = notification(10, processed_days_ago=179)
    unprocessed = notification(11, processed_days_ago=None)  # received 400 days ago
    assert provider_events_purge(older_than=timedelta(days=180), batch_size=3) == 7
    assert not ProviderEvent.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert set(ProviderEvent.objects.values_list("pk", flat=True)) == {recent.pk, unprocessed.pk}
    assert provider_events_purge(older_than=timedelta(days=180)) == 0


def test_the_beat_task_reads_the_setting(settings):
    settings.PROVIDER_EVENTS_KEEP_DAYS = 30
    settings.RETENTION_PAUSE_SECONDS = 0
    notification(1, processed_days_ago=31)
    kept = notification(2, processed_days_ago=29)
    assert tasks.provider_events_purge() == 1
    assert list(ProviderEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "provider-events-purge" in settings.CELERY_BEAT_SCHEDULE
