"""The seller counts the shelf while buyers order, pay and let orders expire (PostgreSQL, one
connection each): on hand, allocated and free are what a person counting would expect, and no
checkout ever buys a unit that is not there."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import Order, OrderStatus, StayNight, Variant
from marketplace.services import catalog, orders
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.stock import NotEnoughStock
from tests.factories import ProductFactory, StayNightFactory
from tests.support.race import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def buyer(n: int) -> Contact:
    return Contact(name=f"Turis {n}", phone=f"08124{n:07d}", email=f"hitung{n}@pasar.test")


def counts(variant_id: int) -> tuple[int, int, int]:
    variant = Variant.objects.get(pk=variant_id)
    return variant.on_hand, variant.allocated, variant.free


def test_recount_during_orders_then_half_expire_half_paid_then_a_rush():
    product = ProductFactory(stock=30)
    variant = product.variants.get()
    item = [CheckoutItem(product=product.slug, quantity=1)]

    # 20 buyers order while the seller, at the same moment, counts 25 on the shelf.
    results = run_concurrently(
        *[lambda n=n: checkout_place(items=item, contact=buyer(n)) for n in range(20)],
        lambda: catalog.stock_set(variant=variant, on_hand=25),
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert counts(variant.pk) == (25, 20, 5)

    # Half of them expire while the other half are paid, all at once.
    held = list(Order.objects.filter(shop=product.shop).order_by("pk"))
    to_expire, to_pay = held[:10], held[10:]
    Order.objects.filter(pk__in=[o.pk for o in to_expire]).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    results = run_concurrently(
        *[lambda o=o: orders.order_expire(order=o) for o in to_expire],
        *[lambda o=o: orders.order_mark_paid(order=o) for o in to_pay],
        lambda: orders.orders_expire_due(),  # beat's sweep racing the single expiries
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == [OrderStatus.EXPIRED] * 10 + [OrderStatus.PAID] * 10
    # 25 on the shelf, 10 of them sold and waiting to be shipped, 15 free.
    assert counts(variant.pk) == (25, 10, 15)

    # 40 buyers rush for the 15 that are free: exactly 15 get one.
    results = run_concurrently(
        *[lambda n=n: checkout_place(items=item, contact=buyer(100 + n)) for n in range(40)]
    )
    refused = [r for r in results if isinstance(r, NotEnoughStock)]
    errors = [r for r in results if isinstance(r, BaseException) and r not in refused]
    assert not errors, errors
    assert (len(results) - len(refused), len(refused)) == (15, 25)
    assert counts(variant.pk) == (25, 25, 0)


def test_rooms_recounted_while_nights_are_booked():
    night = StayNightFactory(rooms=10)
    stay = night.product
    item = [
        CheckoutItem(
            product=stay.slug,
            quantity=1,
            check_in=night.night,
            check_out=night.night + timedelta(days=1),
        )
    ]
    results = run_concurrently(
        *[lambda n=n: checkout_place(items=item, contact=buyer(200 + n)) for n in range(8)],
        lambda: catalog.stay_nights_set(product=stay, start=night.night, end=night.night, rooms=12),
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    row = StayNight.objects.get(pk=night.pk)
    assert (row.rooms, row.booked) == (12, 8)

    expired = list(Order.objects.filter(shop=stay.shop).order_by("pk")[:5])
    Order.objects.filter(pk__in=[o.pk for o in expired]).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert orders.orders_expire_due() == 5
    row.refresh_from_db()
    assert (row.rooms, row.booked, row.rooms_free) == (12, 3, 9)
