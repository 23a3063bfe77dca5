"""Shop members: the owner lists, adds (by email) and removes staff; staff run products and
stock but never the profile or the members."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.models import ProductStatus, ShopMember, ShopRole
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    user = UserFactory(email="pemilik@pasar.test", full_name="Rosmawati Siahaan")
    client.force_login(user)
    return user


@pytest.fixture
def shop(owner):
    return ShopFactory(owner=owner)


def members_url(shop) -> str:
    return reverse("seller:members", args=[shop.slug])


def test_the_members_page_lists_members_with_their_roles(client, shop):
    staff = UserFactory(email="staf@pasar.test", full_name="Togar")
    ShopMember.objects.create(shop=shop, user=staff, role=ShopRole.STAFF)
    page = client.get(members_url(shop)).content.decode()
    assert "pemilik@pasar.test" in page and "Pemilik" in page
    assert "staf@pasar.test" in page and "Staf" in page
    # Only staff can be removed, never the owner.
    assert page.count("Hapus dari toko") == 1


def test_adding_staff_by_email(client, shop):
    newcomer = UserFactory(email="baru@pasar.test")
    response = client.post(members_url(shop), {"email": "BARU@pasar.test"}, follow=True)
    member = ShopMember.objects.get(shop=shop, user=newcomer)
    assert member.role == ShopRole.STAFF
    assert "baru@pasar.test ditambahkan sebagai staf." in response.content.decode()


def test_an_unknown_email_is_explained_next_to_the_field(client, shop):
    response = client.post(members_url(shop), {"email": "belum@pasar.test"})
    assert response.status_code == 200
    assert "Belum ada akun dengan email" in response.context["form"].errors["email"][0]
    assert shop.memberships.count() == 1


def test_a_member_cannot_be_added_twice(client, shop):
    response = client.post(members_url(shop), {"email": "pemilik@pasar.test"})
    assert "sudah menjadi anggota" in response.context["form"].errors["email"][0]


def test_an_invalid_email_is_refused_by_the_form(client, shop):
    response = client.post(members_url(shop), {"email": "bukan-email"})
    assert "email" in response.context["form"].errors


def test_removing_staff(client, shop):
    staff = ShopMember.objects.create(shop=shop, user=UserFactory(), role=ShopRole.STAFF)
    response = client.post(reverse("seller:member_remove", args=[shop.slug, staff.pk]))
    assert response.status_code == 302
    assert not ShopMember.objects.filter(pk=staff.pk).exists()


def test_the_owner_cannot_be_removed(client, shop, owner):
    me = shop.memberships.get(user=owner)
    response = client.post(reverse("seller:member_remove", args=[shop.slug, me.pk]), follow=True)
    assert "Pemilik toko tidak dapat dihapus." in response.content.decode()
    assert ShopMember.objects.filter(pk=me.pk).exists()


def test_a_member_of_another_shop_is_not_found_here(client, shop):
    elsewhere = ShopMember.objects.create(
        shop=ShopFactory(), user=UserFactory(), role=ShopRole.STAFF
    )
    url = reverse("seller:member_remove", args=[shop.slug, elsewhere.pk])
    assert client.post(url).status_code == 404
    assert ShopMember.objects.filter(pk=elsewhere.pk).exists()


def test_staff_run_products_but_not_the_shop(client, shop):
    staff = UserFactory()
    ShopMember.objects.create(shop=shop, user=staff, role=ShopRole.STAFF)
    product = ProductFactory(shop=shop, status=ProductStatus.DRAFT)
    client.force_login(staff)
    assert client.get(reverse("seller:products", args=[shop.slug])).status_code == 200
    client.post(reverse("seller:product_publish", args=[shop.slug, product.pk]))
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE
    assert client.get(members_url(shop)).status_code == 404
    assert client.get(reverse("seller:profile", args=[shop.slug])).status_code == 404
    assert client.post(members_url(shop), {"email": staff.email}).status_code == 404
