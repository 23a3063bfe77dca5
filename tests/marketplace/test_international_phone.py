"""Foreign tourists check out with their own numbers (issue 13, item 1): any valid number with
its country code is accepted and stored in E.164; Indonesian numbers are still read as +62
mobiles; WhatsApp links work for both."""

import pytest
from django.core.exceptions import ValidationError

from marketplace.models import Checkout
from marketplace.phone import normalize_phone
from marketplace.templatetags.buying import whatsapp_url
from tests.factories import ProductFactory
from tests.support.throttle import throttle_reset


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("+44 7911 123456", "+447911123456"),
        ("+61 412 345 678", "+61412345678"),
        ("+1 (202) 555-0143", "+12025550143"),
    ],
)
def test_valid_numbers_are_stored_in_e164(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["", "12345", "+4479", "+44 abc", "+62 21 1234567", "²"])
def test_anything_else_is_refused_with_a_message_that_says_how_to_write_it(typed):
    with pytest.raises(ValidationError) as refused:
        normalize_phone(typed)
    assert refused.value.code == "phone"
    assert "+44 7911 123456" in refused.value.messages[0]


def test_a_whatsapp_link_works_for_a_foreign_number():
    assert whatsapp_url("+447911123456", "Halo").startswith("https://wa.me/447911123456?")
    assert whatsapp_url("+6281234567890", "Halo").startswith("https://wa.me/6281234567890?")


@pytest.mark.django_db
def test_the_checkout_api_takes_a_uk_number_and_stores_it_in_e164(client):
    throttle_reset()
    product = ProductFactory(stock=3)
    response = client.post(
        "/api/v1/checkout/",
        {
            "items": [{"product": product.slug, "quantity": 1}],
            "contact": {"name": "Emily Clarke", "phone": "+44 7911 123456", "email": "e@uk.test"},
            "delivery": "pickup",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert Checkout.objects.get(code=response.json()["code"]).contact_phone == "+447911123456"


@pytest.mark.django_db
def test_the_checkout_page_takes_an_australian_number(client):
    product = ProductFactory(stock=3)
    assert client.post("/cart/add/", {"product": product.slug, "quantity": 1}).status_code == 302
    response = client.post(
        "/checkout/",
        {
            "name": "Jack Smith",
            "phone": "+61 412 345 678",
            "email": "jack@au.test",
            f"{product.shop.slug}-delivery": "pickup",
        },
    )
    assert response.status_code == 302, response.context["contact_form"].errors
    assert Checkout.objects.get().contact_phone == "+61412345678"
