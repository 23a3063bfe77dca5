"""The whole chain on a real worker: an acquirer notification is stored by the webhook, applied
by a task, publishes payment.succeeded, and the marketplace's handler marks the order paid."""

import pytest
from django.test import Client

from marketplace.models import Order, OrderStatus
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import services
from payments.models import PaymentStatus
from tests.factories import ProductFactory, ShopFactory
from tests.payments.conftest import SERVER_KEY, qris_notification, with_qris
from tests.support.worker import celery_worker, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_settlement_notification_pays_the_order_through_the_worker(
    tmp_path, settings, monkeypatch
):
    settings.QRIS_SERVER_KEY = SERVER_KEY
    product = ProductFactory(shop=with_qris(ShopFactory()), price=95_000)
    checkout = checkout_place(
        items=[CheckoutItem(product.slug, 1)],
        contact=Contact("Anna", "0812 5555 6666", "anna@example.test"),
    )
    order = checkout.orders.get()
    payment = services.payment_start(order=order, provider="qris")
    with celery_worker(tmp=tmp_path):
        body = qris_notification(payment.reference, "settlement", 95_000, transaction_id="TX-w")
        response = Client().post("/payments/webhooks/qris/", body, content_type="application/json")
        assert response.status_code == 200
        wait_for(
            lambda: Order.objects.get(pk=order.pk).status == OrderStatus.PAID,
            timeout=90,
            what="the worker to mark the order paid",
        )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
