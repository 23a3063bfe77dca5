"""A buyer who checks out in English gets English mails (subject, body, dates, money) linking to
the /en/ pages; one who checks out in Indonesian gets Indonesian; sellers always Indonesian.
The checkout page and the API record the buyer's language (issue 13, item 5)."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import formats, timezone, translation

from marketplace import handlers, outbox
from marketplace.models import Checkout, OutboxEvent
from marketplace.money import format_rupiah
from marketplace.services import orders
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
    UserFactory,
)
from tests.support.throttle import throttle_reset

pytestmark = pytest.mark.django_db
TOURIST = Contact(name="Anna Schmidt", phone="+44 7911 123456", email="anna@example.test")


def handle(name, capture):
    for event in OutboxEvent.objects.filter(name=name):
        for handler in outbox.handlers_for(name):
            with capture(execute=True):
                outbox.event_handle(event_id=event.id, handler=handler)


def place(language):
    seller = UserFactory(email="penjual@pasar.test")
    product = ProductFactory(shop=ShopFactory(owner=seller), price=630_000)
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, 1)], contact=TOURIST, language=language
    )
    return checkout, checkout.orders.get()


def mail_to(address):
    return next(message for message in mail.outbox if message.to == [address])


def test_an_english_buyer_gets_an_english_mail_with_en_links(django_capture_on_commit_callbacks):
    checkout, order = place("en")
    handle("order.placed", django_capture_on_commit_callbacks)
    buyer = mail_to("anna@example.test")
    assert buyer.subject == f"Order {order.number} placed"
    assert "Hello Anna Schmidt," in buyer.body
    assert "Awaiting payment" in buyer.body
    assert "Rp 630,000" in buyer.body and "Rp 630.000" not in buyer.body
    assert f"{settings.WAGTAILADMIN_BASE_URL}/en/orders/{checkout.code}/" in buyer.body
    with translation.override("en"):
        deadline = formats.date_format(timezone.localtime(order.expires_at), "DATETIME_FORMAT")
    assert f"Pay before {deadline}" in buyer.body
    for indonesian in ("Halo", "Pesanan", "Lihat pesanan", "Bayar sebelum", "Menunggu"):
        assert indonesian not in buyer.body, indonesian
    # The seller's mail about the same order stays Indonesian.
    seller = mail_to("penjual@pasar.test")
    assert seller.subject == f"Pesanan {order.number} dibuat"
    assert "Rp 630.000" in seller.body and "/seller/" in seller.body and "/en/" not in seller.body


def test_an_indonesian_buyer_gets_an_indonesian_mail(django_capture_on_commit_callbacks):
    checkout, order = place("id")
    handle("order.placed", django_capture_on_commit_callbacks)
    buyer = mail_to("anna@example.test")
    assert buyer.subject == f"Pesanan {order.number} dibuat"
    assert "Halo Anna Schmidt," in buyer.body and "Menunggu pembayaran" in buyer.body
    assert "Rp 630.000" in buyer.body and "Bayar sebelum" in buyer.body
    assert f"/orders/{checkout.code}/" in buyer.body and "/en/" not in buyer.body


def test_the_english_mail_does_not_depend_on_the_workers_language(
    django_capture_on_commit_callbacks,
):
    _checkout, order = place("en")
    with translation.override("id"):
        handle("order.placed", django_capture_on_commit_callbacks)
    assert mail_to("anna@example.test").subject == f"Order {order.number} placed"
    row = OutboxEvent.objects.get(name="order.placed")
    event = outbox.Event(id=row.id, name=row.name, payload=row.payload, occurred_at=row.created_at)
    mail.outbox.clear()
    with translation.override("en"):  # English active, as after an /en/ request
        handlers.notify_order_seller(event)
    assert mail_to("penjual@pasar.test").subject == f"Pesanan {order.number} dibuat"


def test_an_expired_order_reads_its_reason_in_english(django_capture_on_commit_callbacks):
    _checkout, order = place("en")
    orders.order_transition(order=order, to="expired", note="Tidak dibayar tepat waktu.")
    handle("order.expired", django_capture_on_commit_callbacks)
    buyer = mail_to("anna@example.test")
    assert buyer.subject == f"Order {order.number} has expired"
    assert "Not paid in time." in buyer.body
    assert "Pay before" not in buyer.body


def test_a_paid_order_says_so_in_english(django_capture_on_commit_callbacks):
    _checkout, order = place("en")
    outbox.publish("payment.succeeded", {"order_number": order.number, "reference": "QR-77"})
    handle("payment.succeeded", django_capture_on_commit_callbacks)
    handle("order.paid", django_capture_on_commit_callbacks)
    buyer = mail_to("anna@example.test")
    assert buyer.subject == f"Order {order.number} has been paid"
    assert "Payment QR-77 received." in buyer.body and "Pembayaran" not in buyer.body
    # The order's own history keeps the Indonesian note.
    assert order.history.filter(note="Pembayaran QR-77 diterima.").exists()


def test_a_stay_and_a_slot_show_their_dates_in_the_buyers_language(
    django_capture_on_commit_callbacks,
):
    slot = ExperienceSlotFactory()
    night = StayNightFactory(rooms=2)
    StayNightFactory(product=night.product, night=night.night + timedelta(days=1), rooms=2)
    check_out = night.night + timedelta(days=2)
    checkout_place(
        items=[
            CheckoutItem(slot.product.slug, 1, slot=slot.pk),
            CheckoutItem(night.product.slug, 1, check_in=night.night, check_out=check_out),
        ],
        contact=TOURIST,
        language="en",
    )
    handle("order.placed", django_capture_on_commit_callbacks)
    bodies = " ".join(m.body for m in mail.outbox if m.to == ["anna@example.test"])
    with translation.override("en"):
        when = formats.date_format(timezone.localtime(slot.starts_at), "DATETIME_FORMAT")
        stay = [formats.date_format(day, "DATE_FORMAT") for day in (night.night, check_out)]
    assert when in bodies
    assert f"{stay[0]} to {stay[1]}" in bodies
    assert "s.d." not in bodies


def test_money_follows_the_language():
    with translation.override("en"):
        assert format_rupiah(630_000) == "Rp 630,000"
    with translation.override("id"):
        assert format_rupiah(630_000) == "Rp 630.000"
    assert format_rupiah(1_250_000, "en") == "Rp 1,250,000"


def test_the_english_checkout_page_records_english(client):
    product = ProductFactory(stock=3)
    client.post("/en/cart/add/", {"product": product.slug, "quantity": 1})
    response = client.post(
        "/en/checkout/",
        {
            "name": "Anna Schmidt",
            "phone": "+44 7911 123456",
            "email": "anna@example.test",
            f"{product.shop.slug}-delivery": "pickup",
        },
    )
    assert response.status_code == 302, response.content
    assert Checkout.objects.get().language == "en"


def test_the_indonesian_checkout_page_records_indonesian(client):
    product = ProductFactory(stock=3)
    client.post("/cart/add/", {"product": product.slug, "quantity": 1})
    response = client.post(
        "/checkout/",
        {
            "name": "Tigor",
            "phone": "0812 9876 5432",
            "email": "tigor@example.test",
            f"{product.shop.slug}-delivery": "pickup",
        },
    )
    assert response.status_code == 302
    assert Checkout.objects.get().language == "id"


@pytest.mark.parametrize(("header", "language"), [("en-GB,en;q=0.9", "en"), ("id", "id")])
def test_the_checkout_api_records_the_clients_language(client, header, language):
    throttle_reset()
    product = ProductFactory(stock=3)
    response = client.post(
        "/api/v1/checkout/",
        data=json.dumps(
            {
                "items": [{"product": product.slug, "quantity": 1}],
                "contact": {"name": "Anna", "phone": "+447911123456", "email": "a@example.test"},
                "delivery": "pickup",
            }
        ),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=header,
    )
    throttle_reset()
    assert response.status_code == 201, response.content
    assert Checkout.objects.get().language == language
