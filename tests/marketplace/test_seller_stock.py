"""What a product has to sell: variants and stock for goods, slots for experiences, free rooms
per night for stays; and the low-stock list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import (
    ExperienceSlot,
    OutboxEvent,
    ProductKind,
    ProductStatus,
    StayNight,
    Variant,
)
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(client):
    owner = UserFactory()
    client.force_login(owner)
    return ShopFactory(owner=owner)


def stock_url(product) -> str:
    return reverse("seller:product_stock", args=[product.shop.slug, product.pk])


def future(days: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


# Goods ----------------------------------------------------------------------------------


def test_the_goods_page_lists_variants_with_price_and_stock(client, shop):
    product = ProductFactory(shop=shop, price=350_000, stock=4)
    product.variants.create(name="Motif Sadum", price=420_000, on_hand=1)
    page = client.get(stock_url(product)).content.decode()
    assert "Standar" in page and "Motif Sadum" in page
    assert "Rp 350.000" in page and "Rp 420.000" in page
    assert '<dd data-stock="on_hand">4</dd>' in page and '<dd data-stock="on_hand">1</dd>' in page


def test_the_goods_page_shows_on_hand_allocated_free_and_the_orders_holding_them(client, shop):
    product = ProductFactory(shop=shop, stock=5)
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, 2)],
        contact=Contact(name="Rina", phone="0812 3456 7890", email="rina@pasar.test"),
    )
    order = checkout.orders.get()
    page = client.get(stock_url(product)).content.decode()
    assert '<dd data-stock="on_hand">5</dd>' in page
    assert '<dd data-stock="allocated">2</dd>' in page
    assert '<dd data-stock="free">3</dd>' in page
    assert reverse("seller:order_detail", args=[shop.slug, order.number]) in page


def test_adding_a_variant(client, shop):
    product = ProductFactory(shop=shop, price=350_000)
    response = client.post(
        reverse("seller:variant_add", args=[shop.slug, product.pk]),
        {"new-name": "Kecil", "new-sku": "UL-K", "new-price": "200.000", "new-on_hand": "6"},
    )
    assert response.status_code == 302
    variant = product.variants.get(name="Kecil")
    assert (variant.sku, variant.price, variant.on_hand) == ("UL-K", 200_000, 6)
    product.refresh_from_db()
    assert product.price == 200_000  # a goods price follows its cheapest variant


def test_a_bad_variant_shows_its_errors_in_the_add_form(client, shop):
    product = ProductFactory(shop=shop)
    response = client.post(
        reverse("seller:variant_add", args=[shop.slug, product.pk]),
        {"new-name": "", "new-price": "0", "new-on_hand": "-1"},
    )
    assert response.status_code == 200
    assert set(response.context["new_variant_form"].errors) == {"name", "price", "on_hand"}
    assert product.variants.count() == 1


def test_editing_a_variant(client, shop):
    product = ProductFactory(shop=shop, stock=2)
    variant = product.variants.get()
    response = client.post(
        reverse("seller:variant_edit", args=[shop.slug, product.pk, variant.pk]),
        {
            f"v{variant.pk}-name": "Besar",
            f"v{variant.pk}-price": "500000",
            f"v{variant.pk}-on_hand": "9",
        },
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert (variant.name, variant.price, variant.on_hand) == ("Besar", 500_000, 9)


def test_a_bad_variant_edit_shows_the_errors_on_that_row_and_saves_nothing(client, shop):
    product = ProductFactory(shop=shop, stock=2)
    variant = product.variants.get()
    response = client.post(
        reverse("seller:variant_edit", args=[shop.slug, product.pk, variant.pk]),
        {
            f"v{variant.pk}-name": "Besar",
            f"v{variant.pk}-price": "x",
            f"v{variant.pk}-on_hand": "9",
        },
    )
    assert response.status_code == 200
    [(row_variant, form, _holders)] = response.context["rows"]
    assert row_variant == variant and "price" in form.errors
    assert "<details open>" in response.content.decode()
    variant.refresh_from_db()
    assert (variant.name, variant.on_hand) == ("Standar", 2)


def test_deleting_a_variant_but_never_the_last(client, shop):
    product = ProductFactory(shop=shop)
    extra = product.variants.create(name="Kecil", price=100_000, on_hand=1)
    client.post(reverse("seller:variant_delete", args=[shop.slug, product.pk, extra.pk]))
    assert not Variant.objects.filter(pk=extra.pk).exists()
    last = product.variants.get()
    response = client.post(
        reverse("seller:variant_delete", args=[shop.slug, product.pk, last.pk]), follow=True
    )
    assert "setidaknya satu varian" in response.content.decode()
    assert Variant.objects.filter(pk=last.pk).exists()


def test_a_variant_of_another_product_of_the_shop_is_not_found_under_this_one(client, shop):
    product, sibling = ProductFactory(shop=shop), ProductFactory(shop=shop)
    other_variant = sibling.variants.get()
    url = reverse("seller:variant_delete", args=[shop.slug, product.pk, other_variant.pk])
    assert client.post(url).status_code == 404
    assert Variant.objects.filter(pk=other_variant.pk).exists()


def test_the_goods_actions_answer_404_for_another_kind(client, shop):
    tour = ProductFactory(shop=shop, kind=ProductKind.EXPERIENCE, stock=False)
    response = client.post(
        reverse("seller:variant_add", args=[shop.slug, tour.pk]),
        {"new-name": "X", "new-price": "1000", "new-on_hand": "1"},
    )
    assert response.status_code == 404
    assert not Variant.objects.exists()


def test_setting_stock_from_the_low_stock_list(client, shop):
    product = ProductFactory(shop=shop, stock=1)
    variant = product.variants.get()
    low = reverse("seller:low_stock", args=[shop.slug])
    response = client.post(
        reverse("seller:stock_set", args=[shop.slug, variant.pk]), {"on_hand": "25", "next": low}
    )
    assert response["Location"] == low
    variant.refresh_from_db()
    assert variant.on_hand == 25


def test_a_negative_stock_is_refused(client, shop):
    variant = ProductFactory(shop=shop, stock=1).variants.get()
    response = client.post(
        reverse("seller:stock_set", args=[shop.slug, variant.pk]), {"on_hand": "-3"}, follow=True
    )
    assert "tidak diubah" in response.content.decode()
    variant.refresh_from_db()
    assert variant.on_hand == 1


# The low-stock list ---------------------------------------------------------------------


def test_the_low_stock_list_holds_goods_at_or_under_their_threshold(client, shop):
    at = ProductFactory(shop=shop, title="Ulos Pas Batas", stock=3)  # threshold 3
    under = ProductFactory(shop=shop, title="Ulos Habis", stock=0)
    ProductFactory(shop=shop, title="Ulos Banyak", stock=4)
    tight = ProductFactory(shop=shop, title="Kopi Ketat", stock=9)
    tight.low_stock_threshold = 10
    tight.save()
    ProductFactory(shop=shop, title="Ulos Arsip", stock=0, status=ProductStatus.ARCHIVED)
    ProductFactory(title="Toko Lain", stock=0)
    response = client.get(reverse("seller:low_stock", args=[shop.slug]))
    shown = [v.product.title for v in response.context["variants"]]
    assert shown == ["Ulos Habis", "Ulos Pas Batas", "Kopi Ketat"]  # emptiest first
    page = response.content.decode()
    assert reverse("seller:stock_set", args=[shop.slug, under.variants.get().pk]) in page
    assert at.title in page


def test_the_low_stock_list_says_when_all_is_well(client, shop):
    ProductFactory(shop=shop, stock=50)
    page = client.get(reverse("seller:low_stock", args=[shop.slug])).content.decode()
    assert "Tidak ada stok yang menipis." in page


# Experiences ----------------------------------------------------------------------------


def test_the_experience_page_lists_upcoming_slots(client, shop):
    tour = ProductFactory(shop=shop, kind=ProductKind.EXPERIENCE, stock=False)
    slot = ExperienceSlotFactory(product=tour, capacity=12, booked=5)
    ExperienceSlot.objects.create(
        product=tour, starts_at=timezone.now() - timedelta(days=2), capacity=4
    )
    response = client.get(stock_url(tour))
    assert [s for s, _form in response.context["rows"]] == [slot]
    assert "5 dari 12 terpesan, sisa 7" in response.content.decode()


def test_adding_a_slot(client, shop):
    tour = ProductFactory(shop=shop, kind=ProductKind.EXPERIENCE, stock=False)
    response = client.post(
        reverse("seller:slot_add", args=[shop.slug, tour.pk]),
        {"starts_at": future(7), "capacity": "10"},
    )
    assert response.status_code == 302
    slot = tour.slots.get()
    assert slot.capacity == 10
    assert slot.starts_at > timezone.now() + timedelta(days=6)


def test_a_slot_in_the_past_is_refused_next_to_the_date(client, shop):
    tour = ProductFactory(shop=shop, kind=ProductKind.EXPERIENCE, stock=False)
    response = client.post(
        reverse("seller:slot_add", args=[shop.slug, tour.pk]),
        {"starts_at": future(-1), "capacity": "10"},
    )
    assert response.status_code == 200
    assert response.context["slot_form"].errors["starts_at"] == ["Jadwal harus di masa depan."]
    assert not tour.slots.exists()


def test_changing_a_slots_capacity_but_not_under_what_is_booked(client, shop):
    tour = ProductFactory(shop=shop, kind=ProductKind.EXPERIENCE, stock=False)
    slot = ExperienceSlotFactory(product=tour, capacity=12, booked=5)
    url = reverse("seller:slot_capacity", args=[shop.slug, tour.pk, slot.pk])
    assert client.post(url, {f"s{slot.pk}-capacity": "20"}).status_code == 302
    slot.refresh_from_db()
    assert slot.capacity == 20
    response = client.post(url, {f"s{slot.pk}-capacity": "3"})
    assert response.status_code == 200
    [(_slot, form)] = response.context["rows"]
    assert "Sudah ada 5 peserta terpesan" in form.errors["capacity"][0]
    slot.refresh_from_db()
    assert slot.capacity == 20


# Stays ----------------------------------------------------------------------------------


def test_the_stay_page_shows_the_next_30_nights(client, shop):
    stay = ProductFactory(shop=shop, kind=ProductKind.STAY, stock=False)
    today = timezone.localdate()
    StayNightFactory(product=stay, night=today + timedelta(days=1), rooms=4)
    StayNightFactory(product=stay, night=today + timedelta(days=2), rooms=0)
    StayNightFactory(product=stay, night=today + timedelta(days=40), rooms=9)
    response = client.get(stock_url(stay))
    nights = response.context["nights"]
    assert len(nights) == 30
    assert nights[0].night == today and nights[0].rooms_free is None
    assert nights[1].rooms_free == 4 and nights[2].rooms_free == 0
    page = response.content.decode()
    assert "belum diatur" in page and "penuh" in page


def test_setting_free_rooms_for_a_range_of_nights(client, shop):
    stay = ProductFactory(shop=shop, kind=ProductKind.STAY, stock=False)
    start = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("seller:nights_set", args=[shop.slug, stay.pk]),
        {
            "start": start.isoformat(),
            "end": (start + timedelta(days=4)).isoformat(),
            "rooms": "2",
        },
    )
    assert response.status_code == 302
    assert StayNight.objects.filter(product=stay, rooms=2).count() == 5
    assert stay.status == ProductStatus.ACTIVE
    assert OutboxEvent.objects.filter(name="product.changed").exists()  # search hears of it


def test_an_end_before_the_start_is_refused_next_to_the_end(client, shop):
    stay = ProductFactory(shop=shop, kind=ProductKind.STAY, stock=False)
    today = timezone.localdate()
    response = client.post(
        reverse("seller:nights_set", args=[shop.slug, stay.pk]),
        {
            "start": (today + timedelta(days=5)).isoformat(),
            "end": today.isoformat(),
            "rooms": "2",
        },
    )
    assert response.status_code == 200
    assert response.context["nights_form"].errors["end"] == [
        "Tanggal akhir harus sesudah tanggal awal."
    ]
    assert not StayNight.objects.exists()


def test_the_goods_stock_page_takes_the_same_queries_for_few_and_many_holders(client, shop):
    def queries_with(variants: int, orders_per_variant: int) -> int:
        product = ProductFactory(shop=shop, stock=50)
        for n in range(variants - 1):
            product.variants.create(name=f"Motif {n}", price=300_000, on_hand=50)
        for variant in product.variants.all():
            for n in range(orders_per_variant):
                checkout_place(
                    items=[CheckoutItem(product.slug, 1, variant=variant.pk)],
                    contact=Contact(name="Rina", phone="0812 3456 7890", email=f"r{n}@pasar.test"),
                )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(stock_url(product)).status_code == 200
        return len(captured)

    assert queries_with(1, 1) == queries_with(5, 4)
