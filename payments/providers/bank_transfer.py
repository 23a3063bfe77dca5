"""Bank transfer to the seller's own account: the buyer uploads a proof, the seller accepts or
rejects it in the dashboard. No notification comes from outside."""

from __future__ import annotations

from django.utils.translation import gettext as _

from marketplace.models import Shop
from payments.models import Payment
from payments.providers import InvalidNotification, Notice, ProviderError


class TransferProvider:
    name = "transfer"
    refunds_automatically = False  # the money is in the seller's account

    def unavailable(self, shop: Shop) -> str:
        return "" if shop.bank_account_number else _("Toko ini belum mengisi rekening bank.")

    def start(self, payment: Payment) -> None:
        refusal = self.unavailable(payment.order.shop)
        if refusal:
            raise ProviderError(refusal)

    def parse_notification(self, body: bytes, headers: dict[str, str]) -> list[Notice]:
        raise InvalidNotification("bank transfers have no notifications")

    def refund(self, payment: Payment) -> None:
        return None  # the seller transfers the money back themselves
