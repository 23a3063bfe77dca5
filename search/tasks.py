"""Background work of search: indexing what the event handlers marked, and the sweep."""

from celery import shared_task

from search import indexing
from search.backends.base import SearchBackendUnavailable


@shared_task(
    name=indexing.INDEX_TASK,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(SearchBackendUnavailable,),
    retry_backoff=1,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=10,
)
def index_marked() -> dict:
    """Index every marked product in bulk; a backend that is away is retried with back-off,
    its marks kept (the sweep takes over once the retries are used up)."""
    return vars(indexing.index_marked())


@shared_task(
    name="search.index_sweep",
    ignore_result=True,
    autoretry_for=(SearchBackendUnavailable,),
    retry_backoff=5,
    max_retries=3,
)
def index_sweep() -> dict:
    """Beat, every SEARCH_SWEEP_SECONDS: mark what changed without an event, index all marks."""
    return vars(indexing.index_sweep())
