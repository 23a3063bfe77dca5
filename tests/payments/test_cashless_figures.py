"""The cashless figures kept by the payment handlers equal what the payments say, whatever the
order of events: a month of payments by QRIS, card and transfer with duplicate and late
notifications, partial and full refunds, replayed through the real outbox handlers, then
rebuilt from scratch (issue 11)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from marketplace.models import ShopMember, ShopRole
from payments import cashless, services
from payments.models import CashlessDay, Payment, PaymentStatus
from tests.factories import ShopFactory, UserFactory
from tests.payments import helpers
from tests.payments.conftest import with_qris
from tests.payments.helpers import deliver, order_for, post_stripe, refunded_event, succeeded_event
from tests.payments.test_late_payments import expire, settle_qris

pytestmark = pytest.mark.django_db
stripe_api = helpers.stripe_api


def kept() -> dict:
    return {
        (row.day, row.shop_id, row.provider): (row.payments, row.value, row.refunded)
        for row in CashlessDay.objects.all()
    }


@pytest.fixture
def shops(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_pasar"
    made = []
    for _ in range(3):
        owner = UserFactory()
        shop = with_qris(
            ShopFactory(owner=owner, bank_account_number="0011", bank_account_name="A")
        )
        ShopMember.objects.get_or_create(shop=shop, user=owner, defaults={"role": ShopRole.OWNER})
        shop.owner = owner
        made.append(shop)
    return made


def test_a_month_of_payments_keeps_figures_equal_to_a_rebuild(
    client, stripe_api, shops, monkeypatch, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    real_now = timezone.now
    start = real_now() - dt.timedelta(days=30)
    for day in range(30):
        moment = start + dt.timedelta(days=day, hours=2)
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        shop = shops[day % 3]
        order = order_for(price=10_000 + 1_000 * day, shop=shop)
        kind = day % 6
        if kind in (0, 1):  # QRIS, the second time notified twice
            payment = services.payment_start(order=order, provider="qris")
            settle_qris(client, payment, transaction_id=f"TX-{day}")
            if kind == 1:
                settle_qris(client, payment, transaction_id=f"TX-{day}")
        elif kind == 2:  # a transfer the seller confirms
            payment = services.payment_start(order=order, provider="transfer")
            services.payment_confirm_by_seller(payment=payment, by=shop.owner)
        elif kind in (3, 4):  # card, then refunded in part (3) or in full (4)
            payment = services.payment_start(order=order, provider="stripe")
            post_stripe(client, succeeded_event(f"evt_paid_{day}", payment))
            deliver(capture)
            payment.refresh_from_db()
            refund = payment.amount // 4 if kind == 3 else payment.amount
            post_stripe(client, refunded_event(f"evt_ref_{day}", payment, refund))
        else:  # QRIS money that arrives after the order expired
            payment = services.payment_start(order=order, provider="qris")
            expire(order)
            settle_qris(client, payment, transaction_id=f"TX-late-{day}")
        deliver(capture)
    monkeypatch.setattr(timezone, "now", real_now)

    received = Payment.objects.filter(status__in=cashless.RECEIVED)
    assert received.count() >= 25
    assert Payment.objects.filter(refunded_amount__gt=0).exists()
    figures = kept()
    assert len(figures) >= 25  # a cell per day (and method) with money
    assert cashless.differences() == []
    assert sum(v[1] for v in figures.values()) == sum(p.amount for p in received)
    assert sum(v[2] for v in figures.values()) == sum(p.refunded_amount for p in received)

    call_command("cashless_rebuild", stdout=io.StringIO(), stderr=io.StringIO())
    assert kept() == figures
    call_command("cashless_rebuild", "--check", stdout=io.StringIO())


def test_the_check_fails_when_a_cell_is_wrong(client, shops, django_capture_on_commit_callbacks):
    payment = services.payment_start(order=order_for(shop=shops[0]), provider="qris")
    settle_qris(client, payment)
    deliver(django_capture_on_commit_callbacks)
    assert CashlessDay.objects.get().value == payment.amount
    CashlessDay.objects.update(value=1)
    with pytest.raises(CommandError, match="1 cells differ"):
        call_command("cashless_rebuild", "--check", stdout=io.StringIO())


def test_a_redelivered_event_changes_nothing(client, shops, django_capture_on_commit_callbacks):
    from marketplace.models import OutboxEvent
    from marketplace.outbox import Event
    from payments.handlers import cashless_recount_on_payment

    payment = services.payment_start(order=order_for(shop=shops[1]), provider="qris")
    settle_qris(client, payment)
    deliver(django_capture_on_commit_callbacks)
    before = kept()
    row = OutboxEvent.objects.filter(name="payment.succeeded").latest("created_at")
    event = Event(row.id, row.name, row.payload, row.created_at)
    cashless_recount_on_payment(event)
    cashless_recount_on_payment(event)
    assert kept() == before
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCEEDED
