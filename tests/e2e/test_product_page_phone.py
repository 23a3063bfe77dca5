"""A tourist on a phone (360 px) sees a product page that answers their questions, with the buy
button near the top: an experience with 60 departures folds its dates (the button is not pushed
2,000 px down), a stay gives the total for the dates chosen, and goods the courier fee to a
chosen kabupaten, all without JavaScript doing the sums (issue 13, item 7)."""

from __future__ import annotations

import io
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.images.models import Image

from marketplace.models import CourierRate, ProductKind, ProductPhoto, ShopDelivery, StayNight
from tests.factories import ExperienceSlotFactory, ProductFactory, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def top_of(page, locator) -> float:
    """Distance from the top of the page (not of the viewport) in CSS px."""
    box = locator.bounding_box()
    return box["y"] + page.evaluate("window.scrollY")


def photo(product) -> None:
    image = Image(title=product.title)
    image.file = ImageFile(io.BytesIO(image_bytes(size=(800, 600))), name="foto.jpg")
    image.save()
    ProductPhoto.objects.create(product=product, image=image)


def test_an_experience_page_keeps_the_buy_button_near_the_top(live_server, page):
    tour = ProductFactory(
        kind=ProductKind.EXPERIENCE,
        stock=False,
        title="Tur Perahu Keliling Danau Toba",
        duration_minutes=180,
        meeting_point="Dermaga Tigaraja, Parapat",
        meeting_latitude=Decimal("2.663500"),
        meeting_longitude=Decimal("98.935100"),
        included="Perahu\nJaket pelampung\nMakan siang",
        guide_languages="Indonesia, Inggris",
        group_size_max=20,
        cancellation_terms="Batal sampai 24 jam sebelum berangkat: uang kembali penuh.",
    )
    photo(tour)
    start = timezone.now() + timedelta(days=1)
    for n in range(60):
        ExperienceSlotFactory(product=tour, starts_at=start + timedelta(hours=12 * n))

    page.goto(f"{live_server.url}/products/{tour.slug}/")
    button = page.get_by_role("button", name="Masukkan ke keranjang")
    expect(button).to_be_visible()
    assert top_of(page, button) < 1200
    expect(page.locator('[data-fact="duration"]')).to_have_text("3 jam")
    expect(page.get_by_role("link", name="Buka di aplikasi peta")).to_have_attribute(
        "href", "geo:2.663500,98.935100"
    )
    # The dates fold: five are listed, the other 55 open on demand.
    folded = page.locator("details.more-dates")
    expect(folded.locator("li").first).to_be_hidden()
    folded.locator("summary").click()
    expect(folded.locator("li").last).to_be_visible()
    fits_the_phone(page)


def test_a_stay_gives_its_total_and_goods_their_courier_fee(live_server, page):
    stay = ProductFactory(
        kind=ProductKind.STAY,
        stock=False,
        price=250_000,
        guests_per_room=2,
        check_in_time=time(14),
        check_out_time=time(12),
    )
    first = timezone.localdate() + timedelta(days=1)
    for n in range(20):
        StayNight.objects.create(product=stay, night=first + timedelta(days=n), rooms=2)
    page.goto(f"{live_server.url}/products/{stay.slug}/")
    expect(page.locator("#id_check_in")).to_be_hidden()  # one set of dates shows: the buy box's
    page.get_by_text("Hitung total untuk tanggal Anda").click()
    page.locator("#id_check_in").fill((first + timedelta(days=2)).isoformat())
    page.locator("#id_check_out").fill((first + timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Hitung total").click()
    expect(page.locator("[data-stay-total]")).to_contain_text("Rp 500.000")
    expect(page.locator("#atc-check-in")).to_have_value((first + timedelta(days=2)).isoformat())
    assert top_of(page, page.get_by_role("button", name="Masukkan ke keranjang")) < 1200
    fits_the_phone(page)

    ulos = ProductFactory(title="Ulos Sadum", weight_grams=1_200)
    ShopDelivery.objects.create(shop=ulos.shop, offers_pickup=True)
    CourierRate.objects.create(
        shop=ulos.shop, destination_kabupaten="Kota Medan", first_kg=20_000, next_kg=8_000
    )
    page.goto(f"{live_server.url}/products/{ulos.slug}/")
    page.locator("#ongkir-kabupaten").select_option("Kota Medan")
    page.get_by_role("button", name="Hitung ongkir").click()
    expect(page.locator("[data-courier-fee]")).to_contain_text("Rp 28.000")
    fits_the_phone(page)
