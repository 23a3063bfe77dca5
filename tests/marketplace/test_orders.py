from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace import outbox
from marketplace.models import (
    CourierRate,
    Order,
    OrderEvent,
    OrderStatus,
    OutboxEvent,
    ShopDelivery,
    Variant,
    Voucher,
)
from marketplace.services import orders
from marketplace.services.checkout import (
    CheckoutItem,
    Contact,
    ShopChoice,
    checkout_place,
)
from marketplace.services.stock import NotEnoughStock
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TOURIST = Contact(name="Anna Schmidt", phone="0812 9876 5432", email="Anna@Example.test")


def place(*items, **kwargs):
    return checkout_place(items=list(items), contact=TOURIST, **kwargs)


def test_a_cart_from_two_shops_makes_two_orders_under_one_code():
    ulos = ProductFactory(price=400_000, stock=3)
    kopi = ProductFactory(price=85_000, stock=10)
    checkout = place(CheckoutItem(ulos.slug, 1), CheckoutItem(kopi.slug, 2))
    assert len(checkout.code) == 16
    assert checkout.contact_phone == "+6281298765432"
    assert checkout.contact_email == "anna@example.test"
    totals = sorted(checkout.orders.values_list("total", flat=True))
    assert totals == [170_000, 400_000]
    assert set(checkout.orders.values_list("status", flat=True)) == {"awaiting_payment"}
    assert Variant.objects.get(product=ulos).free == 2
    assert OutboxEvent.objects.filter(name="order.placed").count() == 2


def test_the_price_comes_from_the_catalog_and_a_stay_is_priced_per_night():
    night = StayNightFactory(rooms=2)
    StayNightFactory(product=night.product, night=night.night + timedelta(days=1), rooms=2)
    night.product.price = 250_000
    night.product.save()
    checkout = place(
        CheckoutItem(
            night.product.slug, 2, check_in=night.night, check_out=night.night + timedelta(days=2)
        )
    )
    assert checkout.orders.get().total == 2 * 2 * 250_000


def test_a_stay_needs_every_night_free():
    night = StayNightFactory(rooms=2)  # the second night is not offered at all
    with pytest.raises(NotEnoughStock):
        place(
            CheckoutItem(
                night.product.slug,
                1,
                check_in=night.night,
                check_out=night.night + timedelta(days=2),
            )
        )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (CheckoutItem("tidak-ada", 1), "tidak tersedia"),
        (CheckoutItem("{slug}", 0), "Jumlah"),
        (CheckoutItem("{slug}", 101), "Jumlah"),
    ],
)
def test_bad_items_are_refused_with_a_message(item, message):
    product = ProductFactory()
    item = CheckoutItem(item.product.format(slug=product.slug), item.quantity)
    with pytest.raises(ValidationError, match=message):
        place(item)


def test_an_experience_needs_a_slot_of_its_own():
    slot = ExperienceSlotFactory()
    other = ExperienceSlotFactory()
    with pytest.raises(ValidationError, match="jadwal"):
        place(CheckoutItem(slot.product.slug, 1))
    with pytest.raises(ValidationError, match="jadwal"):
        place(CheckoutItem(slot.product.slug, 1, slot=other.pk))


def test_unverified_shops_and_drafts_cannot_be_bought():
    for product in (
        ProductFactory(status="draft"),
        ProductFactory(shop=ShopFactory(status="pending")),
    ):
        with pytest.raises(ValidationError, match="tidak tersedia"):
            place(CheckoutItem(product.slug, 1))


def test_a_bad_contact_names_every_wrong_field():
    product = ProductFactory()
    with pytest.raises(ValidationError) as error:
        checkout_place(
            items=[CheckoutItem(product.slug, 1)],
            contact=Contact(name=" ", phone="123", email="x@"),
        )
    assert set(error.value.message_dict) == {"name", "phone", "email"}


def test_courier_fee_comes_from_the_rate_table_by_weight():
    product = ProductFactory(price=100_000, weight_grams=700)
    CourierRate.objects.create(
        shop=product.shop, destination_kabupaten="Kota Medan", first_kg=20_000, next_kg=8_000
    )
    choice = ShopChoice(delivery="courier", kabupaten="kota medan", address="Jl. Gatot Subroto 1")
    order = place(CheckoutItem(product.slug, 2), choices={product.shop.slug: choice}).orders.get()
    assert order.delivery_fee == 20_000 + 8_000  # 1.4 kg → 2 kg
    assert order.total == 228_000


def test_a_delivery_the_shop_does_not_offer_is_refused():
    product = ProductFactory()
    ShopDelivery.objects.create(shop=product.shop, offers_pickup=True, local_delivery_fee=None)
    with pytest.raises(ValidationError, match="antar lokal"):
        place(CheckoutItem(product.slug, 1), choices={product.shop.slug: ShopChoice("local")})
    assert Variant.objects.get(product=product).free == 10


def test_vouchers_discount_and_use_their_quota():
    product = ProductFactory(price=200_000, stock=10)
    now = timezone.now()
    Voucher.objects.create(
        shop=product.shop,
        code="HORAS10",
        kind="percent",
        value=10,
        min_purchase=150_000,
        quota=1,
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=1),
    )
    choice = {product.shop.slug: ShopChoice(voucher="horas10")}
    order = place(CheckoutItem(product.slug, 1), choices=choice).orders.get()
    assert (order.discount, order.total) == (20_000, 180_000)
    with pytest.raises(ValidationError, match="habis"):
        place(CheckoutItem(product.slug, 1), choices=choice)
    assert Variant.objects.get(product=product).free == 9  # the refused checkout took nothing
    orders.order_cancel(order=order, by=None, reason="Salah pesan")
    assert Voucher.objects.get().used == 0


def test_the_whole_life_of_an_order():
    seller = UserFactory()
    product = ProductFactory(shop=ShopFactory(owner=seller))
    order = place(CheckoutItem(product.slug, 1)).orders.get()
    for step in (
        lambda o: orders.order_mark_paid(order=o),
        lambda o: orders.order_process(order=o, by=seller),
        lambda o: orders.order_ship(order=o, by=seller, tracking_number="JNE123"),
        lambda o: orders.order_complete(order=o, by=None),
    ):
        order = step(order)
    assert order.status == OrderStatus.COMPLETED and order.tracking_number == "JNE123"
    assert list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True)) == [
        "awaiting_payment",
        "paid",
        "processing",
        "shipped",
        "completed",
    ]


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("awaiting_payment", "shipped"),
        ("completed", "paid"),
        ("expired", "paid"),
        ("cancelled", "processing"),
        ("shipped", "ready_for_pickup"),
    ],
)
def test_an_illegal_transition_raises_and_changes_nothing(start, to):
    order = place(CheckoutItem(ProductFactory().slug, 1)).orders.get()
    Order.objects.filter(pk=order.pk).update(status=start)
    events_before = OutboxEvent.objects.count()
    with pytest.raises(orders.IllegalTransition):
        orders.order_transition(order=order, to=to)
    order.refresh_from_db()
    assert order.status == start
    assert OutboxEvent.objects.count() == events_before


def test_shipping_needs_a_tracking_number():
    order = place(CheckoutItem(ProductFactory().slug, 1)).orders.get()
    Order.objects.filter(pk=order.pk).update(status="processing")
    with pytest.raises(ValidationError, match="resi"):
        orders.order_ship(order=order, by=None, tracking_number=" ")


def test_expiry_returns_stock_once_and_only_for_orders_past_their_deadline():
    product = ProductFactory(stock=4)
    due = place(CheckoutItem(product.slug, 2)).orders.get()
    fresh = place(CheckoutItem(product.slug, 1)).orders.get()
    Order.objects.filter(pk=due.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert orders.orders_expire_due() == 1
    assert orders.orders_expire_due() == 0
    assert Variant.objects.get(product=product).free == 3
    fresh.refresh_from_db()
    assert fresh.status == OrderStatus.AWAITING_PAYMENT


def handle(name, capture):
    for event in OutboxEvent.objects.filter(name=name):
        for handler in outbox.handlers_for(name):
            with capture(execute=True):
                outbox.event_handle(event_id=event.id, handler=handler)


def test_payment_succeeded_marks_the_order_paid_once(django_capture_on_commit_callbacks):
    order = place(CheckoutItem(ProductFactory().slug, 1)).orders.get()
    for _ in range(2):  # the payments app may say it twice
        outbox.publish("payment.succeeded", {"order_number": order.number, "reference": "R1"})
    handle("payment.succeeded", django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert OutboxEvent.objects.filter(name="order.paid").count() == 1


def test_payment_for_an_expired_order_does_not_revive_it(django_capture_on_commit_callbacks):
    order = place(CheckoutItem(ProductFactory().slug, 1)).orders.get()
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    orders.orders_expire_due()
    outbox.publish("payment.succeeded", {"order_number": order.number, "reference": "R1"})
    handle("payment.succeeded", django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED


def test_buyer_and_seller_hear_of_a_new_order(django_capture_on_commit_callbacks):
    seller = UserFactory(email="penjual@pasar.test")
    product = ProductFactory(shop=ShopFactory(owner=seller))
    checkout = place(CheckoutItem(product.slug, 1))
    handle("order.placed", django_capture_on_commit_callbacks)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["anna@example.test", "penjual@pasar.test"]
    buyer_mail = next(m for m in mail.outbox if m.to == ["anna@example.test"])
    assert f"/orders/{checkout.code}/" in buyer_mail.body


def test_payment_refunded_refunds_a_paid_order_once(django_capture_on_commit_callbacks):
    order = place(CheckoutItem(ProductFactory().slug, 1)).orders.get()
    orders.order_mark_paid(order=order)
    for _ in range(2):
        outbox.publish("payment.refunded", {"order_number": order.number, "reference": "R9"})
    handle("payment.refunded", django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert OutboxEvent.objects.filter(name="order.refunded").count() == 1
