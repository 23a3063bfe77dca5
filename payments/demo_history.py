"""A history of demo payments (seed_demo's step, and the benchmarks' data): orders over the
last year paid by the methods each demo shop takes, some refunded in part or in full, some
left to expire unpaid (lost sales), written in bulk, then the cashless figures rebuilt from
them. The default is about 2,400 payments (a year of a small regency's marketplace);
`seed_demo --payments N` makes N (a million for bench/reports.py). Running again adds
nothing when a history is there (its orders' numbers start with DEMO-)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from marketplace.models import (
    Checkout,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    ProductStatus,
    ShopStatus,
)
from payments import cashless
from payments.models import MerchantQris, Payment, PaymentStatus, Provider

DEFAULT_PAYMENTS = 2_400
BATCH = 5_000
PREFIX = "DEMO-"
LOST_SHARE = 0.12  # orders left unpaid until they expired
REFUND_SHARE = 0.03  # paid, then refunded in full; as many again in part (cards)


@contextmanager
def dated_rows() -> Iterator[None]:
    """Lets bulk_create keep the created_at the history gives (auto_now_add would not)."""
    fields = [
        Checkout._meta.get_field("created_at"),
        Order._meta.get_field("created_at"),
        Payment._meta.get_field("created_at"),
    ]
    saved = [field.auto_now_add for field in fields]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in zip(fields, saved, strict=True):
            field.auto_now_add = value


def seed_payment_history(
    payments: int | None = None, *, seed: int = 2026, progress: Callable[[int], None] | None = None
) -> int:
    """Makes `payments` paid orders (and about LOST_SHARE as many expired ones) over the last
    365 days; returns how many payments it made (0 when a history is there already)."""
    if Order.objects.filter(number__startswith=PREFIX).exists():
        return 0
    total = DEFAULT_PAYMENTS if payments is None else payments
    products = list(
        Product.objects.filter(status=ProductStatus.ACTIVE, shop__status=ShopStatus.VERIFIED)
        .select_related("shop")
        .order_by("pk")[:2000]
    )
    if not products or total <= 0:
        return 0
    with_qris = set(MerchantQris.objects.values_list("shop_id", flat=True))
    rng = random.Random(seed)
    now = timezone.now()
    made = numbered = 0
    with dated_rows():
        while made < total:
            size = min(BATCH, total - made)
            # Numbers run on over the batch's paid and lost orders alike.
            numbered += _batch(rng, products, with_qris, now, start=numbered, size=size)
            made += size
            if progress:
                progress(size)
    cashless.rebuild()
    return made


def _methods(shop_id: int, with_qris: set[int]) -> list[str]:
    methods = [Provider.TRANSFER]
    if shop_id in with_qris:
        methods += [Provider.QRIS] * 4  # where a shop takes QRIS, most tourists use it
    methods.append(Provider.STRIPE)  # foreign tourists' cards
    return methods


def _batch(rng, products, with_qris, now, *, start: int, size: int) -> int:
    """`size` paid orders and their lost ones, numbered from `start`; returns how many."""
    lost = round(size * LOST_SHARE)
    rows = []
    for i in range(size + lost):
        product = rng.choice(products)
        # More sales in the dry season and at year's end, as the lake's visitors come.
        moment = now - dt.timedelta(days=rng.random() ** 1.2 * 365, minutes=rng.randint(0, 600))
        quantity = rng.randint(1, 3)
        rows.append((product, moment, quantity, i >= size))
    with transaction.atomic():
        checkouts = Checkout.objects.bulk_create(
            [
                Checkout(
                    contact_name=f"Tamu Demo {start + i}",
                    contact_phone="+6281200000000",
                    contact_email=f"tamu{start + i}@pasar.test",
                    created_at=moment,
                )
                for i, (_p, moment, _q, _l) in enumerate(rows)
            ],
            batch_size=BATCH,
        )
        orders = []
        for i, ((product, moment, quantity, is_lost), checkout) in enumerate(
            zip(rows, checkouts, strict=True)
        ):
            total = product.price * quantity
            orders.append(
                Order(
                    checkout=checkout,
                    shop=product.shop,
                    number=f"{PREFIX}{start + i:08d}",
                    status=OrderStatus.EXPIRED if is_lost else OrderStatus.COMPLETED,
                    subtotal=total,
                    total=total,
                    expires_at=moment + dt.timedelta(minutes=30),
                    holds_stock=False,
                    created_at=moment,
                )
            )
        orders = Order.objects.bulk_create(orders, batch_size=BATCH)
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    product=product,
                    title=product.title,
                    quantity=quantity,
                    unit_price=product.price,
                    line_total=order.total,
                )
                for order, (product, _m, quantity, _l) in zip(orders, rows, strict=True)
            ],
            batch_size=BATCH,
        )
        payments = []
        for order, (product, moment, _q, is_lost) in zip(orders, rows, strict=True):
            provider = rng.choice(_methods(product.shop_id, with_qris))
            paid_at = moment + dt.timedelta(minutes=rng.randint(1, 25))
            payment = Payment(
                order=order,
                provider=provider,
                amount=order.total,
                expires_at=order.expires_at,
                created_at=moment,
            )
            if is_lost:
                payment.status = PaymentStatus.EXPIRED
            else:
                payment.status, payment.succeeded_at = PaymentStatus.SUCCEEDED, paid_at
                draw = rng.random()
                if draw < REFUND_SHARE:
                    payment.status, payment.refunded_amount = PaymentStatus.REFUNDED, order.total
                    order.status = OrderStatus.REFUNDED
                elif draw < 2 * REFUND_SHARE and provider == Provider.STRIPE:
                    payment.refunded_amount = order.total // 4
            payments.append(payment)
        Payment.objects.bulk_create(payments, batch_size=BATCH)
        refunded = [o.pk for o in orders if o.status == OrderStatus.REFUNDED]
        if refunded:
            Order.objects.filter(pk__in=refunded).update(status=OrderStatus.REFUNDED)
    return len(orders)


def seed_demo_payment_history(payments: int | None = None, seed: int = 2026) -> None:
    """seed_demo's step (settings.DEMO_SEED_STEPS): `seed_demo --payments N`, with a progress
    bar on the command's error stream when N is large."""
    count = DEFAULT_PAYMENTS if payments is None else payments
    if count < 50_000:
        seed_payment_history(count, seed=seed)
        return
    with tqdm(total=count, unit=" pembayaran", desc="Pembayaran", mininterval=0.5) as bar:
        seed_payment_history(count, seed=seed, progress=bar.update)
