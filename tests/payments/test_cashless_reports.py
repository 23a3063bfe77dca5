"""Diskominfo reads the cashless reports in the Wagtail admin and exports them; a seller and a
stranger cannot; every figure equals a direct query over the payments, orders and shops
(issue 11)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from marketplace.models import Order, OrderStatus, Shop, ShopStatus
from payments import cashless, services
from payments.models import Payment
from payments.reports import selectors
from payments.reports.selectors import Scope
from payments.reports.views import REPORTS
from tests.factories import KecamatanFactory, ProductFactory, ShopFactory, UserFactory
from tests.payments.conftest import with_qris
from tests.payments.helpers import deliver, order_for
from tests.payments.test_late_payments import expire, settle_qris

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Editor Diskominfo"))
    return user


@pytest.fixture
def paid(client, django_capture_on_commit_callbacks):
    """Two kecamatan: QRIS payments in both, a tourism operator, a lost sale, a waiting shop."""
    balige, ajibata = KecamatanFactory(name="Balige"), KecamatanFactory(name="Ajibata")
    weaver = with_qris(ShopFactory(kecamatan=balige))
    boat = with_qris(ShopFactory(kecamatan=ajibata))
    ProductFactory(shop=boat, kind="experience", stock=False)
    ShopFactory(kecamatan=balige, status=ShopStatus.PENDING, submitted_at=timezone.now())
    payments = []
    for shop, price in ((weaver, 300_000), (weaver, 150_000), (boat, 200_000)):
        payment = services.payment_start(order=order_for(price, shop=shop), provider="qris")
        settle_qris(client, payment, transaction_id=f"TX-{payment.pk}")
        payments.append(payment)
    lost = order_for(99_000, shop=boat)
    expire(lost)
    deliver(django_capture_on_commit_callbacks)
    return {"weaver": weaver, "boat": boat, "payments": payments}


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def urls():
    return [reverse(f"cashless_reports:{name}") for name, *_ in REPORTS] + [
        reverse("cashless_reports:evidence")
    ]


def test_an_editor_reads_every_report_and_exports_it_in_both_formats(client, editor, paid):
    client.force_login(editor)
    for url in urls():
        response = client.get(url)
        assert response.status_code == 200, url
    for name, *_ in REPORTS:
        url = reverse(f"cashless_reports:{name}")
        as_csv = client.get(url, {"export": "csv"})
        assert as_csv.status_code == 200, url
        rows = list(csv.reader(io.StringIO(body(as_csv).decode("utf-8-sig"))))
        assert rows and rows[0], url
        as_xlsx = client.get(url, {"export": "xlsx"})
        assert as_xlsx.status_code == 200, url
        book = load_workbook(io.BytesIO(body(as_xlsx)))
        assert book.active.max_row >= 1
    year = client.get(reverse("cashless_reports:evidence"), {"export": "xlsx"})
    book = load_workbook(io.BytesIO(body(year)))
    assert "Merchant per kecamatan" in book.sheetnames and len(book.sheetnames) >= 10


def test_the_merchant_export_has_indonesian_headings_and_integer_rupiah(client, editor, paid):
    client.force_login(editor)
    response = client.get(reverse("cashless_reports:payments_method"), {"export": "csv"})
    text = body(response).decode("utf-8-sig")
    header, total, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["Metode", "Jumlah pembayaran", "Nilai dibayar (Rp)"]
    assert total[1:3] == ["3", "650000"]


def test_a_seller_and_a_stranger_cannot_reach_them(client, paid):
    seller = paid["weaver"].owner if hasattr(paid["weaver"], "owner") else UserFactory()
    seller.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for url in urls():
        assert client.get(url).status_code == 302  # the login page
    client.force_login(seller)
    for url in urls():
        assert client.get(url).status_code in (302, 403), url
        assert client.get(url, {"export": "csv"}).status_code in (302, 403), url


def test_every_figure_equals_a_direct_query(paid):
    today = timezone.localdate()
    scope = Scope(today - dt.timedelta(days=30), today)
    received = Payment.objects.filter(status__in=("succeeded", "refunded"))

    total, *by_kecamatan = selectors.merchants(scope)
    assert total["registered"] == Shop.objects.count()
    assert total["verified"] == Shop.objects.filter(status="verified").count()
    assert total["qris"] == Shop.objects.filter(status="verified", qris__isnull=False).count()
    assert total["paid_cashless"] == received.values("order__shop").distinct().count() == 2
    assert total["tourism_paid_cashless"] == 1
    assert {r["name"]: r["paid_cashless"] for r in by_kecamatan} == {"Balige": 1, "Ajibata": 1}

    total, *by_method = selectors.payments_by(scope, "method")
    direct = received.aggregate(n=Count("id"), v=Sum("amount"))
    assert (total["payments"], total["value"]) == (direct["n"], direct["v"]) == (3, 650_000)
    total, *by_kecamatan = selectors.payments_by(scope, "kecamatan")
    assert {r["name"]: r["value"] for r in by_kecamatan} == {
        row["order__shop__kecamatan__name"]: row["v"]
        for row in received.values("order__shop__kecamatan__name").annotate(v=Sum("amount"))
    }
    only_balige = Scope(scope.start, scope.end, kecamatan_id=paid["weaver"].kecamatan_id)
    assert selectors.payments_by(only_balige, "method")[0]["value"] == 450_000

    share = selectors.cashless_share(scope)
    paid_value = Order.objects.filter(status__in=cashless.PAID_ORDER_STATES).aggregate(
        v=Sum("total")
    )["v"]
    assert share["order_value"] == paid_value and share["cashless_value"] == 650_000

    total, *lost = selectors.lost_sales(scope)
    expired = Order.objects.filter(status=OrderStatus.EXPIRED)
    assert (total["orders"], total["value"]) == (
        expired.count(),
        expired.aggregate(v=Sum("total"))["v"],
    )
    waiting = selectors.waiting_verification()
    assert len(waiting) == Shop.objects.filter(status="pending").count() == 1

    top = selectors.top_shops(scope)
    assert top[0]["name"] == paid["weaver"].name and top[0]["net"] == 450_000
    assert selectors.adoption_by_month(scope)[-1]["merchants_so_far"] == 2
    assert (
        sum(r["value"] for r in selectors.top_products(scope))
        == Order.objects.filter(Q(payments__status="succeeded")).aggregate(
            v=Sum("lines__line_total")
        )["v"]
    )
