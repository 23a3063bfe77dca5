"""Indexing by the event spine (issue 9, item 5): events mark products, the task indexes what is
marked in bulk after commit, the sweep catches the rest (search/indexing.py)."""

from __future__ import annotations

import datetime as dt
import io
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from marketplace import outbox
from marketplace.models import Order, OutboxEvent, Product, ProductKind, ProductStatus, Shop
from marketplace.selectors.search_feed import public_product_ids
from marketplace.services import catalog, orders, schedules, shops
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from search import handlers, indexing, tasks
from search.backends.base import SearchBackendUnavailable
from search.models import IndexMark
from search.query import SearchQuery
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SEARCH_HANDLERS = {
    "search.handlers.product_mark",
    "search.handlers.shop_products_mark",
    "search.handlers.order_products_mark",
}


class RecordingBackend:
    """The SearchBackend protocol's writing half, remembering what it was given."""

    name = "recording"

    def __init__(self):
        self.indexed: list[list[int]] = []
        self.removed: list[list[int]] = []
        self.titles: dict[int, str] = {}
        self.during_index = None  # called once, inside the first index() call
        self.fail = 0  # raise SearchBackendUnavailable this many times

    def index(self, documents) -> int:
        docs = list(documents)
        if self.fail:
            self.fail -= 1
            raise SearchBackendUnavailable("away")
        if self.during_index:
            call, self.during_index = self.during_index, None
            call()
        self.indexed.append(sorted(d.product_id for d in docs))
        self.titles.update({d.product_id: d.title for d in docs})
        return len(docs)

    def remove(self, product_ids) -> int:
        self.removed.append(sorted(product_ids))
        return len(self.removed[-1])


@pytest.fixture
def backend(monkeypatch) -> RecordingBackend:
    recording = RecordingBackend()
    monkeypatch.setattr("search.backends.backends_to_index", lambda: [recording])
    return recording


@pytest.fixture
def queued(monkeypatch) -> list[dict]:
    """Every request for an indexing run (search.index_marked sent to the broker)."""
    calls: list[dict] = []
    monkeypatch.setattr(tasks.index_marked, "apply_async", lambda **kw: calls.append(kw))
    return calls


def deliver(capture, *names: str) -> int:
    """Run the search handlers of every stored event with these names, as a worker would
    (event_handle), with their after-commit callbacks. Returns how many ran."""
    ran = 0
    for event in OutboxEvent.objects.filter(name__in=names).order_by("created_at"):
        for handler in outbox.handlers_for(event.name):
            if handler in SEARCH_HANDLERS:
                with capture(execute=True):
                    ran += outbox.event_handle(event_id=event.id, handler=handler)
    return ran


def marked() -> set[int]:
    return set(IndexMark.objects.values_list("product_id", flat=True))


# --- each event marks the products it concerns ----------------------------------------------


def test_every_search_handler_is_wired():
    wired = {h for hs in outbox.wiring().values() for h in hs if h.startswith("search.")}
    assert wired == SEARCH_HANDLERS
    names = {n for n, hs in outbox.wiring().items() if set(hs) & SEARCH_HANDLERS}
    assert {
        "product.published",
        "product.changed",
        "product.unpublished",
        "shop.verified",
        "shop.suspended",
        "order.placed",
        "order.expired",
        "order.cancelled",
    } <= names


def test_a_changed_title_marks_that_product_and_asks_for_one_run_after_commit(
    django_capture_on_commit_callbacks, queued
):
    product, other = ProductFactory(), ProductFactory()
    catalog.product_update(product=product, fields={"title": "Ulos Ragi Hotang"})
    assert not marked()  # nothing until the event is handled
    assert deliver(django_capture_on_commit_callbacks, "product.changed") == 1
    assert marked() == {product.pk}
    assert other.pk not in marked()
    assert queued == [{"countdown": 0.3}]


def test_publishing_and_unpublishing_mark_the_product(django_capture_on_commit_callbacks, queued):
    product = ProductFactory(status=ProductStatus.DRAFT)
    catalog.product_publish(product=product)
    deliver(django_capture_on_commit_callbacks, "product.published")
    assert marked() == {product.pk}
    IndexMark.objects.all().delete()
    catalog.product_unpublish(product=product)
    deliver(django_capture_on_commit_callbacks, "product.unpublished")
    assert marked() == {product.pk}


def test_stock_slot_and_night_changes_mark_their_product(
    django_capture_on_commit_callbacks, queued
):
    goods = ProductFactory(stock=5)
    catalog.stock_set(variant=goods.variants.get(), on_hand=9)
    slot = ExperienceSlotFactory()
    catalog.slot_set_capacity(slot=slot, capacity=20)
    tour = ProductFactory(kind=ProductKind.EXPERIENCE, stock=False)
    schedules.slot_schedule_add(
        product=tour,
        start=timezone.localdate() + timedelta(days=1),
        weeks=1,
        weekdays=range(7),
        times=[dt.time(9, 0)],
        capacity=8,
    )
    stay = ProductFactory(kind=ProductKind.STAY, stock=False)
    tomorrow = timezone.localdate() + timedelta(days=1)
    catalog.stay_nights_set(product=stay, start=tomorrow, end=tomorrow + timedelta(days=3), rooms=2)
    deliver(django_capture_on_commit_callbacks, "product.changed")
    assert marked() == {goods.pk, slot.product_id, tour.pk, stay.pk}


def test_a_suspended_or_verified_shop_marks_all_its_products(
    django_capture_on_commit_callbacks, queued
):
    shop = ShopFactory()
    mine = {ProductFactory(shop=shop).pk for _ in range(3)}
    mine.add(ProductFactory(shop=shop, status=ProductStatus.DRAFT).pk)
    ProductFactory()  # another shop's
    shops.shop_suspend(shop=shop, by=UserFactory(), reason="Foto palsu")
    deliver(django_capture_on_commit_callbacks, "shop.suspended")
    assert marked() == mine
    IndexMark.objects.all().delete()
    shops.shop_verify(shop=shop, by=UserFactory())
    deliver(django_capture_on_commit_callbacks, "shop.verified")
    assert marked() == mine


TOURIST = Contact(name="Anna Schmidt", phone="0812 9876 5432", email="anna@example.test")


def test_placing_and_expiring_an_order_mark_the_products_it_holds(
    django_capture_on_commit_callbacks, queued
):
    ulos, kopi, untouched = ProductFactory(), ProductFactory(), ProductFactory()
    night = StayNightFactory()
    checkout = checkout_place(
        items=[
            CheckoutItem(ulos.slug, 1),
            CheckoutItem(kopi.slug, 2),
            CheckoutItem(
                night.product.slug, 1, check_in=night.night, check_out=night.night + timedelta(1)
            ),
        ],
        contact=TOURIST,
    )
    deliver(django_capture_on_commit_callbacks, "order.placed")
    assert marked() == {ulos.pk, kopi.pk, night.product_id}
    assert untouched.pk not in marked()
    assert queued and checkout.orders.count() == 3

    IndexMark.objects.all().delete()
    order = Order.objects.get(lines__product=ulos)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert orders.order_expire(order=order)
    deliver(django_capture_on_commit_callbacks, "order.expired")
    assert marked() == {ulos.pk}


def test_an_order_paid_marks_nothing_unless_it_was_revived(
    django_capture_on_commit_callbacks, queued
):
    """order.paid is not wired (a task per payment); the handler still tells a revival apart."""
    assert "search.handlers.order_products_mark" not in outbox.handlers_for("order.paid")
    product = ProductFactory()
    checkout = checkout_place(items=[CheckoutItem(product.slug, 1)], contact=TOURIST)
    IndexMark.objects.all().delete()
    orders.order_mark_paid(order=checkout.orders.get())
    event = OutboxEvent.objects.get(name="order.paid")
    paid = outbox.Event(event.id, "order.paid", event.payload, event.created_at)
    handlers.order_products_mark(paid)
    assert not marked()
    revived = outbox.Event(
        event.id, "order.paid", {**event.payload, "revived": True}, event.created_at
    )
    handlers.order_products_mark(revived)
    assert marked() == {product.pk}


def test_a_handler_delivered_twice_marks_once(django_capture_on_commit_callbacks, queued):
    product = ProductFactory()
    catalog.product_update(product=product, fields={"description": "Tenun tangan."})
    assert deliver(django_capture_on_commit_callbacks, "product.changed") == 1
    first = IndexMark.objects.get()
    # The broker hands the same task over again: the outbox finds it handled.
    assert deliver(django_capture_on_commit_callbacks, "product.changed") == 0
    assert IndexMark.objects.get() == first and IndexMark.objects.get().marked_at == first.marked_at
    assert len(queued) == 1
    # And even run twice by hand, the handler leaves one mark per product.
    event = OutboxEvent.objects.get(name="product.changed")
    as_handled = outbox.Event(event.id, event.name, event.payload, event.created_at)
    handlers.product_mark(as_handled)
    handlers.product_mark(as_handled)
    assert IndexMark.objects.count() == 1


def test_one_transaction_asks_for_one_run_however_many_it_marks(
    django_capture_on_commit_callbacks, queued
):
    a, b = ProductFactory(), ProductFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for product in (a, b):
            handlers.product_mark(
                outbox.Event(None, "product.changed", {"product_id": product.pk}, timezone.now())
            )
    assert len(callbacks) == 1 and queued == [{"countdown": 0.3}]
    assert marked() == {a.pk, b.pk}


def test_nothing_is_asked_for_before_commit_and_a_rolled_back_change_marks_nothing(
    django_capture_on_commit_callbacks, queued
):
    product = ProductFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        catalog.product_update(product=product, fields={"title": "Tidak jadi"})
        raise RuntimeError("the seller's request fails")
    assert not OutboxEvent.objects.filter(name="product.changed").exists()
    catalog.product_update(product=product, fields={"title": "Jadi"})
    event = OutboxEvent.objects.get(name="product.changed")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.event_handle(event_id=event.id, handler="search.handlers.product_mark")
        assert queued == []  # still inside the handler's transaction
    assert queued == []  # the commit has not run its callbacks here
    assert len(callbacks) == 1
    callbacks[0]()
    assert queued == [{"countdown": 0.3}]


# --- the task -------------------------------------------------------------------------------


def test_the_task_indexes_public_products_and_removes_unpublished_and_suspended_ones(
    backend, queued
):
    public = ProductFactory(title="Kopi Lintong")
    archived = ProductFactory(status=ProductStatus.ARCHIVED)
    suspended = ProductFactory(shop=ShopFactory(status="suspended"))
    indexing.products_mark([public.pk, archived.pk, suspended.pk])
    run = indexing.index_marked()
    assert backend.indexed == [[public.pk]]
    assert backend.titles == {public.pk: "Kopi Lintong"}
    assert backend.removed == [sorted([archived.pk, suspended.pk])]
    assert (run.indexed, run.removed, run.kept) == (1, 2, 0)
    assert not IndexMark.objects.exists()
    # Nothing marked: a run does nothing.
    assert indexing.index_marked().indexed == 0 and len(backend.indexed) == 1


def test_marks_are_taken_in_batches_oldest_first(backend, queued):
    products = [ProductFactory() for _ in range(5)]
    for product in products:
        indexing.products_mark([product.pk])
    indexing.index_marked(batch_size=2)
    assert backend.indexed == [[p.pk for p in products[i : i + 2]] for i in (0, 2, 4)]


def test_a_mark_set_again_while_its_batch_is_indexed_stays_for_the_next_run(
    backend, queued, django_capture_on_commit_callbacks
):
    product, other = ProductFactory(), ProductFactory()
    indexing.products_mark([product.pk, other.pk])
    before = IndexMark.objects.get(pk=product.pk).marked_at
    # The seller changes the title while the batch is being written to the backend.
    backend.during_index = lambda: (
        catalog.product_update(product=product, fields={"title": "Ulos Baru"})
        and indexing.products_mark([product.pk])
    )
    with django_capture_on_commit_callbacks(execute=True):  # a worker commits at once
        run = indexing.index_marked(max_batches=1)
    assert run.kept == 1 and run.more
    assert marked() == {product.pk}
    assert IndexMark.objects.get(pk=product.pk).marked_at > before
    assert queued == [{"countdown": 0.3}]  # the rest goes to a new run
    # That next run writes the new title and clears the mark.
    indexing.index_marked()
    assert backend.titles[product.pk] == "Ulos Baru"
    assert not IndexMark.objects.exists()


def test_a_backend_away_keeps_the_marks_and_the_task_retries(backend, queued, settings):
    product = ProductFactory()
    indexing.products_mark([product.pk])
    backend.fail = 1
    with pytest.raises(SearchBackendUnavailable):
        indexing.index_marked()
    assert marked() == {product.pk}
    backend.fail = 1
    tasks.index_marked.apply()  # eager: Celery's autoretry runs it again at once
    assert backend.indexed == [[product.pk]]
    assert not IndexMark.objects.exists()


def test_the_backends_are_called_outside_any_transaction(backend, queued, monkeypatch):
    depth = []
    original = backend.index
    monkeypatch.setattr(
        backend, "index", lambda docs: depth.append(connection.in_atomic_block) or original(docs)
    )
    at_start = connection.in_atomic_block  # the test's own wrapping transaction
    indexing.products_mark([ProductFactory().pk])
    indexing.index_marked()
    assert depth == [at_start]


def test_one_run_at_a_time_a_second_leaves_its_marks_to_the_first(backend, queued):
    product = ProductFactory()
    indexing.products_mark([product.pk])
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with indexing._one_run_at_a_time() as mine:
                assert mine
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10)
        run = indexing.index_marked()
        assert run.busy and backend.indexed == [] and marked() == {product.pk}
    finally:
        release.set()
        thread.join()
    assert indexing.index_marked().indexed == 1


# --- the sweep ------------------------------------------------------------------------------


def aged(product):
    """As if the product and its shop last changed two days ago."""
    long_ago = timezone.now() - timedelta(days=2)
    Product.objects.filter(pk=product.pk).update(updated_at=long_ago)
    Shop.objects.filter(pk=product.shop_id).update(updated_at=long_ago)
    return product


def test_the_sweep_indexes_what_changed_without_an_event_and_marks_left_behind(backend, queued):
    stale = aged(ProductFactory())
    fresh = ProductFactory()  # made in bulk (as seed_demo does): no event
    renamed = aged(ProductFactory())
    shops.shop_update_profile(shop=renamed.shop, fields={"name": "Toko Baru"})  # no event
    left = aged(ProductFactory())
    indexing.products_mark([left.pk])
    IndexMark.objects.filter(pk=left.pk).update(marked_at=timezone.now() - timedelta(hours=1))
    tasks.index_sweep.apply()
    indexed = {pk for batch in backend.indexed for pk in batch}
    assert indexed == {fresh.pk, renamed.pk, left.pk}
    assert stale.pk not in indexed
    assert not IndexMark.objects.exists()


def test_the_sweep_reindexes_experiences_and_stays_whose_slot_or_night_just_passed(backend, queued):
    now = timezone.now()
    passed = aged(ExperienceSlotFactory(starts_at=now - timedelta(minutes=2)).product)
    later = aged(ExperienceSlotFactory(starts_at=now + timedelta(days=2)).product)
    long_ago = aged(ExperienceSlotFactory(starts_at=now - timedelta(days=3)).product)
    yesterday = timezone.localdate() - timedelta(days=1)
    stay = aged(StayNightFactory(night=yesterday).product)
    since_midnight = timezone.now() - timezone.make_aware(
        dt.datetime.combine(timezone.localdate(), dt.time.min)
    )
    indexing.index_sweep(window=max(since_midnight + timedelta(minutes=1), timedelta(minutes=5)))
    indexed = {pk for batch in backend.indexed for pk in batch}
    assert indexed == {passed.pk, stay.pk}
    assert later.pk not in indexed and long_ago.pk not in indexed


def test_the_sweep_runs_from_beat(settings):
    sweep = settings.CELERY_BEAT_SCHEDULE["search-index-sweep"]
    assert sweep == {"task": "search.index_sweep", "schedule": 300.0}


def test_seed_demo_marks_every_public_product_for_indexing(
    queued, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    public = set(public_product_ids())
    assert public and marked() == public
    assert queued


# --- with the real database backend ---------------------------------------------------------


def test_a_change_handled_and_indexed_is_found_by_the_database_backend(
    django_capture_on_commit_callbacks, queued
):
    pytest.importorskip("search.backends.database")
    from search.backends import database_backend, search

    product = ProductFactory(title="Ulos Sadum Merah")
    indexing.products_mark([product.pk])
    indexing.index_marked()
    assert [h.product_id for h in search(SearchQuery(text="sadum")).hits] == [product.pk]

    catalog.product_update(product=product, fields={"title": "Songket Silungkang"})
    deliver(django_capture_on_commit_callbacks, "product.changed")
    indexing.index_marked()
    assert [h.product_id for h in search(SearchQuery(text="songket")).hits] == [product.pk]
    assert search(SearchQuery(text="sadum")).count == 0

    shops.shop_suspend(shop=product.shop, by=UserFactory(), reason="Laporan pembeli")
    deliver(django_capture_on_commit_callbacks, "shop.suspended")
    indexing.index_marked()
    assert database_backend().search(SearchQuery(text="songket")).count == 0
