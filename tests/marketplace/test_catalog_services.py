from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.models import (
    OutboxEvent,
    Product,
    ProductKind,
    ProductStatus,
    StayNight,
    Variant,
)
from marketplace.services import catalog
from tests.factories import CategoryFactory, ExperienceSlotFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db


def events() -> list[str]:
    return list(OutboxEvent.objects.order_by("created_at").values_list("name", flat=True))


def new_goods(**kwargs) -> Product:
    shop = ShopFactory()
    return catalog.product_create(
        shop=shop,
        kind=ProductKind.GOODS,
        title="Ulos Ragi Hotang",
        category=shop.category,
        price=450_000,
        on_hand=5,
        **kwargs,
    )


def test_new_goods_are_a_draft_with_one_variant_and_no_event():
    product = new_goods()
    assert product.status == ProductStatus.DRAFT
    assert list(product.variants.values_list("price", "on_hand")) == [(450_000, 5)]
    assert events() == []  # a draft is nobody's business yet


def test_publishing_changing_and_archiving_announce_themselves():
    product = catalog.product_publish(product=new_goods())
    catalog.product_update(product=product, fields={"title": "Ulos Ragi Hotang Asli"})
    catalog.product_unpublish(product=product)
    assert events() == ["product.published", "product.changed", "product.unpublished"]


def test_the_goods_price_is_the_lowest_variant_price():
    product = new_goods()
    catalog.variant_save(product=product, name="Kecil", price=300_000, on_hand=2)
    product.refresh_from_db()
    assert product.price == 300_000


def test_stock_at_or_under_the_threshold_publishes_stock_low():
    product = new_goods(low_stock_threshold=3)
    variant = product.variants.get()
    catalog.stock_set(variant=variant, on_hand=10)
    assert "stock.low" not in events()
    catalog.stock_set(variant=variant, on_hand=2)
    low = OutboxEvent.objects.get(name="stock.low")
    assert low.payload["free"] == 2 and low.payload["variant_id"] == variant.pk


def test_negative_stock_is_refused():
    variant = new_goods().variants.get()
    with pytest.raises(ValidationError):
        catalog.stock_set(variant=variant, on_hand=-1)


def test_the_last_variant_cannot_be_deleted():
    with pytest.raises(ValidationError):
        catalog.variant_delete(variant=new_goods().variants.get())


def test_slots_are_for_experiences_in_the_future():
    trip = ProductFactory(kind=ProductKind.EXPERIENCE, stock=False)
    slot = catalog.slot_add(product=trip, starts_at=timezone.now() + timedelta(days=3), capacity=10)
    assert slot.places_left == 10
    with pytest.raises(ValidationError, match="masa depan"):
        catalog.slot_add(product=trip, starts_at=timezone.now() - timedelta(hours=1), capacity=5)
    with pytest.raises(ValidationError, match="pengalaman"):
        catalog.slot_add(product=new_goods(), starts_at=slot.starts_at, capacity=5)


def test_capacity_cannot_drop_below_what_is_booked():
    slot = ExperienceSlotFactory(capacity=10, booked=6)
    with pytest.raises(ValidationError, match="6"):
        catalog.slot_set_capacity(slot=slot, capacity=5)
    assert catalog.slot_set_capacity(slot=slot, capacity=6).capacity == 6


def test_stay_nights_are_set_for_a_range_and_overwritten():
    stay = ProductFactory(kind=ProductKind.STAY, stock=False)
    start = date.today() + timedelta(days=1)
    assert (
        catalog.stay_nights_set(product=stay, start=start, end=start + timedelta(days=2), rooms=4)
        == 3
    )
    catalog.stay_nights_set(product=stay, start=start, end=start, rooms=1)
    assert list(StayNight.objects.filter(product=stay).values_list("rooms", flat=True)) == [
        1,
        4,
        4,
    ]


CSV_OK = (
    "jenis,nama,kategori,harga,stok,berat_gram,deskripsi\n"
    "barang,Kopi Arabika Sigarar Utang 250 g,kopi,85.000,40,250,Sangrai sedang\n"
    "pengalaman,Kelas Menenun Setengah Hari,kopi,Rp 150000,,0,\n"
)


def test_a_good_csv_makes_draft_products():
    shop = ShopFactory(category=CategoryFactory(name="Kopi", slug="kopi"))
    report = catalog.products_import_csv(shop=shop, data=CSV_OK.encode())
    assert report.ok and len(report.created) == 2
    assert Variant.objects.get(product__shop=shop).free == 40
    assert set(Product.objects.filter(shop=shop).values_list("status", flat=True)) == {"draft"}


def test_one_wrong_row_imports_nothing_and_names_every_wrong_row():
    shop = ShopFactory(category=CategoryFactory(name="Kopi", slug="kopi"))
    bad = CSV_OK + "sepeda,,kopi,gratis,1,1,\nbarang,Kopi Robusta,teh,1000,1,1,\n"
    report = catalog.products_import_csv(shop=shop, data=bad.encode())
    assert not report.ok
    assert [line for line, _ in report.errors] == [4, 5]
    assert "jenis" in report.errors[0][1] and "harga" in report.errors[0][1]
    assert "teh" in report.errors[1][1]
    assert not Product.objects.filter(shop=shop).exists()


def test_a_csv_without_the_required_columns_is_explained():
    report = catalog.products_import_csv(shop=ShopFactory(), data=b"nama;harga\nUlos;1000\n")
    assert report.errors[0][0] == 1 and "jenis" in report.errors[0][1]


def test_a_file_that_is_not_utf8_is_explained():
    latin1 = "nama\nkain\xff".encode("latin-1")
    report = catalog.products_import_csv(shop=ShopFactory(), data=latin1)
    assert "UTF-8" in report.errors[0][1]
