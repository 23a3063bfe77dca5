"""The buyer's pages write dates one way per language: "Sab, 7 Des 2030 09.00" in Indonesian,
"Sat 7 Dec 2030 09:00" in English; a stay's dates read "… s.d. …" in Indonesian and "… to …"
in English (the receipt too)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from marketplace.models import Order, ProductKind, StayNight
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import ExperienceSlotFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
SAT = date(2030, 12, 7)
NINE_ON_SAT = datetime(2030, 12, 7, 9, 0, tzinfo=JAKARTA)
TOURIST = Contact(name="Anna Schmidt", phone="+44 7911 123456", email="anna@example.test")


def stay_and_tour(shop=None):
    shop = shop or ShopFactory()
    homestay = ProductFactory(
        shop=shop, title="Homestay Tepi Danau", kind=ProductKind.STAY, stock=False
    )
    for night in (SAT, SAT + timedelta(1)):
        StayNight.objects.create(product=homestay, night=night, rooms=2)
    slot = ExperienceSlotFactory(
        product__shop=shop, product__title="Tur Perahu", starts_at=NINE_ON_SAT
    )
    return homestay, slot


@pytest.fixture
def order():
    homestay, slot = stay_and_tour()
    checkout = checkout_place(
        items=[
            CheckoutItem(homestay.slug, 1, check_in=SAT, check_out=SAT + timedelta(2)),
            CheckoutItem(slot.product.slug, 2, slot=slot.pk),
        ],
        contact=TOURIST,
    )
    placed = checkout.orders.get()
    Order.objects.filter(pk=placed.pk).update(
        created_at=datetime(2030, 12, 2, 14, 5, tzinfo=JAKARTA),
        expires_at=datetime(2030, 12, 2, 15, 5, tzinfo=JAKARTA),
    )
    return placed


def page(client, url: str, language: str = "id") -> str:
    prefix = "/en" if language == "en" else ""
    with translation.override(language):
        response = client.get(prefix + url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_receipt_in_indonesian(client, order):
    html = page(client, f"/orders/{order.checkout.code}/{order.number}/receipt/")
    assert "Sen, 2 Des 2030 14.05 WIB" in html
    assert "Homestay Tepi Danau – Sab, 7 Des 2030 s.d. Sen, 9 Des 2030" in html
    assert "Tur Perahu – Sab, 7 Des 2030 09.00" in html
    assert "07-12-2030" not in html


def test_the_receipt_in_english_says_to_not_s_d(client, order):
    html = page(client, f"/orders/{order.checkout.code}/{order.number}/receipt/", "en")
    assert "Mon 2 Dec 2030 14:05 WIB" in html
    assert "Homestay Tepi Danau – Sat 7 Dec 2030 to Mon 9 Dec 2030" in html
    assert "Tur Perahu – Sat 7 Dec 2030 09:00" in html
    assert "s.d." not in html


@pytest.mark.parametrize(
    ("language", "deadline", "tour"),
    [
        ("id", "Sen, 2 Des 2030 15.05 WIB", "Tur Perahu – Sab, 7 Des 2030 09.00"),
        ("en", "Mon 2 Dec 2030 15:05 WIB", "Tur Perahu – Sat 7 Dec 2030 09:00"),
    ],
)
def test_the_orders_page_writes_the_deadline_and_lines_the_same_way(
    client, order, language, deadline, tour
):
    html = page(client, f"/orders/{order.checkout.code}/", language)
    assert deadline in html
    assert tour in html


@pytest.mark.parametrize(
    ("language", "slot", "stay"),
    [
        ("id", "Sab, 7 Des 2030 09.00", "Sab, 7 Des 2030 s.d. Sen, 9 Des 2030 (2 malam)"),
        ("en", "Sat 7 Dec 2030 09:00", "Sat 7 Dec 2030 to Mon 9 Dec 2030 (2 nights)"),
    ],
)
def test_the_cart_writes_slots_and_stays_the_same_way(client, language, slot, stay):
    homestay, tour = stay_and_tour()
    client.post(
        "/cart/add/",
        {
            "product": homestay.slug,
            "quantity": 1,
            "check_in": SAT.isoformat(),
            "check_out": (SAT + timedelta(2)).isoformat(),
        },
    )
    client.post("/cart/add/", {"product": tour.product.slug, "slot": tour.pk, "quantity": 1})
    html = page(client, "/cart/", language)
    assert slot in html
    assert stay in html


@pytest.mark.parametrize(
    ("language", "text"), [("id", "Sab, 7 Des 2030 09.00"), ("en", "Sat 7 Dec 2030 09:00")]
)
def test_the_add_to_cart_form_lists_slots_the_same_way(language, text):
    slot = ExperienceSlotFactory(starts_at=NINE_ON_SAT)
    template = Template('{% include "marketplace/buying/includes/add_to_cart.html" %}')
    request = RequestFactory().get(f"/products/{slot.product.slug}/")
    with translation.override(language):
        html = template.render(Context({"product": slot.product, "request": request}))
    assert f'<option value="{slot.pk}">{text} · ' in html
