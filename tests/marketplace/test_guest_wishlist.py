"""A guest's wishlist: product ids in the session, a working /wishlist/, and at sign-in (any
way: the login page, sign-up) the saved products join the account's wishlist, once each,
without those no longer public."""

import pytest

from marketplace.models import ProductStatus, ShopStatus, WishlistItem
from marketplace.services.wishlist import (
    MAX_GUEST_ITEMS,
    guest_wishlist_toggle,
    wishlist_add,
    wishlist_merge_on_login,
)
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "danau-toba-sipiso-91"


def toggle(client, product, **data):
    return client.post(f"/products/{product.slug}/wishlist/", data)


def test_a_guest_saves_and_removes_and_sees_the_list(client):
    ulos = ProductFactory(title="Ulos Ragi Hotang", price=450_000)
    kopi = ProductFactory(title="Kopi Lintong")
    response = toggle(client, ulos)
    assert response.status_code == 302 and response["Location"] == f"/products/{ulos.slug}/"
    toggle(client, kopi)
    page = client.get("/wishlist/")
    assert page.status_code == 200
    assert [p.title for p in page.context["products"]] == ["Kopi Lintong", "Ulos Ragi Hotang"]
    html = page.content.decode()
    assert "Rp 450.000" in html
    assert "tersimpan di peramban ini saja" in html
    assert 'href="/accounts/signup/buyer/?next=/wishlist/"' in html.replace("%2F", "/")
    assert "no-store" in page["Cache-Control"]

    toggle(client, ulos, next="/wishlist/")
    assert [p.title for p in client.get("/wishlist/").context["products"]] == ["Kopi Lintong"]
    assert not WishlistItem.objects.exists()


def test_a_guest_list_hides_products_that_stopped_being_public(client):
    kept, archived = ProductFactory(title="Tetap"), ProductFactory(title="Diarsipkan")
    toggle(client, kept)
    toggle(client, archived)
    archived.status = ProductStatus.ARCHIVED
    archived.save()
    assert [p.title for p in client.get("/wishlist/").context["products"]] == ["Tetap"]


def test_a_guest_cannot_save_what_is_not_public(client):
    hidden = ProductFactory(shop__status=ShopStatus.PENDING)
    assert toggle(client, hidden).status_code == 404
    assert "wishlist" not in client.session


def test_the_guest_list_in_the_session_stays_small():
    class Session(dict):
        pass

    session = Session()
    products = [ProductFactory(stock=False) for _ in range(MAX_GUEST_ITEMS + 1)]
    for product in products:
        guest_wishlist_toggle(session=session, product=product)
    assert len(session["wishlist"]) == MAX_GUEST_ITEMS
    assert session["wishlist"][0] == products[1].pk  # the oldest dropped out


def test_signing_in_merges_the_guest_list_once_each_without_unpublished(client):
    user = UserFactory(email="anna@example.test")
    user.set_password(PASSWORD)
    user.save()
    already, new, later_hidden = ProductFactory(), ProductFactory(), ProductFactory()
    wishlist_add(user=user, product=already)
    for product in (already, new, later_hidden):
        toggle(client, product)
    later_hidden.status = ProductStatus.DRAFT
    later_hidden.save()

    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    saved = set(WishlistItem.objects.filter(user=user).values_list("product_id", flat=True))
    assert saved == {already.pk, new.pk}
    assert "wishlist" not in client.session
    titles = [p.title for p in client.get("/wishlist/").context["products"]]
    assert titles == [new.title, already.title]


def test_signing_up_as_a_buyer_keeps_the_guest_list(client):
    product = ProductFactory()
    toggle(client, product)
    client.post(
        "/accounts/signup/buyer/",
        {
            "full_name": "Anna Schmidt",
            "email": "anna@example.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert WishlistItem.objects.filter(user__email="anna@example.test", product=product).exists()


def test_merge_keeps_the_order_saved_and_ignores_junk_in_the_session():
    user = UserFactory()
    first, second = ProductFactory(title="Pertama"), ProductFactory(title="Kedua")
    session = {"wishlist": [first.pk, "junk", 999_999_999, second.pk]}
    assert wishlist_merge_on_login(session=session, user=user) == 2
    items = WishlistItem.objects.filter(user=user).order_by("added_at", "id")
    assert [item.product.title for item in items] == ["Pertama", "Kedua"]
    assert wishlist_merge_on_login(session={"wishlist": "not a list"}, user=user) == 0


def test_the_product_page_tells_a_guest_it_is_saved(client):
    ulos = ProductFactory(title="Ulos Ragi Hotang")
    assert "Simpan ke wishlist" in client.get(f"/products/{ulos.slug}/").content.decode()
    toggle(client, ulos)
    html = client.get(f"/products/{ulos.slug}/").content.decode()
    assert "Tersimpan di wishlist" in html and 'aria-pressed="true"' in html
