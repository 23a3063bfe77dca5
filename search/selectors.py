"""Reads of the search app's own tables for the admin: what tourists searched for."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from search.models import SearchQueryLog

REPORT_DAYS = 30


def top_queries(*, zero_results_only: bool = False, days: int = REPORT_DAYS) -> QuerySet:
    """Rows {"normalized", "searches", "zero_results", "last_searched"} of the last `days`
    days, the most searched first: one GROUP BY over the (searched_at, normalized) index."""
    logs = SearchQueryLog.objects.filter(
        searched_at__gte=timezone.now() - timedelta(days=days)
    ).exclude(normalized="")
    if zero_results_only:
        logs = logs.filter(result_count=0)
    return (
        logs.values("normalized")
        .annotate(
            searches=Count("id"),
            zero_results=Count("id", filter=Q(result_count=0)),
            last_searched=Max("searched_at"),
        )
        .order_by("-searches", "normalized")
    )
