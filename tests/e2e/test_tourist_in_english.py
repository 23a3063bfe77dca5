"""Issue 13, done when: a tourist with a +44 number buys an experience and a good from two
shops in English at 360 px, sees the full total with shipping before placing the order, the
orders' totals equal it, and the mails they receive are in English with links to /en/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from marketplace import outbox
from marketplace.models import Checkout, ProductKind, ShopDelivery
from tests.factories import ExperienceSlotFactory, ProductFactory, ShopFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def handle_events_here() -> None:
    """What the worker would do: hand every pending event to its handlers, in this process."""
    outbox.outbox_relay(
        dispatch=lambda event_id, handler: outbox.event_handle(event_id=event_id, handler=handler)
    )


def test_a_tourist_from_abroad_buys_a_boat_tour_and_an_ulos_in_english(live_server, page):
    tours = ShopFactory(name="Tur Perahu Balige", address="Dermaga Balige")
    tour = ProductFactory(
        shop=tours,
        kind=ProductKind.EXPERIENCE,
        stock=False,
        title="Tur Perahu Pulau Sibandang",
        price=150_000,
        meeting_point="Dermaga Balige",
    )
    saturday = (timezone.localtime() + timedelta(days=3)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    ExperienceSlotFactory(product=tour, starts_at=saturday, capacity=10)
    weavers = ShopFactory(name="Tenun Boru Siahaan")
    ShopDelivery.objects.create(shop=weavers, offers_pickup=True, local_delivery_fee=22_000)
    ulos = ProductFactory(shop=weavers, title="Ulos Sadum Balige", price=350_000, stock=5)

    base = f"{live_server.url}/en"
    page.goto(f"{base}/products/{tour.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    fits_the_phone(page)
    page.get_by_label("Number of people").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text(f"{tour.title}", exact=False).first).to_be_visible()

    page.goto(f"{base}/products/{ulos.slug}/")
    fits_the_phone(page)
    page.get_by_role("button", name="Add to cart").click()

    page.goto(f"{base}/cart/")
    fits_the_phone(page)
    expect(page.get_by_role("heading", name="Tur Perahu Balige")).to_be_visible()
    expect(page.get_by_role("heading", name="Tenun Boru Siahaan")).to_be_visible()
    page.get_by_role("link", name=re.compile("checkout", re.I)).first.click()

    page.wait_for_url(f"{base}/checkout/")
    fits_the_phone(page)
    page.get_by_label(re.compile(r"^Name:?$")).fill("Emily Clarke")
    page.get_by_label(re.compile("Mobile number", re.I)).fill("+44 7911 123456")
    page.get_by_label(re.compile(r"^(Email|Email address):?$", re.I)).fill("emily@example.test")
    # The boat tour is not shipped: no delivery choice, its meeting point instead.
    tour_box = page.locator("section.shop-group", has_text="Tur Perahu Balige")
    expect(tour_box.locator("[data-no-delivery]")).to_be_visible()
    expect(tour_box.locator("[data-arrival=meeting-point]")).to_contain_text("Dermaga Balige")
    expect(tour_box.get_by_role("radio")).to_have_count(0)
    ulos_box = page.locator("section.shop-group", has_text="Tenun Boru Siahaan")
    ulos_box.get_by_role("radio", name=re.compile("Local delivery", re.I)).check()
    ulos_box.get_by_label(re.compile("Address", re.I)).fill("Hotel Labersa, Balige")
    page.get_by_role("button", name="Recalculate").click()

    # The full total, shipping included, before placing.
    grand = page.locator("[data-grand-total]")
    expect(grand).to_be_visible()
    shown_total = int(grand.get_attribute("data-grand-total"))
    assert shown_total == 2 * 150_000 + 350_000 + 22_000
    expect(grand).to_have_text("Rp 672,000")
    fits_the_phone(page)
    page.get_by_role("button", name="Place order").click()

    page.wait_for_url(re.compile(r"/en/orders/[^/]+/$"))
    fits_the_phone(page)
    checkout = Checkout.objects.get()
    assert checkout.contact_phone == "+447911123456"
    assert checkout.language == "en"
    assert sum(order.total for order in checkout.orders.all()) == shown_total
    expect(page.get_by_text("Awaiting payment").first).to_be_visible()

    handle_events_here()
    to_emily = [m for m in mail.outbox if m.to == ["emily@example.test"]]
    assert len(to_emily) == 2, [m.subject for m in mail.outbox]
    for message in to_emily:
        assert f"/en/orders/{checkout.code}/" in message.body
        assert "Pesanan" not in message.subject and "Terima kasih" not in message.body
        assert re.search(r"\border\b", message.subject + message.body, re.I)
