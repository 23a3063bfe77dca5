"""The wishlist: POST /products/<slug>/wishlist/ toggles, /wishlist/ lists (rows for accounts,
the session for guests)."""

import pytest

from marketplace.models import ProductStatus, ShopStatus, WishlistItem
from marketplace.services.wishlist import wishlist_add, wishlist_remove, wishlist_toggle
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_services_add_remove_and_toggle():
    user, product = UserFactory(), ProductFactory()
    first = wishlist_add(user=user, product=product)
    assert wishlist_add(user=user, product=product) == first  # saving twice keeps one row
    assert WishlistItem.objects.filter(user=user).count() == 1
    assert wishlist_remove(user=user, product=product) is True
    assert wishlist_remove(user=user, product=product) is False
    assert wishlist_toggle(user=user, product=product) is True
    assert wishlist_toggle(user=user, product=product) is False
    assert not WishlistItem.objects.exists()


def test_toggle_saves_then_removes_and_returns_to_the_product(client):
    user, product = UserFactory(), ProductFactory()
    client.force_login(user)
    url = f"/products/{product.slug}/wishlist/"

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/products/{product.slug}/"
    assert WishlistItem.objects.filter(user=user, product=product).exists()
    page = client.get(f"/products/{product.slug}/").content.decode()
    assert 'aria-pressed="true"' in page

    client.post(url)
    assert not WishlistItem.objects.filter(user=user, product=product).exists()
    assert 'aria-pressed="false"' in client.get(f"/products/{product.slug}/").content.decode()


def test_toggle_follows_a_local_next_but_not_another_site(client):
    user, product = UserFactory(), ProductFactory()
    client.force_login(user)
    url = f"/products/{product.slug}/wishlist/"
    assert client.post(url, {"next": "/wishlist/"})["Location"] == "/wishlist/"
    evil = client.post(url, {"next": "https://evil.example/"})
    assert evil["Location"] == f"/products/{product.slug}/"


def test_anonymous_toggle_saves_in_the_session_not_in_rows(client):
    # A guest's wishlist lives in the session (tests/marketplace/test_guest_wishlist.py).
    product = ProductFactory()
    response = client.post(f"/products/{product.slug}/wishlist/")
    assert response.status_code == 302 and response["Location"] == f"/products/{product.slug}/"
    assert client.session["wishlist"] == [product.pk]
    assert not WishlistItem.objects.exists()


def test_toggle_answers_only_post(client):
    client.force_login(UserFactory())
    product = ProductFactory()
    assert client.get(f"/products/{product.slug}/wishlist/").status_code == 405


@pytest.mark.parametrize(
    "product_kwargs",
    [
        {"status": ProductStatus.DRAFT},
        {"status": ProductStatus.ARCHIVED},
        {"shop__status": ShopStatus.PENDING},
        {"shop__status": ShopStatus.SUSPENDED},
    ],
)
def test_products_that_are_not_public_cannot_be_saved(client, product_kwargs):
    client.force_login(UserFactory())
    product = ProductFactory(**product_kwargs)
    assert client.post(f"/products/{product.slug}/wishlist/").status_code == 404
    assert not WishlistItem.objects.exists()


def test_wishlist_page_works_without_sign_in(client):
    response = client.get("/wishlist/")
    assert response.status_code == 200 and list(response.context["products"]) == []


def test_wishlist_lists_my_public_saved_products_only(client):
    me, other = UserFactory(), UserFactory()
    mine = ProductFactory(title="Ulos Milik Saya", price=450_000)
    theirs = ProductFactory(title="Kopi Milik Orang Lain")
    archived = ProductFactory(title="Ulos Diarsipkan")
    suspended = ProductFactory(title="Ulos Toko Ditangguhkan")
    for product in (mine, archived, suspended):
        wishlist_add(user=me, product=product)
    wishlist_add(user=other, product=theirs)
    archived.status = ProductStatus.ARCHIVED
    archived.save()
    suspended.shop.status = ShopStatus.SUSPENDED
    suspended.shop.save()

    client.force_login(me)
    response = client.get("/wishlist/")
    assert response.status_code == 200
    assert [p.title for p in response.context["products"]] == ["Ulos Milik Saya"]
    html = response.content.decode()
    assert "Rp 450.000" in html
    assert "Kopi Milik Orang Lain" not in html
    assert "Ulos Diarsipkan" not in html and "Ulos Toko Ditangguhkan" not in html

    client.force_login(other)
    titles = [p.title for p in client.get("/wishlist/").context["products"]]
    assert titles == ["Kopi Milik Orang Lain"]


def test_wishlist_newest_first(client):
    user = UserFactory()
    first, second = ProductFactory(title="Pertama"), ProductFactory(title="Kedua")
    wishlist_add(user=user, product=first)
    wishlist_add(user=user, product=second)
    client.force_login(user)
    titles = [p.title for p in client.get("/wishlist/").context["products"]]
    assert titles == ["Kedua", "Pertama"]
