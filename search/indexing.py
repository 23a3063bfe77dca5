"""Keeping the search backends up to date by the event spine.

Event handlers (search.handlers) only mark products (`products_mark`: one IndexMark row per
product, upserted) and, once their transaction has committed, ask for `search.index_marked`
a moment later (`index_soon`), so a burst of changes becomes one bulk write. The task
(`index_marked`) reads a batch of marks, builds the documents of the public ones, writes them
to every backend and removes the others, then deletes the marks it did, unless a mark was set
again meanwhile: that product changed after its document was read, so it waits for the next
batch. The backends are called outside any transaction and row lock; nothing is indexed from
inside an uncommitted transaction (the mark commits with the change's handled event, the task
runs after). `index_sweep` (beat) marks what changed without an event reaching us and indexes
everything still marked (a task lost with the broker, a backend that was away).

One run at a time: two runs at once could write an older document after a newer one and then
delete the mark of the newer. A run that finds another running leaves its marks to it; the one
running looks for marks again after it lets go of the lock.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from marketplace.selectors.search_feed import (
    availability_passed_product_ids,
    changed_product_ids,
)
from search import backends
from search.documents import documents_for
from search.models import IndexMark

logger = logging.getLogger(__name__)

INDEX_TASK = "search.index_marked"
BATCH_SIZE = 1000
MAX_BATCHES = 50  # per run; what is left is handed to a new run, so no task runs for ever
LOCK_KEY = 0x5EA2C4  # pg_try_advisory_lock key: "search index run"


def products_mark(product_ids: Iterable[int]) -> int:
    """Mark these products as out of date in the index. One row per product, however often it
    is marked; a mark set again moves its time on (so a run in progress keeps it)."""
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    now = timezone.now()
    IndexMark.objects.bulk_create(
        [IndexMark(product_id=pk, marked_at=now) for pk in ids],
        update_conflicts=True,
        unique_fields=["product_id"],
        update_fields=["marked_at"],
        batch_size=BATCH_SIZE,
    )
    return len(ids)


class _IndexSoon:
    """The after-commit callback that asks for one indexing run (one per transaction)."""

    def __call__(self) -> None:
        from search.tasks import index_marked

        try:
            index_marked.apply_async(countdown=settings.SEARCH_INDEX_DELAY_SECONDS)
        except Exception:  # the broker is away: the marks wait for the sweep
            logger.warning("could not ask for search indexing; the sweep will", exc_info=True)


def index_soon() -> None:
    """Ask for `search.index_marked` once the current transaction commits (at once outside
    one), however many products it marked."""
    if any(isinstance(func, _IndexSoon) for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_IndexSoon(), robust=True)


@dataclass
class IndexRun:
    indexed: int = 0  # documents written (per backend)
    removed: int = 0  # products no longer public, taken out
    kept: int = 0  # marks set again while their batch was indexed: left for the next batch
    busy: bool = False  # another run held the lock
    more: bool = False  # stopped at MAX_BATCHES with marks left; a new run was queued


@contextmanager
def _one_run_at_a_time() -> Iterator[bool]:
    """True if this process may index now. PostgreSQL: a session advisory lock (workers on any
    machine; let go if the connection dies). SQLite: a file lock in VAR_DIR (one machine, as
    SQLite is). Never a transaction: the backends are called while it is held."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            got = cursor.fetchone()[0]
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        return
    path = settings.VAR_DIR / "search-index.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _index_batch(run: IndexRun, batch_size: int) -> int:
    """Index one batch of marks, oldest first. Returns how many marks it read."""
    marks = list(
        IndexMark.objects.order_by("marked_at", "product_id").values_list(
            "product_id", "marked_at"
        )[:batch_size]
    )
    if not marks:
        return 0
    ids = [product_id for product_id, _at in marks]
    # Read after the marks: a change that commits from here on marks its product again.
    documents = list(documents_for(ids))
    public = {doc.product_id for doc in documents}
    gone = [product_id for product_id in ids if product_id not in public]
    for backend in backends.backends_to_index():
        if documents:
            backend.index(documents)
        if gone:
            backend.remove(gone)
    run.indexed += len(documents)
    run.removed += len(gone)
    with transaction.atomic():
        now_marked = dict(
            IndexMark.objects.select_for_update()
            .filter(product_id__in=ids)
            .values_list("product_id", "marked_at")
        )
        done = [pk for pk, at in marks if now_marked.get(pk) == at]
        IndexMark.objects.filter(product_id__in=done).delete()
    run.kept += len(ids) - len(done)
    return len(marks)


def index_marked(*, batch_size: int = BATCH_SIZE, max_batches: int = MAX_BATCHES) -> IndexRun:
    """Index every marked product, `batch_size` at a time, then look again until no mark is
    left (at most `max_batches` batches; the rest goes to a new run). A SearchBackendUnavailable
    from a backend is raised with the marks left in place (the task retries)."""
    run = IndexRun()
    batches = 0
    while IndexMark.objects.exists():
        with _one_run_at_a_time() as mine:
            if not mine:
                run.busy = True
                return run
            while batches < max_batches and _index_batch(run, batch_size):
                batches += 1
        # Let go, then look again: a run that found the lock taken left its marks to us.
        if batches >= max_batches:
            if IndexMark.objects.exists():
                run.more = True
                index_soon()
            break
    if run.indexed or run.removed:
        logger.info(
            "search indexed %d, removed %d, kept %d marked again",
            run.indexed,
            run.removed,
            run.kept,
        )
    return run


def index_sweep(*, window: timedelta | None = None) -> IndexRun:
    """Mark the products that changed (or whose shop did) within `window` (default twice the
    sweep interval, so consecutive sweeps overlap), and those whose slot started or night ended
    meanwhile, then index everything marked, old marks included. Catches what no event
    announced (a shop's profile, bulk-made products, the clock) and marks a lost task left."""
    if window is None:
        window = timedelta(seconds=2 * settings.SEARCH_SWEEP_SECONDS)
    since = timezone.now() - window
    marked = products_mark(changed_product_ids(since) + availability_passed_product_ids(since))
    if marked:
        logger.info("search sweep marked %d changed products", marked)
    return index_marked()
