"""/checkout/ shows each shop's delivery fee, voucher discount and the grand total before placing
("Hitung ulang" recalculates and places nothing), priced by the same code that prices the
orders, so the orders come to what the page showed (issue 13, item 2)."""

import re

import pytest

from marketplace.models import Checkout, CourierRate, Order, ShopDelivery, Variant
from tests.factories import ProductFactory, voucher_for

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Anna Schmidt", "phone": "+44 7911 123456", "email": "anna@example.test"}


def add(client, product, quantity=1):
    response = client.post("/cart/add/", {"product": product.slug, "quantity": quantity})
    assert response.status_code == 302


def form_data(shops, *, action, contact=None):
    data = {"action": action, **(contact or {})}
    for slug, choice in shops.items():
        data.update({f"{slug}-{name}": value for name, value in choice.items()})
    return data


def grand_total(html: str) -> int:
    found = re.findall(r'data-grand-total="(\d+)"', html)
    assert len(found) == 1, "the page shows one grand total"
    return int(found[0])


@pytest.fixture
def two_shop_cart(client):
    """Ulos (2 × Rp 300.000, 800 g each) by courier to Kota Medan with 10% off; kopi
    (Rp 30.000) delivered locally for Rp 12.000."""
    ulos = ProductFactory(title="Ulos Sadum", price=300_000, weight_grams=800, stock=5)
    kopi = ProductFactory(title="Kopi Lintong", price=30_000, weight_grams=500, stock=5)
    ShopDelivery.objects.create(shop=ulos.shop, offers_pickup=True)
    CourierRate.objects.create(
        shop=ulos.shop, destination_kabupaten="Kota Medan", first_kg=20_000, next_kg=8_000
    )
    ShopDelivery.objects.create(shop=kopi.shop, offers_pickup=False, local_delivery_fee=12_000)
    horas = voucher_for(ulos.shop)
    add(client, ulos, 2)
    add(client, kopi)
    shops = {
        ulos.shop.slug: {
            "delivery": "courier",
            "kabupaten": "Kota Medan",
            "address": "Jl. Gatot Subroto 1",
            "voucher": "horas10",
        },
        kopi.shop.slug: {"delivery": "local", "address": "Jl. Sisingamangaraja 2"},
    }
    return ulos, kopi, horas, shops


def test_recalculating_shows_fee_discount_and_total_and_places_nothing(client, two_shop_cart):
    ulos, kopi, horas, shops = two_shop_cart
    response = client.post("/checkout/", form_data(shops, action="quote"))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["errors"] == []
    # 1.6 kg → 2 kg: 20.000 + 8.000; 10% of 600.000
    assert 'data-delivery-fee="28000"' in html and "Rp 28.000" in html
    assert 'data-discount="60000"' in html and "Rp 60.000" in html
    assert 'data-delivery-fee="12000"' in html
    # 600.000 + 28.000 − 60.000 and 30.000 + 12.000
    assert grand_total(html) == 610_000
    assert "Rp 610.000" in html
    # Nothing placed, reserved or used; the contact is not asked for yet, what was chosen stays.
    assert not Checkout.objects.exists() and not Order.objects.exists()
    assert Variant.objects.get(product=ulos).free == 5
    horas.refresh_from_db()
    assert horas.used == 0
    assert not response.context["contact_form"].errors
    assert 'value="horas10"' in html

    placed = client.post("/checkout/", form_data(shops, action="place", contact=CONTACT))
    assert placed.status_code == 302
    orders = list(Order.objects.all())
    assert len(orders) == 2
    assert sum(order.total for order in orders) == grand_total(html)
    by_shop = {order.shop_id: order for order in orders}
    assert (by_shop[ulos.shop_id].delivery_fee, by_shop[ulos.shop_id].discount) == (28_000, 60_000)
    assert by_shop[kopi.shop_id].delivery_fee == 12_000


def test_the_page_opens_with_the_total_for_the_first_choices(client):
    kopi = ProductFactory(price=30_000)
    ShopDelivery.objects.create(shop=kopi.shop, offers_pickup=False, local_delivery_fee=12_000)
    add(client, kopi)
    assert grand_total(client.get("/checkout/").content.decode()) == 42_000


def test_a_bad_voucher_on_recalculation_is_an_error_at_its_field_and_places_nothing(
    client, two_shop_cart
):
    ulos, _kopi, horas, shops = two_shop_cart
    shops[ulos.shop.slug]["voucher"] = "NGAWUR"
    response = client.post("/checkout/", form_data(shops, action="quote"))
    html = response.content.decode()
    forms = {group.shop.slug: form for group, form in response.context["shop_forms"]}
    assert forms[ulos.shop.slug].errors["voucher"] == ["Voucher NGAWUR tidak berlaku."]
    assert response.context["errors"] == ["Periksa isian yang ditandai."]
    assert 'value="NGAWUR"' in html
    assert "data-grand-total" not in html  # no total that leaves out the refused voucher
    assert not Order.objects.exists()
    horas.refresh_from_db()
    assert horas.used == 0
