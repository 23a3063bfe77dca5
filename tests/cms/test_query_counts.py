"""The home page and a destination page cost the same queries whether editors feature 2 items
or 20 (issue 10): every catalog block's cards load at once (cms.selectors.featured_for)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cms import pages
from tests.factories import ExperienceSlotFactory, KecamatanFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    client.get(url)  # warm what is cached per process (site root paths, settings)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def body_featuring(n: int, kecamatan) -> list:
    today = timezone.localdate()
    shops = [ShopFactory(kecamatan=kecamatan) for _ in range(n)]
    products = [ProductFactory(shop=shop) for shop in shops]
    tours = []
    for shop in shops:
        tour = ProductFactory(shop=shop, kind="experience", stock=False)
        ExperienceSlotFactory(product=tour, starts_at=timezone.now() + dt.timedelta(days=2))
        tours.append(tour)
    return [
        pages.featured_products_block(products),
        ("featured_shops", {"title": "Toko", "shops": shops}),
        (
            "experiences_on_dates",
            {
                "title": "Pekan ini",
                "experiences": tours,
                "start_date": today,
                "end_date": today + dt.timedelta(days=7),
            },
        ),
    ]


@pytest.mark.parametrize("kind", ["home", "destination"])
def test_a_page_costs_the_same_queries_for_2_and_20_featured_items(client, kind):
    counts = []
    for n in (2, 20):
        kecamatan = KecamatanFactory()
        body = body_featuring(n, kecamatan)
        if kind == "home":
            page = pages.home()
            products = [ProductFactory() for _ in range(n)]
            page.featured_products = [("product", p) for p in products]
            page.featured_shops = [("shop", p.shop) for p in products]
            page.body = body
            page.save_revision().publish()
            for i in range(n):  # running campaigns, upcoming events
                pages.campaign(f"Kampanye {n}-{i}")
                pages.event(f"Acara {n}-{i}")
        else:
            page = pages.destination(kecamatan, title=f"Destinasi {n}", body=body)
        counts.append(queries_for(client, page.url))
    assert counts[0] == counts[1], counts
