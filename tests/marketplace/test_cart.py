from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from marketplace.cart import Cart, cart_merge_on_login, line_clean
from marketplace.models import CartItem
from tests.factories import ExperienceSlotFactory, ProductFactory, StayNightFactory, UserFactory

pytestmark = pytest.mark.django_db


class Session(dict):
    modified = False


def request_for(user=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.session = Session()
    request.user = user or AnonymousUser()
    return request


def test_a_guest_cart_lives_in_the_session_and_adds_up():
    ulos = ProductFactory()
    request = request_for()
    cart = Cart(request)
    cart.add(line_clean(product=ulos.slug, quantity=1))
    cart.add(line_clean(product=ulos.slug, quantity=2))
    assert len(cart) == 3
    assert request.session["cart"][0]["quantity"] == 3


def test_lines_are_checked_for_their_kind():
    slot = ExperienceSlotFactory()
    night = StayNightFactory()
    with pytest.raises(ValidationError, match="jadwal"):
        line_clean(product=slot.product.slug, quantity=1)
    with pytest.raises(ValidationError, match="check-in"):
        line_clean(
            product=night.product.slug, quantity=1, check_in=night.night, check_out=night.night
        )
    with pytest.raises(ValidationError, match="tidak tersedia"):
        line_clean(product=ProductFactory(status="draft").slug, quantity=1)
    line = line_clean(
        product=night.product.slug,
        quantity=1,
        check_in=night.night,
        check_out=night.night + timedelta(days=1),
    )
    assert line.as_checkout_item().check_in == night.night


def test_the_guest_cart_joins_the_account_cart_at_sign_in():
    ulos, kopi = ProductFactory(), ProductFactory()
    user = UserFactory()
    Cart(request_for(user)).add(line_clean(product=ulos.slug, quantity=1))
    guest = request_for()
    Cart(guest).add(line_clean(product=ulos.slug, quantity=2))
    Cart(guest).add(line_clean(product=kopi.slug, quantity=1))
    cart_merge_on_login(guest, user)
    assert "cart" not in guest.session
    assert sorted(CartItem.objects.filter(user=user).values_list("product__slug", "quantity")) == (
        sorted([(ulos.slug, 3), (kopi.slug, 1)])
    )


def test_signing_in_through_the_login_page_merges_the_cart(client):
    ulos = ProductFactory()
    user = UserFactory(email="turis@pasar.test")
    session = client.session
    session["cart"] = [
        {
            "product": ulos.slug,
            "quantity": 2,
            "variant": ulos.variants.get().pk,
            "slot": None,
            "check_in": None,
            "check_out": None,
        }
    ]
    session.save()
    client.post("/accounts/login/", {"username": "turis@pasar.test", "password": "rahasia-123"})
    assert CartItem.objects.get(user=user).quantity == 2
