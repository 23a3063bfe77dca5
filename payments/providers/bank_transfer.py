"""Bank transfer to the seller's own account: the buyer uploads a proof, the seller accepts or
rejects it in the dashboard. No notification comes from outside."""

from __future__ import annotations

from django.utils.translation import gettext as _

from payments.models import Payment
from payments.providers import InvalidNotification, Notice, ProviderError


class TransferProvider:
    name = "transfer"

    def start(self, payment: Payment) -> None:
        shop = payment.order.shop
        if not shop.bank_account_number:
            raise ProviderError(_("Toko ini belum mengisi rekening bank."))

    def parse_notification(self, body: bytes, headers: dict[str, str]) -> list[Notice]:
        raise InvalidNotification("bank transfers have no notifications")

    def refund(self, payment: Payment) -> None:
        return None  # the seller transfers the money back themselves
