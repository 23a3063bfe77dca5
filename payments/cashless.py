"""The cashless figures' aggregates (payments.CashlessDay): a cell per day, shop and method.

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
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from payments.models import CashlessDay, Payment, PaymentStatus

# Money received: a payment that succeeded, and one refunded since (its refunded_amount says
# how much went back).
RECEIVED = (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)

Cell = tuple[dt.date, int, str]  # day, shop id, provider


@dataclass(frozen=True)
class Figures:
    payments: int
    value: int
    refunded: int


def _local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def cell_of(payment: Payment) -> Cell | None:
    if payment.succeeded_at is None:
        return None
    return (timezone.localdate(payment.succeeded_at), payment.order.shop_id, payment.provider)


def _received_in(cell: Cell):
    day, shop_id, provider = cell
    start = dt.datetime.combine(day, dt.time.min, tzinfo=_local_tz())
    return Payment.objects.filter(
        status__in=RECEIVED,
        succeeded_at__gte=start,
        succeeded_at__lt=start + dt.timedelta(days=1),
        order__shop_id=shop_id,
        provider=provider,
    )


def _figures(payments) -> Figures:
    totals = payments.aggregate(
        payments=Count("id"),
        value=Coalesce(Sum("amount"), 0),
        refunded=Coalesce(Sum("refunded_amount"), 0),
    )
    return Figures(totals["payments"], totals["value"], totals["refunded"])


def recount_payment(payment_id: int) -> None:
    """The cell of this payment, recomputed (a payment that never succeeded has none)."""
    payment = Payment.objects.select_related("order").filter(pk=payment_id).first()
    cell = cell_of(payment) if payment is not None else None
    if cell is not None:
        recount_cell(cell)


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
        row.save(update_fields=["payments", "value", "refunded"])


def _computed() -> dict[Cell, Figures]:
    """Every cell as the payments say, in one GROUP BY."""
    rows = (
        Payment.objects.filter(status__in=RECEIVED, succeeded_at__isnull=False)
        .annotate(day=TruncDate("succeeded_at", tzinfo=_local_tz()))
        .values("day", "order__shop_id", "provider")
        .annotate(payments=Count("id"), value=Sum("amount"), refunded=Sum("refunded_amount"))
        .order_by()
    )
    return {
        (row["day"], row["order__shop_id"], row["provider"]): Figures(
            row["payments"], row["value"], row["refunded"]
        )
        for row in rows.iterator(chunk_size=5000)
    }


def _kept() -> dict[Cell, Figures]:
    return {
        (row.day, row.shop_id, row.provider): Figures(row.payments, row.value, row.refunded)
        for row in CashlessDay.objects.all().iterator(chunk_size=5000)
    }


def differences() -> list[tuple[Cell, Figures | None, Figures | None]]:
    """The cells where what is kept differs from what the payments say: (cell, kept,
    computed); empty when the aggregates are exact."""
    kept, computed = _kept(), _computed()
    return [
        (cell, kept.get(cell), computed.get(cell))
        for cell in sorted(kept.keys() | computed.keys(), key=lambda c: (c[0], c[1], c[2]))
        if kept.get(cell) != computed.get(cell)
    ]


def rebuild(batch_size: int = 5000, progress=None) -> int:
    """Every cell recomputed from the payments, in one transaction (readers see the old cells
    until it commits). Returns the number of cells."""
    computed = _computed()
    with transaction.atomic():
        CashlessDay.objects.all().delete()
        cells = [
            CashlessDay(
                day=day,
                shop_id=shop_id,
                provider=provider,
                payments=f.payments,
                value=f.value,
                refunded=f.refunded,
            )
            for (day, shop_id, provider), f in computed.items()
        ]
        for start in range(0, len(cells), batch_size):
            CashlessDay.objects.bulk_create(cells[start : start + batch_size])
            if progress:
                progress(len(cells[start : start + batch_size]))
    return len(computed)
