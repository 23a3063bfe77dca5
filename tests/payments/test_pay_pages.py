"""The buyer's payment pages: /pay/<code>/<number>/ (methods), the payment itself (QRIS, transfer,
card), the status JSON the page polls, and the "Bayar" button of /orders/<code>/."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Order, OrderStatus
from marketplace.outbox import event_handle, outbox_relay
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import qris, services
from payments.models import Payment, PaymentStatus, ProviderEvent
from tests.factories import ProductFactory, ShopFactory, image_bytes
from tests.payments.conftest import qris_notification, with_qris
from tests.payments.stripe_standin import StripeStandIn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STRIPE_SECRET_KEY = ""  # cards are offered only where a test turns them on


def order_for(shop=None, price=125_000) -> Order:
    product = ProductFactory(shop=shop or with_qris(ShopFactory()), price=price)
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, 1)],
        contact=Contact("Budi", "0812 3333 4444", "budi@pasar.test"),
    )
    return checkout.orders.get()


def bank_shop():
    return ShopFactory(
        bank_name="Bank Sumut", bank_account_number="1234567890", bank_account_name="Rina Siahaan"
    )


def pay_url(order: Order) -> str:
    return reverse("pay:order", args=[order.checkout.code, order.number])


def choose(client, order: Order, method: str):
    return client.post(pay_url(order), {"method": method})


def html(response) -> str:
    return response.content.decode()


# The order page ------------------------------------------------------------------------------


def test_code_and_number_must_match(client):
    order, other = order_for(), order_for()
    assert client.get(pay_url(order)).status_code == 200
    assert client.get(f"/pay/{other.checkout.code}/{order.number}/").status_code == 404
    assert client.get(f"/pay/{order.checkout.code}/PK-NOPE/").status_code == 404
    assert client.get(f"/pay/nope/{order.number}/status.json").status_code == 404
    assert choose(client, order, "qris").status_code == 302
    # Another order's payment is not found under this order.
    payment = Payment.objects.get()
    url = reverse("pay:payment", args=[other.checkout.code, other.number, payment.reference])
    assert client.get(url).status_code == 404


def test_the_page_shows_total_deadline_and_only_the_shops_methods(client, settings):
    order = order_for()  # QRIS only
    page = html(client.get(pay_url(order)))
    assert (
        "Rp 125.000" in page
        and f'data-deadline="{timezone.localtime(order.expires_at).isoformat()}' in page
    )
    assert 'value="qris"' in page
    assert 'value="transfer"' not in page and 'value="stripe"' not in page

    order = order_for(shop=bank_shop())  # transfer only
    page = html(client.get(pay_url(order)))
    assert 'value="transfer"' in page and 'value="qris"' not in page

    settings.STRIPE_SECRET_KEY = "sk_test_pasar"
    page = html(client.get(pay_url(order)))
    assert 'value="stripe"' in page and "sk_test_pasar" not in page


def test_a_shop_without_any_method_says_so(client):
    page = html(client.get(pay_url(order_for(shop=ShopFactory()))))
    assert "belum menyiapkan pembayaran online" in page and 'name="method"' not in page


@pytest.mark.parametrize("status", ["paid", "expired", "cancelled"])
def test_an_order_not_awaiting_payment_offers_no_method(client, status):
    order = order_for()
    Order.objects.filter(pk=order.pk).update(status=status)
    page = html(client.get(pay_url(order)))
    assert 'name="method"' not in page
    response = choose(client, order, "qris")
    assert response.status_code == 302 and not Payment.objects.exists()
    assert "tidak menunggu pembayaran" in html(client.get(response["Location"]))


def test_an_order_past_its_deadline_offers_no_method(client):
    order = order_for()
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = html(client.get(pay_url(order)))
    assert "Waktu pembayaran pesanan ini sudah habis" in page and 'name="method"' not in page


def test_a_method_the_shop_does_not_offer_is_refused(client):
    order = order_for()  # no bank account
    response = choose(client, order, "transfer")
    assert response.status_code == 302 and response["Location"] == pay_url(order)
    assert "tidak tersedia" in html(client.get(pay_url(order)))
    assert not Payment.objects.exists()


def test_a_refused_start_shows_its_message(client, monkeypatch):
    def refuse(**kwargs):
        raise services.PaymentRefused("Stripe: kartu ditolak.")

    monkeypatch.setattr("payments.views.pay.payment_start", refuse)
    order = order_for()
    response = choose(client, order, "qris")
    assert response["Location"] == pay_url(order)
    assert "Stripe: kartu ditolak." in html(client.get(pay_url(order)))


# QRIS ----------------------------------------------------------------------------------------


def test_qris_shows_the_dynamic_qr_amount_merchant_and_countdown(client):
    order = order_for()
    response = choose(client, order, "qris")
    payment = Payment.objects.get()
    assert response["Location"] == reverse(
        "pay:payment", args=[order.checkout.code, order.number, payment.reference]
    )
    page = html(client.get(response["Location"]))
    qr_url = reverse("payments:qr_svg", args=[payment.reference])
    assert f'src="{qr_url}"' in page
    assert "Rp 125.000" in page
    assert "TENUN BORU SIAHAAN" in page and "ID1024000012345" in page
    assert f'data-deadline="{timezone.localtime(payment.expires_at).isoformat()}' in page
    assert reverse("pay:status", args=[order.checkout.code, order.number]) in page
    assert client.get(qr_url)["Content-Type"] == "image/svg+xml"
    # The QR is for exactly this order and names this payment.
    encoded = qris.parse(payment.qr_payload)
    assert encoded.amount == 125_000 and encoded.sub("62", "05") == payment.reference
    # Choosing QRIS again hands back the same payment, and the order page offers to go on.
    choose(client, order, "qris")
    assert Payment.objects.count() == 1
    assert "Lanjutkan QRIS" in html(client.get(pay_url(order)))


def test_status_json_follows_the_payment_until_the_order_is_paid(client):
    order = order_for()
    status_url = reverse("pay:status", args=[order.checkout.code, order.number])
    assert client.get(status_url).json() == {
        "order_status": "awaiting_payment",
        "payment_status": None,
        "attention": "",
    }
    choose(client, order, "qris")
    payment = Payment.objects.get()
    assert client.get(status_url, {"payment": payment.reference}).json() == {
        "order_status": "awaiting_payment",
        "payment_status": "pending",
        "attention": "",
    }
    # The acquirer's settlement arrives, is stored, then applied.
    body = qris_notification(payment.reference, "settlement", 125_000, transaction_id="T-1")
    response = client.post("/payments/webhooks/qris/", body, content_type="application/json")
    assert response.status_code == 200
    services.provider_event_apply(provider_event_id=ProviderEvent.objects.get().pk)
    assert client.get(status_url, {"payment": payment.reference}).json()["payment_status"] == (
        "succeeded"
    )
    # payment.succeeded → the marketplace marks the order paid (the worker's part, run here).
    outbox_relay(
        dispatch=lambda event_id, handler: event_handle(event_id=event_id, handler=handler)
    )
    assert client.get(status_url).json() == {
        "order_status": "paid",
        "payment_status": "succeeded",
        "attention": "",
    }
    response = client.get(status_url)
    assert response["Cache-Control"].startswith("max-age=0")
    # The payment page now says so, without the QR.
    page = html(
        client.get(
            reverse("pay:payment", args=[order.checkout.code, order.number, payment.reference])
        )
    )
    assert "Pembayaran diterima" in page and "qr.svg" not in page


# Transfer ------------------------------------------------------------------------------------


def test_transfer_shows_the_account_and_takes_a_proof(client):
    order = order_for(shop=bank_shop(), price=80_000)
    response = choose(client, order, "transfer")
    payment = Payment.objects.get()
    page = html(client.get(response["Location"]))
    assert "1234567890" in page and "Rina Siahaan" in page and "Bank Sumut" in page
    assert "Rp 80.000" in page and 'enctype="multipart/form-data"' in page
    proof_url = reverse("pay:proof", args=[order.checkout.code, order.number, payment.reference])
    upload = SimpleUploadedFile("bukti.png", image_bytes("PNG"), content_type="image/png")
    response = client.post(proof_url, {"proof": upload})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.proof_file and payment.status == PaymentStatus.PENDING
    page = html(client.get(response["Location"]))
    assert "menunggu konfirmasi penjual" in page
    # Shown through the view that checks the code, not a public media URL.
    file_url = reverse(
        "pay:proof_file", args=[order.checkout.code, order.number, payment.reference]
    )
    assert f'src="{file_url}"' in page
    assert client.get(file_url).status_code == 200


def test_a_bad_proof_file_gets_the_clear_message_and_nothing_is_kept(client):
    order = order_for(shop=bank_shop())
    choose(client, order, "transfer")
    payment = Payment.objects.get()
    proof_url = reverse("pay:proof", args=[order.checkout.code, order.number, payment.reference])
    upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 not a photo", content_type="image/png")
    response = client.post(proof_url, {"proof": upload})
    assert response.status_code == 400
    assert "Berkas ini bukan foto. Unggah JPEG, PNG atau WebP." in html(response)
    payment.refresh_from_db()
    assert not payment.proof_file


def test_a_proof_for_a_qris_payment_is_refused(client):
    order = order_for()
    choose(client, order, "qris")
    payment = Payment.objects.get()
    proof_url = reverse("pay:proof", args=[order.checkout.code, order.number, payment.reference])
    upload = SimpleUploadedFile("bukti.png", image_bytes("PNG"), content_type="image/png")
    response = client.post(proof_url, {"proof": upload})
    assert response.status_code == 302
    assert "Bukti transfer hanya untuk" in html(client.get(response["Location"]))
    payment.refresh_from_db()
    assert not payment.proof_file


def test_a_rejected_transfer_says_why_and_offers_to_try_again(client):
    shop = bank_shop()
    order = order_for(shop=shop)
    choose(client, order, "transfer")
    payment = Payment.objects.get()
    owner = shop.memberships.get().user
    services.payment_reject_by_seller(payment=payment, by=owner, reason="Nominal tidak sesuai.")
    url = reverse("pay:payment", args=[order.checkout.code, order.number, payment.reference])
    page = html(client.get(url))
    assert "Bukti transfer ditolak penjual" in page and "Nominal tidak sesuai." in page
    assert "Coba bayar lagi" in page and 'name="proof"' not in page
    # Trying again makes a new transfer payment.
    choose(client, order, "transfer")
    assert Payment.objects.filter(status=PaymentStatus.PENDING).count() == 1


# Card ----------------------------------------------------------------------------------------


def test_card_page_carries_the_intent_and_never_the_secret_key(client, settings):
    order = order_for()
    with StripeStandIn() as stand_in:
        settings.STRIPE_SECRET_KEY = "sk_test_pasar"
        settings.STRIPE_API_BASE = stand_in.url
        response = choose(client, order, "stripe")
    payment = Payment.objects.get()
    assert payment.provider_reference.startswith("pi_")
    page = html(client.get(response["Location"]))
    assert payment.provider_reference in page
    assert f'data-client-secret="{payment.client_secret}"' in page
    assert 'id="payment-element"' in page
    assert "sk_test_pasar" not in page
    assert "js.stripe.com" not in page  # no publishable key here: nothing to load


def test_card_page_loads_stripe_js_when_a_publishable_key_is_set(client, settings):
    order = order_for()
    with StripeStandIn() as stand_in:
        settings.STRIPE_SECRET_KEY = "sk_test_pasar"
        settings.STRIPE_API_BASE = stand_in.url
        settings.STRIPE_PUBLISHABLE_KEY = "pk_test_pasar"
        page = html(client.get(choose(client, order, "stripe")["Location"]))
    assert 'src="https://js.stripe.com/v3/"' in page and "pk_test_pasar" in page
    assert "sk_test_pasar" not in page


# /orders/<code>/ -----------------------------------------------------------------------------


def test_the_order_page_has_a_bayar_button_only_while_awaiting_payment(client):
    order = order_for()
    order_page = reverse("buying:checkout_detail", args=[order.checkout.code])
    assert f'href="{pay_url(order)}"' in html(client.get(order_page))
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
    assert f'href="{pay_url(order)}"' not in html(client.get(order_page))


def test_english_pages_exist_too(client):
    order = order_for()
    response = client.get(f"/en/pay/{order.checkout.code}/{order.number}/")
    assert response.status_code == 200
    data = json.loads(
        client.get(f"/en/pay/{order.checkout.code}/{order.number}/status.json").content
    )
    assert data["order_status"] == "awaiting_payment"
