"""POST /api/v1/checkout/ names the field that is wrong (issue 8, item 8): the service refuses
with a code and the item or shop concerned (CheckoutRefused), and the API maps the code to the
request's field, never by reading the translated message."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from marketplace.api.checkout import ItemIn, ShopChoiceIn, refusal_body
from marketplace.forms.buying import ShopChoiceForm
from marketplace.models import Checkout, ShopDelivery, Voucher
from marketplace.services.checkout import REFUSED_FIELD, CheckoutRefused, Contact, contact_clean
from tests.factories import ExperienceSlotFactory, ProductFactory, StayNightFactory
from tests.support.throttle import throttle_reset

pytestmark = pytest.mark.django_db
CONTACT = {"name": "Anna Schmidt", "phone": "0812 9876 5432", "email": "anna@example.test"}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    throttle_reset()
    yield
    throttle_reset()


def post(client, body, **extra):
    return client.post(
        "/api/v1/checkout/", data=json.dumps(body), content_type="application/json", **extra
    )


def test_the_second_items_past_slot_is_named_at_its_index(client):
    ulos = ProductFactory()
    slot = ExperienceSlotFactory()
    slot.starts_at = timezone.now() - timedelta(hours=1)
    slot.save()
    items = [
        {"product": ulos.slug, "quantity": 1},
        {"product": slot.product.slug, "quantity": 2, "slot": slot.pk},
    ]
    response = post(client, {"items": items, "contact": CONTACT})
    assert response.status_code == 400
    assert response.json() == {
        "items": [{}, {"slot": [f"Jadwal {slot.product.title} sudah lewat."]}]
    }
    assert not Checkout.objects.exists()


def test_a_goods_item_without_a_variant_of_its_own_names_variant(client):
    ulos, other = ProductFactory(), ProductFactory()
    items = [{"product": ulos.slug, "quantity": 1, "variant": other.variants.get().pk}]
    body = post(client, {"items": items, "contact": CONTACT}).json()
    assert list(body) == ["items"] and list(body["items"][0]) == ["variant"]


@pytest.mark.parametrize(
    "dates, field",
    [
        ({"check_out": 3}, "check_in"),
        ({"check_in": 3, "check_out": 3}, "check_out"),
        ({"check_in": -2, "check_out": 1}, "check_in"),
        ({"check_in": 1, "check_out": 40}, "check_out"),
    ],
)
def test_stay_dates_name_check_in_or_check_out(client, dates, field):
    night = StayNightFactory()
    today = timezone.localdate()
    item = {"product": night.product.slug, "quantity": 1}
    item |= {key: (today + timedelta(days=days)).isoformat() for key, days in dates.items()}
    response = post(client, {"items": [item], "contact": CONTACT})
    assert response.status_code == 400
    assert list(response.json()) == ["items"]
    assert list(response.json()["items"][0]) == [field]


def test_a_shop_refusing_the_top_level_delivery_names_delivery(client):
    ulos = ProductFactory()
    ShopDelivery.objects.create(shop=ulos.shop, offers_pickup=False, local_delivery_fee=5_000)
    response = post(client, {"items": [{"product": ulos.slug, "quantity": 1}], "contact": CONTACT})
    assert response.status_code == 400
    assert response.json() == {"delivery": [f"{ulos.shop.name} tidak melayani ambil sendiri."]}


def test_a_shops_own_choice_is_named_under_shops(client):
    ulos = ProductFactory()
    ShopDelivery.objects.create(shop=ulos.shop, offers_pickup=True)  # no local delivery
    body = {
        "items": [{"product": ulos.slug, "quantity": 1}],
        "contact": CONTACT,
        "shops": {ulos.shop.slug: {"delivery": "local", "address": "Jl. Sisingamangaraja"}},
    }
    assert post(client, body).json() == {
        "shops": {ulos.shop.slug: {"delivery": [f"{ulos.shop.name} tidak melayani antar lokal."]}}
    }


def test_a_used_up_voucher_is_named_in_english_too(client):
    """The mapping reads codes, not messages: in English the field is the same."""
    ulos = ProductFactory()
    now = timezone.now()
    Voucher.objects.create(
        shop=ulos.shop,
        code="HORAS",
        kind="fixed",
        value=5_000,
        quota=1,
        used=1,
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=1),
    )
    body = {
        "items": [{"product": ulos.slug, "quantity": 1}],
        "contact": CONTACT,
        "shops": {ulos.shop.slug: {"voucher": "HORAS"}},
    }
    indonesian = post(client, body).json()
    with override("id"):  # the middleware activates English; leave no language behind
        english = post(client, body, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "voucher" in english["shops"][ulos.shop.slug]["voucher"][0].lower()
    assert list(indonesian["shops"][ulos.shop.slug]) == ["voucher"]
    assert list(english["shops"][ulos.shop.slug]) == ["voucher"]


def test_a_bad_email_is_named_under_contact(client):
    ulos = ProductFactory()
    body = {"items": [{"product": ulos.slug, "quantity": 1}], "contact": CONTACT | {"email": "x@"}}
    response = post(client, body)
    assert response.status_code == 400
    assert list(response.json()) == ["contact"]
    assert list(response.json()["contact"]) == ["email"]


def test_contact_refusals_of_the_service_keep_their_field():
    with pytest.raises(ValidationError) as caught:
        contact_clean(Contact(name=" ", phone="123", email="nope"))
    body = refusal_body(caught.value, items=1, shops={})
    assert set(body) == {"contact"} and set(body["contact"]) == {"name", "phone", "email"}
    codes = {field: [e.code for e in errors] for field, errors in caught.value.error_dict.items()}
    assert codes == {
        "name": ["name_required"],
        "phone": ["phone_invalid"],
        "email": ["email_invalid"],
    }


def test_every_refused_field_is_a_field_of_the_request_and_of_the_page():
    request_fields = set(ItemIn().fields) | set(ShopChoiceIn().fields)
    assert set(REFUSED_FIELD.values()) <= request_fields
    # The HTML checkout places shop refusals on the same names.
    shop_codes = {code for code, field in REFUSED_FIELD.items() if field in ShopChoiceIn().fields}
    form_fields = set(ShopChoiceForm.base_fields)
    assert {REFUSED_FIELD[code] for code in shop_codes} <= form_fields


def test_an_unmapped_refusal_is_a_detail():
    with override("id"):
        error = CheckoutRefused("Sesuatu yang lain.", code="something_new", item=0)
    assert refusal_body(error, items=1, shops={}) == {"detail": "Sesuatu yang lain."}
