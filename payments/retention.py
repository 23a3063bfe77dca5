"""How long provider notifications are kept: processed ones go after PROVIDER_EVENTS_KEEP_DAYS.

A notification is kept verbatim so that what a provider told us can be read back when a payment
is disputed; after the retention period (180 days by default, past the card networks' usual
dispute window) it is deleted. Notifications not yet applied are never deleted.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from payments.models import ProviderEvent


def provider_events_purge(
    *, older_than: timedelta, batch_size: int = 1000, pause: float = 0.0
) -> int:
    """Delete notifications processed more than `older_than` ago. Returns how many went.

    Walked by primary key, `batch_size` rows at a time: ids are read outside any transaction,
    each batch is deleted in a short transaction of its own (so a checkout waiting for the
    database's write lock waits one batch at most), with `pause` seconds between batches.
    """
    cutoff = timezone.now() - older_than
    purged = 0
    last = 0
    while True:
        ids = list(
            ProviderEvent.objects.filter(processed_at__lt=cutoff, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return purged
        with transaction.atomic():
            purged += ProviderEvent.objects.filter(pk__in=ids, processed_at__lt=cutoff).delete()[0]
        last = ids[-1]
        if len(ids) < batch_size:
            return purged
        if pause:
            time.sleep(pause)
