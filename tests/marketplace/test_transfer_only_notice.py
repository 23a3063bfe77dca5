"""Before checkout, the cart and checkout pages say of each shop that takes only bank transfers
"Toko ini hanya menerima transfer bank" (issue 13, item 8). The marketplace learns it through
settings.SHOP_PAYMENT_METHODS_READER, once for all the page's shops."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.payment_methods import shop_payment_methods
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import with_qris

pytestmark = pytest.mark.django_db

TRANSFER_ONLY = "Toko ini hanya menerima transfer bank"
NOT_ONLINE = "Toko ini belum menyiapkan pembayaran online"


@pytest.fixture(autouse=True)
def no_cards(settings):
    settings.STRIPE_SECRET_KEY = ""


def bank_shop(name: str):
    return ShopFactory(
        name=name,
        bank_name="Bank Sumut",
        bank_account_number="1234567890",
        bank_account_name="Rina Siahaan",
    )


def fill_cart(client, *shops) -> None:
    for shop in shops:
        product = ProductFactory(shop=shop)
        response = client.post("/cart/add/", {"product": product.slug, "quantity": 1})
        assert response.status_code == 302


def sections(client, url: str) -> dict[str, str]:
    """The page's shop groups, by the shop's name in their heading."""
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    found = {}
    for part in re.split(r'<section class="[^"]*shop-group', body)[1:]:
        name = re.search(r"<h2 [^>]*>(?:<a [^>]*>)?([^<]+)<", part).group(1)
        found[name] = part.split("</section>")[0]
    return found


@pytest.mark.parametrize("url", ["/cart/", "/checkout/"])
def test_a_transfer_only_shop_is_named_and_a_qris_shop_is_not(client, url):
    fill_cart(client, bank_shop("Ulos Transfer Saja"), with_qris(bank_shop("Kapal QRIS Ajibata")))
    found = sections(client, url)
    assert TRANSFER_ONLY in found["Ulos Transfer Saja"]
    assert TRANSFER_ONLY not in found["Kapal QRIS Ajibata"]
    assert NOT_ONLINE not in found["Kapal QRIS Ajibata"]


@pytest.mark.parametrize("url", ["/cart/", "/checkout/"])
def test_a_shop_without_any_online_method_says_so(client, url):
    fill_cart(client, ShopFactory(name="Toko Tanpa Rekening"))
    found = sections(client, url)
    assert NOT_ONLINE in found["Toko Tanpa Rekening"]
    assert TRANSFER_ONLY not in found["Toko Tanpa Rekening"]


def test_transfer_and_cards_is_not_transfer_only(client, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_pasar"
    fill_cart(client, bank_shop("Ulos Kartu Juga"))
    assert TRANSFER_ONLY not in sections(client, "/cart/")["Ulos Kartu Juga"]


def test_english(client):
    fill_cart(client, bank_shop("Ulos Transfer Saja"))
    response = client.get("/en/cart/")
    assert "This shop takes bank transfers only" in response.content.decode()


def test_without_a_reader_nothing_is_said(client, settings):
    settings.SHOP_PAYMENT_METHODS_READER = ""
    fill_cart(client, bank_shop("Ulos Transfer Saja"))
    assert TRANSFER_ONLY not in sections(client, "/cart/")["Ulos Transfer Saja"]
    assert shop_payment_methods([1, 2]) == {}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/cart/", "/checkout/"])
def test_the_methods_of_all_the_pages_shops_cost_one_query(client, settings, url):
    fill_cart(client, bank_shop("A"), with_qris(bank_shop("B")), ShopFactory(name="C"))
    _queries(client, url)  # warm: sessions, content types
    with_notice = _queries(client, url)
    settings.SHOP_PAYMENT_METHODS_READER = ""
    assert with_notice == _queries(client, url) + 1
