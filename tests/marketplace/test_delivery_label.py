"""An order of experiences and stays alone is stored as pickup but never called "Ambil sendiri"
on the buyer's and the seller's pages: nothing is picked up at a shop."""

import pytest

from marketplace.models import ProductKind
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import ExperienceSlotFactory, ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db
TOURIST = Contact("Anna Schmidt", "+44 7911 123456", "anna@example.test")


def test_a_boat_tour_order_says_no_delivery_and_a_goods_order_says_pickup(client):
    owner = UserFactory()
    shop = ShopFactory(owner=owner)
    slot = ExperienceSlotFactory(
        product=ProductFactory(shop=shop, kind=ProductKind.EXPERIENCE, stock=False)
    )
    tour = checkout_place(items=[CheckoutItem(slot.product.slug, 2, slot=slot.pk)], contact=TOURIST)
    goods = checkout_place(items=[CheckoutItem(ProductFactory(shop=shop).slug, 1)], contact=TOURIST)
    tour_order, goods_order = tour.orders.get(), goods.orders.get()

    tour_page = client.get(f"/orders/{tour.code}/").content.decode()
    assert "Tanpa pengiriman: datang langsung" in tour_page and "Ambil sendiri" not in tour_page
    assert "Ambil sendiri" in client.get(f"/orders/{goods.code}/").content.decode()
    receipt = client.get(f"/orders/{tour.code}/{tour_order.number}/receipt/").content.decode()
    assert "Tanpa pengiriman: datang langsung" in receipt

    client.force_login(owner)
    seller_page = client.get(f"/seller/{shop.slug}/orders/{tour_order.number}/").content.decode()
    assert "Tanpa pengiriman: datang langsung" in seller_page
    slip = client.get(f"/seller/{shop.slug}/orders/{goods_order.number}/packing-slip/")
    assert "Ambil sendiri" in slip.content.decode()

    assert (
        "No delivery: the buyer comes in person"
        in client.get(f"/en/orders/{tour.code}/").content.decode()
    )
