"""Queries for the payment pages: the buyer's /pay/<code>/<number>/ and the seller's
/seller/<slug>/payments/. Each runs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from marketplace.models import Order, OrderStatus, Shop
from payments.models import MerchantQris, Payment, PaymentStatus, Provider
from payments.services import REFUND_ATTENTION, payment_methods

P = PaymentStatus

# Order statuses that mean the buyer's money has been counted.
ORDER_PAID = frozenset(
    {
        OrderStatus.PAID,
        OrderStatus.PROCESSING,
        OrderStatus.SHIPPED,
        OrderStatus.READY_FOR_PICKUP,
        OrderStatus.COMPLETED,
    }
)


# Buyer ---------------------------------------------------------------------------------------


def pay_order(code: str, number: str) -> Order:
    """One order of one checkout (both must match), with its checkout, its shop and the shop's
    QRIS (None when the shop has none), or Order.DoesNotExist. One query."""
    return Order.objects.select_related("checkout", "shop", "shop__qris").get(
        checkout__code=code, number=number
    )


def shop_qris(shop: Shop) -> MerchantQris | None:
    return getattr(shop, "qris", None)


def order_payable(order: Order) -> bool:
    """Whether the buyer may still start paying this order."""
    return order.status == OrderStatus.AWAITING_PAYMENT and order.expires_at > timezone.now()


def pay_methods(order: Order) -> list[str]:
    """The ways this order's shop takes money, in the order the page offers them: the rule is
    payments.services.payment_methods, which payment_start enforces for every caller."""
    return payment_methods(shop=order.shop)


def payment_money_back(payment: Payment) -> bool:
    """Whether this payment's money goes, or went, back to the buyer (order_money_back's rule)."""
    return (
        payment.attention in REFUND_ATTENTION
        or payment.refunded_amount > 0
        or payment.status == P.REFUNDED
    )


def order_money_back(order: Order) -> list[Payment]:
    """Payments of this order whose money goes, or went, back to the buyer (it came after the
    order ended, or the order was cancelled after it was paid), for the buyer's pay page.
    One query."""
    return list(
        order.payments.filter(
            Q(attention__in=REFUND_ATTENTION) | Q(refunded_amount__gt=0) | Q(status=P.REFUNDED)
        ).order_by("-created_at", "-pk")
    )


def order_pending_payments(order: Order) -> list[Payment]:
    """Payments of this order still waiting for money, newest first. One query."""
    return list(order.payments.filter(status=P.PENDING).order_by("-created_at", "-pk"))


def order_payment(order: Order, reference: str) -> Payment:
    """A payment of this order by its reference, or Payment.DoesNotExist. One query."""
    return Payment.objects.get(order=order, reference=reference)


@dataclass(frozen=True)
class PayStatus:
    order_status: str
    payment_status: str | None
    # Payment.attention: set when the money came after the order ended and goes back.
    attention: str = ""

    @property
    def paid(self) -> bool:
        return self.order_status in ORDER_PAID or (
            self.payment_status == P.SUCCEEDED and not self.attention
        )

    def as_dict(self) -> dict:
        return {
            "order_status": self.order_status,
            "payment_status": self.payment_status,
            "attention": self.attention,
        }


def pay_status(code: str, number: str, reference: str = "") -> PayStatus:
    """What /pay/<code>/<number>/status.json answers: the order's status and that of the payment
    named by `reference` (else the order's latest payment; None when it has none), or
    Order.DoesNotExist. Two queries."""
    order_status = (
        Order.objects.filter(checkout__code=code, number=number).values_list("pk", "status").first()
    )
    if order_status is None:
        raise Order.DoesNotExist
    order_id, status = order_status
    payments = Payment.objects.filter(order_id=order_id)
    if reference:
        payments = payments.filter(reference=reference)
    payment = payments.order_by("-created_at", "-pk").values_list("status", "attention").first()
    payment_status, attention = payment or (None, "")
    return PayStatus(order_status=status, payment_status=payment_status, attention=attention)


# Seller --------------------------------------------------------------------------------------

SELLER_FILTERS = {
    # ?status= value → which payments the list shows
    "": Q(status__in=[P.PENDING, P.SUCCEEDED]) | Q(needs_attention=True),
    "pending": Q(status=P.PENDING),
    "succeeded": Q(status=P.SUCCEEDED),
    "attention": Q(needs_attention=True, status=P.SUCCEEDED),
    "closed": Q(status__in=[P.FAILED, P.EXPIRED, P.REFUNDED]),
    "all": Q(),
}


def seller_payments(shop: Shop, status: str = "", provider: str = "") -> QuerySet[Payment]:
    """This shop's payments for its dashboard: flagged ones first (money that came in after
    the order expired, or twice), then those waiting for the seller, then the newest. The page
    runs a fixed number of queries: the count and the rows (with order, checkout, who
    confirmed); a proof is a private file, shown through payments.views.proofs."""
    condition = SELLER_FILTERS.get(status, SELLER_FILTERS[""])
    if provider in Provider.values:  # ?method= from the dashboard's "transfers to confirm"
        condition &= Q(provider=provider)
    return (
        Payment.objects.filter(condition, order__shop=shop)
        .select_related("order", "order__checkout", "confirmed_by")
        .annotate(
            rank=Case(
                When(needs_attention=True, status=P.SUCCEEDED, then=Value(0)),
                When(status=P.PENDING, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-created_at", "-pk")
    )


def seller_payment(shop: Shop, reference: str) -> Payment:
    """One of this shop's payments, or Payment.DoesNotExist (another shop's is not found)."""
    return Payment.objects.select_related("order").get(order__shop=shop, reference=reference)


def seller_payment_counts(shop: Shop) -> dict[str, int]:
    """How many payments wait for the seller, and how many are flagged. One query."""
    row = Payment.objects.filter(order__shop=shop).aggregate(
        pending=Count("pk", filter=Q(status=P.PENDING)),
        attention=Count("pk", filter=Q(needs_attention=True, status=P.SUCCEEDED)),
    )
    return {"pending": row["pending"], "attention": row["attention"]}


# A whole checkout ("Bayar semua") -------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutOrder:
    """One order of a checkout, as the "Bayar semua" flow needs it."""

    number: str
    shop_name: str
    status: str
    total: int
    # Still awaiting payment and before its deadline: the buyer may pay it now.
    payable: bool

    @property
    def paid(self) -> bool:
        return self.status in ORDER_PAID

    @property
    def status_label(self) -> str:
        return OrderStatus(self.status).label


@dataclass(frozen=True)
class CheckoutProgress:
    """How far the buyer got paying a checkout's orders (one per shop), in the order
    /orders/<code>/ lists them."""

    code: str
    orders: tuple[CheckoutOrder, ...]

    @property
    def total(self) -> int:
        return len(self.orders)

    @property
    def paid(self) -> int:
        return sum(1 for order in self.orders if order.paid)

    @property
    def several(self) -> bool:
        return len(self.orders) > 1

    @property
    def all_paid(self) -> bool:
        return all(order.paid for order in self.orders)

    @property
    def unpaid(self) -> list[CheckoutOrder]:
        """The orders the buyer can still pay, first to pay first."""
        return [order for order in self.orders if order.payable]

    def next_after(self, number: str) -> CheckoutOrder | None:
        """The first order still to pay other than `number`: where "Lanjut bayar" leads."""
        return next((order for order in self.unpaid if order.number != number), None)


def checkout_progress(code: str) -> CheckoutProgress:
    """The orders of the checkout with this code and which of them are paid or still payable,
    or Order.DoesNotExist for an unknown code (a checkout always has an order). One query."""
    now = timezone.now()
    rows = (
        Order.objects.filter(checkout__code=code)
        .order_by("id")  # the order /orders/<code>/ shows them in
        .values_list("number", "shop__name", "status", "total", "expires_at")
    )
    orders = tuple(
        CheckoutOrder(
            number=number,
            shop_name=shop_name,
            status=status,
            total=total,
            payable=status == OrderStatus.AWAITING_PAYMENT and expires_at > now,
        )
        for number, shop_name, status, total, expires_at in rows
    )
    if not orders:
        raise Order.DoesNotExist
    return CheckoutProgress(code=code, orders=orders)
