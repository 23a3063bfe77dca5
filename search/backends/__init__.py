"""Which backend answers: Elasticsearch when ELASTICSEARCH_URL is set, else the database.

If Elasticsearch cannot answer, the database backend does and a warning is logged: the site
never answers 500 because the search cluster is away."""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings

from search.backends.base import SearchBackend, SearchBackendUnavailable
from search.query import SearchQuery
from search.results import SearchResults, Suggestion

logger = logging.getLogger(__name__)


@cache
def database_backend() -> SearchBackend:
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


@cache
def elasticsearch_backend() -> SearchBackend | None:
    if not settings.ELASTICSEARCH_URL:
        return None
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(settings.ELASTICSEARCH_URL)


def backends_to_index() -> list[SearchBackend]:
    """Every backend that keeps documents: the database always (it is the fallback)."""
    return [b for b in (database_backend(), elasticsearch_backend()) if b is not None]


def search(query: SearchQuery) -> SearchResults:
    primary = elasticsearch_backend()
    if primary is not None:
        try:
            return primary.search(query)
        except SearchBackendUnavailable as error:
            logger.warning("Elasticsearch unavailable, answering from the database: %s", error)
    return database_backend().search(query)


def suggest(text: str, *, language: str = "id", limit: int = 8) -> list[Suggestion]:
    primary = elasticsearch_backend()
    if primary is not None:
        try:
            return primary.suggest(text, language=language, limit=limit)
        except SearchBackendUnavailable as error:
            logger.warning("Elasticsearch unavailable, suggesting from the database: %s", error)
    return database_backend().suggest(text, language=language, limit=limit)
