"""Cart lines show their product's first photo (a small lazy rendition with its size and alt
text), and the cart page costs the same number of queries for 2 and for 6 lines."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image

from marketplace.cart import Cart, CartLine
from marketplace.models import ProductPhoto
from marketplace.selectors.buying import CART_PHOTO_SPEC
from tests.factories import ExperienceSlotFactory, ProductFactory, UserFactory, image_bytes

pytestmark = pytest.mark.django_db


def photo_of(product, name: str, position: int = 0) -> Image:
    image = Image(title=name)
    image.file = ImageFile(io.BytesIO(image_bytes(size=(300, 200))), name=f"{name}.jpg")
    image.save()
    ProductPhoto.objects.create(product=product, image=image, position=position)
    return image


def test_a_cart_line_shows_the_products_first_photo(client):
    ulos = ProductFactory(title="Ulos Ragidup")
    photo_of(ulos, "kedua", position=1)
    first = photo_of(ulos, "pertama", position=0)
    plain = ProductFactory(title="Kopi Lintong")  # no photo
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 1})
    client.post("/cart/add/", {"product": plain.slug, "quantity": 1})
    html = client.get("/cart/").content.decode()
    rendition = first.renditions.get(filter_spec=CART_PHOTO_SPEC)
    [img] = re.findall(r"<img class=\"line-photo\"[^>]*>", html)
    assert f'src="{rendition.url}"' in img
    assert 'width="64" height="64"' in img
    assert 'loading="lazy"' in img
    assert 'alt="Ulos Ragidup"' in img
    assert rendition.width == rendition.height == 128  # sharp at 64 CSS px on a 2x screen
    assert html.count('class="line-photo no-photo"') == 1  # the coffee's plain tile


def fill(lines: int) -> list[CartLine]:
    """`lines` cart lines, goods and experiences in turn, each product with two photos."""
    cart = []
    for n in range(lines):
        if n % 2:
            product = ProductFactory()
            cart.append(CartLine(product.slug, 1, variant=product.variants.get().pk))
        else:
            product = ExperienceSlotFactory().product
            cart.append(CartLine(product.slug, 1, slot=product.slots.get().pk))
        photo_of(product, f"{product.slug}-a", 0)
        photo_of(product, f"{product.slug}-b", 1)
    return cart


def cart_queries(client) -> int:
    # The first visit makes the renditions (once per image and size, ever); measure the next.
    assert client.get("/cart/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/cart/")
    assert response.status_code == 200
    assert response.content.decode().count('<img class="line-photo"') == len(
        response.context["cart"].lines
    )
    return len(queries)


def test_the_guest_cart_page_costs_the_same_for_2_and_6_lines_with_photos(client):
    other = type(client)()
    for who, lines in ((client, 2), (other, 6)):
        session = who.session
        session["cart"] = [line.__dict__ for line in fill(lines)]
        session.save()
    assert cart_queries(client) == cart_queries(other)


def test_a_signed_in_cart_page_costs_the_same_for_2_and_6_lines_with_photos(client, rf):
    small, large = UserFactory(), UserFactory()
    for user, lines in ((small, 2), (large, 6)):
        request = rf.get("/")
        request.user, request.session = user, {}
        for line in fill(lines):
            Cart(request).add(line)
    other = type(client)()
    client.force_login(small)
    other.force_login(large)
    assert cart_queries(client) == cart_queries(other)
