"""What webhooks does when an event arrives: every event is offered (config/events.py).

The handler only writes the deliveries, in its handled transaction (so a redelivered event,
already handled, writes nothing; and a delivery is unique per subscriber and event anyway);
their tasks are sent after that commit and POST outside any transaction (webhooks.tasks).
"""

from __future__ import annotations

from marketplace.outbox import Event
from webhooks.services import deliveries_create


def deliveries_for_subscribers(event: Event) -> None:
    """Every event: one delivery per active subscriber that asked for it (its shop only,
    when the subscriber is limited to one)."""
    deliveries_create(event=event)
