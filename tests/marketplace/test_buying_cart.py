"""The cart pages: add from a product page (each kind, bad input), show with today's prices,
change, remove; and the add-to-cart include of the product page."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from marketplace.models import CartItem, Product, Variant
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def session_cart(client) -> list[dict]:
    return client.session.get("cart", [])


def test_goods_go_in_with_their_first_variant_and_back_to_the_product_page(client):
    ulos = ProductFactory()
    response = client.post("/cart/add/", {"product": ulos.slug, "quantity": 2})
    assert response.status_code == 302
    assert response["Location"] == f"/products/{ulos.slug}/"
    [line] = session_cart(client)
    assert line["product"] == ulos.slug
    assert line["quantity"] == 2
    assert line["variant"] == ulos.variants.get().pk
    assert texts(response) == [f"{ulos.title} masuk ke keranjang."]


def test_a_chosen_variant_is_kept_and_next_is_followed_when_it_is_on_this_site(client):
    ulos = ProductFactory()
    songket = Variant.objects.create(product=ulos, name="Songket", price=500_000, on_hand=2)
    response = client.post(
        "/cart/add/",
        {"product": ulos.slug, "quantity": 1, "variant": songket.pk, "next": "/shops/"},
    )
    assert response["Location"] == "/shops/"
    assert session_cart(client)[0]["variant"] == songket.pk
    response = client.post(
        "/cart/add/",
        {"product": ulos.slug, "quantity": 1, "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/products/{ulos.slug}/"


def test_an_experience_needs_its_slot(client):
    slot = ExperienceSlotFactory()
    response = client.post("/cart/add/", {"product": slot.product.slug, "quantity": 3})
    assert texts(response) == ["Pilih jadwal."]
    assert session_cart(client) == []
    client.post("/cart/add/", {"product": slot.product.slug, "quantity": 3, "slot": slot.pk})
    assert session_cart(client)[0]["slot"] == slot.pk


def test_a_slot_of_another_experience_is_refused(client):
    slot, other = ExperienceSlotFactory(), ExperienceSlotFactory()
    response = client.post(
        "/cart/add/", {"product": slot.product.slug, "quantity": 1, "slot": other.pk}
    )
    assert texts(response) == ["Pilih jadwal."]
    assert session_cart(client) == []


def test_a_stay_needs_check_in_before_check_out(client):
    night = StayNightFactory()
    slug = night.product.slug
    response = client.post(
        "/cart/add/",
        {"product": slug, "quantity": 1, "check_in": night.night, "check_out": night.night},
    )
    assert texts(response) == ["Pilih tanggal check-in dan check-out."]
    response = client.post(
        "/cart/add/",
        {"product": slug, "quantity": 1, "check_in": "besok", "check_out": "lusa"},
    )
    assert any("Check-in" in text for text in texts(response))
    client.post(
        "/cart/add/",
        {
            "product": slug,
            "quantity": 2,
            "check_in": night.night.isoformat(),
            "check_out": (night.night + timedelta(days=1)).isoformat(),
        },
    )
    [line] = session_cart(client)
    assert (line["check_in"], line["quantity"]) == (night.night.isoformat(), 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"product": "tidak-ada", "quantity": 1}, "Produk ini tidak tersedia."),
        ({"product": "{slug}", "quantity": 0}, "Jumlah"),
        ({"product": "{slug}", "quantity": 101}, "Jumlah"),
        ({"product": "{slug}", "quantity": "dua"}, "Jumlah"),
        ({"product": "{slug}", "quantity": 1, "variant": 999_999}, "Pilih varian."),
    ],
)
def test_bad_input_is_a_message_never_an_error_page(client, data, message):
    ulos = ProductFactory()
    data = {**data, "product": data["product"].format(slug=ulos.slug)}
    response = client.post("/cart/add/", data)
    assert response.status_code == 302
    assert any(message in text for text in texts(response))
    assert session_cart(client) == []


def test_a_product_that_is_not_public_cannot_be_added(client):
    for product in (
        ProductFactory(status="draft"),
        ProductFactory(shop=ShopFactory(status="pending")),
    ):
        response = client.post("/cart/add/", {"product": product.slug, "quantity": 1})
        assert texts(response)[-1] == "Produk ini tidak tersedia."
    assert session_cart(client) == []


def test_a_broken_slug_goes_back_to_the_cart(client):
    response = client.post("/cart/add/", {"product": "bukan slug!", "quantity": 1})
    assert response["Location"] == "/cart/"


def test_adding_needs_post(client):
    assert client.get("/cart/add/").status_code == 405


def test_the_cart_shows_todays_prices_from_the_database_grouped_by_shop(client):
    ulos = ProductFactory(title="Ulos Ragi Hotang", price=350_000)
    kopi = ProductFactory(title="Kopi Lintong", price=85_000)
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 1})
    client.post("/cart/add/", {"product": kopi.slug, "quantity": 2})
    Variant.objects.filter(product=ulos).update(price=125_000)  # the seller changed the price
    response = client.get("/cart/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rp 125.000" in html
    assert "Rp 350.000" not in html
    assert "Rp 170.000" in html  # 2 × kopi
    assert "Rp 295.000" in html  # the cart's total
    assert ulos.shop.name in html and kopi.shop.name in html
    assert response.context["cart"].total == 295_000
    assert [g.shop for g in response.context["cart"].groups] == sorted(
        [ulos.shop, kopi.shop], key=lambda shop: shop.name.lower()
    )


def test_a_withdrawn_product_is_shown_unavailable_and_not_counted(client):
    ulos, kopi = ProductFactory(price=100_000), ProductFactory(price=50_000)
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 1})
    client.post("/cart/add/", {"product": kopi.slug, "quantity": 1})
    Product.objects.filter(pk=kopi.pk).update(status="archived")
    response = client.get("/cart/")
    cart = response.context["cart"]
    assert cart.total == 100_000
    assert [line.line.product for line in cart.unavailable] == [kopi.slug]
    assert "Produk ini sudah tidak dijual." in response.content.decode()


def test_a_passed_slot_is_unavailable(client):
    slot = ExperienceSlotFactory()
    client.post("/cart/add/", {"product": slot.product.slug, "quantity": 1, "slot": slot.pk})
    type(slot).objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    cart = client.get("/cart/").context["cart"]
    assert cart.total == 0
    assert cart.unavailable[0].problem == "Jadwal ini sudah lewat."


def test_short_stock_is_a_warning_on_the_line(client):
    ulos = ProductFactory(stock=5)
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 4})
    Variant.objects.filter(product=ulos).update(on_hand=2)
    assert "Stok tinggal 2." in client.get("/cart/").content.decode()


def test_quantities_change_and_lines_are_removed(client):
    ulos, kopi = ProductFactory(), ProductFactory()
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 1})
    client.post("/cart/add/", {"product": kopi.slug, "quantity": 1})
    keys = [line.key for line in client.get("/cart/").context["cart"].lines]
    response = client.post("/cart/update/", {"key": keys[0], "quantity": 5})
    assert response["Location"] == "/cart/"
    assert {line["product"]: line["quantity"] for line in session_cart(client)}[
        keys[0].split("|")[0]
    ] == 5
    client.post("/cart/remove/", {"key": keys[1]})
    assert [line["product"] for line in session_cart(client)] == [keys[0].split("|")[0]]
    response = client.post("/cart/update/", {"key": keys[0], "quantity": 0})
    assert session_cart(client) == []


@pytest.mark.parametrize(
    "data",
    [
        {"key": "x", "quantity": 1},
        {"key": "a|b|c|d|e", "quantity": 1},
        {"key": "ulos|1|||", "quantity": 101},
        {"key": "ulos|1|||", "quantity": -1},
        {},
    ],
)
def test_bad_cart_changes_are_messages(client, data):
    ulos = ProductFactory()
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 1})
    response = client.post("/cart/update/", data)
    assert response.status_code == 302
    assert texts(response)
    assert session_cart(client)[0]["quantity"] == 1


def test_a_signed_in_buyers_cart_is_kept_in_rows(client):
    user = UserFactory()
    client.force_login(user)
    ulos = ProductFactory(price=200_000)
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 2})
    assert CartItem.objects.get(user=user).quantity == 2
    response = client.get("/cart/")
    assert response.context["cart"].total == 400_000
    key = response.context["cart"].lines[0].key
    client.post("/cart/update/", {"key": key, "quantity": 3})
    assert CartItem.objects.get(user=user).quantity == 3
    client.post("/cart/remove/", {"key": key})
    assert not CartItem.objects.filter(user=user).exists()


def test_an_empty_cart_says_so(client):
    response = client.get("/cart/")
    assert "Keranjang Anda masih kosong." in response.content.decode()


# The add-to-cart include ----------------------------------------------------------------------

INCLUDE = Template('{% include "marketplace/buying/includes/add_to_cart.html" %}')


def render_include(product) -> str:
    request = RequestFactory().get(f"/products/{product.slug}/")
    return INCLUDE.render(Context({"product": product, "request": request}))


def test_the_include_offers_variants_with_stock(client):
    ulos = ProductFactory(stock=0)
    Variant.objects.create(product=ulos, name="Songket", price=500_000, on_hand=3)
    html = render_include(Product.objects.get(pk=ulos.pk))
    assert 'action="/cart/add/"' in html
    assert 'name="variant"' in html and "Songket" in html and "Rp 500.000" in html
    assert "disabled" in html  # the sold-out Standar
    assert f'name="next" value="/products/{ulos.slug}/"' in html


def test_the_include_says_sold_out_when_nothing_can_be_bought():
    html = render_include(ProductFactory(stock=0))
    assert "<form" not in html
    assert "Stok habis." in html


def test_the_include_offers_upcoming_slots_with_places_left():
    slot = ExperienceSlotFactory(capacity=8, booked=3)
    ExperienceSlotFactory(product=slot.product, starts_at=timezone.now() - timedelta(days=1))
    html = render_include(slot.product)
    assert f'value="{slot.pk}"' in html
    assert "sisa 5 tempat" in html
    assert html.count("<option") == 1  # the past slot is not offered
    assert "Jumlah orang" in html


def test_the_include_offers_dates_for_a_stay():
    night = StayNightFactory()
    StayNightFactory(product=night.product, night=night.night + timedelta(days=1))
    html = render_include(night.product)
    assert f'name="check_in" min="{night.night.isoformat()}"' in html
    assert 'name="check_out"' in html and "Jumlah kamar" in html


def test_the_include_uses_the_lists_the_product_page_prefetched(django_assert_num_queries):
    ulos = ProductFactory()
    ulos.variant_list = list(ulos.variants.all())
    with django_assert_num_queries(0):
        render_include(ulos)


def test_what_the_include_posts_lands_in_the_cart(client):
    slot = ExperienceSlotFactory()
    html = render_include(slot.product)
    assert 'name="slot"' in html
    response = client.post(
        "/cart/add/", {"product": slot.product.slug, "slot": slot.pk, "quantity": 2}
    )
    assert response.status_code == 302
    assert session_cart(client)[0]["quantity"] == 2


def test_the_cart_size_tag_counts_pieces_for_a_header_badge(client):
    ulos = ProductFactory()
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 3})
    request = client.get("/cart/").wsgi_request
    template = Template("{% load buying %}{% cart_size as n %}{{ n }}")
    assert template.render(Context({"request": request})) == "3"
    assert template.render(Context({})) == "0"
