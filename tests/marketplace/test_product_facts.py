"""Product pages that answer what people ask before buying (issue 13, item 7): the seller sets
the facts of the product's kind (and only those), the service refuses bad ones with a code, and
the page shows each kind's facts, a stay's total for chosen nights, a goods product's delivery
fee to a chosen kabupaten, a folded date list under the buy box, and each variant once."""

from __future__ import annotations

import io
import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.dates import day_text
from marketplace.models import CourierRate, Product, ProductKind, ShopDelivery, Variant
from marketplace.selectors.storefront import DATES_UNFOLDED
from marketplace.services.catalog import product_update
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXPERIENCE_FACTS = {
    "duration_minutes": 180,
    "meeting_point": "Dermaga Tigaraja, Parapat",
    "meeting_latitude": Decimal("2.663500"),
    "meeting_longitude": Decimal("98.935100"),
    "included": "Perahu\nPemandu\nMakan siang ikan bakar",
    "guide_languages": "Indonesia, Inggris",
    "group_size_max": 12,
    "cancellation_terms": "Batal sampai 24 jam sebelum berangkat: uang kembali penuh.",
}
STAY_FACTS = {"guests_per_room": 2, "check_in_time": time(14), "check_out_time": time(12)}


def page(client, product, **query):
    response = client.get(reverse("storefront:product_detail", args=[product.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def facts_shown(html: str) -> set[str]:
    return set(re.findall(r'data-fact="([a-z-]+)"', html))


@pytest.fixture
def tour():
    product = ProductFactory(
        kind=ProductKind.EXPERIENCE, stock=False, price=150_000, **EXPERIENCE_FACTS
    )
    for day in range(1, 13):
        ExperienceSlotFactory(product=product, starts_at=timezone.now() + timedelta(days=day))
    return product


@pytest.fixture
def homestay():
    product = ProductFactory(kind=ProductKind.STAY, stock=False, price=250_000, **STAY_FACTS)
    first = timezone.localdate() + timedelta(days=1)
    for offset in range(10):
        StayNightFactory(product=product, night=first + timedelta(days=offset), rooms=2)
    return product


# The page, by kind ----------------------------------------------------------------------------


def test_an_experience_shows_its_facts_and_a_map_link_and_no_other_kinds(client, tour):
    html = page(client, tour)
    assert facts_shown(html) == {
        "duration",
        "group-size",
        "guide-languages",
        "meeting-point",
        "meeting-point-detail",
        "map",
        "included",
        "cancellation",
    }
    assert '<dd data-fact="duration">3 jam</dd>' in html
    assert "Maks. 12 orang" in html and "Indonesia, Inggris" in html
    assert 'href="geo:2.663500,98.935100"' in html
    assert "https://www.openstreetmap.org/?mlat=2.663500&amp;mlon=98.935100" in html
    assert re.search(r"<li>Perahu</li><li>Pemandu</li><li>Makan siang ikan bakar</li>", html)
    assert "uang kembali penuh" in html
    # No outside map script or tiles: the position is a link.
    assert "<iframe" not in html and "leaflet" not in html.lower()
    assert 'id="ongkir"' not in html and "data-stay-total" not in html


def test_an_experience_without_facts_shows_none_of_them(client):
    product = ProductFactory(kind=ProductKind.EXPERIENCE, stock=False)
    ExperienceSlotFactory(product=product)
    assert facts_shown(page(client, product)) == set()


def test_a_stay_shows_guests_and_times_and_the_total_for_the_chosen_nights(client, homestay):
    html = page(client, homestay)
    assert facts_shown(html) == {"guests-per-room", "check-in", "check-out"}
    assert "mulai 14.00" in html and "paling lambat 12.00" in html
    assert "data-stay-total" not in html  # no dates chosen yet

    check_in = timezone.localdate() + timedelta(days=2)
    check_out = check_in + timedelta(days=3)
    html = page(
        client,
        homestay,
        check_in=check_in.isoformat(),
        check_out=check_out.isoformat(),
        rooms=2,
    )
    assert 'data-stay-total="1500000"' in html  # 3 nights × Rp 250.000 × 2 rooms
    assert "3 malam × Rp 250.000 × 2 kamar" in html and "Rp 1.500.000" in html
    assert day_text(check_in) in html
    # The buy box starts from the dates priced.
    assert f'name="check_in" min="{timezone.localdate() + timedelta(days=1):%Y-%m-%d}"' in html
    assert re.search(rf'id="atc-check-in"[^>]*value="{check_in:%Y-%m-%d}"', html)
    assert re.search(rf'id="atc-check-out"[^>]*value="{check_out:%Y-%m-%d}"', html)
    assert re.search(r'id="atc-quantity"[^>]*value="2"', html)


def test_a_stay_total_names_the_nights_that_cannot_be_booked(client, homestay):
    full = homestay.nights.order_by("night")[3]
    full.booked = full.rooms
    full.save()
    check_in = full.night - timedelta(days=1)
    html = page(
        client,
        homestay,
        check_in=check_in.isoformat(),
        check_out=(check_in + timedelta(days=2)).isoformat(),
    )
    assert 'data-stay-total="500000"' in html
    assert "Tidak tersedia pada malam:" in html and day_text(full.night) in html


def test_a_stay_refuses_check_out_before_check_in_without_a_total(client, homestay):
    day = timezone.localdate() + timedelta(days=3)
    html = page(client, homestay, check_in=day.isoformat(), check_out=day.isoformat())
    assert "Check-out harus sesudah check-in." in html
    assert "data-stay-total" not in html


def test_goods_show_weight_and_the_courier_fee_to_the_chosen_kabupaten(client):
    ulos = ProductFactory(weight_grams=1_500)
    ShopDelivery.objects.create(shop=ulos.shop, offers_pickup=True, local_delivery_fee=10_000)
    for name, first_kg, next_kg in (("Kota Medan", 20_000, 8_000), ("Samosir", 12_000, 5_000)):
        CourierRate.objects.create(
            shop=ulos.shop, destination_kabupaten=name, first_kg=first_kg, next_kg=next_kg
        )
    html = page(client, ulos)
    assert facts_shown(html) == {"weight", "stock"}
    assert '<dd data-fact="weight">1,5 kg</dd>' in html
    assert '<option value="Kota Medan">Kota Medan</option>' in html
    assert "data-courier-fee" not in html
    assert "Rp 10.000" in html  # local delivery

    html = page(client, ulos, kabupaten="kota medan")
    # 1.5 kg → 2 kg: Rp 20.000 + Rp 8.000, as checkout charges it.
    assert 'data-courier-fee="28000"' in html and "Kurir ke Kota Medan" in html
    assert '<option value="Kota Medan" selected>' in html
    html = page(client, ulos, kabupaten="Jakarta Selatan")
    assert "Toko ini belum punya tarif kurir ke Jakarta Selatan." in html


def test_experiences_and_stays_show_no_delivery(client, tour, homestay):
    for product in (tour, homestay):
        CourierRate.objects.create(
            shop=product.shop, destination_kabupaten="Kota Medan", first_kg=1, next_kg=1
        )
        html = page(client, product, kabupaten="Kota Medan")
        assert 'id="ongkir"' not in html and "data-courier-fee" not in html


# The buy box on a phone -----------------------------------------------------------------------


def test_the_date_list_folds_after_the_first_dates_and_comes_after_the_buy_button(client, tour):
    html = page(client, tour)
    section = html[html.index('id="tanggal"') :]
    shown, folded = section.split('<details class="more-dates">', 1)
    assert shown.count("<time ") == DATES_UNFOLDED
    assert folded.split("</details>")[0].count("<time ") == 12 - DATES_UNFOLDED
    assert "Lihat semua tanggal (12)" in folded
    assert html.index("Masukkan ke keranjang") < html.index('id="tanggal"')


def test_a_stay_night_list_folds_too(client, homestay):
    html = page(client, homestay)
    section = html[html.index('id="tanggal"') :]
    assert section.split('<details class="more-dates">', 1)[0].count("<time ") == DATES_UNFOLDED


def test_each_variant_appears_once(client):
    ulos = ProductFactory(stock=False)
    for position, name in enumerate(["Merah marun", "Hitam-merah", "Biru tua"]):
        Variant.objects.create(product=ulos, name=name, price=450_000, on_hand=3, position=position)
    html = page(client, ulos)
    for name in ("Merah marun", "Hitam-merah", "Biru tua"):
        assert html.count(name) == 1, name
    assert 'data-fact="stock"' not in html  # the variant list says each one's stock


def test_the_page_costs_a_fixed_number_of_queries_for_each_kind(client, tour, homestay):
    ulos = ProductFactory()
    ShopDelivery.objects.create(shop=ulos.shop)
    for n in range(3):
        CourierRate.objects.create(
            shop=ulos.shop, destination_kabupaten=f"Kab {n}", first_kg=1, next_kg=1
        )

    def count(product, **query):
        url = reverse("storefront:product_detail", args=[product.slug])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        return len(queries)

    # product (with shop and delivery options), photos, renditions, its kind's list, reviews;
    # goods add the shop's courier rates.
    assert count(tour) <= 5
    assert count(homestay) == count(homestay, check_in="x") <= 5
    few = count(ulos, kabupaten="Kab 1")
    for n in range(3, 10):
        CourierRate.objects.create(
            shop=ulos.shop, destination_kabupaten=f"Kab {n}", first_kg=1, next_kg=1
        )
    assert count(ulos, kabupaten="Kab 1") == few <= 6


# The seller's form and the service --------------------------------------------------------------


@pytest.fixture
def seller(client):
    user = UserFactory()
    client.force_login(user)
    return ShopFactory(owner=user)


def edit_url(product):
    return reverse("seller:product_edit", args=[product.shop.slug, product.pk])


def test_the_edit_form_shows_only_the_facts_of_the_products_kind(client, seller):
    kinds = {
        ProductKind.EXPERIENCE: set(EXPERIENCE_FACTS),
        ProductKind.STAY: set(STAY_FACTS),
        ProductKind.GOODS: {"weight_grams"},
    }
    every_fact = set(EXPERIENCE_FACTS) | set(STAY_FACTS) | {"weight_grams"}
    for kind, own in kinds.items():
        product = ProductFactory(shop=seller, kind=kind, stock=False)
        fields = set(client.get(edit_url(product)).context["form"].fields)
        assert fields & every_fact == own, kind


def test_a_seller_sets_an_experiences_facts(client, seller):
    tour = ProductFactory(shop=seller, kind=ProductKind.EXPERIENCE, stock=False)
    data = {"title": tour.title, "category": tour.category_id, "price": "150000"}
    data.update({k: str(v) for k, v in EXPERIENCE_FACTS.items()})
    response = client.post(edit_url(tour), data)
    assert response.status_code == 302
    tour.refresh_from_db()
    assert {name: getattr(tour, name) for name in EXPERIENCE_FACTS} == EXPERIENCE_FACTS


def test_a_seller_sets_a_stays_times_and_check_out_after_check_in_is_refused(client, seller):
    stay = ProductFactory(shop=seller, kind=ProductKind.STAY, stock=False)
    data = {"title": stay.title, "category": stay.category_id, "price": "250000"}
    data.update(guests_per_room="2", check_in_time="14:00", check_out_time="12:00")
    assert client.post(edit_url(stay), data).status_code == 302
    stay.refresh_from_db()
    assert (stay.check_in_time, stay.check_out_time) == (time(14), time(12))

    data["check_out_time"] = "15:00"
    response = client.post(edit_url(stay), data)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["check_out_time"]
    assert [error.code for error in errors] == ["check_out_after_check_in"]
    stay.refresh_from_db()
    assert stay.check_out_time == time(12)


def test_half_a_meeting_position_is_refused_at_the_missing_field(client, seller):
    tour = ProductFactory(shop=seller, kind=ProductKind.EXPERIENCE, stock=False)
    data = {"title": tour.title, "category": tour.category_id, "price": "150000"}
    data.update(meeting_point="Dermaga Balige", meeting_latitude="2.33")
    response = client.post(edit_url(tour), data)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["meeting_longitude"]] == ["meeting_position_incomplete"]


@pytest.mark.parametrize(
    ("kind", "fields", "field", "code"),
    [
        (ProductKind.GOODS, {"check_in_time": time(14)}, "check_in_time", "fact_wrong_kind"),
        (ProductKind.STAY, {"meeting_point": "Dermaga"}, "meeting_point", "fact_wrong_kind"),
        (ProductKind.EXPERIENCE, {"guests_per_room": 2}, "guests_per_room", "fact_wrong_kind"),
        (
            ProductKind.EXPERIENCE,
            {"duration_minutes": 0},
            "duration_minutes",
            "duration_minutes_out_of_range",
        ),
        (
            ProductKind.EXPERIENCE,
            {"meeting_latitude": Decimal("2.5"), "meeting_longitude": Decimal("99.1")},
            "meeting_point",
            "meeting_point_required",
        ),
        (
            ProductKind.STAY,
            {"check_in_time": time(13), "check_out_time": time(13, 30)},
            "check_out_time",
            "check_out_after_check_in",
        ),
    ],
)
def test_product_update_refuses_bad_facts_with_a_code(kind, fields, field, code):
    product = ProductFactory(kind=kind, stock=False)
    with pytest.raises(ValidationError) as refused:
        product_update(product=product, fields=fields)
    assert [error.code for error in refused.value.error_dict[field]] == [code]


def test_api_exposes_the_facts_of_the_products_kind(client, tour, homestay):
    data = client.get(f"/api/v1/products/{tour.slug}/").json()
    assert data["experience"] == {
        "duration_minutes": 180,
        "meeting_point": "Dermaga Tigaraja, Parapat",
        "meeting_latitude": 2.6635,
        "meeting_longitude": 98.9351,
        "included": ["Perahu", "Pemandu", "Makan siang ikan bakar"],
        "guide_languages": "Indonesia, Inggris",
        "group_size_max": 12,
        "cancellation_terms": EXPERIENCE_FACTS["cancellation_terms"],
    }
    assert data["stay"] is None and data["weight_grams"] is None
    data = client.get(f"/api/v1/products/{homestay.slug}/").json()
    assert data["stay"] == {
        "guests_per_room": 2,
        "check_in_time": "14:00",
        "check_out_time": "12:00",
    }
    assert data["experience"] is None


# The demo data ----------------------------------------------------------------------------------


def test_the_demo_fills_the_facts_of_its_experiences_and_stays_and_of_older_rows(client):
    call_command("seed_demo", stdout=io.StringIO())
    experiences = Product.objects.filter(kind=ProductKind.EXPERIENCE)
    stays = Product.objects.filter(kind=ProductKind.STAY)
    assert experiences.exists() and stays.exists()
    for product in experiences:
        assert product.duration_minutes and product.meeting_point and product.included
        assert product.meeting_latitude is not None and product.meeting_longitude is not None
        assert product.guide_languages and product.group_size_max and product.cancellation_terms
    for product in stays:
        assert product.guests_per_room and product.check_in_time and product.check_out_time
        assert product.check_out_time <= product.check_in_time
    tour = experiences.filter(slots__isnull=False).first()
    assert {"duration", "map", "included", "cancellation"} <= facts_shown(page(client, tour))

    # A demo database made before products had facts gets them on the next run.
    empty = {"duration_minutes": None, "meeting_point": "", "included": ""}
    Product.objects.filter(pk=tour.pk).update(**empty)
    call_command("seed_demo", stdout=io.StringIO())
    tour.refresh_from_db()
    assert tour.duration_minutes and tour.meeting_point and tour.included


def test_the_facts_read_in_english_on_the_english_page(client, tour, homestay):
    html = client.get(f"/en/products/{tour.slug}/").content.decode()
    assert '<dd data-fact="duration">3 hours</dd>' in html
    assert "Meeting point" in html and "Up to 12 people" in html and "Cancellation terms" in html
    check_in = timezone.localdate() + timedelta(days=2)
    html = client.get(
        f"/en/products/{homestay.slug}/",
        {"check_in": check_in.isoformat(), "check_out": (check_in + timedelta(days=1)).isoformat()},
    ).content.decode()
    assert "from 14:00" in html and "by 12:00" in html
    assert "1 night × Rp 250,000 × 1 room(s)" in html
