"""What the promotion pages list from the live catalog: a village's products by its desa, a
destination's experiences and stays by its kecamatan, editors' picks that are still public,
campaigns between their dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from cms import selectors
from marketplace.models import Desa, ShopStatus
from tests.cms import pages
from tests.factories import ExperienceSlotFactory, KecamatanFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db


def context_of(page):
    return page.get_context(RequestFactory().get(page.url))


def test_a_village_lists_exactly_the_live_products_of_shops_in_its_desa():
    kecamatan = KecamatanFactory()
    meat = Desa.objects.create(kecamatan=kecamatan, name="Meat", slug="meat")
    other = Desa.objects.create(kecamatan=kecamatan, name="Lumban Pea", slug="lumban-pea")
    weaver = ShopFactory(kecamatan=kecamatan, desa=meat)
    guide = ShopFactory(kecamatan=kecamatan, desa=meat)
    ulos = ProductFactory(shop=weaver, title="Ulos Ragidup")
    tour = ProductFactory(shop=guide, title="Tur Desa Meat", kind="experience", stock=False)
    ProductFactory(shop=weaver, title="Draf", status="draft")
    ProductFactory(shop=ShopFactory(kecamatan=kecamatan, desa=other), title="Kopi Lain")
    ProductFactory(shop=ShopFactory(kecamatan=kecamatan), title="Tanpa Desa")
    page = pages.village(meat)

    village = context_of(page)["village"]
    assert {p.pk for p in village["products"]} == {ulos.pk, tour.pk}
    assert [p.pk for p in village["goods"]] == [ulos.pk]
    assert [p.pk for p in village["experiences"]] == [tour.pk]
    assert {s.pk for s in village["shops"]} == {weaver.pk, guide.pk}

    weaver.status = ShopStatus.SUSPENDED
    weaver.save(update_fields=["status"])
    village = context_of(page)["village"]
    assert [p.pk for p in village["products"]] == [tour.pk]  # the suspended shop's vanish
    assert [s.pk for s in village["shops"]] == [guide.pk]


def test_a_destination_lists_experiences_and_stays_of_its_kecamatan():
    balige, laguboti = KecamatanFactory(), KecamatanFactory()
    shop = ShopFactory(kecamatan=balige)
    tour = ProductFactory(shop=shop, kind="experience", stock=False)
    stay = ProductFactory(shop=shop, kind="stay", stock=False)
    ProductFactory(shop=shop)  # goods: not what a destination lists
    ProductFactory(shop=ShopFactory(kecamatan=laguboti), kind="experience", stock=False)
    page = pages.destination(balige)
    assert {p.pk for p in context_of(page)["bookable"]} == {tour.pk, stay.pk}


def test_picks_that_are_no_longer_public_drop_out_and_the_catalog_fills_in():
    shop = ShopFactory()
    picked = [ProductFactory(shop=shop) for _ in range(2)]
    gone = ProductFactory(shop=ShopFactory(status=ShopStatus.SUSPENDED))
    others = [ProductFactory() for _ in range(3)]
    home = pages.home()
    home.featured_products = [("product", p) for p in [gone, *picked]]
    home.save_revision().publish()
    listing = selectors.home_listing(pages.home())
    ids = [p.pk for p in listing["products"]]
    assert ids[:2] == [p.pk for p in picked]  # the editors' picks first, in their order
    assert gone.pk not in ids
    assert set(ids[2:]) == {p.pk for p in others}


def test_ended_and_future_campaigns_leave_the_home_page_by_themselves():
    today = timezone.localdate()
    running = pages.campaign("Bangga Buatan Toba")
    pages.campaign("Lalu", start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=1))
    pages.campaign("Nanti", start=today + dt.timedelta(days=3), end=today + dt.timedelta(days=9))
    assert [c.pk for c in selectors.home_listing(pages.home())["campaigns"]] == [running.pk]


def test_experiences_on_dates_show_free_slots_in_the_window_only():
    today = timezone.localdate()
    tour = ProductFactory(kind="experience", stock=False)
    inside = ExperienceSlotFactory(product=tour, starts_at=timezone.now() + dt.timedelta(days=2))
    ExperienceSlotFactory(
        product=tour, starts_at=timezone.now() + dt.timedelta(days=2, hours=3), capacity=2, booked=2
    )  # full
    ExperienceSlotFactory(product=tour, starts_at=timezone.now() + dt.timedelta(days=30))
    page = pages.campaign(
        body=[
            (
                "experiences_on_dates",
                {
                    "title": "Akhir pekan",
                    "experiences": [tour],
                    "start_date": today,
                    "end_date": today + dt.timedelta(days=7),
                },
            )
        ]
    )
    featured = selectors.featured_for(page.body)
    assert [s.pk for s in featured.slots[tour.pk]] == [inside.pk]
