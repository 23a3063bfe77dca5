"""What Diskominfo has to verify: shops submitted and waiting, oldest first."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.models import Shop, ShopStatus


@dataclass(frozen=True)
class WaitingShops:
    count: int
    oldest: list[Shop]  # the first few, longest waiting first


def shops_waiting_verification(*, limit: int = 5) -> WaitingShops:
    waiting = Shop.objects.filter(status=ShopStatus.PENDING)
    oldest = list(waiting.select_related("kecamatan").order_by("submitted_at", "pk")[:limit])
    # Fewer than `limit` rows: that is the count, without a second query.
    count = len(oldest) if len(oldest) < limit else waiting.count()
    return WaitingShops(count=count, oldest=oldest)
