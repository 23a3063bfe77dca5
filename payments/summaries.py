"""What other apps may read of payments without importing this app: plain dicts, reached
through settings.ORDER_PAYMENTS_READER (the checkout API uses it)."""

from __future__ import annotations

from collections import defaultdict

from payments.models import Payment


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
