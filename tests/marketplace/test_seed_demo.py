import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Min, Q
from django.utils import timezone
from wagtail.images.models import Image

from marketplace.models import (
    Category,
    Desa,
    ExperienceSlot,
    Kecamatan,
    Product,
    ProductKind,
    ProductPhoto,
    ProductStatus,
    Shop,
    ShopMember,
    ShopRole,
    ShopStatus,
    StayNight,
    User,
    Variant,
)
from marketplace.phone import normalize_indonesian_mobile

pytestmark = pytest.mark.django_db

TOBA_KECAMATAN = {
    "Ajibata",
    "Balige",
    "Bonatua Lunasi",
    "Borbor",
    "Habinsaran",
    "Laguboti",
    "Lumban Julu",
    "Nassau",
    "Parmaksian",
    "Pintu Pohan Meranti",
    "Porsea",
    "Siantar Narumonda",
    "Sigumpar",
    "Silaen",
    "Tampahan",
    "Uluan",
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_makes_toba_and_the_demo_accounts():
    output = seed()
    assert set(Kecamatan.objects.values_list("name", flat=True)) == TOBA_KECAMATAN
    admin = User.objects.get(email="admin@pasar.test")
    assert admin.is_superuser and admin.check_password("demo-admin-123")
    editor = User.objects.get(email="editor@pasar.test")
    assert editor.check_password("demo-editor-123") and not editor.is_superuser
    assert set(editor.groups.values_list("name", flat=True)) == {"Editors", "Editor Diskominfo"}
    head = User.objects.get(email="kepala@pasar.test")
    assert head.check_password("demo-kepala-123") and not head.is_superuser
    assert set(head.groups.values_list("name", flat=True)) == {"Kepala Dinas"}
    for email in ("penjual1@pasar.test", "penjual2@pasar.test"):
        assert User.objects.get(email=email).check_password("demo-seller-123")
    assert "admin@pasar.test" in output


def test_seed_demo_run_twice_changes_nothing():
    seed()
    counts = (Kecamatan.objects.count(), User.objects.count())
    seed()
    assert (Kecamatan.objects.count(), User.objects.count()) == counts == (16, 5)


# The catalog ----------------------------------------------------------------------------------

LAKE_TOBA_LATITUDE = (Decimal("2.2"), Decimal("2.65"))
LAKE_TOBA_LONGITUDE = (Decimal("98.9"), Decimal("99.4"))


def seed_with(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def catalog_counts() -> dict[str, int]:
    models = (
        Category,
        Desa,
        Shop,
        ShopMember,
        Product,
        Variant,
        ExperienceSlot,
        StayNight,
        ProductPhoto,
        Image,
        User,
        Kecamatan,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_makes_a_believable_catalog():
    seed()
    shops = Shop.objects.all()
    assert 35 <= shops.count() <= 45
    assert set(shops.values_list("status", flat=True)) == {ShopStatus.VERIFIED}
    assert Kecamatan.objects.filter(shops__isnull=False).distinct().count() == 16
    for kecamatan in Kecamatan.objects.all():
        assert kecamatan.desa.count() >= 2, kecamatan
    categories = Category.objects.all()
    assert set(categories.values_list("slug", flat=True)) == {
        "tenun-dan-ulos",
        "kopi",
        "kuliner",
        "kerajinan",
        "pertanian",
        "homestay",
        "wisata-danau",
    }
    for category in categories:
        assert category.name_en, category
        assert category.shops.exists() and category.products.exists(), category
    for shop in shops:
        assert shop.story and shop.address and shop.desa.kecamatan_id == shop.kecamatan_id
        assert LAKE_TOBA_LATITUDE[0] <= shop.latitude <= LAKE_TOBA_LATITUDE[1], shop
        assert LAKE_TOBA_LONGITUDE[0] <= shop.longitude <= LAKE_TOBA_LONGITUDE[1], shop
        assert normalize_indonesian_mobile(shop.whatsapp) == shop.whatsapp
        assert shop.logo_id is not None
        shop.full_clean()  # what the services would have checked

    products = Product.objects.all()
    assert set(products.values_list("status", flat=True)) == {ProductStatus.ACTIVE}
    assert set(products.values_list("kind", flat=True)) == set(ProductKind.values)
    assert not products.filter(photos__isnull=True).exists()
    assert not products.exclude(category_id=F("shop__category_id")).exists()
    goods = products.filter(kind=ProductKind.GOODS)
    assert not goods.filter(variants__isnull=True).exists()
    for product in goods.annotate(lowest=Min("variants__price")):
        assert product.price == product.lowest, product
    assert Variant.objects.filter(on_hand__gt=0).exists()
    assert Variant.objects.filter(product__title__startswith="Ulos", name__startswith="Motif")
    assert Variant.objects.filter(product__shop__category__slug="kopi", name__contains="roast")

    today = timezone.localdate()
    horizon = timezone.now() + timedelta(days=61)
    for product in products.filter(kind=ProductKind.EXPERIENCE):
        slots = product.slots.all()
        assert slots.count() >= 60, product
        assert not slots.filter(Q(starts_at__lte=timezone.now()) | Q(starts_at__gt=horizon))
    titles = set(products.filter(kind=ProductKind.EXPERIENCE).values_list("title", flat=True))
    assert any("Perahu" in t for t in titles) and any("Trekking" in t for t in titles)
    assert any("Menenun" in t for t in titles)
    for product in products.filter(kind=ProductKind.STAY):
        nights = set(product.nights.values_list("night", flat=True))
        assert nights == {today + timedelta(days=n) for n in range(1, 61)}, product


@pytest.mark.parametrize(
    ("email", "category", "kecamatan"),
    [
        ("penjual1@pasar.test", "tenun-dan-ulos", "Balige"),
        ("penjual2@pasar.test", "kopi", "Laguboti"),
    ],
)
def test_each_demo_seller_owns_a_verified_shop(email, category, kecamatan):
    seed()
    memberships = ShopMember.objects.filter(user__email=email)
    assert memberships.count() == 1
    membership = memberships.get()
    shop = membership.shop
    assert membership.role == ShopRole.OWNER
    assert shop.status == ShopStatus.VERIFIED
    assert (shop.category.slug, shop.kecamatan.name) == (category, kecamatan)
    assert shop.products.filter(status=ProductStatus.ACTIVE).count() >= 3
    assert shop.whatsapp.startswith("+62")


def test_the_editor_may_verify_shops_and_keep_the_lists():
    seed()
    editor = User.objects.get(email="editor@pasar.test")
    for permission in (
        "marketplace.change_shop",
        "marketplace.view_shop",
        "marketplace.add_category",
        "marketplace.change_desa",
        "marketplace.change_kecamatan",
    ):
        assert editor.has_perm(permission), permission
    seller = User.objects.get(email="penjual1@pasar.test")
    assert not seller.has_perm("marketplace.change_shop")


def test_seed_demo_with_the_catalog_run_twice_changes_nothing():
    seed()
    counts = catalog_counts()
    assert counts["Product"] >= 100 and counts["Image"] < counts["Product"]
    output = seed()
    assert catalog_counts() == counts
    assert "0 made now" in output


def test_products_option_fills_the_catalog_up_to_n():
    out, err = seed_with("--products", "200")
    assert Product.objects.filter(status=ProductStatus.ACTIVE).count() == 200
    assert Product.objects.count() == 200
    assert "Produk" in err and "200 active products" in out
    generated = Product.objects.filter(title__contains=" #")
    assert generated.exists()
    assert generated.values("shop").distinct().count() >= 35
    assert not generated.filter(photos__isnull=True).exists()
    goods = generated.filter(kind=ProductKind.GOODS)
    assert goods.exists() and not goods.filter(variants__isnull=True).exists()
    for product in generated.filter(kind=ProductKind.EXPERIENCE):
        assert product.slots.exists(), product
    for product in generated.filter(kind=ProductKind.STAY):
        assert product.nights.count() == 60, product
    counts = catalog_counts()
    seed_with("--products", "200")
    assert catalog_counts() == counts
    # More later adds only the difference; fewer never deletes.
    seed_with("--products", "230")
    assert Product.objects.count() == 230
    seed_with("--products", "150")
    assert Product.objects.count() == 230


def snapshot() -> list[tuple]:
    shops = list(
        Shop.objects.order_by("slug").values_list(
            "slug", "desa__name", "address", "latitude", "longitude", "whatsapp", "nib"
        )
    )
    products = list(
        Product.objects.order_by("slug").values_list("slug", "title", "shop__slug", "price")
    )
    variants = list(
        Variant.objects.order_by("product__slug", "position").values_list(
            "product__slug", "name", "price", "on_hand"
        )
    )
    nights = list(
        StayNight.objects.order_by("product__slug", "night").values_list(
            "product__slug", "night", "rooms"
        )
    )
    return [shops, products, variants, nights]


def wipe_catalog() -> None:
    from marketplace.models import Checkout
    from payments.models import Payment

    Payment.objects.all().delete()  # the demo payment history's, then its orders
    Checkout.objects.all().delete()
    Product.objects.all().delete()
    Shop.objects.all().delete()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    seed_with("--products", "160", "--seed", "7")
    first = snapshot()
    wipe_catalog()
    seed_with("--products", "160", "--seed", "7")
    assert snapshot() == first
    wipe_catalog()
    seed_with("--products", "160", "--seed", "8")
    other = snapshot()
    assert len(other[1]) == len(first[1]) == 160
    assert [row[0] for row in other[0]] == [row[0] for row in first[0]]  # the same shops
    assert other[0] != first[0] and other[1] != first[1]  # elsewhere, with other products


@pytest.mark.django_db
def test_penjual1_has_a_static_qris_set_up():
    from payments import qris
    from payments.models import MerchantQris

    call_command("seed_demo", stdout=io.StringIO())
    merchant = MerchantQris.objects.get(shop__memberships__user__email="penjual1@pasar.test")
    assert not qris.parse(merchant.payload).is_dynamic


@pytest.mark.django_db
def test_demo_shops_offer_delivery_that_checkout_can_use():
    from marketplace.models import CourierRate, ShopDelivery

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert ShopDelivery.objects.filter(local_delivery_fee__isnull=False).exists()
    assert CourierRate.objects.filter(destination_kabupaten="Kota Medan").exists()
    assert ShopDelivery.objects.count() == ShopDelivery.objects.values("shop").distinct().count()
