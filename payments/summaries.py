"""What other apps may read of payments without importing this app: plain dicts, reached
through settings.ORDER_PAYMENTS_READER (the checkout API uses it) and
settings.SHOP_PAYMENTS_TO_CONFIRM_READER (the seller dashboard) and
settings.SHOP_PAYMENT_METHODS_READER (the cart and checkout pages)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from marketplace.models import Shop
from payments.models import Payment, PaymentStatus, Provider
from payments.services import payment_methods


def payments_by_order(order_ids: list[int]) -> dict[int, list[dict]]:
    """Order id → its payments, newest first, as the API writes them. One query."""
    found: dict[int, list[dict]] = defaultdict(list)
    for payment in Payment.objects.filter(order_id__in=order_ids).order_by("-created_at", "-id"):
        found[payment.order_id].append(
            {
                "reference": payment.reference,
                "provider": payment.provider,
                "status": payment.status,
                "amount": payment.amount,
                "expires_at": payment.expires_at.isoformat(),
                "needs_attention": payment.needs_attention,
            }
        )
    return dict(found)


def shop_payments_to_confirm(shop_id: int) -> dict[str, int]:
    """What waits for the seller of one shop: pending transfers and QRIS payments, whose money
    only the seller can see arrive (payments.services.SELLER_CONFIRMS), and payments flagged for
    a review (money after the order ended, or twice). The keys match the seller payments
    list's filters: transfer and qris → ?status=pending, attention → ?status=attention.
    One query."""
    pending = Q(status=PaymentStatus.PENDING)
    return Payment.objects.filter(order__shop_id=shop_id).aggregate(
        transfer=Count("pk", filter=pending & Q(provider=Provider.TRANSFER)),
        qris=Count("pk", filter=pending & Q(provider=Provider.QRIS)),
        attention=Count("pk", filter=Q(needs_attention=True, status=PaymentStatus.SUCCEEDED)),
    )


def payment_methods_for_shops(shop_ids: list[int]) -> dict[int, list[str]]:
    """Shop id → the ways it takes money ("qris", "transfer", "stripe"), in the order the pay
    page offers them: payments.services.payment_methods, the rule payment_start enforces, so
    the cart cannot promise what the pay page refuses. One query, for any number of shops."""
    shops = Shop.objects.filter(pk__in=shop_ids).select_related("qris")
    return {shop.pk: [str(method) for method in payment_methods(shop=shop)] for shop in shops}
