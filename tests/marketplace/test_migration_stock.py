"""Migration 0008 rebuilds on hand / allocated (and rooms / booked) from the orders that hold
them, so free stock is the same before and after, and goods already shipped are not held."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("marketplace", "0007_product_newest_indexes")]
AFTER = [("marketplace", "0008_stock_on_hand_allocated")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_migrations():
    """Later migrations add columns the other tests need: leave the database as it was."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_free_stock_and_free_rooms_survive_the_migration():
    apps = migrate(BEFORE)
    m = {
        name: apps.get_model("marketplace", name)
        for name in [
            "Kabupaten",
            "Kecamatan",
            "Category",
            "Shop",
            "Product",
            "Variant",
            "StayNight",
            "Checkout",
            "Order",
            "OrderLine",
        ]
    }
    kab = m["Kabupaten"].objects.create(name="Toba Mig", slug="toba-mig", province="Sumut")
    kec = m["Kecamatan"].objects.create(kabupaten=kab, name="Balige", slug="balige-mig")
    cat = m["Category"].objects.create(name="Tenun", slug="tenun-mig")
    shop = m["Shop"].objects.create(
        name="Tenun Mig", slug="tenun-mig", category=cat, kecamatan=kec, status="verified"
    )
    ulos = m["Product"].objects.create(
        shop=shop, kind="goods", title="Ulos", slug="ulos-mig", category=cat, price=1
    )
    stay = m["Product"].objects.create(
        shop=shop, kind="stay", title="Homestay", slug="stay-mig", category=cat, price=1
    )
    variant = m["Variant"].objects.create(product=ulos, name="Standar", price=1, stock=4)
    night = date(2027, 1, 10)
    stay_night = m["StayNight"].objects.create(product=stay, night=night, units_free=1)
    checkout = m["Checkout"].objects.create(
        code="mig-code", contact_name="A", contact_phone="+62812", contact_email="a@b.test"
    )
    expires = timezone.now() + timedelta(hours=1)

    def order(number: str, status: str, holds: bool = True):
        return m["Order"].objects.create(
            checkout=checkout,
            shop=shop,
            number=number,
            status=status,
            subtotal=1,
            total=1,
            expires_at=expires,
            holds_stock=holds,
        )

    unpaid, paid, shipped = (
        order("M-1", "awaiting_payment"),
        order("M-2", "paid"),
        order("M-3", "shipped"),
    )
    expired = order("M-4", "expired", holds=False)
    for o, quantity in [(unpaid, 2), (paid, 3), (shipped, 5), (expired, 7)]:
        m["OrderLine"].objects.create(
            order=o,
            product=ulos,
            variant=variant,
            title="Ulos",
            quantity=quantity,
            unit_price=1,
            line_total=quantity,
        )
    m["OrderLine"].objects.create(
        order=paid,
        product=stay,
        title="Homestay",
        quantity=2,
        unit_price=1,
        line_total=2,
        check_in=night,
        check_out=night + timedelta(days=1),
    )

    apps = migrate(AFTER)
    Variant, StayNight, Order = (
        apps.get_model("marketplace", n) for n in ("Variant", "StayNight", "Order")
    )
    after = Variant.objects.get(pk=variant.pk)
    # 4 were free; unpaid (2) and paid (3) still hold theirs; the shipped 5 are gone.
    assert (after.on_hand, after.allocated) == (9, 5)
    assert after.on_hand - after.allocated == 4
    assert not Order.objects.get(pk=shipped.pk).holds_stock
    row = StayNight.objects.get(pk=stay_night.pk)
    assert (row.rooms, row.booked) == (3, 2)
