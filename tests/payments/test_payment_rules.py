"""The payment rules live in payments.services (issue #8, item 8), so a caller that is not a view
(the API, a task, the shell) meets them too: which providers a shop offers, that the seller
cannot confirm a card payment, that only transfers can be rejected, that only an owner refunds.
Each refusal carries a code; the views show a message chosen by that code."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from marketplace.models import Order, ShopMember, ShopRole
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import services
from payments.models import Payment, PaymentStatus
from tests.factories import ProductFactory, ShopFactory, UserFactory
from tests.payments import helpers
from tests.payments.conftest import with_qris

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian(client):
    """The messages are compared in Indonesian, whatever an earlier test left active."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    with translation.override("id"):
        yield


P = PaymentStatus
stripe_api = helpers.stripe_api  # the fixture


def order_of(shop) -> Order:
    product = ProductFactory(shop=shop, price=40_000)
    return checkout_place(
        items=[CheckoutItem(product.slug, 1)],
        contact=Contact("Rina", "0812 5555 6666", "rina@pasar.test"),
    ).orders.get()


def refused(call, **kwargs) -> str:
    with pytest.raises(services.PaymentRefused) as caught:
        call(**kwargs)
    return caught.value.code


@pytest.fixture
def full_shop(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_pasar"
    owner = UserFactory()
    shop = with_qris(ShopFactory(owner=owner, bank_account_number="0011", bank_account_name="A"))
    staff = UserFactory()
    ShopMember.objects.create(shop=shop, user=staff, role=ShopRole.STAFF)
    shop.owner, shop.staff = owner, staff
    return shop


def test_which_providers_a_shop_offers(settings):
    settings.STRIPE_SECRET_KEY = ""
    bare = ShopFactory()
    assert services.payment_methods(shop=bare) == []
    assert services.payment_methods(shop=with_qris(ShopFactory())) == ["qris"]
    banked = ShopFactory(bank_account_number="0011")
    assert services.payment_methods(shop=banked) == ["transfer"]
    settings.STRIPE_SECRET_KEY = "sk_test_pasar"
    assert services.payment_methods(shop=bare) == ["stripe"]


@pytest.mark.parametrize("provider", ["qris", "transfer", "stripe"])
def test_starting_a_provider_the_shop_does_not_offer_is_refused_with_a_code(settings, provider):
    settings.STRIPE_SECRET_KEY = ""
    order = order_of(ShopFactory())
    assert refused(services.payment_start, order=order, provider=provider) == (
        "provider_unavailable"
    )
    assert not Payment.objects.exists()


def test_other_refusals_of_payment_start_have_their_codes(full_shop):
    order = order_of(full_shop)
    assert refused(services.payment_start, order=order, provider="cash") == "unknown_provider"
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now())
    assert refused(services.payment_start, order=order, provider="qris") == ("not_awaiting_payment")


def test_the_seller_cannot_confirm_a_card_payment_even_from_the_shell(full_shop, stripe_api):
    payment = services.payment_start(order=order_of(full_shop), provider="stripe")
    code = refused(services.payment_confirm_by_seller, payment=payment, by=full_shop.owner)
    assert code == "not_confirmable"
    payment.refresh_from_db()
    assert payment.status == P.PENDING


def test_only_a_pending_payment_is_confirmed_and_only_by_a_member(full_shop):
    payment = services.payment_start(order=order_of(full_shop), provider="qris")
    stranger = UserFactory()
    assert refused(services.payment_confirm_by_seller, payment=payment, by=stranger) == (
        "not_member"
    )
    services.payment_confirm_by_seller(payment=payment, by=full_shop.staff)
    assert refused(services.payment_confirm_by_seller, payment=payment, by=full_shop.owner) == (
        "not_pending"
    )


def test_only_a_transfer_can_be_rejected(full_shop):
    payment = services.payment_start(order=order_of(full_shop), provider="qris")
    code = refused(
        services.payment_reject_by_seller, payment=payment, by=full_shop.owner, reason="Salah"
    )
    assert code == "not_rejectable"
    payment.refresh_from_db()
    assert payment.status == P.PENDING


def test_only_an_owner_refunds(full_shop):
    payment = services.payment_start(order=order_of(full_shop), provider="qris")
    services.payment_confirm_by_seller(payment=payment, by=full_shop.staff)
    assert refused(services.payment_refund, payment=payment, by=full_shop.staff) == "not_owner"
    payment.refresh_from_db()
    assert payment.status == P.SUCCEEDED
    services.payment_refund(payment=payment, by=full_shop.owner)
    assert refused(services.payment_refund, payment=payment, by=full_shop.owner) == (
        "not_refundable"
    )


def messages_of(response) -> list[str]:
    """The messages this response added (earlier ones wait in the cookie)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def test_the_pay_page_refuses_a_method_the_shop_does_not_offer(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    order = order_of(with_qris(ShopFactory()))
    response = client.post(
        reverse("pay:order", args=[order.checkout.code, order.number]), {"method": "transfer"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Cara bayar ini tidak tersedia untuk toko ini."]
    assert not Payment.objects.exists()


def test_the_seller_views_show_the_message_of_each_code(client, full_shop, stripe_api):
    card = services.payment_start(order=order_of(full_shop), provider="stripe")
    qris = services.payment_start(order=order_of(full_shop), provider="qris")
    client.force_login(full_shop.owner)
    response = client.post(
        reverse("seller_payments:confirm", args=[full_shop.slug, card.reference])
    )
    assert messages_of(response) == ["Pembayaran ini tidak dapat dikonfirmasi penjual."]
    response = client.post(
        reverse("seller_payments:reject", args=[full_shop.slug, qris.reference]),
        {"reason": "Tidak cocok"},
    )
    assert messages_of(response) == ["Hanya bukti transfer yang menunggu yang dapat ditolak."]
    response = client.post(reverse("seller_payments:refund", args=[full_shop.slug, qris.reference]))
    assert messages_of(response) == ["Hanya pembayaran yang berhasil yang dapat dikembalikan."]
    card.refresh_from_db()
    qris.refresh_from_db()
    assert card.status == P.PENDING and qris.status == P.PENDING
