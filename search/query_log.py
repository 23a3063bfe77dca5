"""Every search a visitor makes, counted for Diskominfo (search.models.SearchQueryLog): one
INSERT, in a savepoint, so a failed write is logged and never fails or spoils the search."""

from __future__ import annotations

import logging
import time

from django.db import transaction

from search import backends
from search.models import SearchQueryLog
from search.query import SearchQuery
from search.results import SearchResults

logger = logging.getLogger(__name__)

TEXT_LENGTH = SearchQueryLog._meta.get_field("text").max_length


def normalize(text: str) -> str:
    """What the report counts as one query: "  Ulos  Balige" and "ulos balige" alike."""
    return " ".join(text.lower().split())[:TEXT_LENGTH]


def search_logged(
    query: SearchQuery, *, result_count: int, took_ms: float, source: str
) -> SearchQueryLog | None:
    """Count one search; a visit with neither text nor a filter is no search and is skipped."""
    filters = query.filters()
    if not query.text.strip() and not filters:
        return None
    try:
        with transaction.atomic():
            return SearchQueryLog.objects.create(
                text=query.text[:TEXT_LENGTH],
                normalized=normalize(query.text),
                filters=filters,
                result_count=result_count,
                took_ms=max(0, round(took_ms)),
                language=query.language,
                source=source,
            )
    except Exception:  # the log is for statistics: never let it fail the visitor's search
        logger.warning("search query log write failed", exc_info=True)
        return None


def search_counted(query: SearchQuery, *, source: str) -> SearchResults:
    """Search through whichever backend answers (search.backends.search), and count it."""
    started = time.perf_counter()
    results = backends.search(query)
    took_ms = (time.perf_counter() - started) * 1000
    search_logged(query, result_count=results.count, took_ms=took_ms, source=source)
    return results
