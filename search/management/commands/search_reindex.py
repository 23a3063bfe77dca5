"""`manage.py search_reindex`: rebuild the search index without downtime, with a progress bar.

Elasticsearch: a new index is built and bulk-loaded beside the one the alias points at, the
alias is swapped in one update_aliases call, what changed during the build is indexed again,
and the old index is deleted: searches never see an empty or half-built index.
The database backend (always kept, it is the fallback): every public product upserted in
batches, every product no longer public removed; nothing is truncated, so it answers
throughout."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from marketplace.models import Product
from marketplace.selectors.search_feed import public_product_ids
from search.backends import backends_to_index, elasticsearch_backend
from search.backends.base import SearchBackendUnavailable
from search.documents import documents_for
from search.models import IndexMark


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def changed_ids(
    *,
    loaded: Iterable[int],
    public_now: Iterable[int],
    marked: Iterable[int],
    updated: Iterable[int],
) -> list[int]:
    """What the new index may hold wrongly once built: products marked for indexing or
    changed since the build began, products that became public during it (not loaded) and
    products loaded that are public no more."""
    loaded, public_now = set(loaded), set(public_now)
    return sorted(set(marked) | set(updated) | (public_now - loaded) | (loaded - public_now))


class Command(BaseCommand):
    help = "Rebuild the search index without downtime (Elasticsearch and the database backend)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--backend", choices=["all", "database", "elasticsearch"], default="all"
        )

    def handle(self, *args, batch_size: int, backend: str, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        # tqdm redraws its line with "\r": it needs the raw stream, not Django's wrapper.
        self.stream = getattr(self.stderr, "_out", sys.stderr)
        if backend in ("all", "database"):
            self.reindex_database(batch_size)
        if backend in ("all", "elasticsearch"):
            es = elasticsearch_backend()
            if es is None:
                if backend == "elasticsearch":
                    raise CommandError("ELASTICSEARCH_URL is not set: no Elasticsearch to rebuild")
                self.stdout.write("Elasticsearch: ELASTICSEARCH_URL is not set, skipped.")
            else:
                try:
                    self.reindex_elasticsearch(es, batch_size)
                except SearchBackendUnavailable as error:
                    raise CommandError(f"Elasticsearch unavailable: {error}") from error

    def bar(self, total: int, desc: str) -> tqdm:
        return tqdm(total=total, unit=" produk", desc=desc, file=self.stream, mininterval=0.5)

    def reindex_database(self, batch_size: int) -> None:
        started = time.monotonic()
        database = next(b for b in backends_to_index() if b.name == "database")
        ids = list(public_product_ids().order_by("pk"))
        written = 0
        with self.bar(len(ids), "Basis data") as bar:
            for chunk in chunks(ids, batch_size):
                written += database.index(documents_for(chunk, batch=batch_size))
                bar.update(len(chunk))
        # Truncate-free: entries of products that are no longer public go, the rest stayed
        # answerable all along.
        stale = Product.objects.exclude(pk__in=public_product_ids()).values_list("pk", flat=True)
        removed = 0
        for chunk in chunks(stale.order_by("pk").iterator(), batch_size):
            removed += database.remove(chunk)
        database.after_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Database: {written} products indexed, {removed} removed "
                f"({time.monotonic() - started:.1f} s)."
            )
        )

    def reindex_elasticsearch(self, es, batch_size: int) -> None:
        started, build_start = time.monotonic(), timezone.now()
        old = es.current_indexes()
        new = es.create_index()
        ids = list(public_product_ids().order_by("pk"))
        seen_marks: set[int] = set()
        loaded = 0
        try:
            es.set_building(new, True)
            with self.bar(len(ids), f"Elasticsearch {new}") as bar:
                for chunk in chunks(ids, batch_size):
                    loaded += es.bulk_load(
                        documents_for(chunk, batch=batch_size), index=new, chunk_size=batch_size
                    )
                    bar.update(len(chunk))
                    # The indexing task clears marks once it has written the old index;
                    # remember them now so the new index gets those changes too.
                    seen_marks.update(IndexMark.objects.values_list("product_id", flat=True))
            es.set_building(new, False)
            es.refresh(new)
            es.swap_alias(new, old_indexes=old)
        except BaseException:
            es.delete_indexes([new])  # never leave a half-built index behind
            raise
        # From here on the alias names the new index: the indexing task writes there too.
        changed = changed_ids(
            loaded=ids,
            public_now=public_product_ids(),
            marked=seen_marks | set(IndexMark.objects.values_list("product_id", flat=True)),
            updated=Product.objects.filter(updated_at__gte=build_start).values_list(
                "pk", flat=True
            ),
        )
        caught_up = removed = 0
        for chunk in chunks(changed, batch_size):
            documents = list(documents_for(chunk, batch=batch_size))
            caught_up += es.index(documents)
            public = {d.product_id for d in documents}
            removed += es.remove([pk for pk in chunk if pk not in public])
        es.delete_indexes(old)
        self.stdout.write(
            self.style.SUCCESS(
                f"Elasticsearch: {loaded} products into {new}, alias {es.alias} swapped from "
                f"{', '.join(old) or 'nothing'}, {caught_up} re-indexed and {removed} removed "
                f"after the build ({time.monotonic() - started:.1f} s)."
            )
        )
