"""Delivery by kind (issue 13, item 3): an experience or a stay is never shipped. A shop's order
of nothing else has no courier, no local delivery and no fee, on the checkout page, in
checkout_quote and in checkout_place (refused with a code); its lines show the meeting point
or the check-in instead. Goods in the same shop's order are still delivered, weighed alone."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from marketplace.dates import day_text
from marketplace.models import CourierRate, DeliveryMethod, Order, ProductKind, ShopDelivery
from marketplace.services.checkout import (
    CheckoutItem,
    CheckoutRefused,
    Contact,
    ShopChoice,
    checkout_place,
    checkout_quote,
)
from tests.factories import ExperienceSlotFactory, ProductFactory, ShopFactory, StayNightFactory

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Anna Schmidt", "phone": "+44 7911 123456", "email": "anna@example.test"}


@pytest.fixture
def tourism_shop():
    """A shop that also sells goods elsewhere: local delivery Rp 15.000 and a courier rate to
    Kota Medan (first kg Rp 20.000, Rp 8.000 after), so a fee would be possible."""
    shop = ShopFactory()
    ShopDelivery.objects.create(shop=shop, offers_pickup=False, local_delivery_fee=15_000)
    CourierRate.objects.create(
        shop=shop, destination_kabupaten="Kota Medan", first_kg=20_000, next_kg=8_000
    )
    return shop


@pytest.fixture
def boat_tour(tourism_shop):
    tour = ProductFactory(
        shop=tourism_shop,
        kind=ProductKind.EXPERIENCE,
        stock=False,
        price=150_000,
        weight_grams=2_000,  # set by mistake: an experience is never weighed
        meeting_point="Dermaga Tigaraja, Parapat",
    )
    slot = ExperienceSlotFactory(product=tour, starts_at=timezone.now() + timedelta(days=3))
    return tour, slot


@pytest.fixture
def homestay(tourism_shop):
    stay = ProductFactory(
        shop=tourism_shop,
        kind=ProductKind.STAY,
        stock=False,
        price=250_000,
        check_in_time=time(14, 0),
        check_out_time=time(12, 0),
    )
    first = timezone.localdate() + timedelta(days=5)
    for offset in range(2):
        StayNightFactory(product=stay, night=first + timedelta(days=offset), rooms=2)
    return stay, first


def _items(tour, slot, stay, first):
    return [
        CheckoutItem(product=tour.slug, quantity=2, slot=slot.pk),
        CheckoutItem(
            product=stay.slug, quantity=1, check_in=first, check_out=first + timedelta(days=2)
        ),
    ]


def _contact():
    return Contact(**CONTACT)


@pytest.mark.parametrize("method", [DeliveryMethod.COURIER, DeliveryMethod.LOCAL])
def test_courier_and_local_delivery_are_refused_for_experiences_and_stays(
    boat_tour, homestay, method
):
    tour, slot = boat_tour
    stay, first = homestay
    choice = {tour.shop.slug: ShopChoice(delivery=method, kabupaten="Kota Medan", address="x")}
    for call in (
        lambda: checkout_quote(items=_items(tour, slot, stay, first), choices=choice),
        lambda: checkout_place(
            items=_items(tour, slot, stay, first), contact=_contact(), choices=choice
        ),
    ):
        with pytest.raises(CheckoutRefused) as refused:
            call()
        assert refused.value.code == "delivery_not_shipped"
        assert refused.value.field == "delivery"
        assert refused.value.shop == tour.shop.slug
    assert not Order.objects.exists()


def test_experiences_and_stays_are_placed_without_a_fee_even_where_the_shop_has_no_pickup(
    boat_tour, homestay
):
    tour, slot = boat_tour
    stay, first = homestay
    items = _items(tour, slot, stay, first)
    quote = checkout_quote(items=items)
    checkout = checkout_place(items=items, contact=_contact())
    order = Order.objects.get(checkout=checkout)
    assert (order.delivery_method, order.delivery_fee) == (DeliveryMethod.PICKUP, 0)
    assert order.total == quote.total == 2 * 150_000 + 2 * 250_000


def test_goods_in_the_same_shop_are_still_delivered_weighed_without_the_experience(boat_tour):
    tour, slot = boat_tour
    ulos = ProductFactory(shop=tour.shop, price=300_000, weight_grams=800, stock=5)
    items = [
        CheckoutItem(product=tour.slug, quantity=1, slot=slot.pk),
        CheckoutItem(product=ulos.slug, quantity=1),
    ]
    choice = {
        tour.shop.slug: ShopChoice(delivery="courier", kabupaten="Kota Medan", address="Jl. A 1")
    }
    quote = checkout_quote(items=items, choices=choice)
    # 800 g of ulos: one kilogram. With the tour's 2 kg counted it would be 3 kg, Rp 36.000.
    assert quote.shops[0].delivery_fee == 20_000
    checkout = checkout_place(items=items, contact=_contact(), choices=choice)
    order = Order.objects.get(checkout=checkout)
    assert (order.delivery_fee, order.total) == (20_000, quote.total)


def _add_to_cart(client, data):
    response = client.post("/cart/add/", data)
    assert response.status_code == 302, response.content


def _fill_cart(client, tour, slot, stay, first):
    _add_to_cart(client, {"product": tour.slug, "slot": slot.pk, "quantity": 2})
    _add_to_cart(
        client,
        {
            "product": stay.slug,
            "check_in": first.isoformat(),
            "check_out": (first + timedelta(days=2)).isoformat(),
            "quantity": 1,
        },
    )


def test_the_checkout_page_offers_no_delivery_and_shows_meeting_point_and_check_in(
    client, boat_tour, homestay
):
    tour, slot = boat_tour
    stay, first = homestay
    _fill_cart(client, tour, slot, stay, first)
    html = client.get("/checkout/").content.decode()
    section = html[html.index(f'id="shop-{tour.shop.slug}"') :]
    assert 'value="courier"' not in section and 'value="local"' not in section
    assert "data-delivery-fee" not in section and "Kota Medan" not in section
    assert "data-no-delivery" in section
    assert f'name="{tour.shop.slug}-delivery" value="pickup"' in section
    assert "Titik kumpul: Dermaga Tigaraja, Parapat" in section
    check_in = re.search(r'data-arrival="check-in">([^<]*)<', section).group(1)
    assert check_in == f"Check-in {day_text(first)} mulai 14.00"
    total = int(re.search(r'data-grand-total="(\d+)"', html).group(1))
    assert total == 2 * 150_000 + 2 * 250_000

    # A courier posted by hand is refused at the shop's delivery field; nothing is placed.
    data = {"action": "place", **CONTACT, f"{tour.shop.slug}-delivery": "courier"}
    data[f"{tour.shop.slug}-kabupaten"] = "Kota Medan"
    data[f"{tour.shop.slug}-address"] = "Jl. A 1"
    refused = client.post("/checkout/", data)
    assert refused.status_code == 200
    assert not Order.objects.exists()

    placed = client.post(
        "/checkout/", {"action": "place", **CONTACT, f"{tour.shop.slug}-delivery": "pickup"}
    )
    assert placed.status_code == 302
    order = Order.objects.get()
    assert (order.delivery_fee, order.total) == (0, total)


def test_a_mixed_shop_keeps_its_delivery_choices_and_its_tour_line_its_meeting_point(
    client, boat_tour
):
    tour, slot = boat_tour
    ulos = ProductFactory(shop=tour.shop, price=300_000, weight_grams=800, stock=5)
    _add_to_cart(client, {"product": tour.slug, "slot": slot.pk, "quantity": 1})
    _add_to_cart(client, {"product": ulos.slug, "quantity": 1})
    html = client.get("/checkout/").content.decode()
    assert 'value="courier"' in html and 'value="local"' in html
    assert "data-no-delivery" not in html
    assert "Titik kumpul: Dermaga Tigaraja, Parapat" in html
