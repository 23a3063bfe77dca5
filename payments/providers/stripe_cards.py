"""Cards through Stripe PaymentIntents. The only module that imports `stripe`.

Stripe does not count IDR as zero-decimal: Rp 10.000 is sent as amount=1000000, currency="idr".
Every call carries an idempotency key derived from our payment reference, so a retried call never
charges twice. Webhooks are checked with the library's own signature code.
"""

from __future__ import annotations

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from marketplace.models import Shop
from payments.models import Payment, PaymentStatus
from payments.providers import InvalidNotification, Notice, ProviderError

STATUS = {
    "payment_intent.succeeded": PaymentStatus.SUCCEEDED,
    "payment_intent.payment_failed": PaymentStatus.FAILED,
    "payment_intent.canceled": PaymentStatus.FAILED,
    "payment_intent.processing": PaymentStatus.PENDING,
    "charge.refunded": PaymentStatus.REFUNDED,
}


def to_stripe_amount(rupiah: int) -> int:
    return rupiah * 100


def from_stripe_amount(amount: int) -> int:
    return amount // 100


# Errors after which the same call (same idempotency key) may be tried again: the request may
# never have arrived, or Stripe failed on its side.
RETRYABLE = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


def _error(exc: stripe.StripeError) -> ProviderError:
    return ProviderError(f"Stripe: {exc.user_message or exc}", retryable=isinstance(exc, RETRYABLE))


def not_configured() -> str:
    if not settings.STRIPE_SECRET_KEY:
        return _("Pembayaran kartu belum diaktifkan (STRIPE_SECRET_KEY kosong).")
    return ""


def client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ProviderError(not_configured())
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2
    )


class StripeProvider:
    name = "stripe"
    refunds_automatically = True

    def unavailable(self, shop: Shop) -> str:
        return not_configured()

    def start(self, payment: Payment) -> None:
        try:
            intent = client().v1.payment_intents.create(
                params={
                    "amount": to_stripe_amount(payment.amount),
                    "currency": "idr",
                    "metadata": {
                        "reference": payment.reference,
                        "order_number": payment.order.number,
                    },
                    "automatic_payment_methods": {"enabled": True},
                },
                options={"idempotency_key": f"start-{payment.reference}"},
            )
        except stripe.StripeError as exc:
            raise _error(exc) from exc
        payment.provider_reference = intent.id
        payment.client_secret = intent.client_secret or ""

    def parse_notification(self, body: bytes, headers: dict[str, str]) -> list[Notice]:
        try:
            event = stripe.Webhook.construct_event(
                body, headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET
            )
        except (ValueError, stripe.SignatureVerificationError) as exc:
            raise InvalidNotification(str(exc)) from exc
        status = STATUS.get(event.type)
        if status is None:
            return []  # an event we do not act on
        obj = event.data.object.to_dict()
        metadata = obj.get("metadata") or {}
        if event.type == "charge.refunded":
            # Cumulative over every refund of the charge: the payment is refunded only when it
            # reaches the whole amount; an older or repeated event never counts twice.
            amount = obj.get("amount_refunded")
            intent_id = obj.get("payment_intent") or ""
        else:
            amount = obj.get("amount_received") or obj.get("amount")
            intent_id = obj.get("id", "")
        return [
            Notice(
                event_id=event.id,
                reference=metadata.get("reference", ""),
                status=status,
                amount=from_stripe_amount(amount) if amount is not None else None,
                provider_reference=intent_id,
            )
        ]

    def refund(self, payment: Payment) -> None:
        # No amount: Stripe refunds what is not refunded yet. One key per payment, so a retried
        # or reconciled call is answered with the first refund, never a second one.
        try:
            client().v1.refunds.create(
                params={"payment_intent": payment.provider_reference},
                options={"idempotency_key": f"refund-{payment.reference}"},
            )
        except stripe.StripeError as exc:
            raise _error(exc) from exc
