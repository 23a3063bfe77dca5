"""Campaign reach: per campaign, the visits it brought and the orders and money that followed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.db.models import Count, Q, Sum
from django.utils import timezone

from marketplace.models import CampaignVisitDay, Order, OrderStatus

# Money that arrived and stayed: an order counts as paid from "paid" on, unless it was
# cancelled, expired or refunded since.
PAID_STATUSES = (
    OrderStatus.PAID,
    OrderStatus.PROCESSING,
    OrderStatus.SHIPPED,
    OrderStatus.READY_FOR_PICKUP,
    OrderStatus.COMPLETED,
)


class CampaignReachRow(TypedDict):
    campaign: str
    visits: int  # counted visits (one per session, day and source)
    orders: int  # orders placed
    paid_orders: int  # of those, the ones paid and not cancelled, expired or refunded
    paid_value: int  # their totals, whole rupiah


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def campaign_reach(start: date, end: date) -> list[CampaignReachRow]:
    """Each campaign with visits or orders from `start` to `end` (both included, local days),
    most visits first: two GROUP BY queries, one over CampaignVisitDay, one over Order."""
    visits = dict(
        CampaignVisitDay.objects.filter(day__gte=start, day__lte=end)
        .values("campaign")
        .annotate(visits=Sum("visits"))
        .order_by()
        .values_list("campaign", "visits")
    )
    paid = Q(status__in=PAID_STATUSES)
    orders = {
        row["campaign"]: row
        for row in Order.objects.filter(
            created_at__gte=_day_start(start),
            created_at__lt=_day_start(end + timedelta(days=1)),
        )
        .exclude(campaign="")
        .values("campaign")
        .annotate(
            orders=Count("id"),
            paid_orders=Count("id", filter=paid),
            paid_value=Sum("total", filter=paid, default=0),
        )
        .order_by()
    }
    rows: list[CampaignReachRow] = []
    for campaign in visits.keys() | orders.keys():
        placed = orders.get(campaign, {})
        rows.append(
            CampaignReachRow(
                campaign=campaign,
                visits=visits.get(campaign, 0),
                orders=placed.get("orders", 0),
                paid_orders=placed.get("paid_orders", 0),
                paid_value=placed.get("paid_value", 0),
            )
        )
    rows.sort(key=lambda row: (-row["visits"], -row["paid_value"], row["campaign"]))
    return rows
