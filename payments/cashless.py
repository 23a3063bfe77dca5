"""The cashless figures' aggregates: payments.CashlessDay, a cell per day, shop and method, and
payments.ProductSalesDay, a cell per day and product.

A payment event recomputes the one cell of its payment from the payments themselves, under
that cell's row lock, instead of adding the event's amount: so a redelivered, late or
out-of-order notification, a partial refund or a refund of a late payment leaves the cell
equal to what the payments say, and two handlers of the same cell cannot lose each other's
update. `rebuild()` recomputes every cell; `differences()` lists the cells that disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from marketplace.models import OrderLine, OrderStatus
from payments.models import CashlessDay, Payment, PaymentStatus, ProductSalesDay

# Money received: a payment that succeeded, and one refunded since (its refunded_amount says
# how much went back).
RECEIVED = (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)
# Orders that count as paid: the denominator of the cashless share.
PAID_ORDER_STATES = (
    OrderStatus.PAID,
    OrderStatus.PROCESSING,
    OrderStatus.SHIPPED,
    OrderStatus.READY_FOR_PICKUP,
    OrderStatus.COMPLETED,
)

Cell = tuple[dt.date, int, str]  # day, shop id, provider


@dataclass(frozen=True)
class Figures:
    payments: int
    value: int
    refunded: int
    order_value: int


def _local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=_local_tz())
    return start, start + dt.timedelta(days=1)


def cell_of(payment: Payment) -> Cell | None:
    if payment.succeeded_at is None:
        return None
    return (timezone.localdate(payment.succeeded_at), payment.order.shop_id, payment.provider)


def _received_in(cell: Cell):
    day, shop_id, provider = cell
    start, end = _day_bounds(day)
    return Payment.objects.filter(
        status__in=RECEIVED,
        succeeded_at__gte=start,
        succeeded_at__lt=end,
        order__shop_id=shop_id,
        provider=provider,
    )


_SUMS = {
    "payments": Count("id"),
    "value": Coalesce(Sum("amount"), 0),
    "refunded": Coalesce(Sum("refunded_amount"), 0),
    "order_value": Coalesce(Sum("order__total", filter=Q(order__status__in=PAID_ORDER_STATES)), 0),
}


def _figures(payments) -> Figures:
    totals = payments.aggregate(**_SUMS)
    return Figures(totals["payments"], totals["value"], totals["refunded"], totals["order_value"])


def recount_payment(payment_id: int) -> None:
    """The cells of this payment, recomputed (a payment that never succeeded has none)."""
    payment = Payment.objects.select_related("order").filter(pk=payment_id).first()
    cell = cell_of(payment) if payment is not None else None
    if cell is not None:
        recount_cell(cell)
        recount_products(cell[0], payment.order_id)


def recount_order(order_id: int) -> None:
    """The cells of an order's payments (its status decides whether its total counts as paid)."""
    for payment in Payment.objects.select_related("order").filter(
        order_id=order_id, succeeded_at__isnull=False
    ):
        recount_cell(cell_of(payment))
        recount_products(timezone.localdate(payment.succeeded_at), order_id)


def _product_lines(day: dt.date):
    start, end = _day_bounds(day)
    return OrderLine.objects.filter(
        order__payments__status=PaymentStatus.SUCCEEDED,
        order__payments__succeeded_at__gte=start,
        order__payments__succeeded_at__lt=end,
    )


def recount_products(day: dt.date, order_id: int) -> None:
    """The day's cells of the products in this order, recomputed under their row locks (in
    product order, so two handlers never wait on each other crosswise)."""
    products = sorted(
        set(OrderLine.objects.filter(order_id=order_id).values_list("product_id", "order__shop_id"))
    )
    with transaction.atomic():
        for product_id, shop_id in products:
            try:
                with transaction.atomic():
                    ProductSalesDay.objects.get_or_create(
                        day=day, product_id=product_id, defaults={"shop_id": shop_id}
                    )
            except IntegrityError:
                pass
        rows = {
            row.product_id: row
            for row in ProductSalesDay.objects.select_for_update()
            .filter(day=day, product_id__in=[p for p, _s in products])
            .order_by("product_id")
        }
        sold = {
            row["product_id"]: row
            for row in _product_lines(day)
            .filter(product_id__in=rows)
            .values("product_id")
            .annotate(quantity=Sum("quantity"), value=Sum("line_total"))
        }
        for product_id, row in rows.items():
            found = sold.get(product_id)
            if not found:
                row.delete()
                continue
            row.quantity, row.value = found["quantity"], found["value"]
            row.save(update_fields=["quantity", "value"])


def recount_cell(cell: Cell) -> None:
    day, shop_id, provider = cell
    with transaction.atomic():
        try:
            with transaction.atomic():
                row, _ = CashlessDay.objects.get_or_create(
                    day=day, shop_id=shop_id, provider=provider
                )
        except IntegrityError:  # made meanwhile by another handler of the same cell
            pass
        row = CashlessDay.objects.select_for_update().get(
            day=day, shop_id=shop_id, provider=provider
        )
        # Read after the lock: a handler that waited sees what the one before it committed.
        figures = _figures(_received_in(cell))
        if figures.payments == 0:
            row.delete()
            return
        row.payments, row.value, row.refunded = figures.payments, figures.value, figures.refunded
        row.order_value = figures.order_value
        row.save(update_fields=["payments", "value", "refunded", "order_value"])


def _computed() -> dict[Cell, Figures]:
    """Every cell as the payments say, in one GROUP BY."""
    rows = (
        Payment.objects.filter(status__in=RECEIVED, succeeded_at__isnull=False)
        .annotate(day=TruncDate("succeeded_at", tzinfo=_local_tz()))
        .values("day", "order__shop_id", "provider")
        .annotate(**_SUMS)
        .order_by()
    )
    return {
        (row["day"], row["order__shop_id"], row["provider"]): Figures(
            row["payments"], row["value"], row["refunded"], row["order_value"]
        )
        for row in rows.iterator(chunk_size=5000)
    }


def _kept() -> dict[Cell, Figures]:
    return {
        (row.day, row.shop_id, row.provider): Figures(
            row.payments, row.value, row.refunded, row.order_value
        )
        for row in CashlessDay.objects.all().iterator(chunk_size=5000)
    }


ProductCell = tuple[dt.date, int]  # day, product id


def _products_computed() -> dict[ProductCell, tuple[int, int, int]]:
    """Every product cell as the order lines say: (shop id, quantity, value)."""
    rows = (
        OrderLine.objects.filter(
            order__payments__status=PaymentStatus.SUCCEEDED,
            order__payments__succeeded_at__isnull=False,
        )
        .annotate(day=TruncDate("order__payments__succeeded_at", tzinfo=_local_tz()))
        .values("day", "product_id", "order__shop_id")
        .annotate(quantity=Sum("quantity"), value=Sum("line_total"))
        .order_by()
    )
    return {
        (row["day"], row["product_id"]): (row["order__shop_id"], row["quantity"], row["value"])
        for row in rows.iterator(chunk_size=5000)
    }


def _products_kept() -> dict[ProductCell, tuple[int, int, int]]:
    return {
        (row.day, row.product_id): (row.shop_id, row.quantity, row.value)
        for row in ProductSalesDay.objects.all().iterator(chunk_size=5000)
    }


def differences() -> list[tuple[Cell, Figures | None, Figures | None]]:
    """The cells where what is kept differs from what the payments say: (cell, kept,
    computed); empty when the aggregates are exact."""
    kept, computed = _kept(), _computed()
    found = [
        (cell, kept.get(cell), computed.get(cell))
        for cell in sorted(kept.keys() | computed.keys(), key=lambda c: (c[0], c[1], c[2]))
        if kept.get(cell) != computed.get(cell)
    ]
    kept_products, computed_products = _products_kept(), _products_computed()
    found += [
        (cell, kept_products.get(cell), computed_products.get(cell))
        for cell in sorted(kept_products.keys() | computed_products.keys())
        if kept_products.get(cell) != computed_products.get(cell)
    ]
    return found


def rebuild(batch_size: int = 5000, progress=None) -> int:
    """Every cell recomputed from the payments, in one transaction (readers see the old cells
    until it commits). Returns the number of cells."""
    computed, products = _computed(), _products_computed()
    with transaction.atomic():
        CashlessDay.objects.all().delete()
        ProductSalesDay.objects.all().delete()
        cells = [
            CashlessDay(
                day=day,
                shop_id=shop_id,
                provider=provider,
                payments=f.payments,
                value=f.value,
                refunded=f.refunded,
                order_value=f.order_value,
            )
            for (day, shop_id, provider), f in computed.items()
        ] + [
            ProductSalesDay(
                day=day, product_id=product_id, shop_id=shop_id, quantity=quantity, value=value
            )
            for (day, product_id), (shop_id, quantity, value) in products.items()
        ]
        for start in range(0, len(cells), batch_size):
            batch = cells[start : start + batch_size]
            for model in (CashlessDay, ProductSalesDay):
                rows = [cell for cell in batch if isinstance(cell, model)]
                if rows:
                    model.objects.bulk_create(rows)
            if progress:
                progress(len(batch))
    return len(cells)
