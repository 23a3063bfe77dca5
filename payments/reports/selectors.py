"""The figures of the cashless reports. Money comes from payments.CashlessDay (a cell per day,
shop and method, kept by payments.cashless), shops from the catalog, lost sales from expired
orders: each a GROUP BY over thousands of rows or over an index, so that a report answers in
well under a second with a million payments (docs/benchmarks.md).

Every figure takes a Scope: a period of local dates (both ends included) and, optionally,
one kecamatan and one category of shop. Kecamatan and category are the shop's as they are
today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.models import Order, OrderLine, OrderStatus, Product, Shop, ShopStatus
from payments.cashless import RECEIVED
from payments.models import CashlessDay, MerchantQris, ProductSalesDay, Provider

TOURISM_KINDS = ("experience", "stay")
TOP_LIMIT = 20

# Plain-words definitions, shown under each report and in the year's evidence.
DEFINITIONS = {
    "registered": _("Toko yang terdaftar di Pasar Kreatif (semua status)."),
    "verified": _("Toko yang sudah diverifikasi Diskominfo dan tampil untuk pembeli."),
    "qris": _("Toko terverifikasi yang sudah memasang QRIS statisnya sendiri."),
    "paid_cashless": _(
        "Toko yang menerima sedikitnya satu pembayaran nontunai (QRIS, transfer bank atau "
        "kartu) yang berhasil dalam periode ini: indikator ekonomi cerdas."
    ),
    "tourism": _("Pelaku wisata: toko yang menjual pengalaman (tur, kelas) atau penginapan."),
    "value": _(
        "Nilai pembayaran nontunai yang berhasil pada tanggal bayarnya, dalam rupiah; "
        "dikembalikan: bagian yang sudah dikembalikan ke pembeli; bersih: selisihnya."
    ),
    "cashless_share": _(
        "Bagian nilai pesanan yang dibayar lewat pembayaran nontunai yang tercatat, dari nilai "
        "semua pesanan yang dibayar pada periode ini. Semua pembayaran di Pasar Kreatif "
        "nontunai; angka di bawah 100% berarti pesanan ditandai dibayar tanpa pembayaran "
        "tercatat."
    ),
    "lost_sales": _(
        "Pesanan yang kedaluwarsa karena tidak dibayar sebelum batas waktunya (penjualan "
        "yang hilang), menurut tanggal batas bayarnya."
    ),
    "waiting": _("Toko yang sudah diajukan dan menunggu verifikasi, sejak tanggal pengajuan."),
    "top": _("Toko dan produk dengan nilai pembayaran bersih terbesar pada periode ini."),
}


@dataclass(frozen=True)
class Scope:
    start: dt.date
    end: dt.date
    kecamatan_id: int | None = None
    category_id: int | None = None

    @classmethod
    def this_year(cls) -> Scope:
        today = timezone.localdate()
        return cls(dt.date(today.year, 1, 1), today)

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def ends_before(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(days=(self.end - self.start).days + 1)

    def shops(self, queryset: QuerySet | None = None, prefix: str = "") -> QuerySet:
        queryset = Shop.objects.all() if queryset is None else queryset
        if self.kecamatan_id:
            queryset = queryset.filter(**{f"{prefix}kecamatan_id": self.kecamatan_id})
        if self.category_id:
            queryset = queryset.filter(**{f"{prefix}category_id": self.category_id})
        return queryset

    def cells(self) -> QuerySet[CashlessDay]:
        return self.shops(
            CashlessDay.objects.filter(day__gte=self.start, day__lte=self.end), prefix="shop__"
        )


def _tourism() -> Exists:
    return Exists(Product.objects.filter(shop=OuterRef("pk"), kind__in=TOURISM_KINDS))


GROUPS = {
    "kecamatan": ("kecamatan__name", _("Kecamatan")),
    "category": ("category__name", _("Kategori")),
}


def merchants(scope: Scope, group: str = "kecamatan") -> list[dict]:
    """Per kecamatan (or category): shops registered, verified, with QRIS, paid cashless in
    the period, and the same for tourism operators; the first row is the total."""
    field, _label = GROUPS[group]
    paid = CashlessDay.objects.filter(
        shop=OuterRef("pk"), day__gte=scope.start, day__lte=scope.end, payments__gt=0
    )
    verified = Q(status=ShopStatus.VERIFIED)
    shops = scope.shops().annotate(
        is_paid=Exists(paid),
        has_qris=Exists(MerchantQris.objects.filter(shop=OuterRef("pk"))),
        is_tourism=_tourism(),
    )
    counts = {
        "registered": Count("id"),
        "verified": Count("id", filter=verified),
        "qris": Count("id", filter=verified & Q(has_qris=True)),
        "paid_cashless": Count("id", filter=Q(is_paid=True)),
        "tourism_verified": Count("id", filter=verified & Q(is_tourism=True)),
        "tourism_paid_cashless": Count("id", filter=Q(is_tourism=True, is_paid=True)),
    }
    rows = [
        {"name": row[field], **{k: row[k] for k in counts}}
        for row in shops.values(field).annotate(**counts).order_by(field)
    ]
    total = {"name": _("Semua"), **{k: sum(r[k] for r in rows) for k in counts}}
    return [total, *rows]


def payments_by(scope: Scope, group: str = "month") -> list[dict]:
    """Cashless payments: count, value, refunded and net value per month, kecamatan, category
    or method, with each row's share of the net value; the first row is the total."""
    fields = {
        "month": "month",
        "kecamatan": "shop__kecamatan__name",
        "category": "shop__category__name",
        "method": "provider",
    }
    field = fields[group]
    cells = scope.cells()
    if group == "month":
        cells = cells.annotate(month=TruncMonth("day"))
    sums = {"payments": Sum("payments"), "value": Sum("value"), "refunded": Sum("refunded")}
    rows = [
        {"name": _label(group, row[field]), "key": row[field], **{k: row[k] for k in sums}}
        for row in cells.values(field).annotate(**sums).order_by(field)
    ]
    total = {
        "name": _("Semua"),
        "key": "",
        **{k: sum(r[k] for r in rows) for k in sums},
    }
    for row in [total, *rows]:
        row["net"] = row["value"] - row["refunded"]
        row["share"] = round(100 * row["net"] / total["net"], 1) if total["value"] else 0.0
    return [total, *rows]


def _label(group: str, value) -> str:
    if group == "month":
        return value.strftime("%Y-%m")
    if group == "method":
        return str(Provider(value).label)
    return value


def cashless_share(scope: Scope) -> dict:
    """The net cashless value recorded against the value of the orders it paid that still
    count as paid, both from the cells (no join of payments and orders)."""
    totals = scope.cells().aggregate(
        value=Coalesce(Sum("value"), 0),
        refunded=Coalesce(Sum("refunded"), 0),
        order_value=Coalesce(Sum("order_value"), 0),
    )
    net, order_value = totals["value"] - totals["refunded"], totals["order_value"]
    share = round(100 * min(net, order_value) / order_value, 1) if order_value else 0.0
    return {"order_value": order_value, "cashless_value": net, "share": share}


def adoption_by_month(scope: Scope) -> list[dict]:
    """Per month: the merchants paid cashless that month, and those paid at least once from
    the period's start to that month's end (the indicator as it grew)."""
    rows = (
        scope.cells()
        .filter(payments__gt=0)
        .annotate(month=TruncMonth("day"))
        .values("month", "shop_id")
        .distinct()
        .order_by("month")
    )
    by_month: dict[dt.date, set[int]] = {}
    for row in rows:
        by_month.setdefault(row["month"], set()).add(row["shop_id"])
    seen: set[int] = set()
    result = []
    for month in sorted(by_month):
        seen |= by_month[month]
        result.append(
            {
                "name": month.strftime("%Y-%m"),
                "merchants": len(by_month[month]),
                "merchants_so_far": len(seen),
            }
        )
    return result


def waiting_verification() -> list[dict]:
    """Shops submitted and waiting, the longest waiting first."""
    now = timezone.now()
    shops = (
        Shop.objects.filter(status=ShopStatus.PENDING)
        .select_related("kecamatan", "category")
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    return [
        {
            "name": shop.name,
            "kecamatan": shop.kecamatan.name,
            "category": shop.category.name,
            "submitted_at": shop.submitted_at,
            "days_waiting": (now - (shop.submitted_at or shop.created_at)).days,
        }
        for shop in shops
    ]


def top_shops(scope: Scope, limit: int = TOP_LIMIT) -> list[dict]:
    rows = (
        scope.cells()
        .values("shop__name", "shop__kecamatan__name")
        .annotate(paid=Sum("payments"), net=Sum(F("value") - F("refunded")))
        .order_by("-net", "shop__name")[:limit]
    )
    return [
        {
            "name": row["shop__name"],
            "kecamatan": row["shop__kecamatan__name"],
            "payments": row["paid"],
            "net": row["net"],
        }
        for row in rows
    ]


def top_products(scope: Scope, limit: int = TOP_LIMIT) -> list[dict]:
    """Products by the value of their lines in orders whose payment succeeded in the period
    and was not refunded since (payments.ProductSalesDay)."""
    cells = scope.shops(
        ProductSalesDay.objects.filter(day__gte=scope.start, day__lte=scope.end),
        prefix="shop__",
    )
    rows = list(
        cells.values("product_id")
        .annotate(sold=Sum("quantity"), total=Sum("value"))
        .order_by("-total", "product_id")[:limit]
    )
    products = Product.objects.select_related("shop").in_bulk([r["product_id"] for r in rows])
    return [
        {
            "name": products[row["product_id"]].title,
            "shop": products[row["product_id"]].shop.name,
            "quantity": row["sold"],
            "value": row["total"],
        }
        for row in rows
        if row["product_id"] in products
    ]


def lost_sales(scope: Scope) -> list[dict]:
    """Orders that expired unpaid in the period, per kecamatan; the first row is the total."""
    orders = scope.shops(
        Order.objects.filter(
            status=OrderStatus.EXPIRED,
            expires_at__gte=scope.starts_at,
            expires_at__lt=scope.ends_before,
        ),
        prefix="shop__",
    )
    rows = [
        {"name": row["shop__kecamatan__name"], "orders": row["orders"], "value": row["value"]}
        for row in orders.values("shop__kecamatan__name")
        .annotate(
            orders=Count("id"), value=Coalesce(Sum("total"), Value(0), output_field=IntegerField())
        )
        .order_by("-value", "shop__kecamatan__name")
    ]
    total = {
        "name": _("Semua"),
        "orders": sum(r["orders"] for r in rows),
        "value": sum(r["value"] for r in rows),
    }
    return [total, *rows]


def shop_figures(shop_id: int, scope: Scope) -> dict:
    """One shop's own figures for its seller: sales by month and method (from the shop's
    cashless cells), its best products, and how many of its buyers paid cashless (buyers by
    the checkout's email: the orders with money received, of all the shop's orders placed in
    the period). Only this shop's rows are read."""
    cells = CashlessDay.objects.filter(shop_id=shop_id, day__gte=scope.start, day__lte=scope.end)
    by_month: dict[str, dict] = {}
    for row in (
        cells.annotate(month=TruncMonth("day"))
        .values("month", "provider")
        .annotate(paid=Sum("payments"), net=Sum(F("value") - F("refunded")))
        .order_by("month", "provider")
    ):
        month = by_month.setdefault(
            row["month"].strftime("%Y-%m"),
            {"name": row["month"].strftime("%Y-%m"), "payments": 0, "net": 0, "methods": {}},
        )
        month["payments"] += row["paid"]
        month["net"] += row["net"]
        month["methods"][str(Provider(row["provider"]).label)] = row["net"]
    orders = Order.objects.filter(
        shop_id=shop_id, created_at__gte=scope.starts_at, created_at__lt=scope.ends_before
    )
    buyers = orders.aggregate(
        all=Count("checkout__contact_email", distinct=True),
        cashless=Count(
            "checkout__contact_email",
            distinct=True,
            filter=Q(payments__status__in=RECEIVED),
        ),
    )
    best = (
        OrderLine.objects.filter(
            order__shop_id=shop_id,
            order__payments__status="succeeded",
            order__payments__succeeded_at__gte=scope.starts_at,
            order__payments__succeeded_at__lt=scope.ends_before,
        )
        .values("product__title")
        .annotate(quantity=Sum("quantity"), value=Sum("line_total"))
        .order_by("-value", "product__title")[:10]
    )
    return {
        "months": list(by_month.values()),
        "methods": payments_by_shop_method(cells),
        "best_products": [
            {"name": r["product__title"], "quantity": r["quantity"], "value": r["value"]}
            for r in best
        ],
        "buyers": buyers["all"],
        "cashless_buyers": buyers["cashless"],
    }


def payments_by_shop_method(cells) -> list[dict]:
    rows = [
        {
            "name": str(Provider(row["provider"]).label),
            "payments": row["paid"],
            "net": row["net"],
        }
        for row in cells.values("provider")
        .annotate(paid=Sum("payments"), net=Sum(F("value") - F("refunded")))
        .order_by("provider")
    ]
    return rows
