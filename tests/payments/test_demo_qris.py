"""The demo data gives QRIS to most tourism shops, as Toba's operators mostly take it, and to
some goods shops, leaving a few on transfers only (issue 13, item 8)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from marketplace.models import ProductKind, Shop
from payments import qris
from payments.demo import DEMO_SHOP
from payments.models import MerchantQris
from payments.summaries import payment_methods_for_shops

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.STRIPE_SECRET_KEY = ""
    call_command("seed_demo", stdout=io.StringIO())


def tourism_shops() -> set[int]:
    return set(
        Shop.objects.filter(products__kind__in=[ProductKind.EXPERIENCE, ProductKind.STAY])
        .values_list("pk", flat=True)
        .distinct()
    )


def test_most_tourism_shops_take_qris_and_a_few_take_transfers_only(seeded):
    tourism = tourism_shops()
    with_qris = set(MerchantQris.objects.values_list("shop_id", flat=True))
    assert len(tourism) >= 10
    assert len(tourism & with_qris) >= 0.8 * len(tourism)
    goods = set(Shop.objects.values_list("pk", flat=True)) - tourism
    assert goods & with_qris and goods - with_qris  # some goods shops, not all
    # The shops without QRIS still take transfers: the cart says "transfer only" for them.
    methods = payment_methods_for_shops(list(tourism | goods))
    transfer_only = [pk for pk, found in methods.items() if found == ["transfer"]]
    assert tourism & set(transfer_only) and goods & set(transfer_only)
    assert all("qris" in methods[pk] for pk in with_qris)


def test_each_demo_qris_is_a_static_rupiah_qris_in_the_shops_name(seeded):
    merchants = list(MerchantQris.objects.select_related("shop"))
    assert len({merchant.nmid for merchant in merchants}) == len(merchants)
    for merchant in merchants:
        parsed = qris.parse(merchant.payload)
        assert not parsed.is_dynamic and parsed.get("53") == qris.IDR
        assert merchant.shop.name.upper().startswith(parsed.merchant_name)
        assert parsed.merchant_name == merchant.merchant_name and parsed.nmid == merchant.nmid
    penjual1 = MerchantQris.objects.get(shop__slug=DEMO_SHOP)
    assert penjual1.confirmed_by.email == "penjual1@pasar.test"
    assert penjual1.nmid == "ID1026000012345"


def test_seeding_again_adds_nothing(seeded):
    before = list(MerchantQris.objects.order_by("pk").values_list("shop_id", "payload"))
    call_command("seed_demo", stdout=io.StringIO())
    assert list(MerchantQris.objects.order_by("pk").values_list("shop_id", "payload")) == before
