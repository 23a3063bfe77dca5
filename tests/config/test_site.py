"""The site answers: home in Indonesian and English, both admins, health."""

import io

import pytest

pytestmark = pytest.mark.django_db


def test_home_is_served_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.text
    assert "Karya dan wisata Kabupaten Toba" in response.text


def test_home_is_served_in_english_under_en(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Managed by" in response.text


@pytest.mark.parametrize("url", ["/cms-admin/login/", "/django-admin/login/", "/accounts/login/"])
def test_login_pages_answer(client, url):
    assert client.get(url).status_code == 200


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_people_sign_in_with_their_email(client, django_user_model):
    django_user_model.objects.create_user("Siti@Pasar.test", "rahasia-123")
    response = client.post(
        "/accounts/login/", {"username": "siti@pasar.test", "password": "rahasia-123"}
    )
    assert response.status_code == 302
    assert client.get("/cms-admin/").status_code in {302, 403}  # signed in, but no CMS rights


def test_the_editor_reaches_the_cms_admin(client):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    assert client.login(username="editor@pasar.test", password="demo-editor-123")
    assert client.get("/cms-admin/").status_code == 200


def test_the_sitemap_lists_public_shops_and_products_only(client):
    from tests.factories import ProductFactory, ShopFactory

    product = ProductFactory()
    hidden = ProductFactory(shop=ShopFactory(status="pending"))
    index = client.get("/sitemap.xml").text
    assert "/sitemap-products.xml" in index and "/sitemap-shops.xml" in index
    body = client.get("/sitemap-products.xml").text + client.get("/sitemap-shops.xml").text
    assert f"/products/{product.slug}/" in body
    assert f"/shops/{product.shop.slug}/" in body
    assert hidden.slug not in body and hidden.shop.slug not in body
