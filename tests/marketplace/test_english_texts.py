"""A seller may give a product's title and description and the shop's story in English too:
/en/ pages show them, and fall back to the Indonesian where they are empty (issue 10)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.models import ProductStatus, ShopStatus
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(client):
    owner = UserFactory()
    client.force_login(owner)
    return ShopFactory(owner=owner, status=ShopStatus.VERIFIED, story="Tenun dari Meat.")


def test_the_seller_writes_english_and_english_pages_show_it(client, shop):
    product = ProductFactory(shop=shop, title="Ulos Ragidup", status=ProductStatus.ACTIVE)
    response = client.post(
        reverse("seller:product_edit", args=[shop.slug, product.pk]),
        {
            "title": "Ulos Ragidup",
            "title_en": "Ragidup ulos cloth",
            "category": shop.category_id,
            "description": "Ditenun tangan.",
            "description_en": "Woven by hand.",
            "weight_grams": "700",
            "low_stock_threshold": "1",
        },
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.title_en, product.description_en) == ("Ragidup ulos cloth", "Woven by hand.")

    english = client.get(f"/en/products/{product.slug}/").text
    assert "<h1>Ragidup ulos cloth</h1>" in english and "Woven by hand." in english
    indonesian = client.get(f"/products/{product.slug}/").text
    assert "<h1>Ulos Ragidup</h1>" in indonesian and "Ditenun tangan." in indonesian
    assert "Ragidup ulos cloth" not in indonesian


def test_english_pages_fall_back_to_the_indonesian(client, shop):
    product = ProductFactory(shop=shop, title="Kopi Sidikalang", status=ProductStatus.ACTIVE)
    assert "<h1>Kopi Sidikalang</h1>" in client.get(f"/en/products/{product.slug}/").text
    assert "Tenun dari Meat." in client.get(f"/en/shops/{shop.slug}/").text


def test_the_shop_story_in_english(client, shop):
    form = client.get(reverse("seller:profile", args=[shop.slug])).context["form"]
    assert "story_en" in form.fields
    shop.story_en = "Weaving from Meat."
    shop.save(update_fields=["story_en"])
    assert "Weaving from Meat." in client.get(f"/en/shops/{shop.slug}/").text
    assert "Weaving from Meat." not in client.get(f"/shops/{shop.slug}/").text
