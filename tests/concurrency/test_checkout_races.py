"""Stock never goes below zero, whatever the concurrency (PostgreSQL, one connection each)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import ExperienceSlot, Order, OrderStatus, StayNight, Variant
from marketplace.services import orders
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.stock import NotEnoughStock
from tests.factories import ExperienceSlotFactory, ProductFactory, StayNightFactory
from tests.support.race import run_concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUYERS = 50


def buyer(n: int) -> Contact:
    return Contact(name=f"Turis {n}", phone=f"08123{n:07d}", email=f"turis{n}@pasar.test")


def race(items: list[CheckoutItem]) -> tuple[int, int]:
    results = run_concurrently(
        *[lambda n=n: checkout_place(items=items, contact=buyer(n)) for n in range(BUYERS)]
    )
    refused = [r for r in results if isinstance(r, NotEnoughStock)]
    other_errors = [r for r in results if isinstance(r, BaseException) and r not in refused]
    assert not other_errors, other_errors
    return BUYERS - len(refused), len(refused)


def test_fifty_buyers_ten_in_stock_make_exactly_ten_orders():
    product = ProductFactory(stock=10)
    placed, refused = race([CheckoutItem(product=product.slug, quantity=1)])
    assert (placed, refused) == (10, 40)
    assert Order.objects.count() == 10
    assert Variant.objects.get(product=product).free == 0


def test_fifty_buyers_for_ten_places_on_a_boat_tour():
    slot = ExperienceSlotFactory(capacity=10)
    placed, _ = race([CheckoutItem(product=slot.product.slug, quantity=1, slot=slot.pk)])
    assert placed == 10
    slot.refresh_from_db()
    assert slot.booked == slot.capacity == 10


def test_fifty_buyers_for_ten_rooms_on_one_night():
    night = StayNightFactory(rooms=10)
    item = CheckoutItem(
        product=night.product.slug,
        quantity=1,
        check_in=night.night,
        check_out=night.night + timedelta(days=1),
    )
    placed, _ = race([item])
    assert placed == 10
    assert StayNight.objects.get(pk=night.pk).rooms_free == 0


def test_two_expiry_runs_at_once_return_stock_once():
    product = ProductFactory(stock=5)
    checkout = checkout_place(
        items=[CheckoutItem(product=product.slug, quantity=3)], contact=buyer(1)
    )
    Order.objects.filter(checkout=checkout).update(expires_at=timezone.now() - timedelta(minutes=1))
    results = run_concurrently(orders.orders_expire_due, orders.orders_expire_due)
    assert sorted(results) == [0, 1]
    assert Variant.objects.get(product=product).free == 5
    assert Order.objects.get(checkout=checkout).status == OrderStatus.EXPIRED


def test_carts_with_the_same_products_in_opposite_order_never_deadlock():
    ulos, kopi = ProductFactory(stock=100), ProductFactory(stock=100)
    forward = [
        CheckoutItem(product=ulos.slug, quantity=1),
        CheckoutItem(product=kopi.slug, quantity=1),
    ]
    backward = list(reversed(forward))
    results = run_concurrently(
        *[
            lambda n=n: checkout_place(items=forward if n % 2 else backward, contact=buyer(n))
            for n in range(20)
        ],
        timeout=60,
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert Variant.objects.get(product=ulos).free == 80
    assert Variant.objects.get(product=kopi).free == 80


def test_a_slot_full_for_one_buyer_refuses_the_whole_cart():
    ulos = ProductFactory(stock=5)
    slot = ExperienceSlotFactory(capacity=2)
    with pytest.raises(NotEnoughStock) as refused:
        checkout_place(
            items=[
                CheckoutItem(product=ulos.slug, quantity=1),
                CheckoutItem(product=slot.product.slug, quantity=3, slot=slot.pk),
            ],
            contact=buyer(1),
        )
    assert slot.product.title in str(refused.value)
    assert Variant.objects.get(product=ulos).free == 5  # nothing half-saved
    assert ExperienceSlot.objects.get(pk=slot.pk).booked == 0
    assert not Order.objects.exists()
