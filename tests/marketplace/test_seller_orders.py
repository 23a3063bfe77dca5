"""The seller's orders (/seller/<shop>/orders/...): the list with its filters and pages, one
order with its buyer, lines, history and the actions the state machine allows, every action
through the pages, and the packing slip. Who may reach them is in test_seller_access.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import (
    CourierRate,
    Desa,
    Order,
    OrderEvent,
    OrderStatus,
    ShopMember,
    ShopRole,
    Variant,
)
from marketplace.services import orders as order_services
from marketplace.services.checkout import CheckoutItem, Contact, ShopChoice, checkout_place
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

BUYER = Contact(name="Anna Schmidt", phone="0812 9876 5432", email="anna@example.test")


@pytest.fixture
def owner():
    return UserFactory(full_name="Rosdiana Siahaan")


@pytest.fixture
def shop(client, owner):
    client.force_login(owner)
    return ShopFactory(
        owner=owner, name="Tenun Boru Siahaan", address="Jl. Sisingamangaraja 12, Balige"
    )


@pytest.fixture
def product(shop):
    return ProductFactory(shop=shop, title="Ulos Sadum", price=150_000, stock=10)


def place(product, quantity: int = 1, contact: Contact = BUYER, **choice) -> Order:
    choices = {product.shop.slug: ShopChoice(**choice)} if choice else None
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, quantity)], contact=contact, choices=choices
    )
    return checkout.orders.get()


def courier_order(product) -> Order:
    CourierRate.objects.get_or_create(
        shop=product.shop,
        destination_kabupaten="Kota Medan",
        defaults={"first_kg": 20_000, "next_kg": 8_000},
    )
    return place(
        product,
        2,
        delivery="courier",
        kabupaten="Kota Medan",
        address="Jl. Gatot Subroto 45, Medan",
        note="Tolong dibungkus plastik, musim hujan.",
    )


def url(name: str, order: Order, shop=None) -> str:
    return reverse(f"seller:{name}", args=[(shop or order.shop).slug, order.number])


def list_url(shop) -> str:
    return reverse("seller:orders", args=[shop.slug])


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def move(order: Order, *statuses: str, by=None) -> Order:
    """Take an order through the services to each status in turn."""
    steps = {
        "paid": lambda o: order_services.order_mark_paid(order=o),
        "processing": lambda o: order_services.order_process(order=o, by=by),
        "shipped": lambda o: order_services.order_ship(order=o, by=by, tracking_number="JNE1"),
        "ready_for_pickup": lambda o: order_services.order_ready_for_pickup(order=o, by=by),
        "completed": lambda o: order_services.order_complete(order=o, by=by),
        "cancelled": lambda o: order_services.order_cancel(order=o, by=by, reason="Habis"),
    }
    for status in statuses:
        order = steps[status](order)
    return order


# The list ---------------------------------------------------------------------------------


def test_the_list_shows_this_shops_orders_newest_first(client, shop, product):
    first = place(product, contact=Contact("Budi Hutapea", "0813 1111 2222", "budi@example.test"))
    second = place(product, 2)
    Order.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=1))
    other = place(ProductFactory())  # another shop's
    page = text(client.get(list_url(shop)))
    assert page.index(second.number) < page.index(first.number)
    assert other.number not in page
    assert "Budi Hutapea" in page and "Anna Schmidt" in page
    assert "Rp 300.000" in page and "Rp 150.000" in page
    assert "Menunggu pembayaran" in page and "Ambil sendiri" in page
    assert "2 pesanan" in page


def test_the_list_filters_by_status(client, shop, product):
    waiting = place(product)
    paid = move(place(product), "paid")
    page = text(client.get(list_url(shop), {"status": "paid"}))
    assert paid.number in page and waiting.number not in page
    assert "Hapus filter" in page


def test_the_list_filters_by_a_date_range_of_local_days(client, shop, product):
    jakarta = timezone.get_current_timezone()
    days = {
        "old": datetime(2025, 3, 1, 10, 0, tzinfo=jakarta),
        # 00:30 in Jakarta is still the previous day in UTC: the local day counts.
        "start": datetime(2025, 3, 10, 0, 30, tzinfo=jakarta),
        "end": datetime(2025, 3, 12, 23, 30, tzinfo=jakarta),
        "late": datetime(2025, 3, 13, 8, 0, tzinfo=jakarta),
    }
    made = {}
    for name, when in days.items():
        order = place(product)
        Order.objects.filter(pk=order.pk).update(created_at=when)
        made[name] = order.number
    page = text(client.get(list_url(shop), {"date_from": "2025-03-10", "date_to": "2025-03-12"}))
    assert made["start"] in page and made["end"] in page
    assert made["old"] not in page and made["late"] not in page
    only_from = text(client.get(list_url(shop), {"date_from": "2025-03-11"}))
    assert made["end"] in only_from and made["late"] in only_from
    assert made["start"] not in only_from


def test_a_backwards_date_range_is_explained_and_not_applied(client, shop, product):
    order = place(product)
    page = text(client.get(list_url(shop), {"date_from": "2025-03-12", "date_to": "2025-03-10"}))
    assert "sesudah awal" in page
    assert order.number in page


def test_the_list_has_pages_of_25_and_keeps_the_filter(client, shop, product):
    product.variants.update(on_hand=100)
    numbers = [place(product).number for _ in range(27)]
    first = client.get(list_url(shop), {"status": "awaiting_payment"})
    assert len(first.context["page"].object_list) == 25
    assert "status=awaiting_payment&amp;page=2" in text(first)
    second = client.get(list_url(shop), {"status": "awaiting_payment", "page": 2})
    assert [o.number for o in second.context["page"].object_list] == [numbers[1], numbers[0]]


def _count_queries(client, shop) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(list_url(shop))
    assert response.status_code == 200
    return len(queries)


def test_the_list_takes_the_same_number_of_queries_for_2_and_30_orders(client, owner):
    small, large = ShopFactory(owner=owner), ShopFactory(owner=owner)
    few_product = ProductFactory(shop=small, stock=100)
    many_product = ProductFactory(shop=large, stock=100)
    for _ in range(2):
        place(few_product)
    for i in range(30):
        order = place(many_product)
        if i % 3 == 0:
            move(order, "paid")
    client.force_login(owner)
    few = _count_queries(client, small)
    many = _count_queries(client, large)
    print(f"order list: {few} queries for 2 orders, {many} for 30")
    assert few == many, (few, many)
    assert many <= 8, many


def test_the_list_says_so_when_empty(client, shop):
    assert "Belum ada pesanan" in text(client.get(list_url(shop)))


# One order ----------------------------------------------------------------------------------


def test_the_detail_shows_buyer_delivery_lines_totals_and_history(client, shop, product, owner):
    order = courier_order(product)
    move(order, "paid", "processing", by=owner)
    response = client.get(url("order_detail", order))
    page = text(response)
    assert order.number in page
    # Buyer, with a phone link and a WhatsApp message that names the order.
    assert "Anna Schmidt" in page and "anna@example.test" in page
    assert 'href="tel:+6281298765432"' in page
    wa = re.search(r'href="(https://wa\.me/6281298765432\?text=[^"]+)"', page)
    assert wa, "WhatsApp link to the buyer"
    assert order.number in unquote(wa.group(1)) and "Tenun Boru Siahaan" in unquote(wa.group(1))
    # Delivery and note.
    assert "Kurir" in page and "Kota Medan" in page and "Jl. Gatot Subroto 45, Medan" in page
    assert "Tolong dibungkus plastik, musim hujan." in page
    # Lines and totals: 2 × 150.000, plus the courier fee for 2 × 500 g.
    assert "Ulos Sadum – Standar" in page and "2 × Rp 150.000" in page
    assert "Rp 300.000" in page
    assert f"Rp {order.delivery_fee:,}".replace(",", ".") in page
    assert f"Rp {order.total:,}".replace(",", ".") in page
    # History: who and when.
    history = response.context["history"]
    assert [row.status for row in history] == ["awaiting_payment", "paid", "processing"]
    assert [row.who for row in history] == ["Pembeli", "Sistem", "Rosdiana Siahaan"]
    assert "Diproses" in page and "Rosdiana Siahaan" in page


def test_the_detail_takes_a_fixed_number_of_queries(client, shop, product, owner):
    small = place(product)
    big_product = ProductFactory(shop=shop, stock=50)
    big = checkout_place(
        items=[CheckoutItem(product.slug, 1), CheckoutItem(big_product.slug, 3)], contact=BUYER
    ).orders.get()
    move(big, "paid", "processing", by=owner)
    counts = []
    for order in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("order_detail", order)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


ACTION_URLS = ["order_process", "order_ship", "order_ready", "order_complete", "order_cancel"]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ((), {"order_cancel"}),
        (("paid",), {"order_process", "order_cancel"}),
        (("paid", "processing"), {"order_ship", "order_ready", "order_cancel"}),
        (("paid", "processing", "shipped"), {"order_complete"}),
        (("paid", "processing", "ready_for_pickup"), {"order_complete"}),
        (("paid", "processing", "shipped", "completed"), set()),
        (("cancelled",), set()),
    ],
)
def test_only_the_legal_actions_are_shown(client, shop, product, owner, path, shown):
    order = move(place(product), *path, by=owner)
    page = text(client.get(url("order_detail", order)))
    present = {name for name in ACTION_URLS if f'action="{url(name, order)}"' in page}
    assert present == shown
    assert ('name="tracking_number"' in page) == ("order_ship" in shown)
    assert ('name="reason"' in page) == ("order_cancel" in shown)


def test_the_whole_life_of_a_delivered_order_through_the_pages(client, shop, product, owner):
    order = courier_order(product)
    move(order, "paid")  # the payment is confirmed elsewhere (payments)
    response = client.post(url("order_process", order), follow=True)
    assert "sekarang: Diproses" in " ".join(messages_of(response))
    response = client.post(url("order_ship", order), {"tracking_number": " JNE-778899 "})
    assert response.status_code == 302 and response["Location"] == url("order_detail", order)
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == ("shipped", "JNE-778899")
    response = client.post(url("order_complete", order), follow=True)
    assert "sekarang: Selesai" in " ".join(messages_of(response))
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    events = list(OrderEvent.objects.filter(order=order).order_by("at", "id"))
    assert [e.to_status for e in events] == [
        "awaiting_payment",
        "paid",
        "processing",
        "shipped",
        "completed",
    ]
    assert [e.by for e in events[2:]] == [owner, owner, owner]
    page = text(client.get(url("order_detail", order)))
    assert "JNE-778899" in page and "Tidak ada tindakan lagi" in page


def test_staff_take_a_pickup_order_to_completion(client, shop, product):
    staff = UserFactory(full_name="Staf Toko")
    ShopMember.objects.create(shop=shop, user=staff, role=ShopRole.STAFF)
    client.force_login(staff)
    order = move(place(product), "paid")
    for name in ("order_process", "order_ready", "order_complete"):
        assert client.post(url(name, order)).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert set(
        OrderEvent.objects.filter(order=order, by=staff).values_list("to_status", flat=True)
    ) == {
        "processing",
        "ready_for_pickup",
        "completed",
    }


@pytest.mark.parametrize(
    ("path", "action", "data"),
    [
        ((), "order_complete", {}),
        ((), "order_process", {}),
        ((), "order_ship", {"tracking_number": "JNE1"}),
        (("paid",), "order_ready", {}),
        (("paid", "processing", "shipped"), "order_cancel", {"reason": "Terlambat"}),
        (("paid", "processing", "shipped", "completed"), "order_process", {}),
        (("cancelled",), "order_process", {}),
    ],
)
def test_an_illegal_action_is_refused_and_changes_nothing(
    client, shop, product, owner, path, action, data
):
    order = move(place(product), *path, by=owner)
    before = (order.status, OrderEvent.objects.filter(order=order).count())
    stock = Variant.objects.get(product=product).free
    response = client.post(url(action, order), data, follow=True)
    assert response.status_code == 200
    assert any("tidak dapat menjadi" in m for m in messages_of(response)), messages_of(response)
    order.refresh_from_db()
    assert (order.status, OrderEvent.objects.filter(order=order).count()) == before
    assert Variant.objects.get(product=product).free == stock


@pytest.mark.parametrize("tracking", ["", "   "])
def test_shipping_needs_a_tracking_number(client, shop, product, owner, tracking):
    order = move(place(product), "paid", "processing", by=owner)
    response = client.post(url("order_ship", order), {"tracking_number": tracking}, follow=True)
    assert "Isi nomor resi pengiriman." in messages_of(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING and order.tracking_number == ""


def test_a_tracking_number_longer_than_60_is_refused(client, shop, product, owner):
    order = move(place(product), "paid", "processing", by=owner)
    response = client.post(url("order_ship", order), {"tracking_number": "X" * 61}, follow=True)
    assert messages_of(response) and "60" in messages_of(response)[0]
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING


@pytest.mark.parametrize("data", [{}, {"reason": "  "}])
def test_cancelling_needs_a_reason(client, shop, product, data):
    order = place(product, 3)
    response = client.post(url("order_cancel", order), data, follow=True)
    assert "Tuliskan alasan pembatalan untuk pembeli." in messages_of(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.holds_stock
    assert Variant.objects.get(product=product).free == 7


@pytest.mark.parametrize("path", [(), ("paid",), ("paid", "processing")])
def test_cancelling_returns_the_stock_and_tells_the_reason(client, shop, product, owner, path):
    order = move(place(product, 3), *path, by=owner)
    assert Variant.objects.get(product=product).free == 7
    response = client.post(url("order_cancel", order), {"reason": "Motif ini habis ditenun."})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and not order.holds_stock
    assert Variant.objects.get(product=product).free == 10
    event = OrderEvent.objects.filter(order=order).last()
    assert (event.to_status, event.by, event.note) == (
        "cancelled",
        owner,
        "Motif ini habis ditenun.",
    )
    page = text(client.get(url("order_detail", order)))
    assert page.count("Motif ini habis ditenun.") >= 2  # the reason and the history


def test_another_shops_order_under_my_shop_is_404_and_untouched(client, shop, product):
    other = move(place(ProductFactory(stock=5)), "paid")
    for name in ("order_detail", "order_packing_slip"):
        assert client.get(url(name, other, shop=shop)).status_code == 404
    for name in ACTION_URLS:
        data = {"tracking_number": "JNE1", "reason": "x"}
        assert client.post(url(name, other, shop=shop), data).status_code == 404
    other.refresh_from_db()
    assert other.status == OrderStatus.PAID
    assert OrderEvent.objects.filter(order=other).count() == 2


def test_an_unknown_order_number_is_404(client, shop):
    assert (
        client.get(reverse("seller:order_detail", args=[shop.slug, "PK000000-XXXX"])).status_code
        == 404
    )


def test_an_action_refuses_get(client, shop, product):
    order = move(place(product), "paid")
    assert client.get(url("order_process", order)).status_code == 405
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


# Packing slip -------------------------------------------------------------------------------


def test_the_packing_slip_has_what_the_packer_and_the_courier_need(client, shop, product):
    second = ProductFactory(shop=shop, title="Kopi Arabika Lintong", price=85_000, stock=10)
    CourierRate.objects.create(
        shop=shop, destination_kabupaten="Kota Medan", first_kg=20_000, next_kg=8_000
    )
    order = checkout_place(
        items=[CheckoutItem(product.slug, 2), CheckoutItem(second.slug, 3)],
        contact=BUYER,
        choices={
            shop.slug: ShopChoice(
                delivery="courier",
                kabupaten="Kota Medan",
                address="Jl. Gatot Subroto 45, Medan",
                note="Kirim sebelum Jumat.",
            )
        },
    ).orders.get()
    response = client.get(url("order_packing_slip", order))
    assert response.status_code == 200
    page = text(response)
    for expected in (
        "Tenun Boru Siahaan",
        "Jl. Sisingamangaraja 12, Balige",
        "Anna Schmidt",
        "+6281298765432",
        "Jl. Gatot Subroto 45, Medan",
        "Kota Medan",
        order.number,
        "Kurir",
        "Kirim sebelum Jumat.",
        "Ulos Sadum – Standar",
        "Kopi Arabika Lintong – Standar",
    ):
        assert expected in page, expected
    rows = re.findall(r'<td>([^<]+)</td><td class="num">(\d+)</td>', page)
    assert ("Ulos Sadum – Standar", "2") in rows and ("Kopi Arabika Lintong – Standar", "3") in rows
    assert "css/seller_orders.css" in page


def test_the_packing_slip_of_a_pickup_order_says_so(client, shop, product):
    order = place(product, note="Saya ambil Sabtu pagi.")
    page = text(client.get(url("order_packing_slip", order)))
    assert "Ambil sendiri" in page and "Diambil sendiri di toko" in page
    assert "Saya ambil Sabtu pagi." in page


def test_the_stylesheet_prints_only_the_slip():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "seller_orders.css").read_text()
    print_rules = css[css.index("@media print") :]
    for hidden in (".site-header", ".site-footer", ".seller-nav", ".no-print"):
        assert hidden in print_rules


def test_the_packing_slip_names_the_desa_without_asking_again(client, shop, product):
    order = place(product)
    client.get(url("order_packing_slip", order))  # the first request of a session asks more
    with CaptureQueriesContext(connection) as without_desa:
        client.get(url("order_packing_slip", order))
    shop.desa = Desa.objects.create(kecamatan=shop.kecamatan, name="Lumban Silintong", slug="ls")
    shop.save()
    with CaptureQueriesContext(connection) as with_desa:
        page = text(client.get(url("order_packing_slip", order)))
    assert "Lumban Silintong" in page and f"Kec. {shop.kecamatan.name}" in page
    assert len(with_desa) == len(without_desa)


def test_the_dashboard_counts_paid_orders_waiting_to_be_processed(client):
    from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
    from marketplace.services.orders import order_mark_paid
    from tests.factories import ProductFactory, ShopFactory, UserFactory

    owner = UserFactory()
    product = ProductFactory(shop=ShopFactory(owner=owner))
    for n in range(2):
        checkout = checkout_place(
            items=[CheckoutItem(product.slug, 1)],
            contact=Contact(f"Turis {n}", f"0812000000{n}{n}", f"t{n}@pasar.test"),
        )
        order_mark_paid(order=checkout.orders.get())
    client.force_login(owner)
    body = client.get(f"/seller/{product.shop.slug}/").text
    assert "<strong>2</strong> dibayar, perlu diproses" in body
