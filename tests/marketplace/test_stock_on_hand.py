"""Stock a seller can count: on hand (the seller's number) apart from allocated (what orders
hold). Orders allocate, shipping consumes, expiry / cancellation / refund before shipping
release exactly what the order allocated."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.models import Order, OrderStatus, StayNight, Variant
from marketplace.services import catalog, orders
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.shops import shop_update_profile
from marketplace.services.stock import NotEnoughStock
from tests.factories import ProductFactory, ShopFactory, StayNightFactory, UserFactory

pytestmark = pytest.mark.django_db
BUYER = Contact(name="Rina", phone="0812 3456 7890", email="rina@pasar.test")


def place(*items: CheckoutItem) -> Order:
    return checkout_place(items=list(items), contact=BUYER).orders.get()


def counts(variant: Variant) -> tuple[int, int, int]:
    variant.refresh_from_db()
    return variant.on_hand, variant.allocated, variant.free


def test_an_order_allocates_and_the_seller_recount_is_kept_when_it_expires():
    product = ProductFactory(stock=10)
    variant = product.variants.get()
    order = place(CheckoutItem(product.slug, 3))
    assert counts(variant) == (10, 3, 7)

    # The seller counts the shelf while the order is unpaid: 8 pieces there (3 of them held).
    catalog.stock_set(variant=variant, on_hand=8)
    assert counts(variant) == (8, 3, 5)

    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert orders.orders_expire_due() == 1
    # The old model added the 3 back on top of the typed 8: 11 that do not exist.
    assert counts(variant) == (8, 0, 8)


def test_on_hand_cannot_go_below_what_orders_hold():
    product = ProductFactory(stock=5)
    variant = product.variants.get()
    place(CheckoutItem(product.slug, 4))
    with pytest.raises(ValidationError) as refused:
        catalog.stock_set(variant=variant, on_hand=3)
    assert refused.value.code == "below_allocated"
    assert counts(variant) == (5, 4, 1)
    with pytest.raises(ValidationError) as refused:
        catalog.variant_save(product=product, variant=variant, name="Standar", price=1, on_hand=2)
    assert refused.value.code == "below_allocated"
    assert counts(variant) == (5, 4, 1)


def test_the_database_refuses_allocating_more_than_on_hand():
    variant = ProductFactory(stock=2).variants.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.filter(pk=variant.pk).update(allocated=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Variant.objects.filter(pk=variant.pk).update(on_hand=1, allocated=2)


def test_shipping_consumes_and_a_refund_afterwards_gives_nothing_back():
    product = ProductFactory(stock=10)
    variant = product.variants.get()
    order = place(CheckoutItem(product.slug, 2))
    seller = UserFactory()
    orders.order_mark_paid(order=order)
    assert counts(variant) == (10, 2, 8)  # paid: still on the shelf, still held
    orders.order_process(order=order, by=seller)
    orders.order_ship(order=order, by=seller, tracking_number="JNE123")
    assert counts(variant) == (8, 0, 8)  # the two pieces left the shelf
    orders.order_transition(order=order, to=OrderStatus.REFUNDED)
    assert counts(variant) == (8, 0, 8)


def test_a_pickup_order_is_consumed_when_completed_and_released_if_refunded_before():
    product = ProductFactory(stock=10)
    variant = product.variants.get()
    seller = UserFactory()
    kept, refunded = place(CheckoutItem(product.slug, 1)), place(CheckoutItem(product.slug, 2))
    for order in (kept, refunded):
        orders.order_mark_paid(order=order)
        orders.order_process(order=order, by=seller)
        orders.order_ready_for_pickup(order=order, by=seller)
    assert counts(variant) == (10, 3, 7)
    orders.order_complete(order=kept, by=seller)
    assert counts(variant) == (9, 2, 7)
    orders.order_transition(order=refunded, to=OrderStatus.REFUNDED)
    assert counts(variant) == (9, 0, 9)  # the two never left the shop


def test_cancelling_a_paid_order_releases_exactly_what_it_held():
    product = ProductFactory(stock=6)
    variant = product.variants.get()
    order = place(CheckoutItem(product.slug, 4))
    orders.order_mark_paid(order=order)
    orders.order_cancel(order=order, by=UserFactory(), reason="Kain rusak")
    assert counts(variant) == (6, 0, 6)
    order.refresh_from_db()
    assert not order.holds_stock


def test_a_stale_variant_form_never_overwrites_what_a_checkout_allocated():
    product = ProductFactory(stock=5)
    stale = product.variants.get()  # the seller's tab loaded it with nothing allocated
    place(CheckoutItem(product.slug, 2))
    catalog.variant_save(
        product=product, variant=stale, name="Motif Sadum", price=350_000, on_hand=5
    )
    variant = product.variants.get()
    assert (variant.name, variant.on_hand, variant.allocated) == ("Motif Sadum", 5, 2)


def test_a_variant_that_orders_hold_cannot_be_deleted():
    product = ProductFactory(stock=5)
    extra = product.variants.create(name="Kecil", price=100_000, on_hand=3)
    place(CheckoutItem(product.slug, 1, variant=extra.pk))
    with pytest.raises(ValidationError) as refused:
        catalog.variant_delete(variant=extra)
    assert refused.value.code == "allocated"
    assert Variant.objects.filter(pk=extra.pk).exists()


# Room-nights -----------------------------------------------------------------------------


def test_the_seller_sets_rooms_while_nights_are_booked_and_expiry_releases_them():
    night = StayNightFactory(rooms=3)
    stay = night.product
    order = place(
        CheckoutItem(stay.slug, 2, check_in=night.night, check_out=night.night + timedelta(days=1))
    )
    night.refresh_from_db()
    assert (night.rooms, night.booked, night.rooms_free) == (3, 2, 1)

    catalog.stay_nights_set(product=stay, start=night.night, end=night.night, rooms=4)
    night.refresh_from_db()
    assert (night.rooms, night.booked, night.rooms_free) == (4, 2, 2)

    with pytest.raises(ValidationError) as refused:
        catalog.stay_nights_set(product=stay, start=night.night, end=night.night, rooms=1)
    assert refused.value.code == "below_booked"

    orders.order_cancel(order=order, by=None, reason="Tamu batal")
    night.refresh_from_db()
    # The old model gave the 2 back on top of what the seller typed: 6 rooms in a 4-room house.
    assert (night.rooms, night.booked, night.rooms_free) == (4, 0, 4)
    assert StayNight.objects.filter(product=stay).count() == 1


# Money that came late: order_revive -------------------------------------------------------


def test_an_expired_order_is_revived_as_paid_when_its_stock_is_still_there():
    product = ProductFactory(stock=3)
    variant = product.variants.get()
    order = place(CheckoutItem(product.slug, 2))
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    orders.orders_expire_due()
    assert counts(variant) == (3, 0, 3)

    revived = orders.order_revive(order=order, note="Dana masuk terlambat.")
    assert revived.status == OrderStatus.PAID and revived.holds_stock
    assert counts(variant) == (3, 2, 1)
    with pytest.raises(orders.IllegalTransition):
        orders.order_revive(order=order)  # paid now: no second revival
    assert counts(variant) == (3, 2, 1)


def test_an_expired_order_whose_stock_was_sold_meanwhile_is_not_revived():
    product = ProductFactory(stock=2)
    variant = product.variants.get()
    order = place(CheckoutItem(product.slug, 2))
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    orders.orders_expire_due()
    place(CheckoutItem(product.slug, 1))  # another buyer took one
    with pytest.raises(NotEnoughStock):
        orders.order_revive(order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED and not order.holds_stock
    assert counts(variant) == (2, 1, 1)


# Update services name the fields they may change -------------------------------------------


def test_product_update_cannot_set_status_or_shop():
    product = ProductFactory(status="draft")
    with pytest.raises(ValueError):
        catalog.product_update(product=product, fields={"status": "active"})
    with pytest.raises(ValueError):
        catalog.product_update(product=product, fields={"title": "Baru", "shop_id": 999})
    product.refresh_from_db()
    assert product.status == "draft" and product.title != "Baru"


def test_product_update_writes_only_the_named_fields():
    product = ProductFactory(title="Ulos Lama", price=100_000)
    other_copy = type(product).objects.get(pk=product.pk)
    catalog.product_update(product=product, fields={"title": "Ulos Baru"})
    # A second caller changing only the price from its own (stale) copy keeps the new title.
    catalog.product_update(product=other_copy, fields={"price": 120_000})
    product.refresh_from_db()
    assert (product.title, product.price) == ("Ulos Baru", 120_000)


def test_order_transition_takes_no_arbitrary_fields():
    product = ProductFactory(stock=2)
    order = place(CheckoutItem(product.slug, 1))
    with pytest.raises(TypeError):
        orders.order_transition(order=order, to=OrderStatus.PAID, status="completed")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_shop_update_profile_cannot_verify_a_shop():
    shop = ShopFactory(status="pending")
    with pytest.raises(ValueError):
        shop_update_profile(shop=shop, fields={"status": "verified"})
    shop.refresh_from_db()
    assert shop.status == "pending"
