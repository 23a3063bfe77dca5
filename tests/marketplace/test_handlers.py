import pytest
from django.core import mail

from marketplace import outbox
from marketplace.models import OutboxEvent
from marketplace.services import catalog, shops
from tests.factories import ProductFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def handle_all(name: str, capture) -> None:
    for event in OutboxEvent.objects.filter(name=name):
        for handler in outbox.handlers_for(name):
            with capture(execute=True):
                outbox.event_handle(event_id=event.id, handler=handler)


def test_the_owner_hears_why_the_shop_was_rejected(django_capture_on_commit_callbacks):
    owner = UserFactory(email="rosma@pasar.test")
    shop = ShopFactory(owner=owner, status="pending")
    shops.shop_reject(shop=shop, by=UserFactory(), reason="NIB tidak cocok")
    handle_all("shop.rejected", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosma@pasar.test"]
    assert "NIB tidak cocok" in mail.outbox[0].body


def test_a_redelivered_event_sends_no_second_mail(django_capture_on_commit_callbacks):
    shop = ShopFactory(status="pending")
    shops.shop_verify(shop=shop, by=UserFactory())
    handle_all("shop.verified", django_capture_on_commit_callbacks)
    handle_all("shop.verified", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_low_stock_reaches_owner_and_staff(django_capture_on_commit_callbacks):
    product = ProductFactory(stock=10)
    shops.member_add(shop=product.shop, by=product.shop.members.get(), email=UserFactory().email)
    catalog.stock_set(variant=product.variants.get(), on_hand=1)
    handle_all("stock.low", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and len(mail.outbox[0].to) == 2
    assert "tinggal 1" in mail.outbox[0].body
