"""A seller on a 360 px phone signs in, lands on the dashboard showing the waiting order, adds
two slots a day for four weeks in one form, pages through the weeks, and closes a day; then the
same page in English."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import ExperienceSlot, ProductKind
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_slots_a_day_for_four_weeks_in_one_form(live_server, page):
    owner = UserFactory(email="lamtiur@pasar.test")
    shop = ShopFactory(owner=owner, slug="tur-lamtiur")
    tour = ProductFactory(shop=shop, kind=ProductKind.EXPERIENCE, stock=False, title="Tur Sipiso")
    ulos = ProductFactory(shop=shop, stock=5)
    checkout_place(
        items=[CheckoutItem(ulos.slug, 1)],
        contact=Contact("Emma Clarke", "+44 7911 123456", "emma@example.test"),
    )
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", owner.email)
    page.fill("#id_password", "rahasia-123")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/seller/{shop.slug}/$"))
    # The dashboard's first screen shows the order waiting for its payment.
    waiting = page.locator('[data-count="awaiting_payment"]')
    expect(waiting).to_contain_text("1 menunggu pembayaran")
    assert waiting.bounding_box()["y"] < 740

    page.goto(live_server.url + f"/seller/{shop.slug}/products/{tour.pk}/stock/")
    expect(page.get_by_text("Belum ada jadwal mendatang")).to_be_visible()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
    page.check("#id_schedule-every_day")
    page.fill("#id_schedule-times", "09:00, 14.00")
    page.fill("#id_schedule-start", monday.isoformat())
    page.fill("#id_schedule-weeks", "4")
    page.fill("#id_schedule-capacity", "12")
    page.get_by_role("button", name="Buat jadwal").click()
    expect(page.locator(".messages")).to_contain_text("56 jadwal ditambahkan.")
    assert ExperienceSlot.objects.filter(product=tour).count() == 56

    # One week a page: 14 slots, a phone's few screens instead of 22,000 px.
    assert page.locator(".slot").count() == 14
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, height
    page.get_by_role("link", name="Minggu berikutnya ›").first.click()
    page.wait_for_url(re.compile(rf"\?week={monday + timedelta(weeks=1)}$"))
    assert page.locator(".slot").count() == 14

    # Close the week's Tuesday: its two slots, unbooked, go.
    tuesday = monday + timedelta(weeks=1, days=1)
    day = page.locator(f"#day-{tuesday.isoformat()}")
    day.get_by_text("Ubah semua jadwal hari ini").click()
    day.get_by_role("button", name="Tutup hari ini").click()
    expect(page.locator(".messages")).to_contain_text("ditutup")
    assert page.locator(".slot").count() == 12
    assert ExperienceSlot.objects.filter(product=tour).count() == 54

    # In English.
    page.goto(live_server.url + f"/en/seller/{shop.slug}/products/{tour.pk}/stock/")
    expect(page.locator("h1")).to_have_text("Time slots and capacity")
    expect(page.get_by_role("button", name="Make the slots")).to_be_visible()
