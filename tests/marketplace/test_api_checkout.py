"""POST /api/v1/checkout/ and GET /api/v1/checkouts/<code>/: exact shapes, 201/400/409/404."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.models import Checkout, CourierRate, Order, ShopDelivery, Variant, Voucher
from marketplace.services import orders as order_services
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    StayNightFactory,
    UserFactory,
)
from tests.support.throttle import throttle_reset

pytestmark = pytest.mark.django_db
CONTACT = {"name": "Anna Schmidt", "phone": "0812 9876 5432", "email": "anna@example.test"}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    throttle_reset()
    yield
    throttle_reset()


def post(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        "/api/v1/checkout/", data=data, content_type=extra.pop("content_type", "application/json")
    )


def test_a_checkout_from_two_shops_answers_201_with_the_code_and_orders(client):
    ulos = ProductFactory(price=400_000)
    slot = ExperienceSlotFactory()
    slot.product.price = 150_000
    slot.product.save()
    response = post(
        client,
        {
            "items": [
                {"product": ulos.slug, "quantity": 1},
                {"product": slot.product.slug, "quantity": 2, "slot": slot.pk},
            ],
            "contact": CONTACT,
            "delivery": "pickup",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    checkout = Checkout.objects.get()
    assert set(body) == {"code", "orders"}
    assert body["code"] == checkout.code
    assert response["Location"] == f"/api/v1/checkouts/{checkout.code}/"
    expected = [
        {
            "number": order.number,
            "shop": order.shop.slug,
            "total": order.total,
            "status": "awaiting_payment",
        }
        for order in checkout.orders.order_by("id")
    ]
    assert body["orders"] == expected
    assert sorted(order["total"] for order in body["orders"]) == [300_000, 400_000]
    assert checkout.buyer is None
    assert checkout.contact_phone == "+6281298765432"


def test_variants_stays_and_the_default_delivery(client):
    ulos = ProductFactory()
    songket = Variant.objects.create(product=ulos, name="Songket", price=900_000, on_hand=2)
    night = StayNightFactory(rooms=1)
    response = post(
        client,
        {
            "items": [
                {"product": ulos.slug, "quantity": 1, "variant": songket.pk},
                {
                    "product": night.product.slug,
                    "quantity": 1,
                    "check_in": night.night.isoformat(),
                    "check_out": (night.night + timedelta(days=1)).isoformat(),
                },
            ],
            "contact": CONTACT,
        },
    )
    assert response.status_code == 201, response.content
    assert Order.objects.get(shop=ulos.shop).total == 900_000
    assert set(Order.objects.values_list("delivery_method", flat=True)) == {"pickup"}
    songket.refresh_from_db()
    assert (songket.on_hand, songket.allocated, songket.free) == (2, 1, 1)


def test_per_shop_choices_delivery_voucher_and_note(client):
    ulos = ProductFactory(price=200_000, weight_grams=1500)
    kopi = ProductFactory(price=50_000)
    CourierRate.objects.create(
        shop=ulos.shop, destination_kabupaten="Kota Medan", first_kg=20_000, next_kg=8_000
    )
    ShopDelivery.objects.create(shop=kopi.shop, local_delivery_fee=10_000)
    now = timezone.now()
    Voucher.objects.create(
        shop=ulos.shop,
        code="HORAS",
        kind="fixed",
        value=25_000,
        quota=3,
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=1),
    )
    response = post(
        client,
        {
            "items": [{"product": ulos.slug, "quantity": 1}, {"product": kopi.slug, "quantity": 1}],
            "contact": CONTACT,
            "shops": {
                ulos.shop.slug: {
                    "delivery": "courier",
                    "kabupaten": "Kota Medan",
                    "address": "Jl. Gatot Subroto 1",
                    "voucher": "horas",
                    "note": "Kado ulang tahun",
                },
                kopi.shop.slug: {"delivery": "local", "address": "Hotel Labersa"},
            },
        },
    )
    assert response.status_code == 201, response.content
    ulos_order = Order.objects.get(shop=ulos.shop)
    assert ulos_order.delivery_fee == 28_000  # 1.5 kg → 2 kg
    assert ulos_order.discount == 25_000
    assert ulos_order.total == 200_000 + 28_000 - 25_000
    assert ulos_order.note == "Kado ulang tahun"
    kopi_order = Order.objects.get(shop=kopi.shop)
    assert (kopi_order.delivery_method, kopi_order.total) == ("local", 60_000)


def test_short_stock_is_409_naming_the_product(client):
    ulos = ProductFactory(title="Ulos Ragidup", stock=1)
    kopi = ProductFactory(stock=5)
    response = post(
        client,
        {
            "items": [{"product": kopi.slug, "quantity": 1}, {"product": ulos.slug, "quantity": 2}],
            "contact": CONTACT,
            "delivery": "pickup",
        },
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Stok Ulos Ragidup tidak cukup.", "product": ulos.slug}
    assert not Checkout.objects.exists()
    assert Variant.objects.get(product=kopi).free == 5


def test_a_full_slot_is_409(client):
    slot = ExperienceSlotFactory(capacity=2)
    response = post(
        client,
        {
            "items": [{"product": slot.product.slug, "quantity": 3, "slot": slot.pk}],
            "contact": CONTACT,
        },
    )
    assert response.status_code == 409
    assert response.json()["product"] == slot.product.slug


def test_malformed_json_is_400(client):
    response = post(client, '{"items": [')
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


def test_form_encoded_bodies_are_refused_with_415(client):
    response = client.post("/api/v1/checkout/", {"items": "x"})
    assert response.status_code == 415
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"items", "contact"}),
        ([], {"non_field_errors"}),
        ({"items": [], "contact": CONTACT}, {"items"}),
        ({"items": [{"product": "x"}], "contact": CONTACT}, {"items"}),
        ({"items": [{"product": "x", "quantity": 0}], "contact": CONTACT}, {"items"}),
        ({"items": [{"product": "x", "quantity": "dua"}], "contact": CONTACT}, {"items"}),
        ({"items": [{"product": "x", "quantity": 1}], "contact": {"name": "A"}}, {"contact"}),
        (
            {"items": [{"product": "x", "quantity": 1}], "contact": CONTACT, "delivery": "drone"},
            {"delivery"},
        ),
        (
            {"items": [{"product": "x", "quantity": 1}], "contact": CONTACT, "delivery": "local"},
            {"delivery"},
        ),
        (
            {"items": [{"product": "x", "quantity": 1, "check_in": "besok"}], "contact": CONTACT},
            {"items"},
        ),
        ({"items": "semua", "contact": CONTACT}, {"items"}),
    ],
)
def test_bad_input_is_400_with_field_errors(client, body, errors):
    response = post(client, body)
    assert response.status_code == 400, response.content
    assert set(response.json()) == errors
    assert not Checkout.objects.exists()


def test_a_bad_phone_is_a_field_error(client):
    ulos = ProductFactory()
    response = post(
        client,
        {
            "items": [{"product": ulos.slug, "quantity": 1}],
            "contact": {**CONTACT, "phone": "12345"},
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "contact": {
            "phone": [
                "Nomor telepon tidak valid: tulis nomor HP Indonesia seperti 0812 3456 7890, atau "
                "nomor luar negeri dengan kode negaranya, seperti +44 7911 123456."
            ]
        }
    }


def test_an_unknown_product_is_400_naming_the_item(client):
    response = post(
        client, {"items": [{"product": "tidak-ada", "quantity": 1}], "contact": CONTACT}
    )
    assert response.status_code == 400
    assert response.json() == {"items": [{"product": ["Produk “tidak-ada” tidak tersedia."]}]}


def test_an_experience_without_its_slot_is_400(client):
    slot = ExperienceSlotFactory()
    response = post(
        client, {"items": [{"product": slot.product.slug, "quantity": 1}], "contact": CONTACT}
    )
    assert response.status_code == 400
    assert "jadwal" in response.json()["items"][0]["slot"][0]


def test_per_shop_choices_are_checked(client):
    ulos = ProductFactory()
    item = {"product": ulos.slug, "quantity": 1}
    response = post(
        client,
        {"items": [item], "contact": CONTACT, "shops": {"toko-lain": {"delivery": "pickup"}}},
    )
    assert response.status_code == 400
    assert list(response.json()["shops"]) == ["toko-lain"]
    response = post(
        client,
        {"items": [item], "contact": CONTACT, "shops": {ulos.shop.slug: {"delivery": "courier"}}},
    )
    assert response.status_code == 400
    assert set(response.json()["shops"][ulos.shop.slug]) == {"address"}
    response = post(
        client,
        {
            "items": [item],
            "contact": CONTACT,
            "shops": {
                ulos.shop.slug: {"delivery": "courier", "kabupaten": "Bandung", "address": "Jl. A"}
            },
        },
    )
    assert response.status_code == 400
    assert "Bandung" in response.json()["shops"][ulos.shop.slug]["kabupaten"][0]
    response = post(
        client,
        {"items": [item], "contact": CONTACT, "shops": {ulos.shop.slug: {"voucher": "NGAWUR"}}},
    )
    assert response.json() == {
        "shops": {ulos.shop.slug: {"voucher": ["Voucher NGAWUR tidak berlaku."]}}
    }
    assert not Checkout.objects.exists()


def test_no_csrf_token_and_no_session_are_needed(client):
    ulos = ProductFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())  # a browser session does not make it a buyer's order
    response = post(strict, {"items": [{"product": ulos.slug, "quantity": 1}], "contact": CONTACT})
    assert response.status_code == 201
    assert Checkout.objects.get().buyer is None


def test_placing_is_throttled_per_address(client, settings):
    from marketplace.api.checkout import CheckoutThrottle

    ulos = ProductFactory(stock=100)
    body = {"items": [{"product": ulos.slug, "quantity": 1}], "contact": CONTACT}
    limit = int(CheckoutThrottle.THROTTLE_RATES["checkout"].split("/")[0])
    statuses = [post(client, body).status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [201] * limit
    assert statuses[-1] == 429
    assert int(post(client, body)["Retry-After"]) > 0


# GET /api/v1/checkouts/<code>/ -----------------------------------------------------------------


def test_the_checkout_with_its_orders_lines_and_no_payments_yet(client):
    ulos = ProductFactory(title="Ulos Sadum", price=350_000)
    post(client, {"items": [{"product": ulos.slug, "quantity": 2}], "contact": CONTACT})
    checkout = Checkout.objects.get()
    order = checkout.orders.get()
    response = client.get(f"/api/v1/checkouts/{checkout.code}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "code": checkout.code,
        "orders": [
            {
                "number": order.number,
                "shop": {"slug": ulos.shop.slug, "name": ulos.shop.name},
                "status": "awaiting_payment",
                "total": 700_000,
                "subtotal": 700_000,
                "delivery_fee": 0,
                "discount": 0,
                "expires_at": timezone.localtime(order.expires_at).isoformat(),
                "tracking_number": None,
                "lines": [
                    {
                        "title": "Ulos Sadum – Standar",
                        "quantity": 2,
                        "unit_price": 350_000,
                        "line_total": 700_000,
                    }
                ],
                "payments": [],
            }
        ],
    }


def test_statuses_and_tracking_follow_the_order(client):
    ulos = ProductFactory()
    post(client, {"items": [{"product": ulos.slug, "quantity": 1}], "contact": CONTACT})
    checkout = Checkout.objects.get()
    order = checkout.orders.get()
    seller = UserFactory()
    order_services.order_mark_paid(order=order)
    order_services.order_process(order=order, by=seller)
    order_services.order_ship(order=order, by=seller, tracking_number="JNE777")
    [got] = client.get(f"/api/v1/checkouts/{checkout.code}/").json()["orders"]
    assert (got["status"], got["tracking_number"]) == ("shipped", "JNE777")


def test_an_unknown_code_is_404(client):
    response = client.get("/api/v1/checkouts/tidak-ada/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_the_schema_documents_both_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/checkout/"]) == {"post"}
    post_op = paths["/api/v1/checkout/"]["post"]
    assert {"201", "400", "409"} <= set(post_op["responses"])
    assert set(paths["/api/v1/checkouts/{code}/"]) == {"get"}
    assert {"200", "404"} <= set(paths["/api/v1/checkouts/{code}/"]["get"]["responses"])
