"""Cards: the real `stripe` library against a local stand-in; webhooks checked by the library."""

import pytest

from marketplace.models import OrderStatus, OutboxEvent
from payments import services
from payments.models import Payment, PaymentStatus, ProviderEvent
from tests.factories import UserFactory
from tests.payments import helpers
from tests.payments.helpers import order_for, signed

pytestmark = pytest.mark.django_db
stripe_api = helpers.stripe_api  # the fixture


def intent_event(event_id: str, kind: str, payment: Payment, amount: int) -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "api_version": "2024-06-20",
        "data": {
            "object": {
                "id": payment.provider_reference,
                "object": "payment_intent",
                "amount": amount,
                "amount_received": amount,
                "metadata": {"reference": payment.reference},
            }
        },
    }


def test_a_card_payment_sends_rupiah_times_100_with_an_idempotency_key(stripe_api):
    payment = services.payment_start(order=order_for(10_000), provider="stripe")
    (request,) = stripe_api.requests
    assert request["form"]["amount"] == "1000000" and request["form"]["currency"] == "idr"
    assert request["idempotency_key"] == f"start-{payment.reference}"
    assert request["form"]["metadata[reference]"] == payment.reference
    assert payment.client_secret.startswith(payment.provider_reference)


def test_the_verified_webhook_pays_the_order(
    client, stripe_api, django_capture_on_commit_callbacks
):
    payment = services.payment_start(order=order_for(10_000), provider="stripe")
    body, header = signed(intent_event("evt_1", "payment_intent.succeeded", payment, 1_000_000))
    for _ in range(2):  # Stripe retries: the second is stored once and changes nothing
        response = client.post(
            "/payments/webhooks/stripe/",
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
        assert response.status_code == 200
    assert ProviderEvent.objects.count() == 1
    services.provider_event_apply(provider_event_id=ProviderEvent.objects.get().pk)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    from marketplace import outbox

    event = OutboxEvent.objects.get(name="payment.succeeded")
    outbox.event_handle(event_id=event.id, handler=outbox.handlers_for(event.name)[0])
    payment.order.refresh_from_db()
    assert payment.order.status == OrderStatus.PAID


def test_a_webhook_with_a_bad_signature_is_refused(client, stripe_api):
    payment = services.payment_start(order=order_for(), provider="stripe")
    body, header = signed(
        intent_event("evt_2", "payment_intent.succeeded", payment, 1_000_000), secret="whsec_forged"
    )
    response = client.post(
        "/payments/webhooks/stripe/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 400
    assert not ProviderEvent.objects.exists()


def test_a_refund_goes_to_stripe_with_its_own_idempotency_key(stripe_api):
    payment = services.payment_start(order=order_for(), provider="stripe")
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.SUCCEEDED)
    seller = payment.order.shop.members.get()
    services.payment_refund(payment=payment, by=seller)
    refund = stripe_api.requests[-1]
    assert refund["path"] == "/v1/refunds"
    assert refund["idempotency_key"] == f"refund-{payment.reference}"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    with pytest.raises(services.PaymentRefused):
        services.payment_refund(payment=payment, by=UserFactory())  # not the shop's


def test_without_a_stripe_key_cards_are_refused_clearly(settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(services.PaymentRefused, match="STRIPE_SECRET_KEY"):
        services.payment_start(order=order_for(), provider="stripe")
