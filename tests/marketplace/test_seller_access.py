"""Who gets into which seller page, for every page and every POST action of /seller/.

The owner gets through; a stranger (signed in, no shop) and another seller get 404; so does
another seller who uses their own shop's slug with this shop's object ids; anonymous users are
sent to the login page; staff get everything but the profile, the members, the delivery options
and the vouchers (orders they may run). Whoever is refused changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.images.models import Image

from marketplace.models import (
    Checkout,
    CourierRate,
    ExperienceSlot,
    Order,
    OrderEvent,
    OutboxEvent,
    Product,
    ProductKind,
    ProductPhoto,
    ProductStatus,
    Shop,
    ShopDelivery,
    ShopMember,
    ShopRole,
    ShopStatus,
    StayNight,
    Variant,
    Voucher,
)
from marketplace.services.catalog import photo_add
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.orders import order_mark_paid, order_process, order_ship
from tests.factories import (
    ExperienceSlotFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
    UserFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@dataclass
class World:
    shop: Shop
    other_shop: Shop
    owner: object
    staff: object
    staff_member: ShopMember
    other_seller: object
    stranger: object
    newcomer: object
    goods: Product
    experience: Product
    stay: Product
    variant: Variant
    slot: ExperienceSlot
    photo: ProductPhoto
    other_goods: Product
    order_new: Order  # awaiting payment
    order_paid: Order
    order_processing: Order
    order_shipped: Order
    courier_rate: CourierRate
    voucher: Voucher


def jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


@pytest.fixture
def world() -> World:
    owner, staff = UserFactory(), UserFactory()
    shop = ShopFactory(owner=owner, status=ShopStatus.DRAFT, slug="toko-a")
    staff_member = ShopMember.objects.create(shop=shop, user=staff, role=ShopRole.STAFF)
    other_seller = UserFactory()
    other_shop = ShopFactory(owner=other_seller, slug="toko-b")
    goods = ProductFactory(shop=shop, status=ProductStatus.DRAFT, stock=2)
    goods.variants.create(name="Besar", price=400_000, on_hand=7)
    experience = ProductFactory(shop=shop, kind=ProductKind.EXPERIENCE, stock=False)
    stay = ProductFactory(shop=shop, kind=ProductKind.STAY, stock=False)
    slot = ExperienceSlotFactory(product=experience, capacity=10)
    StayNightFactory(product=stay)
    photo_add(product=goods, upload=jpeg("satu.jpg"))
    second = photo_add(product=goods, upload=jpeg("dua.jpg"))
    orders = _orders(shop, owner)
    now = timezone.now()
    return World(
        shop=shop,
        other_shop=other_shop,
        owner=owner,
        staff=staff,
        staff_member=staff_member,
        other_seller=other_seller,
        stranger=UserFactory(),
        newcomer=UserFactory(email="baru@pasar.test"),
        goods=goods,
        experience=experience,
        stay=stay,
        variant=goods.variants.order_by("pk").first(),
        slot=slot,
        photo=second,
        other_goods=ProductFactory(shop=other_shop),
        **orders,
        courier_rate=CourierRate.objects.create(
            shop=shop, destination_kabupaten="Kota Medan", first_kg=20_000, next_kg=8_000
        ),
        voucher=Voucher.objects.create(
            shop=shop,
            code="HORAS10",
            kind="percent",
            value=10,
            quota=5,
            valid_from=now - timedelta(days=1),
            valid_until=now + timedelta(days=30),
        ),
    )


def _orders(shop: Shop, owner) -> dict[str, Order]:
    """Four orders of the shop, placed through checkout (the shop is verified for that moment)
    and moved on by the services: awaiting payment, paid, processing, shipped. They hold a
    product of their own, so that deleting the world's variants stays possible."""
    Shop.objects.filter(pk=shop.pk).update(status=ShopStatus.VERIFIED)
    product = ProductFactory(shop=shop, stock=20)
    buyer = Contact(name="Anna Schmidt", phone="0812 9876 5432", email="anna@example.test")

    def place() -> Order:
        return checkout_place(items=[CheckoutItem(product.slug, 2)], contact=buyer).orders.get()

    new, paid, processing, shipped = place(), place(), place(), place()
    for order in (paid, processing, shipped):
        order_mark_paid(order=order)
    for order in (processing, shipped):
        order_process(order=order, by=owner)
    order_ship(order=shipped, by=owner, tracking_number="JNE0001")
    Shop.objects.filter(pk=shop.pk).update(status=ShopStatus.DRAFT)
    return {
        "order_new": new,
        "order_paid": Order.objects.get(pk=paid.pk),
        "order_processing": Order.objects.get(pk=processing.pk),
        "order_shipped": Order.objects.get(pk=shipped.pk),
    }


def snapshot() -> dict:
    """Everything a seller page could change."""
    models = [
        Shop,
        ShopMember,
        Product,
        Variant,
        ExperienceSlot,
        StayNight,
        ProductPhoto,
        Image,
        OutboxEvent,
        Checkout,
        Order,
        OrderEvent,
        ShopDelivery,
        CourierRate,
        Voucher,
    ]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


@dataclass(frozen=True)
class Case:
    name: str
    url_name: str
    method: str = "GET"
    ids: Callable[[World], dict] | None = None  # the objects the URL names, if any
    data: Callable[[World], dict] = lambda w: {}
    owner_only: bool = False
    owner_status: int | None = None  # default: 200 for GET, 302 for POST

    @property
    def expected(self) -> int:
        return self.owner_status or (200 if self.method == "GET" else 302)

    def url(self, w: World, shop: Shop | None = None) -> str:
        return reverse(
            f"seller:{self.url_name}",
            kwargs={"shop_slug": (shop or w.shop).slug, **(self.ids(w) if self.ids else {})},
        )


def goods_id(w):
    return {"pk": w.goods.pk}


def shop_fields(w):
    return {
        "name": "Toko A Baru",
        "category": w.shop.category_id,
        "kecamatan": w.shop.kecamatan_id,
        "address": "Jl. Sisingamangaraja 1, Balige",
        "whatsapp": "0812 3456 7890",
        "story": "Cerita baru.",
    }


def future(days: int = 10) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def slot_day(w) -> str:
    return timezone.localtime(w.slot.starts_at).date().isoformat()


def one_row_csv(w):
    row = f"barang,Kain Ulos,{w.shop.category.slug},100000"
    return SimpleUploadedFile(
        "produk.csv", f"jenis,nama,kategori,harga\n{row}\n".encode(), content_type="text/csv"
    )


def voucher_fields(code: str) -> dict:
    return {
        "code": code,
        "kind": "fixed",
        "value": "25.000",
        "min_purchase": "100.000",
        "quota": "10",
        "valid_from": future(0),
        "valid_until": future(30),
    }


CASES = [
    Case("dashboard", "dashboard"),
    Case("profile page", "profile", owner_only=True),
    Case("profile save", "profile", "POST", data=shop_fields, owner_only=True),
    Case("submit for verification", "shop_submit", "POST", owner_only=True),
    Case("product list", "products"),
    Case("product form", "product_create"),
    Case(
        "product create",
        "product_create",
        "POST",
        data=lambda w: {
            "kind": "goods",
            "title": "Kopi Arabika Toba",
            "category": w.shop.category_id,
            "price": "85.000",
            "on_hand": "12",
            "weight_grams": "250",
            "low_stock_threshold": "3",
        },
    ),
    Case("product edit page", "product_edit", ids=goods_id),
    Case(
        "product edit save",
        "product_edit",
        "POST",
        ids=goods_id,
        data=lambda w: {
            "title": "Ulos Ragi Hotang",
            "category": w.shop.category_id,
            "description": "Baru",
            "weight_grams": "600",
            "low_stock_threshold": "2",
        },
    ),
    Case("publish", "product_publish", "POST", ids=goods_id),
    Case("archive", "product_archive", "POST", ids=lambda w: {"pk": w.experience.pk}),
    Case("photo upload", "photo_add", "POST", ids=goods_id, data=lambda w: {"photos": jpeg()}),
    Case(
        "photo remove",
        "photo_remove",
        "POST",
        ids=lambda w: {"pk": w.goods.pk, "photo_pk": w.photo.pk},
    ),
    Case(
        "photo first",
        "photo_first",
        "POST",
        ids=lambda w: {"pk": w.goods.pk, "photo_pk": w.photo.pk},
    ),
    Case("stock page (goods)", "product_stock", ids=goods_id),
    Case("stock page (experience)", "product_stock", ids=lambda w: {"pk": w.experience.pk}),
    Case("stock page (stay)", "product_stock", ids=lambda w: {"pk": w.stay.pk}),
    Case(
        "variant add",
        "variant_add",
        "POST",
        ids=goods_id,
        data=lambda w: {"new-name": "Kecil", "new-price": "200000", "new-on_hand": "3"},
    ),
    Case(
        "variant edit",
        "variant_edit",
        "POST",
        ids=lambda w: {"pk": w.goods.pk, "variant_pk": w.variant.pk},
        data=lambda w: {
            f"v{w.variant.pk}-name": "Standar",
            f"v{w.variant.pk}-price": "300000",
            f"v{w.variant.pk}-on_hand": "9",
        },
    ),
    Case(
        "variant delete",
        "variant_delete",
        "POST",
        ids=lambda w: {"pk": w.goods.pk, "variant_pk": w.variant.pk},
    ),
    Case(
        "stock set",
        "stock_set",
        "POST",
        ids=lambda w: {"variant_pk": w.variant.pk},
        data=lambda w: {"on_hand": "20"},
    ),
    Case(
        "slot add",
        "slot_add",
        "POST",
        ids=lambda w: {"pk": w.experience.pk},
        data=lambda w: {"starts_at": future(), "capacity": "8"},
    ),
    Case(
        "slot capacity",
        "slot_capacity",
        "POST",
        ids=lambda w: {"pk": w.experience.pk, "slot_pk": w.slot.pk},
        data=lambda w: {f"s{w.slot.pk}-capacity": "15"},
    ),
    Case(
        "slot schedule",
        "slot_schedule",
        "POST",
        ids=lambda w: {"pk": w.experience.pk},
        data=lambda w: {
            "schedule-every_day": "on",
            "schedule-times": "09:00, 14:00",
            "schedule-start": future(1)[:10],
            "schedule-weeks": "1",
            "schedule-capacity": "8",
        },
    ),
    Case(
        "slot day capacity",
        "slot_day",
        "POST",
        ids=lambda w: {"pk": w.experience.pk, "day": slot_day(w)},
        data=lambda w: {
            f"d{slot_day(w).replace('-', '')}-action": "capacity",
            f"d{slot_day(w).replace('-', '')}-capacity": "15",
        },
    ),
    Case(
        "nights set",
        "nights_set",
        "POST",
        ids=lambda w: {"pk": w.stay.pk},
        data=lambda w: {
            "start": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "end": (timezone.localdate() + timedelta(days=4)).isoformat(),
            "rooms": "2",
        },
    ),
    Case("low stock", "low_stock"),
    Case("import page", "product_import"),
    Case("import template", "product_import_template"),
    Case(
        "import",
        "product_import",
        "POST",
        data=lambda w: {"file": one_row_csv(w)},
    ),
    # Orders: owners and staff
    Case("order list", "orders"),
    Case("order detail", "order_detail", ids=lambda w: {"number": w.order_paid.number}),
    Case("packing slip", "order_packing_slip", ids=lambda w: {"number": w.order_paid.number}),
    Case("order process", "order_process", "POST", ids=lambda w: {"number": w.order_paid.number}),
    Case(
        "order ship",
        "order_ship",
        "POST",
        ids=lambda w: {"number": w.order_processing.number},
        data=lambda w: {"tracking_number": "JNE0002"},
    ),
    Case(
        "order ready for pickup",
        "order_ready",
        "POST",
        ids=lambda w: {"number": w.order_processing.number},
    ),
    Case(
        "order complete",
        "order_complete",
        "POST",
        ids=lambda w: {"number": w.order_shipped.number},
    ),
    Case(
        "order cancel",
        "order_cancel",
        "POST",
        ids=lambda w: {"number": w.order_new.number},
        data=lambda w: {"reason": "Motif yang dipesan habis."},
    ),
    # Delivery options and vouchers: owner only
    Case("delivery page", "delivery", owner_only=True),
    Case(
        "delivery save",
        "delivery",
        "POST",
        data=lambda w: {"offers_pickup": "on", "local_delivery_fee": "15.000"},
        owner_only=True,
    ),
    Case(
        "courier rate add",
        "courier_rate_add",
        "POST",
        data=lambda w: {
            "new-destination_kabupaten": "Samosir",
            "new-first_kg": "12000",
            "new-next_kg": "5000",
        },
        owner_only=True,
    ),
    Case(
        "courier rate edit",
        "courier_rate_edit",
        "POST",
        ids=lambda w: {"pk": w.courier_rate.pk},
        data=lambda w: {
            f"r{w.courier_rate.pk}-destination_kabupaten": "Kota Medan",
            f"r{w.courier_rate.pk}-first_kg": "22000",
            f"r{w.courier_rate.pk}-next_kg": "9000",
        },
        owner_only=True,
    ),
    Case(
        "courier rate delete",
        "courier_rate_delete",
        "POST",
        ids=lambda w: {"pk": w.courier_rate.pk},
        owner_only=True,
    ),
    Case("voucher list", "vouchers", owner_only=True),
    Case(
        "voucher create",
        "vouchers",
        "POST",
        data=lambda w: voucher_fields("TOBA25"),
        owner_only=True,
    ),
    Case("voucher edit page", "voucher_edit", ids=lambda w: {"pk": w.voucher.pk}, owner_only=True),
    Case(
        "voucher edit save",
        "voucher_edit",
        "POST",
        ids=lambda w: {"pk": w.voucher.pk},
        data=lambda w: voucher_fields("HORAS15"),
        owner_only=True,
    ),
    Case(
        "voucher delete",
        "voucher_delete",
        "POST",
        ids=lambda w: {"pk": w.voucher.pk},
        owner_only=True,
    ),
    Case("members page", "members", owner_only=True),
    Case(
        "member add",
        "members",
        "POST",
        data=lambda w: {"email": "baru@pasar.test"},
        owner_only=True,
    ),
    Case(
        "member remove",
        "member_remove",
        "POST",
        ids=lambda w: {"member_pk": w.staff_member.pk},
        owner_only=True,
    ),
]


def send(client, case: Case, w: World, shop: Shop | None = None):
    url = case.url(w, shop)
    if case.method == "GET":
        return client.get(url)
    return client.post(url, case.data(w))


def by_name(cases):
    return pytest.mark.parametrize("case", cases, ids=[c.name for c in cases])


@by_name(CASES)
def test_the_owner_gets_through(client, world, case):
    before = snapshot()
    client.force_login(world.owner)
    response = send(client, case, world)
    assert response.status_code == case.expected, response.content[:2000]
    if case.method == "POST":
        assert snapshot() != before, "the owner's action changed nothing"


@by_name(CASES)
def test_anonymous_is_sent_to_login(client, world, case):
    before = snapshot()
    url = case.url(world)
    response = send(client, case, world)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert url in response["Location"].replace("%2F", "/")
    assert snapshot() == before


@by_name(CASES)
def test_a_signed_in_stranger_gets_404(client, world, case):
    before = snapshot()
    client.force_login(world.stranger)
    assert send(client, case, world).status_code == 404
    assert snapshot() == before


@by_name(CASES)
def test_another_seller_gets_404(client, world, case):
    before = snapshot()
    client.force_login(world.other_seller)
    assert send(client, case, world).status_code == 404
    assert snapshot() == before


@by_name([c for c in CASES if c.ids is not None])
def test_another_seller_with_their_own_shop_and_our_ids_gets_404(client, world, case):
    """Objects named in a URL are looked up inside the shop of the URL."""
    before = snapshot()
    client.force_login(world.other_seller)
    assert send(client, case, world, shop=world.other_shop).status_code == 404
    assert snapshot() == before


@by_name([c for c in CASES if c.owner_only])
def test_staff_may_not_touch_profile_members_delivery_or_vouchers(client, world, case):
    before = snapshot()
    client.force_login(world.staff)
    assert send(client, case, world).status_code == 404
    assert snapshot() == before


@by_name([c for c in CASES if not c.owner_only])
def test_staff_may_manage_products_stock_and_orders(client, world, case):
    client.force_login(world.staff)
    assert send(client, case, world).status_code == case.expected


@pytest.mark.parametrize("url_name", ["home", "shop_create"])
def test_the_pages_without_a_shop_need_a_login(client, url_name):
    url = reverse(f"seller:{url_name}")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 200


def test_an_anonymous_shop_creation_creates_nothing(client, world):
    before = snapshot()
    response = client.post(reverse("seller:shop_create"), shop_fields(world))
    assert response.status_code == 302
    assert snapshot() == before


def test_a_post_only_action_refuses_get(client, world):
    client.force_login(world.owner)
    url = reverse("seller:product_publish", args=[world.shop.slug, world.goods.pk])
    assert client.get(url).status_code == 405


def test_the_home_page_lists_only_the_users_own_shops(client, world):
    client.force_login(world.other_seller)
    page = client.get(reverse("seller:home"), follow=True).content.decode()
    assert world.other_shop.name in page
    assert world.shop.name not in page
