"""Payment providers behind one interface. A new provider is one module here and one line in
PROVIDERS. Only this package talks to outside payment services (only stripe_cards imports stripe).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from marketplace.models import Shop
    from payments.models import Payment


class InvalidNotification(Exception):
    """A notification that fails its signature or cannot be read: refused, nothing stored."""


class ProviderError(Exception):
    """The provider refused or could not be reached; the message is safe to show. `retryable`:
    the call may have been lost on the way (network, rate limit, the provider's own fault), so
    the same call with the same idempotency key may be tried again later."""

    def __init__(self, message: str, *, retryable: bool = False):
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Notice:
    """What a provider's notification says, in our words."""

    event_id: str  # the provider's id for this notification: duplicates share it
    reference: str  # our Payment.reference
    status: str  # a PaymentStatus value
    amount: int | None  # whole rupiah, when the provider says
    provider_reference: str = ""


class PaymentProvider(Protocol):
    name: str
    # True when refund() sends the money back itself (cards); False when the money is in the
    # seller's own account (QRIS, transfer) and the seller must send it back.
    refunds_automatically: bool

    def unavailable(self, shop: Shop) -> str:
        """Why `shop` cannot take payments this way ("" when it can). No outside call."""

    def start(self, payment: Payment) -> None:
        """Fill in what the buyer needs (QR payload, client secret...) on `payment`."""

    def parse_notification(self, body: bytes, headers: dict[str, str]) -> list[Notice]:
        """Verify and read a notification. Raises InvalidNotification."""

    def refund(self, payment: Payment) -> None:
        """Give back what is not refunded yet (raises ProviderError when it cannot). Called with
        no transaction open; a repeat of the same refund must not refund twice."""


PROVIDERS = {
    "qris": "payments.providers.qris_acquirer.QrisProvider",
    "transfer": "payments.providers.bank_transfer.TransferProvider",
    "stripe": "payments.providers.stripe_cards.StripeProvider",
}


def provider_for(name: str) -> PaymentProvider:
    try:
        return import_string(PROVIDERS[name])()
    except KeyError as exc:
        raise ProviderError(f"Unknown payment provider {name!r}") from exc
