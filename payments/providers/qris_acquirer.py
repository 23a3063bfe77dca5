"""QRIS: a dynamic QR made from the shop's own static sticker; the acquirer confirms with a
Midtrans-style HTTP notification signed with SHA-512(order_id + status_code + gross_amount +
QRIS_SERVER_KEY)."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.utils.translation import gettext as _

from payments import qris
from payments.models import MerchantQris, Payment, PaymentStatus
from payments.providers import InvalidNotification, Notice, ProviderError

STATUS = {
    "settlement": PaymentStatus.SUCCEEDED,
    "capture": PaymentStatus.SUCCEEDED,
    "pending": PaymentStatus.PENDING,
    "expire": PaymentStatus.EXPIRED,
    "cancel": PaymentStatus.FAILED,
    "deny": PaymentStatus.FAILED,
    "refund": PaymentStatus.REFUNDED,
}


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    text = f"{order_id}{status_code}{gross_amount}{server_key}"
    return hashlib.sha512(text.encode()).hexdigest()


class QrisProvider:
    name = "qris"

    def start(self, payment: Payment) -> None:
        merchant = MerchantQris.objects.filter(shop_id=payment.order.shop_id).first()
        if merchant is None:
            raise ProviderError(_("Toko ini belum memasang QRIS."))
        payment.qr_payload = qris.to_dynamic(
            merchant.payload, payment.amount, reference=payment.reference
        )

    def parse_notification(self, body: bytes, headers: dict[str, str]) -> list[Notice]:
        try:
            data = json.loads(body)
            order_id = str(data["order_id"])
            status_code = str(data["status_code"])
            gross_amount = str(data["gross_amount"])
            given = str(data["signature_key"])
            transaction_id = str(data["transaction_id"])
            status = STATUS[data["transaction_status"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidNotification(f"unreadable notification: {exc}") from exc
        key = settings.QRIS_SERVER_KEY
        if not key:
            raise InvalidNotification("QRIS_SERVER_KEY is not set")
        expected = signature(order_id, status_code, gross_amount, key)
        if not hmac.compare_digest(expected, given.lower()):
            raise InvalidNotification("bad signature")
        try:
            amount = round(float(gross_amount))
        except ValueError as exc:
            raise InvalidNotification("bad gross_amount") from exc
        return [
            Notice(
                event_id=f"{transaction_id}:{data['transaction_status']}",
                reference=order_id,
                status=status,
                amount=amount,
                provider_reference=transaction_id,
            )
        ]

    def refund(self, payment: Payment) -> None:
        # Direct-to-merchant QRIS: the money is in the seller's account; the seller refunds it.
        return None
