"""Campaign reach (issue 11): a campaign's parameters are kept from the first page through the
cart into the order; visits are counted once per session, day, campaign and source, never for
bots, link previews or admin paths; campaign_reach adds it all up per campaign."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.campaigns import campaign_clean, campaign_visit_count
from marketplace.models import CampaignVisitDay, Order, OrderStatus
from marketplace.selectors.campaigns import PAID_STATUSES, campaign_reach
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.cms import pages
from tests.factories import ProductFactory
from tests.support.race import run_concurrently
from tests.support.throttle import throttle_reset

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile"
SHARED = "utm_source=whatsapp&utm_medium=social&utm_campaign=festival-danau-toba"
CONTACT = {"name": "Anna Schmidt", "phone": "0812 9876 5432", "email": "anna@example.test"}


def visitor() -> Client:
    return Client(HTTP_USER_AGENT=BROWSER)


def visits() -> dict[tuple[str, str], int]:
    return {
        (row.campaign, row.source): row.visits
        for row in CampaignVisitDay.objects.filter(day=timezone.localdate())
    }


def test_a_visit_is_counted_once_per_session_day_and_source():
    product = ProductFactory()
    page = f"/products/{product.slug}/"
    anna = visitor()
    assert anna.get(f"{page}?{SHARED}").status_code == 200
    anna.get(f"{page}?{SHARED}")  # reloaded
    anna.get(f"/en{page}?{SHARED}")  # the same page in English: the same visitor
    anna.get(page)  # on without parameters
    assert visits() == {("festival-danau-toba", "whatsapp"): 1}
    # Another source in the same session is another row; another visitor counts again.
    anna.get(f"{page}?utm_source=facebook&utm_medium=social&utm_campaign=festival-danau-toba")
    visitor().get(f"{page}?{SHARED}")
    assert visits() == {
        ("festival-danau-toba", "whatsapp"): 2,
        ("festival-danau-toba", "facebook"): 1,
    }
    assert anna.session["campaign"] == {
        "name": "festival-danau-toba",
        "source": "whatsapp",  # the same campaign again keeps its first source
        "medium": "social",
    }


def test_a_link_from_a_campaign_pages_share_bar_counts_on_the_promotion_page():
    page = pages.campaign()  # slug festival-danau-toba, as the share bar names the campaign
    shared = visitor()
    assert shared.get(f"{page.url}?{SHARED}").status_code == 200
    shared.get(f"/?utm_source=copy&utm_medium=social&utm_campaign={page.slug}")  # the home page
    assert visits() == {("festival-danau-toba", "whatsapp"): 1, ("festival-danau-toba", "copy"): 1}


def test_a_poster_code_is_the_campaign_lowercased_and_slug_safe():
    product = ProductFactory()
    poster = visitor()
    poster.get(f"/products/{product.slug}/?c=Pasar Balige 2026!")
    assert visits() == {("pasar-balige-2026", ""): 1}
    assert poster.session["campaign"]["name"] == "pasar-balige-2026"
    assert campaign_clean("x" * 200) == "x" * 80


def test_a_different_campaign_takes_over_last_touch():
    product = ProductFactory()
    anna = visitor()
    anna.get(f"/products/{product.slug}/?{SHARED}")
    anna.get(f"/products/{product.slug}/?c=POSTER7")
    assert anna.session["campaign"] == {"name": "poster7", "source": "", "medium": ""}
    assert visits() == {("festival-danau-toba", "whatsapp"): 1, ("poster7", ""): 1}


@pytest.mark.parametrize(
    "agent",
    [
        "WhatsApp/2.23.20.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Slackbot-LinkExpanding 1.0",
        "Mozilla/5.0 (compatible; Baiduspider/2.0)",
        "SomeCrawler/1.0",
        "Mozilla/5.0 Discord link preview",
    ],
)
def test_bots_and_link_previews_are_not_visits(agent):
    product = ProductFactory()
    preview = Client(HTTP_USER_AGENT=agent)
    assert preview.get(f"/products/{product.slug}/?{SHARED}").status_code == 200
    assert visits() == {}
    assert "campaign" not in preview.session


@pytest.mark.parametrize(
    "path",
    ["/django-admin/", "/cms-admin/", "/api/v1/products/", "/static/css/site.css", "/media/x"],
)
def test_admin_api_and_file_paths_do_not_count(path):
    client = visitor()
    client.get(f"{path}?{SHARED}")
    assert visits() == {}
    assert "campaign" not in client.session


def test_missing_pages_and_posts_do_not_count():
    client = visitor()
    assert client.get(f"/products/no-such-thing/?{SHARED}").status_code == 404
    client.post(f"/cart/add/?{SHARED}", {"product": "no-such-thing", "quantity": 1})
    assert visits() == {}


def test_the_campaign_goes_through_the_cart_into_every_order():
    ulos = ProductFactory(price=400_000)
    kopi = ProductFactory(price=85_000)
    anna = visitor()
    anna.get(f"/products/{ulos.slug}/?{SHARED}")
    for product in (ulos, kopi):
        added = anna.post("/cart/add/", {"product": product.slug, "quantity": 1})
        assert added.status_code == 302
    anna.get(f"/products/{kopi.slug}/")  # browsing on: the campaign stays
    data = {**CONTACT}
    for product in (ulos, kopi):
        data[f"{product.shop.slug}-delivery"] = "pickup"
    response = anna.post("/checkout/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    orders = Order.objects.order_by("id")
    assert [(o.campaign, o.campaign_source) for o in orders] == [
        ("festival-danau-toba", "whatsapp"),
        ("festival-danau-toba", "whatsapp"),
    ]
    # A visitor who came with no campaign orders without one.
    bona = visitor()
    bona.post("/cart/add/", {"product": ulos.slug, "quantity": 1})
    bona.post("/checkout/", {**CONTACT, f"{ulos.shop.slug}-delivery": "pickup"})
    assert Order.objects.order_by("-id").first().campaign == ""


def test_the_api_takes_the_campaign_from_the_body():
    throttle_reset()
    ulos = ProductFactory()
    body = {
        "items": [{"product": ulos.slug, "quantity": 1}],
        "contact": CONTACT,
        "campaign": "Poster Balige 7",
        "campaign_source": "QR",
    }
    response = Client().post("/api/v1/checkout/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    del body["campaign"], body["campaign_source"]
    response = Client().post("/api/v1/checkout/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    throttle_reset()
    assert [(o.campaign, o.campaign_source) for o in Order.objects.order_by("id")] == [
        ("poster-balige-7", "qr"),
        ("", ""),
    ]


def test_campaign_visits_are_counted_atomically():
    today = timezone.localdate()
    for _ in range(3):
        campaign_visit_count(day=today, campaign="poster7", source="")
    assert CampaignVisitDay.objects.get().visits == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_first_visits_of_a_day_make_one_row_and_lose_none():
    today = timezone.localdate()
    results = run_concurrently(
        *[
            lambda: campaign_visit_count(day=today, campaign="festival", source="whatsapp")
            for _ in range(8)
        ]
    )
    assert results == [None] * 8
    assert CampaignVisitDay.objects.get().visits == 8


def test_pages_without_campaign_parameters_cost_no_query_more():
    product = ProductFactory()
    client = visitor()
    client.get(f"/products/{product.slug}/")
    with CaptureQueriesContext(connection) as plain:
        client.get(f"/products/{product.slug}/")
    assert not [q for q in plain.captured_queries if "campaign" in q["sql"]]
    assert not [q for q in plain.captured_queries if "django_session" in q["sql"]]


def _place(product, campaign: str, source: str = "") -> Order:
    return checkout_place(
        items=[CheckoutItem(product.slug, 1)],
        contact=Contact(**CONTACT),
        campaign=campaign,
        campaign_source=source,
    ).orders.get()


def test_campaign_reach_adds_up_visits_orders_and_paid_value():
    today = timezone.localdate()
    yesterday, long_ago = today - timedelta(days=1), today - timedelta(days=30)
    for day, campaign, source, count in [
        (today, "festival-danau-toba", "whatsapp", 5),
        (today, "festival-danau-toba", "facebook", 2),
        (yesterday, "festival-danau-toba", "whatsapp", 3),
        (today, "poster7", "", 4),
        (long_ago, "poster7", "", 100),  # out of range
        (today, "no-orders", "x", 1),
    ]:
        CampaignVisitDay.objects.create(day=day, campaign=campaign, source=source, visits=count)
    product = ProductFactory(price=120_000)
    statuses = {
        "festival-danau-toba": [
            OrderStatus.PAID,
            OrderStatus.COMPLETED,
            OrderStatus.AWAITING_PAYMENT,
            OrderStatus.REFUNDED,
        ],
        "poster7": [OrderStatus.SHIPPED, OrderStatus.CANCELLED],
        "orders-only": [OrderStatus.READY_FOR_PICKUP],
    }
    for campaign, wanted in statuses.items():
        for status in wanted:
            order = _place(product, campaign)
            Order.objects.filter(pk=order.pk).update(status=status)
    _place(product, "")  # no campaign: in no row
    old = _place(product, "poster7")  # placed long ago: out of range
    Order.objects.filter(pk=old.pk).update(
        status=OrderStatus.PAID, created_at=timezone.now() - timedelta(days=30)
    )

    with CaptureQueriesContext(connection) as queries:
        rows = campaign_reach(yesterday, today)
    assert len(queries) == 2

    start = timezone.now() - timedelta(days=2)
    expected = {}
    for campaign in {"festival-danau-toba", "poster7", "no-orders", "orders-only"}:
        placed = Order.objects.filter(campaign=campaign, created_at__gte=start).aggregate(
            orders=Count("id"),
            paid_orders=Count("id", filter=Q(status__in=PAID_STATUSES)),
            paid_value=Sum("total", filter=Q(status__in=PAID_STATUSES), default=0),
        )
        seen = CampaignVisitDay.objects.filter(campaign=campaign, day__gte=yesterday).aggregate(
            visits=Sum("visits", default=0)
        )
        expected[campaign] = {"campaign": campaign, **seen, **placed}
    assert {row["campaign"]: row for row in rows} == expected
    assert rows == [
        {
            "campaign": "festival-danau-toba",
            "visits": 10,
            "orders": 4,
            "paid_orders": 2,
            "paid_value": 240_000,
        },
        {"campaign": "poster7", "visits": 4, "orders": 2, "paid_orders": 1, "paid_value": 120_000},
        {"campaign": "no-orders", "visits": 1, "orders": 0, "paid_orders": 0, "paid_value": 0},
        {
            "campaign": "orders-only",
            "visits": 0,
            "orders": 1,
            "paid_orders": 1,
            "paid_value": 120_000,
        },
    ]
    assert campaign_reach(long_ago, long_ago) == [
        {"campaign": "poster7", "visits": 100, "orders": 1, "paid_orders": 1, "paid_value": 120_000}
    ]


def test_a_landing_with_a_campaign_costs_the_session_and_the_count():
    product = ProductFactory()
    page = f"/products/{product.slug}/"
    visitor().get(page)
    with CaptureQueriesContext(connection) as plain:
        visitor().get(page)
    with CaptureQueriesContext(connection) as landing:
        anna = visitor()
        anna.get(f"{page}?{SHARED}")
    with CaptureQueriesContext(connection) as again:
        anna.get(f"{page}?{SHARED}")
    extra = [q["sql"] for q in landing.captured_queries[len(plain) :]]
    # The day's first visit of (campaign, source): an UPDATE that finds no row, then the INSERT
    # in a savepoint; and the new session is saved (an existence check, the INSERT, savepoint).
    assert len([sql for sql in extra if "campaignvisitday" in sql]) == 2
    assert len(extra) == 8
    # Counted already: only the session is read (this page does not read it otherwise).
    assert len(again) == len(plain) + 1
    assert [q for q in again.captured_queries if "django_session" in q["sql"]]
