"""A mail that cannot be sent fails its handler: no "handled" mark, retried, sent once."""

import smtplib

import pytest
from django.core import mail

from marketplace import outbox, tasks
from marketplace.models import HandledEvent, OutboxEvent
from marketplace.services import shops
from tests.factories import ShopFactory, UserFactory
from tests.support.mail import FlakySmtpBackend

pytestmark = pytest.mark.django_db

HANDLER = "marketplace.handlers.notify_shop_status"
# The mail handler alone: other subscribers of shop.verified (search) would complete or fail
# the event on their own.
WIRING = {"shop.verified": [HANDLER]}


@pytest.fixture
def flaky_smtp(settings):
    settings.EVENT_WIRING = f"{__name__}.WIRING"
    settings.EMAIL_BACKEND = "tests.support.mail.FlakySmtpBackend"
    FlakySmtpBackend.failures, FlakySmtpBackend.attempts = 1, 0
    return FlakySmtpBackend


def verified_event() -> OutboxEvent:
    shop = ShopFactory(owner=UserFactory(email="rosma@pasar.test"), status="pending")
    shops.shop_verify(shop=shop, by=UserFactory())
    return OutboxEvent.objects.get(name="shop.verified")


def test_a_failed_send_leaves_no_mark_and_the_retry_sends_one_mail(flaky_smtp):
    event = verified_event()
    with pytest.raises(smtplib.SMTPException):
        outbox.event_handle(event_id=event.id, handler=HANDLER)
    assert not HandledEvent.objects.filter(event=event).exists()
    assert mail.outbox == []
    event.refresh_from_db()
    assert event.completed_at is None

    assert outbox.event_handle(event_id=event.id, handler=HANDLER) is True
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rosma@pasar.test"]
    assert HandledEvent.objects.filter(event=event, handler=HANDLER).count() == 1
    event.refresh_from_db()
    assert event.completed_at is not None
    # A later delivery of the same task sends nothing more.
    assert outbox.event_handle(event_id=event.id, handler=HANDLER) is False
    assert len(mail.outbox) == 1 and flaky_smtp.attempts == 2


def test_the_task_retries_with_back_off_until_the_mail_goes(flaky_smtp):
    event = verified_event()
    flaky_smtp.failures = 2
    # Run as a worker would (eagerly here): autoretry catches the SMTP error and retries.
    result = tasks.event_handle.apply(args=[str(event.id), HANDLER])
    assert result.successful(), result.traceback
    assert result.result is True
    assert flaky_smtp.attempts == 3
    assert len(mail.outbox) == 1
    assert HandledEvent.objects.filter(event=event, handler=HANDLER).count() == 1
    assert tasks.event_handle.retry_backoff and tasks.event_handle.max_retries >= 3


def test_a_handler_run_in_the_worker_that_fails_is_sent_for_retry(flaky_smtp, monkeypatch):
    event = verified_event()
    sent = []
    monkeypatch.setattr(outbox, "dispatch_to_broker", lambda e, h: sent.append((e, h)))
    assert outbox.handle_here([(event.id, event.name)]) == 0
    assert sent == [(event.id, HANDLER)]
    assert not HandledEvent.objects.filter(event=event).exists()
