"""The buyer's pages and the checkout API run a fixed number of queries, whatever the number
of lines."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.cart import Cart, CartLine
from marketplace.models import Checkout
from marketplace.services import orders as order_services
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import ExperienceSlotFactory, ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db
TOURIST = Contact(name="Anna Schmidt", phone="0812 9876 5432", email="anna@example.test")


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def checkout_with(lines: int, shops: int = 2, complete: bool = False) -> Checkout:
    shop_list = [ShopFactory() for _ in range(shops)]
    products = [ProductFactory(shop=shop_list[i % shops]) for i in range(lines)]
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, 1) for product in products], contact=TOURIST
    )
    if complete:
        seller = UserFactory()
        for order in checkout.orders.all():
            order_services.order_mark_paid(order=order)
            order_services.order_process(order=order, by=seller)
            order_services.order_ready_for_pickup(order=order, by=seller)
            order_services.order_complete(order=order, by=seller)
    return checkout


@pytest.mark.parametrize("complete", [False, True])
def test_the_orders_page_costs_the_same_for_1_and_20_lines(client, complete):
    small = checkout_with(1, shops=1, complete=complete)
    large = checkout_with(20, shops=1, complete=complete)
    count(client, f"/orders/{small.code}/")  # warm up: the session, content types
    assert count(client, f"/orders/{small.code}/") == count(client, f"/orders/{large.code}/")


def test_the_orders_page_costs_the_same_for_2_and_6_shops(client):
    small = checkout_with(2, shops=2)
    large = checkout_with(12, shops=6)
    count(client, f"/orders/{small.code}/")
    assert count(client, f"/orders/{small.code}/") == count(client, f"/orders/{large.code}/")


def test_the_checkout_api_costs_the_same_for_1_and_20_lines(client):
    small = checkout_with(1, shops=1)
    large = checkout_with(20, shops=4)
    url = "/api/v1/checkouts/{}/"
    small_count = count(client, url.format(small.code))
    assert small_count == count(client, url.format(large.code))
    assert small_count == 4  # the checkout, its orders with their shops, their lines, payments


def test_a_receipt_costs_the_same_for_1_and_20_lines(client):
    small = checkout_with(1, shops=1)
    large = checkout_with(20, shops=1)
    url = "/orders/{}/{}/receipt/"
    count(client, url.format(small.code, small.orders.get().number))
    assert count(client, url.format(small.code, small.orders.get().number)) == count(
        client, url.format(large.code, large.orders.get().number)
    )


def fill_cart(client, lines: int, shops: int) -> None:
    shop_list = [ShopFactory() for _ in range(shops)]
    session = client.session
    cart = []
    for i in range(lines):
        if i % 2:
            product = ProductFactory(shop=shop_list[i % shops])
            cart.append(CartLine(product.slug, 1, variant=product.variants.get().pk))
        else:
            slot = ExperienceSlotFactory(product__shop=shop_list[i % shops])
            cart.append(CartLine(slot.product.slug, 1, slot=slot.pk))
    session["cart"] = [line.__dict__ for line in cart]
    session.save()


@pytest.mark.parametrize("url", ["/cart/", "/checkout/"])
def test_the_guest_cart_and_checkout_cost_the_same_for_2_and_20_lines(client, url):
    other = type(client)()
    fill_cart(client, 2, shops=2)
    fill_cart(other, 20, shops=2)
    count(client, url)
    assert count(client, url) == count(other, url)


def test_a_signed_in_cart_costs_the_same_for_2_and_20_lines(client, rf):
    small, large = UserFactory(), UserFactory()
    for user, lines in ((small, 2), (large, 20)):
        request = rf.get("/")
        request.user, request.session = user, {}
        cart = Cart(request)
        for _ in range(lines):
            product = ProductFactory()
            cart.add(CartLine(product.slug, 1, variant=product.variants.get().pk))
    other = type(client)()
    client.force_login(small)
    other.force_login(large)
    count(client, "/cart/")
    assert count(client, "/cart/") == count(other, "/cart/")
