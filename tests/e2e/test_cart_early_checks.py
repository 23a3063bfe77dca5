"""A tourist on a phone (360 px) is told at once that a stay's second night is full (the message
names the night, the cart stays empty); the tour they add instead shows its photo in the cart,
and when the tour fills up meanwhile the cart says so, naming the slot."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.images import ImageFile
from playwright.sync_api import expect
from wagtail.images.models import Image

from marketplace.models import ExperienceSlot, ProductKind, ProductPhoto, StayNight
from tests.factories import ExperienceSlotFactory, ProductFactory, ShopFactory, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SAT = date(2030, 12, 7)
NINE_ON_SAT = datetime(2030, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def test_a_full_night_is_refused_at_once_and_the_cart_shows_photos(live_server, page):
    shop = ShopFactory(name="Wisata Danau Toba")
    homestay = ProductFactory(
        shop=shop, title="Homestay Tepi Danau", kind=ProductKind.STAY, stock=False
    )
    for night, booked in ((SAT, 0), (SAT + timedelta(1), 2), (SAT + timedelta(2), 0)):
        StayNight.objects.create(product=homestay, night=night, rooms=2, booked=booked)
    slot = ExperienceSlotFactory(
        product__shop=shop, product__title="Tur Perahu Danau", starts_at=NINE_ON_SAT, capacity=4
    )
    image = Image(title="perahu")
    image.file = ImageFile(io.BytesIO(image_bytes(size=(300, 200))), name="perahu.jpg")
    image.save()
    ProductPhoto.objects.create(product=slot.product, image=image)

    page.goto(f"{live_server.url}/products/{homestay.slug}/")
    page.locator("#atc-check-in").fill(SAT.isoformat())
    page.locator("#atc-check-out").fill((SAT + timedelta(2)).isoformat())
    page.get_by_role("button", name="Masukkan ke keranjang").click()
    expect(
        page.get_by_text("Kamar Homestay Tepi Danau penuh pada malam Min, 8 Des 2030.")
    ).to_be_visible()
    fits_the_phone(page)

    page.goto(f"{live_server.url}/cart/")
    expect(page.get_by_text("Keranjang Anda masih kosong.")).to_be_visible()

    page.goto(f"{live_server.url}/products/{slot.product.slug}/")
    page.get_by_role("button", name="Masukkan ke keranjang").click()
    expect(page.get_by_text("Tur Perahu Danau masuk ke keranjang.")).to_be_visible()

    page.goto(f"{live_server.url}/cart/")
    photo = page.get_by_role("img", name="Tur Perahu Danau")
    expect(photo).to_be_visible()
    box = photo.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (64, 64)
    expect(page.get_by_text("Sab, 7 Des 2030 09.00")).to_be_visible()
    fits_the_phone(page)

    ExperienceSlot.objects.filter(pk=slot.pk).update(booked=4)  # others booked it meanwhile
    page.reload()
    expect(page.get_by_text("Jadwal Sab, 7 Des 2030 09.00 sudah penuh.")).to_be_visible()
    expect(page.get_by_role("link", name="Lanjut ke checkout")).to_have_count(0)
    fits_the_phone(page)
