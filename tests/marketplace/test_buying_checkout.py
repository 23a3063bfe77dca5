"""/checkout/: contact and per-shop choices; one order per shop under one code; errors next to
their fields with nothing lost; short stock named; the cart kept until an order is made."""

from datetime import timedelta

import pytest

from marketplace.models import (
    CartItem,
    Checkout,
    CourierRate,
    Order,
    ShopDelivery,
    Variant,
)
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    StayNightFactory,
    UserFactory,
    voucher_for,
)

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Anna Schmidt", "phone": "0812 9876 5432", "email": "anna@example.test"}


def add(client, product, quantity=1, **extra):
    response = client.post("/cart/add/", {"product": product.slug, "quantity": quantity, **extra})
    assert response.status_code == 302


def post(client, shops=None, **contact):
    data = {**CONTACT, **contact}
    for slug, choice in (shops or {}).items():
        data.update({f"{slug}-{name}": value for name, value in choice.items()})
    return client.post("/checkout/", data)


def pickup(*products):
    return {product.shop.slug: {"delivery": "pickup"} for product in products}


def test_an_empty_cart_goes_back_to_the_cart(client):
    response = client.get("/checkout/")
    assert response["Location"] == "/cart/"


def test_the_page_shows_the_cart_by_shop_and_each_shops_options(client):
    ulos = ProductFactory(title="Ulos Sadum Balige", price=400_000, weight_grams=800)
    kopi = ProductFactory(title="Kopi Lintong", price=85_000, weight_grams=500)
    ShopDelivery.objects.create(shop=ulos.shop, offers_pickup=True, local_delivery_fee=15_000)
    CourierRate.objects.create(
        shop=ulos.shop, destination_kabupaten="Kota Medan", first_kg=20_000, next_kg=8_000
    )
    ShopDelivery.objects.create(shop=kopi.shop, offers_pickup=False, local_delivery_fee=10_000)
    add(client, ulos, 2)
    add(client, kopi)
    response = client.get("/checkout/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ulos Sadum Balige" in html and "Rp 800.000" in html
    forms = {group.shop.slug: form for group, form in response.context["shop_forms"]}
    assert [value for value, _ in forms[ulos.shop.slug].fields["delivery"].choices] == [
        "pickup",
        "local",
        "courier",
    ]
    assert [value for value, _ in forms[kopi.shop.slug].fields["delivery"].choices] == ["local"]
    assert "Rp 15.000" in html
    # 2 × 800 g = 1.6 kg → 2 kg: 20.000 + 8.000
    assert "Kota Medan · Rp 28.000" in html
    assert forms[kopi.shop.slug].fields["delivery"].initial == "local"


def test_the_contact_is_prefilled_for_a_signed_in_buyer(client):
    user = UserFactory(full_name="Tigor Simanjuntak", phone="081311112222")
    client.force_login(user)
    add(client, ProductFactory())
    form = client.get("/checkout/").context["contact_form"]
    assert form["name"].value() == "Tigor Simanjuntak"
    assert form["email"].value() == user.email
    assert form["phone"].value() == "081311112222"


def test_a_guest_checkout_from_two_shops_makes_two_orders_and_empties_the_cart(client):
    ulos = ProductFactory(price=400_000, stock=3)
    kopi = ProductFactory(price=85_000, stock=10)
    add(client, ulos)
    add(client, kopi, 2)
    response = post(client, pickup(ulos, kopi))
    checkout = Checkout.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{checkout.code}/"
    assert checkout.buyer is None
    assert checkout.contact_phone == "+6281298765432"
    orders = {order.shop_id: order for order in checkout.orders.all()}
    assert orders[ulos.shop_id].total == 400_000
    assert orders[kopi.shop_id].total == 170_000
    assert Variant.objects.get(product=ulos).free == 2
    assert client.session["cart"] == []
    # The cart is empty now: sending the form again makes nothing more.
    again = post(client, pickup(ulos, kopi))
    assert again["Location"] == "/cart/"
    assert Checkout.objects.count() == 1


def test_a_signed_in_buyer_owns_the_checkout_and_their_cart_rows_go(client):
    user = UserFactory()
    client.force_login(user)
    ulos = ProductFactory()
    add(client, ulos)
    response = post(client, pickup(ulos))
    checkout = Checkout.objects.get()
    assert response["Location"] == f"/orders/{checkout.code}/"
    assert checkout.buyer == user
    assert not CartItem.objects.filter(user=user).exists()


def test_experiences_and_stays_are_ordered_too(client):
    slot = ExperienceSlotFactory(capacity=10)
    night = StayNightFactory(rooms=2)
    StayNightFactory(product=night.product, night=night.night + timedelta(days=1), rooms=2)
    add(client, slot.product, 3, slot=slot.pk)
    add(
        client,
        night.product,
        1,
        check_in=night.night.isoformat(),
        check_out=(night.night + timedelta(days=2)).isoformat(),
    )
    response = post(client, pickup(slot.product, night.product))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.booked == 3
    assert Order.objects.count() == 2


def test_a_bad_phone_is_an_error_at_the_field_and_nothing_is_lost(client):
    ulos = ProductFactory()
    add(client, ulos)
    response = post(
        client, {ulos.shop.slug: {"delivery": "pickup", "note": "Bungkus kado"}}, phone="12345"
    )
    assert response.status_code == 200
    form = response.context["contact_form"]
    assert list(form.errors) == ["phone"]
    html = response.content.decode()
    assert "Nomor telepon tidak valid" in html
    assert 'value="Anna Schmidt"' in html
    assert "Bungkus kado" in html
    assert not Checkout.objects.exists()
    assert len(client.session["cart"]) == 1


def test_contact_errors_from_the_service_land_at_their_fields(client, monkeypatch):
    """Should the service find a contact wrong that the form let through, it still shows at
    the field."""
    from django.core.exceptions import ValidationError

    from marketplace.views.buying import checkout as view

    def refuse(**kwargs):
        raise ValidationError({"email": "Alamat email tidak valid."})

    monkeypatch.setattr(view, "checkout_place", refuse)
    ulos = ProductFactory()
    add(client, ulos)
    response = post(client, pickup(ulos))
    assert response.context["contact_form"].errors["email"] == ["Alamat email tidak valid."]


def test_short_stock_names_the_product_and_keeps_the_cart(client):
    ulos = ProductFactory(title="Ulos Ragidup", stock=5)
    kopi = ProductFactory(stock=5)
    add(client, ulos, 3)
    add(client, kopi, 1)
    Variant.objects.filter(product=ulos).update(on_hand=1)  # someone else bought meanwhile
    response = post(client, pickup(ulos, kopi))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stok Ulos Ragidup tidak cukup." in html
    assert response.context["short_product"] == ulos.slug
    assert not Checkout.objects.exists()
    assert Variant.objects.get(product=kopi).free == 5
    assert len(client.session["cart"]) == 2


def test_local_delivery_adds_the_shops_fee_and_needs_an_address(client):
    ulos = ProductFactory(price=100_000)
    ShopDelivery.objects.create(shop=ulos.shop, offers_pickup=True, local_delivery_fee=12_000)
    add(client, ulos)
    response = post(client, {ulos.shop.slug: {"delivery": "local"}})
    assert response.status_code == 200
    forms = dict((g.shop.slug, f) for g, f in response.context["shop_forms"])
    assert forms[ulos.shop.slug].errors["address"] == ["Isi alamat pengiriman."]
    assert not Order.objects.exists()
    post(client, {ulos.shop.slug: {"delivery": "local", "address": "Jl. Sisingamangaraja 5"}})
    order = Order.objects.get()
    assert (order.delivery_method, order.delivery_fee, order.total) == ("local", 12_000, 112_000)
    assert order.delivery_address == "Jl. Sisingamangaraja 5"


def test_courier_fee_comes_from_the_shops_rate_for_the_chosen_kabupaten(client):
    ulos = ProductFactory(price=100_000, weight_grams=700)
    CourierRate.objects.create(
        shop=ulos.shop, destination_kabupaten="Kota Medan", first_kg=20_000, next_kg=8_000
    )
    CourierRate.objects.create(
        shop=ulos.shop, destination_kabupaten="Samosir", first_kg=15_000, next_kg=5_000
    )
    add(client, ulos, 2)
    response = post(client, {ulos.shop.slug: {"delivery": "courier", "address": "Jl. A"}})
    forms = dict((g.shop.slug, f) for g, f in response.context["shop_forms"])
    assert "kabupaten" in forms[ulos.shop.slug].errors
    response = post(
        client,
        {ulos.shop.slug: {"delivery": "courier", "kabupaten": "Bandung", "address": "Jl. A"}},
    )
    assert (
        "kabupaten"
        in dict((g.shop.slug, f) for g, f in response.context["shop_forms"])[ulos.shop.slug].errors
    )
    post(
        client,
        {ulos.shop.slug: {"delivery": "courier", "kabupaten": "Kota Medan", "address": "Jl. A"}},
    )
    order = Order.objects.get()
    assert order.delivery_fee == 28_000  # 1.4 kg → 2 kg
    assert order.delivery_kabupaten == "Kota Medan"
    assert order.total == 228_000


def test_a_delivery_the_shop_does_not_offer_is_refused(client):
    ulos = ProductFactory()
    ShopDelivery.objects.create(shop=ulos.shop, offers_pickup=True, local_delivery_fee=None)
    add(client, ulos)
    response = post(client, {ulos.shop.slug: {"delivery": "local", "address": "Jl. A"}})
    forms = dict((g.shop.slug, f) for g, f in response.context["shop_forms"])
    assert "delivery" in forms[ulos.shop.slug].errors
    assert not Order.objects.exists()


def test_a_shop_without_any_delivery_cannot_be_ordered_but_says_why(client):
    ulos = ProductFactory()
    ShopDelivery.objects.create(shop=ulos.shop, offers_pickup=False, local_delivery_fee=None)
    add(client, ulos)
    assert "belum mengatur cara pengiriman" in client.get("/checkout/").content.decode()
    response = post(client, pickup(ulos))
    assert response.status_code == 200
    assert not Order.objects.exists()


def test_a_voucher_discounts_its_shops_order(client):
    ulos = ProductFactory(price=200_000)
    kopi = ProductFactory(price=50_000)
    horas = voucher_for(ulos.shop)
    add(client, ulos)
    add(client, kopi)
    post(
        client,
        {
            ulos.shop.slug: {"delivery": "pickup", "voucher": "horas10"},
            kopi.shop.slug: {"delivery": "pickup"},
        },
    )
    orders = {order.shop_id: order for order in Order.objects.all()}
    assert (orders[ulos.shop_id].discount, orders[ulos.shop_id].total) == (20_000, 180_000)
    assert orders[ulos.shop_id].voucher == horas
    assert orders[kopi.shop_id].discount == 0
    horas.refresh_from_db()
    assert horas.used == 1


def test_a_bad_voucher_is_an_error_at_its_field_and_nothing_is_made(client):
    ulos = ProductFactory(price=200_000, stock=4)
    voucher_for(ulos.shop, min_purchase=500_000)
    add(client, ulos)
    response = post(client, {ulos.shop.slug: {"delivery": "pickup", "voucher": "HORAS10"}})
    forms = dict((g.shop.slug, f) for g, f in response.context["shop_forms"])
    assert "minimal Rp 500.000" in forms[ulos.shop.slug].errors["voucher"][0]
    response = post(client, {ulos.shop.slug: {"delivery": "pickup", "voucher": "NGAWUR"}})
    forms = dict((g.shop.slug, f) for g, f in response.context["shop_forms"])
    assert forms[ulos.shop.slug].errors["voucher"] == ["Voucher NGAWUR tidak berlaku."]
    assert response.context["errors"] == ["Periksa isian yang ditandai."]
    assert 'value="NGAWUR"' in response.content.decode()
    assert not Order.objects.exists()
    assert Variant.objects.get(product=ulos).free == 4


def test_withdrawn_lines_are_left_out_and_the_rest_is_ordered(client):
    ulos, kopi = ProductFactory(), ProductFactory()
    add(client, ulos)
    add(client, kopi)
    type(kopi).objects.filter(pk=kopi.pk).update(status="archived")
    assert "tidak tersedia lagi" in client.get("/checkout/").content.decode()
    post(client, pickup(ulos))
    assert [order.shop_id for order in Order.objects.all()] == [ulos.shop_id]


def test_a_cart_with_only_withdrawn_lines_cannot_check_out(client):
    ulos = ProductFactory()
    add(client, ulos)
    type(ulos).objects.filter(pk=ulos.pk).update(status="draft")
    response = post(client, pickup(ulos))
    assert response["Location"] == "/cart/"
    assert not Checkout.objects.exists()


def test_a_slot_that_filled_up_is_named(client):
    slot = ExperienceSlotFactory(capacity=4)
    add(client, slot.product, 3, slot=slot.pk)
    type(slot).objects.filter(pk=slot.pk).update(booked=2)
    response = post(client, pickup(slot.product))
    assert slot.product.title in response.content.decode()
    assert not Checkout.objects.exists()


@pytest.mark.parametrize(
    "contact",
    [
        {"name": "", "phone": "", "email": ""},
        {"name": "x" * 500, "phone": "0812" * 20, "email": "@" * 300},
        {"email": "bukan-email"},
    ],
)
def test_rubbish_is_a_form_error_never_a_500(client, contact):
    ulos = ProductFactory()
    add(client, ulos)
    response = post(
        client, {ulos.shop.slug: {"delivery": "teleport", "voucher": "x" * 99}}, **contact
    )
    assert response.status_code == 200
    assert not Checkout.objects.exists()
