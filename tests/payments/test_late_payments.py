"""Money that arrives after its order expired or was cancelled (issue #8, item 3) is decided by
the payments service: the order is revived as paid when its stock can be allocated again;
otherwise the payment is flagged and its money goes back (Stripe by itself, QRIS "refund due"
for the seller), and both the seller's payments page and the buyer's pay page say what
happens next. Duplicates and any order of arrival change nothing more."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Order, OrderStatus, Variant
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from marketplace.services.orders import order_cancel, orders_expire_due
from payments import services
from payments.models import Attention, Intent, Payment, PaymentStatus
from tests.factories import ProductFactory, ShopFactory
from tests.payments import helpers
from tests.payments.conftest import qris_notification, with_qris
from tests.payments.helpers import deliver, events_named, post_stripe, succeeded_event

pytestmark = pytest.mark.django_db
stripe_api = helpers.stripe_api  # the fixture
P = PaymentStatus


def place(product, n: int = 0) -> Order:
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, 1)],
        contact=Contact(f"Turis {n}", f"0813{n:08d}", f"t{n}@pasar.test"),
    )
    return checkout.orders.get()


def expire(order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now())
    Payment.objects.filter(order=order).update(expires_at=timezone.now())
    assert orders_expire_due() >= 1
    services.payments_expire_due()


def settle_qris(client, payment: Payment, transaction_id: str = "TX-late") -> None:
    body = qris_notification(
        payment.reference, "settlement", payment.amount, transaction_id=transaction_id
    )
    response = client.post("/payments/webhooks/qris/", body, content_type="application/json")
    assert response.status_code == 200


@pytest.fixture
def shop():
    return with_qris(ShopFactory())


def test_late_qris_money_revives_the_order_when_its_stock_is_still_free(
    client, shop, django_capture_on_commit_callbacks
):
    product = ProductFactory(shop=shop, price=75_000, stock=1)
    order = place(product)
    payment = services.payment_start(order=order, provider="qris")
    expire(order)
    variant = Variant.objects.get(product=product)
    assert variant.allocated == 0  # the expiry released it

    settle_qris(client, payment)
    deliver(django_capture_on_commit_callbacks)

    order.refresh_from_db()
    payment.refresh_from_db()
    variant.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.holds_stock
    assert variant.allocated == 1
    assert payment.status == P.SUCCEEDED and not payment.needs_attention
    assert payment.attention == ""
    assert [e.payload["number"] for e in events_named("order.paid")] == [order.number]


def test_late_qris_money_with_the_stock_gone_is_refund_due_and_shown_to_seller_and_buyer(
    client, shop, django_capture_on_commit_callbacks
):
    product = ProductFactory(shop=shop, price=75_000, stock=1)
    order = place(product, 1)
    payment = services.payment_start(order=order, provider="qris")
    expire(order)
    place(product, 2)  # another tourist takes the last one

    settle_qris(client, payment, "TX-1")
    settle_qris(client, payment, "TX-1")  # the acquirer repeats itself
    deliver(django_capture_on_commit_callbacks)
    settle_qris(client, payment, "TX-2")  # and then once more, with another id
    deliver(django_capture_on_commit_callbacks)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED and not order.holds_stock
    assert Variant.objects.get(product=product).allocated == 1  # only the other order's
    assert payment.status == P.SUCCEEDED
    assert payment.needs_attention and payment.attention == Attention.REFUND_DUE
    assert payment.intent == ""  # nothing to call: the money is in the seller's account
    assert "Rp 75.000" in payment.note
    assert events_named("order.paid") == []

    # The seller's page: flagged first, with what to do next.
    owner = shop.members.get()
    client.force_login(owner)
    page = client.get(reverse("seller_payments:list", args=[shop.slug])).content.decode()
    assert "Dana harus dikembalikan penjual" in page
    assert "Langkah berikutnya: kirim kembali Rp 75.000" in page
    # The buyer's pay page says the money comes back, and from whom.
    client.logout()
    pay_url = reverse("pay:order", args=[order.checkout.code, order.number])
    page = client.get(pay_url).content.decode()
    assert "penjual yang mengembalikannya" in page
    status = client.get(
        reverse("pay:status", args=[order.checkout.code, order.number]),
        {"payment": payment.reference},
    ).json()
    assert status["attention"] == "refund_due"

    # The seller sends it back and says so: done, the order stays expired.
    services.payment_refund(payment=payment, by=owner)
    deliver(django_capture_on_commit_callbacks)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == P.REFUNDED and payment.refunded_amount == payment.amount
    assert not payment.needs_attention and payment.attention == ""
    assert order.status == OrderStatus.EXPIRED
    page = client.get(pay_url).content.decode()
    assert "sudah dikembalikan" in page


def test_late_card_money_with_the_stock_gone_is_refunded_by_stripe_once(
    client, stripe_api, django_capture_on_commit_callbacks
):
    product = ProductFactory(price=10_000, stock=1)
    order = place(product, 3)
    payment = services.payment_start(order=order, provider="stripe")
    expire(order)
    place(product, 4)

    for event_id in ("evt_late", "evt_late", "evt_late_again"):
        post_stripe(client, succeeded_event(event_id, payment))
        deliver(django_capture_on_commit_callbacks)

    refunds = [r for r in stripe_api.requests if r["path"] == "/v1/refunds"]
    assert {r["idempotency_key"] for r in refunds} == {f"refund-{payment.reference}"}
    assert len(refunds) == 1
    assert refunds[0]["form"] == {"payment_intent": payment.provider_reference}
    payment.refresh_from_db()
    assert payment.status == P.REFUNDED and payment.refunded_amount == 10_000
    assert payment.intent == "" and not payment.needs_attention
    assert Order.objects.get(pk=order.pk).status == OrderStatus.EXPIRED
    assert len(events_named("payment.refunded")) == 1
    page = client.get(reverse("pay:order", args=[order.checkout.code, order.number]))
    assert "5–10 hari kerja" in page.content.decode()


def test_money_after_a_cancellation_revives_the_order_when_it_can(
    client, shop, django_capture_on_commit_callbacks
):
    product = ProductFactory(shop=shop, price=50_000, stock=3)
    order = place(product, 5)
    payment = services.payment_start(order=order, provider="qris")
    order_cancel(order=order, by=None, reason="Pembeli minta batal")
    deliver(django_capture_on_commit_callbacks)

    settle_qris(client, payment)
    deliver(django_capture_on_commit_callbacks)

    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert payment.status == P.SUCCEEDED and payment.attention == ""


def test_an_expiry_that_beats_the_mark_paid_handler_does_not_strand_the_money(
    client, shop, django_capture_on_commit_callbacks
):
    """The settlement is applied while the order still waits, but the order expires before the
    marketplace's payment.succeeded handler runs: the payments handler of order.expired sees
    the money in and decides it (here: revived, the stock being free)."""
    product = ProductFactory(shop=shop, price=75_000, stock=2)
    order = place(product, 6)
    payment = services.payment_start(order=order, provider="qris")
    settle_qris(client, payment)
    with django_capture_on_commit_callbacks(execute=True):
        for row_id in services.provider_events_unapplied():
            services.provider_event_apply(provider_event_id=row_id)
    expire(order)  # before any handler ran
    deliver(django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.holds_stock
    assert Variant.objects.get(product=product).allocated == 1


def test_the_same_race_with_the_stock_gone_flags_the_money_for_refund(
    client, shop, django_capture_on_commit_callbacks
):
    product = ProductFactory(shop=shop, price=75_000, stock=1)
    order = place(product, 7)
    payment = services.payment_start(order=order, provider="qris")
    settle_qris(client, payment)
    with django_capture_on_commit_callbacks(execute=True):
        for row_id in services.provider_events_unapplied():
            services.provider_event_apply(provider_event_id=row_id)
    expire(order)
    place(product, 8)
    deliver(django_capture_on_commit_callbacks)
    # Redelivering order.expired to payments changes nothing more.
    assert services.payments_order_ended(order_id=order.pk) == []

    payment.refresh_from_db()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.EXPIRED
    assert payment.attention == Attention.REFUND_DUE and payment.needs_attention


def test_a_seller_confirming_money_for_a_cancelled_order_gets_the_same_decision(shop):
    product = ProductFactory(shop=shop, price=50_000, stock=1)
    order = place(product, 9)
    payment = services.payment_start(order=order, provider="qris")
    order_cancel(order=order, by=None, reason="Salah pesan")
    place(product, 10)
    owner = shop.members.get()
    services.payment_confirm_by_seller(payment=payment, by=owner)
    payment.refresh_from_db()
    assert payment.status == P.SUCCEEDED
    assert payment.attention == Attention.REFUND_DUE and payment.intent != Intent.REFUND
