"""Subscribers in the Wagtail admin: registered by a superuser (or a holder of the webhooks
permissions), the secret generated and shown, the events chosen from the wiring table; a
paused subscriber's reason and attempts shown, and resumed."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests.factories import ShopFactory, UserFactory
from webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_a_superuser_registers_a_subscriber_with_a_generated_secret(superuser_client):
    shop = ShopFactory()
    form = superuser_client.get(reverse("webhooks:add"))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'value="order.paid"' in html and 'value="shop.verified"' in html
    response = superuser_client.post(
        reverse("webhooks:add"),
        {
            "name": "Alat stok penjual",
            "url": "https://alat.contoh.id/webhook",
            "events": ["order.paid", "stock.low"],
            "shop": shop.pk,
            "is_active": "on",
            "secret": "whsec_dicoba-diganti",  # disabled: ignored
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    subscriber = Subscriber.objects.get()
    assert subscriber.events == ["order.paid", "stock.low"]
    assert subscriber.shop == shop and subscriber.personal_data is False
    assert subscriber.secret.startswith("whsec_") and subscriber.secret != "whsec_dicoba-diganti"
    assert (
        subscriber.secret
        in superuser_client.get(reverse("webhooks:edit", args=[subscriber.pk])).content.decode()
    )


def test_an_unknown_event_is_refused(superuser_client):
    response = superuser_client.post(
        reverse("webhooks:add"),
        {"name": "x", "url": "https://x.contoh.id/", "events": ["order.eaten"]},
    )
    assert response.status_code == 200 and not Subscriber.objects.exists()


def test_an_editor_without_the_permission_cannot_see_subscribers(client):
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(reverse("webhooks:index")).status_code in (302, 403)
    editor.user_permissions.add(Permission.objects.get(codename="change_subscriber"))
    assert client.get(reverse("webhooks:index")).status_code == 200


def test_a_paused_subscriber_shows_why_and_its_attempts_and_is_resumed(
    superuser_client, django_capture_on_commit_callbacks
):
    subscriber = Subscriber.objects.create(
        name="Satu Data",
        url="https://data.contoh.id/hook",
        events=["order.paid"],
        paused_at=timezone.now(),
        paused_reason="5× gagal berturut-turut; terakhir: HTTP 500",
    )
    delivery = Delivery.objects.create(
        subscriber=subscriber,
        event_id="7d0f3c1e-0000-4000-8000-000000000001",
        event_name="order.paid",
        body="{}",
        status=DeliveryStatus.FAILED,
        attempts=8,
    )
    DeliveryAttempt.objects.create(delivery=delivery, status_code=500, duration_ms=12)
    listing = superuser_client.get(reverse("webhooks:index")).content.decode()
    assert "Satu Data" in listing and "HTTP 500" in listing
    page = superuser_client.get(reverse("webhooks:inspect", args=[subscriber.pk])).content.decode()
    assert "HTTP 500" in page and "7d0f3c1e-0000-4000-8000-000000000001" in page
    assert reverse("webhooks:resume", args=[subscriber.pk]) in page

    with django_capture_on_commit_callbacks() as callbacks:
        response = superuser_client.post(reverse("webhooks:resume", args=[subscriber.pk]))
    assert response.status_code == 302
    subscriber.refresh_from_db()
    delivery.refresh_from_db()
    assert not subscriber.is_paused
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    assert len(callbacks) == 1  # the re-sends, after commit
    assert superuser_client.get(reverse("webhooks:resume", args=[subscriber.pk])).status_code == 405
