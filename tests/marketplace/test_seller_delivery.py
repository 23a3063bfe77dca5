"""The seller's delivery options and vouchers (/seller/<shop>/delivery/, /vouchers/), their
services (services.delivery), and that checkout then offers and charges what was set. Who may
reach the pages is in test_seller_access.py."""

from __future__ import annotations

import inspect
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from marketplace.models import CourierRate, ShopDelivery, Voucher
from marketplace.services import delivery as services
from marketplace.services.checkout import CheckoutItem, Contact, ShopChoice, checkout_place
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

BUYER = Contact(name="Anna Schmidt", phone="0812 9876 5432", email="anna@example.test")


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def shop(client, owner):
    client.force_login(owner)
    return ShopFactory(owner=owner, name="Kopi Lintong")


def delivery_url(shop) -> str:
    return reverse("seller:delivery", args=[shop.slug])


def vouchers_url(shop) -> str:
    return reverse("seller:vouchers", args=[shop.slug])


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def local(days: float = 0) -> str:
    when = timezone.localtime(timezone.now() + timedelta(days=days))
    return when.strftime("%Y-%m-%dT%H:%M")


def voucher_data(**overrides) -> dict:
    data = {
        "code": "kopi10",
        "kind": "percent",
        "value": "10",
        "min_purchase": "100.000",
        "quota": "5",
        "valid_from": local(-1),
        "valid_until": local(30),
    }
    return {**data, **overrides}


def rate_data(prefix: str, kab: str, first: str = "20000", nxt: str = "8000") -> dict:
    return {
        f"{prefix}-destination_kabupaten": kab,
        f"{prefix}-first_kg": first,
        f"{prefix}-next_kg": nxt,
    }


# Delivery options -------------------------------------------------------------------------


def test_the_page_shows_the_defaults_checkout_uses(client, shop):
    response = client.get(delivery_url(shop))
    form = response.context["form"]
    assert form["offers_pickup"].value() is True
    assert form["local_delivery_fee"].value() in (None, "")
    assert "Belum ada tarif kurir." in text(response)


def test_saving_pickup_and_a_local_fee(client, shop):
    response = client.post(
        delivery_url(shop), {"offers_pickup": "on", "local_delivery_fee": "Rp 15.000"}
    )
    assert response.status_code == 302
    options = ShopDelivery.objects.get(shop=shop)
    assert (options.offers_pickup, options.local_delivery_fee) == (True, 15_000)
    # An empty fee: no local delivery any more; 0 means free local delivery.
    client.post(delivery_url(shop), {"offers_pickup": "on", "local_delivery_fee": ""})
    assert ShopDelivery.objects.get(shop=shop).local_delivery_fee is None
    client.post(delivery_url(shop), {"local_delivery_fee": "0"})
    options = ShopDelivery.objects.get(shop=shop)
    assert (options.offers_pickup, options.local_delivery_fee) == (False, 0)
    page = text(client.get(delivery_url(shop)))
    assert 'name="local_delivery_fee" value="0"' in page


def test_turning_everything_off_is_refused(client, shop):
    response = client.post(delivery_url(shop), {"local_delivery_fee": ""})
    assert response.status_code == 200
    assert "Pembeli harus bisa menerima pesanan" in text(response)
    assert not ShopDelivery.objects.filter(shop=shop, offers_pickup=False).exists()


def test_pickup_may_go_off_when_a_courier_rate_remains(client, shop):
    CourierRate.objects.create(shop=shop, destination_kabupaten="Samosir", first_kg=1, next_kg=1)
    assert client.post(delivery_url(shop), {"local_delivery_fee": ""}).status_code == 302
    assert ShopDelivery.objects.get(shop=shop).offers_pickup is False


def test_a_negative_or_bad_fee_is_refused(client, shop):
    for fee in ("-5000", "lima ribu"):
        response = client.post(
            delivery_url(shop), {"offers_pickup": "on", "local_delivery_fee": fee}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["local_delivery_fee"]
    assert not ShopDelivery.objects.filter(shop=shop).exists()


def test_courier_rates_are_added_changed_and_deleted(client, shop):
    add = reverse("seller:courier_rate_add", args=[shop.slug])
    response = client.post(
        add, rate_data("new", "  Kota   Medan ", "Rp 20.000", "8.000"), follow=True
    )
    assert "Tarif kurir ke Kota Medan ditambahkan." in messages_of(response)
    rate = CourierRate.objects.get(shop=shop)
    assert (rate.destination_kabupaten, rate.first_kg, rate.next_kg) == (
        "Kota Medan",
        20_000,
        8_000,
    )
    page = text(response)
    assert "Kota Medan" in page and "Rp 20.000 kg pertama" in page

    edit = reverse("seller:courier_rate_edit", args=[shop.slug, rate.pk])
    assert (
        client.post(edit, rate_data(f"r{rate.pk}", "Kota Medan", "22000", "9000")).status_code
        == 302
    )
    rate.refresh_from_db()
    assert (rate.first_kg, rate.next_kg) == (22_000, 9_000)

    delete = reverse("seller:courier_rate_delete", args=[shop.slug, rate.pk])
    assert client.post(delete).status_code == 302
    assert not CourierRate.objects.filter(shop=shop).exists()


def test_a_destination_has_one_rate_whatever_its_case(client, shop):
    CourierRate.objects.create(shop=shop, destination_kabupaten="Kota Medan", first_kg=1, next_kg=1)
    samosir = CourierRate.objects.create(
        shop=shop, destination_kabupaten="Samosir", first_kg=1, next_kg=1
    )
    add = reverse("seller:courier_rate_add", args=[shop.slug])
    response = client.post(add, rate_data("new", "KOTA MEDAN"))
    assert response.status_code == 200
    assert "Tarif ke KOTA MEDAN sudah ada" in text(response)
    edit = reverse("seller:courier_rate_edit", args=[shop.slug, samosir.pk])
    response = client.post(edit, rate_data(f"r{samosir.pk}", "kota medan"))
    assert response.status_code == 200
    assert response.context["rows"][1][1].errors["destination_kabupaten"]
    assert CourierRate.objects.filter(shop=shop).count() == 2
    samosir.refresh_from_db()
    assert samosir.destination_kabupaten == "Samosir"
    # Another shop may have its own rate to the same place.
    other = ShopFactory()
    services.courier_rate_save(
        shop=other, destination_kabupaten="Kota Medan", first_kg=5, next_kg=5
    )


def test_a_rate_needs_a_destination_and_fees_of_at_least_zero(client, shop):
    add = reverse("seller:courier_rate_add", args=[shop.slug])
    response = client.post(add, rate_data("new", "", "-1", ""))
    errors = response.context["new_rate_form"].errors
    assert set(errors) == {"destination_kabupaten", "first_kg", "next_kg"}
    assert not CourierRate.objects.exists()


def test_the_last_way_to_get_the_goods_cannot_be_deleted(client, shop):
    rate = CourierRate.objects.create(
        shop=shop, destination_kabupaten="Samosir", first_kg=1, next_kg=1
    )
    ShopDelivery.objects.create(shop=shop, offers_pickup=False, local_delivery_fee=None)
    delete = reverse("seller:courier_rate_delete", args=[shop.slug, rate.pk])
    response = client.post(delete, follow=True)
    assert any("Pembeli harus bisa menerima pesanan" in m for m in messages_of(response))
    assert CourierRate.objects.filter(pk=rate.pk).exists()


def test_another_shops_rate_is_404_under_my_shop(client, shop):
    rate = CourierRate.objects.create(
        shop=ShopFactory(), destination_kabupaten="Samosir", first_kg=1, next_kg=1
    )
    edit = reverse("seller:courier_rate_edit", args=[shop.slug, rate.pk])
    delete = reverse("seller:courier_rate_delete", args=[shop.slug, rate.pk])
    assert client.post(edit, rate_data(f"r{rate.pk}", "Toba", "1", "1")).status_code == 404
    assert client.post(delete).status_code == 404
    rate.refresh_from_db()
    assert rate.destination_kabupaten == "Samosir"


# Checkout reads what was set ------------------------------------------------------------------


def test_checkout_charges_the_delivery_set_on_the_page(client, shop):
    product = ProductFactory(shop=shop, price=85_000, weight_grams=700, stock=10)
    client.post(delivery_url(shop), {"local_delivery_fee": "12.000"})  # pickup off
    client.post(
        reverse("seller:courier_rate_add", args=[shop.slug]),
        rate_data("new", "Kota Medan", "20.000", "8.000"),
    )

    def order(choice: ShopChoice):
        return checkout_place(
            items=[CheckoutItem(product.slug, 2)], contact=BUYER, choices={shop.slug: choice}
        ).orders.get()

    local_order = order(ShopChoice("local", address="Jl. Balige 1"))
    assert (local_order.delivery_fee, local_order.total) == (12_000, 182_000)
    courier = order(ShopChoice("courier", kabupaten="kota medan", address="Jl. Medan 2"))
    assert courier.delivery_fee == 20_000 + 8_000  # 1.4 kg → 2 kg
    with pytest.raises(ValidationError, match="tidak melayani ambil sendiri"):
        order(ShopChoice("pickup"))
    with pytest.raises(ValidationError, match="belum punya tarif kurir ke Samosir"):
        order(ShopChoice("courier", kabupaten="Samosir", address="Pangururan"))


# Vouchers -------------------------------------------------------------------------------------


def test_creating_a_voucher(client, shop):
    response = client.post(vouchers_url(shop), voucher_data(), follow=True)
    assert "Voucher KOPI10 dibuat." in messages_of(response)
    voucher = Voucher.objects.get(shop=shop)
    assert (voucher.code, voucher.kind, voucher.value) == ("KOPI10", "percent", 10)
    assert (voucher.min_purchase, voucher.quota, voucher.used) == (100_000, 5, 0)
    assert voucher.valid_until > voucher.valid_from
    page = text(response)
    assert "KOPI10" in page and "Terpakai 0/5" in page and "Berlaku" in page
    assert "Potongan 10%" in page and "min. belanja Rp 100.000" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "percent", "value": "101"}, "value", "paling banyak 100"),
        ({"value": "0"}, "value", ""),
        ({"quota": "0"}, "quota", ""),
        ({"valid_until": local(-2)}, "valid_until", "sesudah tanggal mulai"),
        ({"code": "a!"}, "code", "huruf, angka"),
        ({"code": ""}, "code", ""),
        ({"kind": "gratis"}, "kind", ""),
    ],
)
def test_a_bad_voucher_is_refused_with_a_message(client, shop, overrides, field, message):
    response = client.post(vouchers_url(shop), voucher_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Voucher.objects.exists()


def test_a_code_is_unique_in_its_shop_whatever_its_case(client, shop):
    client.post(vouchers_url(shop), voucher_data(code="KOPI10"))
    response = client.post(
        vouchers_url(shop), voucher_data(code="kopi10", kind="fixed", value="5000")
    )
    assert "sudah dipakai voucher lain" in text(response)
    assert Voucher.objects.filter(shop=shop).count() == 1
    # Another shop may use the same code.
    other = ShopFactory()
    services.voucher_save(
        shop=other,
        code="KOPI10",
        kind="fixed",
        value=5_000,
        quota=1,
        valid_from=timezone.now(),
        valid_until=timezone.now() + timedelta(days=1),
    )


def test_editing_a_voucher_keeps_its_use_count(client, shop):
    voucher = services.voucher_save(
        shop=shop,
        code="KOPI10",
        kind="percent",
        value=10,
        quota=5,
        valid_from=timezone.now() - timedelta(days=1),
        valid_until=timezone.now() + timedelta(days=1),
    )
    Voucher.objects.filter(pk=voucher.pk).update(used=3)  # checkout used it meanwhile
    edit = reverse("seller:voucher_edit", args=[shop.slug, voucher.pk])
    page = text(client.get(edit))
    assert 'value="KOPI10"' in page and "Terpakai 3 dari 5" in page
    response = client.post(
        edit, voucher_data(code="KOPI15", value="15", quota="8", min_purchase=""), follow=True
    )
    assert "Voucher KOPI15 disimpan." in messages_of(response)
    voucher.refresh_from_db()
    assert (voucher.code, voucher.value, voucher.quota, voucher.used) == ("KOPI15", 15, 8, 3)
    assert voucher.min_purchase == 0
    assert "Terpakai 3/8" in text(response)


def test_the_quota_cannot_go_below_what_was_used(client, shop):
    voucher = Voucher.objects.create(
        shop=shop,
        code="KOPI10",
        kind="fixed",
        value=10_000,
        quota=5,
        used=4,
        valid_from=timezone.now(),
        valid_until=timezone.now() + timedelta(days=1),
    )
    edit = reverse("seller:voucher_edit", args=[shop.slug, voucher.pk])
    response = client.post(edit, voucher_data(code="KOPI10", quota="3"))
    assert response.status_code == 200
    assert "sudah terpakai 4 kali" in text(response)
    voucher.refresh_from_db()
    assert voucher.quota == 5


def test_deleting_an_unused_voucher_and_keeping_a_used_one(client, shop):
    now = timezone.now()
    fields = {"kind": "fixed", "value": 5_000, "quota": 5, "valid_from": now}
    unused = Voucher.objects.create(
        shop=shop, code="BARU", valid_until=now + timedelta(days=1), **fields
    )
    used = Voucher.objects.create(
        shop=shop, code="LAMA", used=2, valid_until=now + timedelta(days=1), **fields
    )
    response = client.post(
        reverse("seller:voucher_delete", args=[shop.slug, unused.pk]), follow=True
    )
    assert "Voucher BARU dihapus." in messages_of(response)
    response = client.post(reverse("seller:voucher_delete", args=[shop.slug, used.pk]), follow=True)
    assert any("tidak bisa dihapus" in m for m in messages_of(response))
    assert list(Voucher.objects.values_list("code", flat=True)) == ["LAMA"]


def test_the_list_says_which_vouchers_apply_now(client, shop):
    now = timezone.now()
    base = {"kind": "fixed", "value": 5_000, "quota": 5}
    Voucher.objects.create(
        shop=shop,
        code="NANTI",
        valid_from=now + timedelta(days=2),
        valid_until=now + timedelta(days=9),
        **base,
    )
    Voucher.objects.create(
        shop=shop,
        code="LEWAT",
        valid_from=now - timedelta(days=9),
        valid_until=now - timedelta(days=2),
        **base,
    )
    Voucher.objects.create(
        shop=shop,
        code="HABIS",
        used=5,
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=9),
        **base,
    )
    rows = {
        row.voucher.code: row.state for row in client.get(vouchers_url(shop)).context["vouchers"]
    }
    assert rows == {"NANTI": "scheduled", "LEWAT": "ended", "HABIS": "used_up"}


def test_another_shops_voucher_is_404_under_my_shop(client, shop):
    voucher = Voucher.objects.create(
        shop=ShopFactory(),
        code="LAIN",
        kind="fixed",
        value=5_000,
        quota=5,
        valid_from=timezone.now(),
        valid_until=timezone.now() + timedelta(days=1),
    )
    assert (
        client.get(reverse("seller:voucher_edit", args=[shop.slug, voucher.pk])).status_code == 404
    )
    edit = reverse("seller:voucher_edit", args=[shop.slug, voucher.pk])
    assert client.post(edit, voucher_data(code="MILIKKU")).status_code == 404
    delete = reverse("seller:voucher_delete", args=[shop.slug, voucher.pk])
    assert client.post(delete).status_code == 404
    voucher.refresh_from_db()
    assert voucher.code == "LAIN"


def test_checkout_applies_a_voucher_made_on_the_page(client, shop):
    product = ProductFactory(shop=shop, price=60_000, stock=10)
    client.post(vouchers_url(shop), voucher_data(code="kopi10", quota="1", min_purchase="100.000"))

    def place(quantity: int, code: str = "Kopi10"):
        return checkout_place(
            items=[CheckoutItem(product.slug, quantity)],
            contact=BUYER,
            choices={shop.slug: ShopChoice(voucher=code)},
        ).orders.get()

    with pytest.raises(ValidationError, match="minimal"):
        place(1)  # Rp 60.000 is under the minimum
    order = place(2)
    assert (order.subtotal, order.discount, order.total) == (120_000, 12_000, 108_000)
    assert order.voucher.code == "KOPI10"
    assert "Terpakai 1/1" in text(client.get(vouchers_url(shop)))
    with pytest.raises(ValidationError, match="habis"):
        place(2)


# The services' shape -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "function",
    [
        services.shop_delivery_set,
        services.courier_rate_save,
        services.courier_rate_delete,
        services.voucher_save,
        services.voucher_delete,
    ],
)
def test_the_services_take_keywords_only_and_are_typed(function):
    parameters = inspect.signature(function).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    assert all(p.annotation is not inspect.Parameter.empty for p in parameters)
    assert inspect.signature(function).return_annotation is not inspect.Signature.empty


def test_a_service_refuses_another_shops_row():
    shop, other = ShopFactory(), ShopFactory()
    rate = CourierRate.objects.create(shop=other, destination_kabupaten="X", first_kg=1, next_kg=1)
    with pytest.raises(ValidationError, match="bukan milik"):
        services.courier_rate_save(
            shop=shop, rate=rate, destination_kabupaten="Y", first_kg=1, next_kg=1
        )
    voucher = Voucher.objects.create(
        shop=other,
        code="LAIN",
        kind="fixed",
        value=1,
        quota=1,
        valid_from=timezone.now(),
        valid_until=timezone.now() + timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="bukan milik"):
        services.voucher_save(
            shop=shop,
            voucher=voucher,
            code="LAIN",
            kind="fixed",
            value=1,
            quota=1,
            valid_from=voucher.valid_from,
            valid_until=voucher.valid_until,
        )
