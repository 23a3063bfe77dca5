"""QRIS: a dynamic QR made from the shop's own static sticker; the acquirer confirms with a
Midtrans-style HTTP notification signed with SHA-512(order_id + status_code + gross_amount +
QRIS_SERVER_KEY)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from marketplace.models import Shop
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

# The signature covers order_id + status_code + gross_amount, not transaction_status: a status
# is believed only with the status_code Midtrans sends with it, so a signed "pending" (201) or
# "expire" (202) cannot be replayed as a settlement. From Midtrans' docs ("Status Codes" 2xx and
# the "Response and Notification" samples of the cancel, expire and refund APIs): 200 is success
# (capture, settlement, cancel, refund), 201 pending, 202 denied; the expire sample notification
# carries 202, the expire API answer 407. Nothing else is accepted.
STATUS_CODES = {
    "settlement": frozenset({"200"}),
    "capture": frozenset({"200"}),
    "pending": frozenset({"201"}),
    "deny": frozenset({"202"}),
    "cancel": frozenset({"200"}),
    "expire": frozenset({"202", "407"}),
    "refund": frozenset({"200"}),
}
SIGNATURE = re.compile(r"[0-9a-fA-F]{128}")
# The contract (DESIGN.md, Webhooks): a string with exactly two decimals, e.g. "95000.00". Rupiah
# are whole, so the decimals must be 00; no amount we ask for is above MAX_AMOUNT (the
# PositiveIntegerField a payment's amount and a stored notice's amount are kept in).
GROSS_AMOUNT = re.compile(r"(0|[1-9][0-9]{0,9})\.00")
MAX_AMOUNT = 2_147_483_647
# order_id and transaction_id go into ProviderEvent columns of 100 characters (PostgreSQL
# refuses longer text, NUL characters and lone surrogates with an error, not a 400).
IDENTIFIER = re.compile(r"[!-~]{1,100}")


def gross_amount_rupiah(gross_amount: str) -> int:
    """Whole rupiah of a gross_amount like "95000.00", read as a Decimal (a float would turn
    "10000.004" into 10000). Raises InvalidNotification for any other form: fractions, signs,
    exponents, NaN, spaces, non-ASCII digits, more than 13 digits."""
    if not GROSS_AMOUNT.fullmatch(gross_amount) or Decimal(gross_amount) > MAX_AMOUNT:
        raise InvalidNotification(
            f"gross_amount is not whole rupiah with two decimals: {gross_amount[:40]!r}"
        )
    return int(Decimal(gross_amount))


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    text = f"{order_id}{status_code}{gross_amount}{server_key}"
    return hashlib.sha512(text.encode()).hexdigest()


class QrisProvider:
    name = "qris"
    refunds_automatically = False  # direct-to-merchant: the money is in the seller's account

    def unavailable(self, shop: Shop) -> str:
        # The reverse one-to-one: no query when the caller select_related("qris").
        if getattr(shop, "qris", None) is None:
            return _("Toko ini belum memasang QRIS.")
        return ""

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
            transaction_status = data["transaction_status"]
            status = STATUS[transaction_status]
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            # RecursionError: deeply nested JSON ("[[[[..."), which json.loads cannot read.
            raise InvalidNotification(f"unreadable notification: {type(exc).__name__}") from exc
        if not (IDENTIFIER.fullmatch(order_id) and IDENTIFIER.fullmatch(transaction_id)):
            raise InvalidNotification("order_id or transaction_id is not 1-100 printable ASCII")
        key = settings.QRIS_SERVER_KEY
        if not key:
            raise InvalidNotification("QRIS_SERVER_KEY is not set")
        if not SIGNATURE.fullmatch(given):
            raise InvalidNotification("signature_key is not 128 hex digits")
        try:
            expected = signature(order_id, status_code, gross_amount, key)
        except UnicodeEncodeError as exc:  # a lone surrogate ("\ud800") in a field
            raise InvalidNotification("unencodable field") from exc
        if not hmac.compare_digest(expected, given.lower()):
            raise InvalidNotification("bad signature")
        if status_code not in STATUS_CODES[transaction_status]:
            raise InvalidNotification(
                f"transaction_status {transaction_status!r} does not go with status_code "
                f"{status_code[:10]!r}"
            )
        amount = gross_amount_rupiah(gross_amount)
        return [
            Notice(
                event_id=f"{transaction_id}:{transaction_status}",
                reference=order_id,
                status=status,
                amount=amount,
                provider_reference=transaction_id,
            )
        ]

    def refund(self, payment: Payment) -> None:
        # Direct-to-merchant QRIS: the money is in the seller's account; the seller refunds it.
        return None
