"""Reviews: only for a completed order's products, once per order and product."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from marketplace.models import Review
from marketplace.services import orders as order_services
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.reviews import review_create
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
TOURIST = Contact(name="Anna Schmidt", phone="0812 9876 5432", email="anna@example.test")


def place(*products, buyer=None):
    return checkout_place(
        items=[CheckoutItem(product.slug, 1) for product in products],
        contact=TOURIST,
        buyer=buyer,
    )


def complete(order):
    seller = UserFactory()
    order_services.order_mark_paid(order=order)
    order_services.order_process(order=order, by=seller)
    order_services.order_ready_for_pickup(order=order, by=seller)
    return order_services.order_complete(order=order, by=seller)


def review_url(checkout, order):
    return f"/orders/{checkout.code}/{order.number}/review/"


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_completed_orders_products_can_be_reviewed_once(client):
    ulos = ProductFactory(title="Ulos Sadum")
    checkout = place(ulos)
    order = complete(checkout.orders.get())
    html = client.get(f"/orders/{checkout.code}/").content.decode()
    assert review_url(checkout, order) in html
    response = client.post(
        review_url(checkout, order), {"product": ulos.pk, "rating": 5, "body": " Bagus! "}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{checkout.code}/#order-{order.number}"
    review = Review.objects.get()
    assert (review.product, review.author_name, review.rating, review.body) == (
        ulos,
        "Anna Schmidt",
        5,
        "Bagus!",
    )
    assert review.author is None
    # The form is gone, and a second review is refused.
    assert (
        review_url(checkout, order) not in client.get(f"/orders/{checkout.code}/").content.decode()
    )
    response = client.post(review_url(checkout, order), {"product": ulos.pk, "rating": 1})
    assert texts(response) == ["Anda sudah mengulas Ulos Sadum untuk pesanan ini."]
    assert Review.objects.count() == 1


def test_an_order_that_is_not_completed_cannot_be_reviewed(client):
    ulos = ProductFactory()
    checkout = place(ulos)
    order = checkout.orders.get()
    assert (
        review_url(checkout, order) not in client.get(f"/orders/{checkout.code}/").content.decode()
    )
    response = client.post(review_url(checkout, order), {"product": ulos.pk, "rating": 4})
    assert texts(response) == ["Ulasan hanya bisa ditulis untuk pesanan yang sudah selesai."]
    assert not Review.objects.exists()


def test_a_product_outside_the_order_cannot_be_reviewed(client):
    ulos, other = ProductFactory(), ProductFactory()
    checkout = place(ulos)
    order = complete(checkout.orders.get())
    response = client.post(review_url(checkout, order), {"product": other.pk, "rating": 4})
    assert "tidak ada dalam pesanan" in texts(response)[0]
    with pytest.raises(ValidationError, match="tidak ada dalam pesanan"):
        review_create(order=order, product=other, author_name="Anna Schmidt", rating=4)
    assert not Review.objects.exists()


@pytest.mark.parametrize("data", [{"rating": 0}, {"rating": 6}, {"rating": "lima"}, {}])
def test_a_rating_outside_1_to_5_is_refused(client, data):
    ulos = ProductFactory()
    checkout = place(ulos)
    order = complete(checkout.orders.get())
    response = client.post(review_url(checkout, order), {"product": ulos.pk, **data})
    assert response.status_code == 302
    assert texts(response)
    assert not Review.objects.exists()


def test_a_signed_in_buyer_is_the_author(client):
    user = UserFactory()
    client.force_login(user)
    ulos = ProductFactory()
    checkout = place(ulos, buyer=user)
    order = complete(checkout.orders.get())
    client.post(review_url(checkout, order), {"product": ulos.pk, "rating": 4})
    assert Review.objects.get().author == user


def test_an_unknown_order_is_404(client):
    ulos = ProductFactory()
    checkout = place(ulos)
    assert client.post(f"/orders/{checkout.code}/PK-NOPE/review/", {"rating": 5}).status_code == 404
    other = place(ProductFactory())
    response = client.post(review_url(other, checkout.orders.get()), {"product": ulos.pk})
    assert response.status_code == 404
    assert client.get(review_url(checkout, checkout.orders.get())).status_code == 405


def test_the_service_checks_rating_and_once():
    ulos = ProductFactory(title="Kopi Sidikalang")
    order = complete(place(ulos).orders.get())
    with pytest.raises(ValidationError) as error:
        review_create(order=order, product=ulos, author_name="Anna Schmidt", rating=7)
    assert "rating" in error.value.message_dict
    review_create(order=order, product=ulos, author_name="Anna Schmidt", rating=3, body="Enak")
    with pytest.raises(ValidationError, match="sudah mengulas Kopi Sidikalang"):
        review_create(order=order, product=ulos, author_name="Anna Schmidt", rating=3)


def test_a_later_order_of_the_same_product_may_be_reviewed_again(client):
    ulos = ProductFactory()
    first = complete(place(ulos).orders.get())
    review_create(order=first, product=ulos, author_name="Anna Schmidt", rating=5)
    second_checkout = place(ulos)
    second = complete(second_checkout.orders.get())
    review_create(order=second, product=ulos, author_name="Anna Schmidt", rating=4)
    assert Review.objects.count() == 2


def test_two_lines_of_one_product_get_one_form(client):
    from marketplace.models import Variant

    ulos = ProductFactory()
    songket = Variant.objects.create(product=ulos, name="Songket", price=1, on_hand=3)
    checkout = checkout_place(
        items=[CheckoutItem(ulos.slug, 1), CheckoutItem(ulos.slug, 1, variant=songket.pk)],
        contact=TOURIST,
    )
    complete(checkout.orders.get())
    page = client.get(f"/orders/{checkout.code}/").context["page"]
    assert len(page.orders[0].to_review) == 1
