"""/accounts/signup/buyer/: a tourist makes an account to buy with (no shop), lands on "Pesanan
saya" or their `next`, and gets the mail whose link verifies the address."""

import re

import pytest
from django.core import mail
from django.core.cache import caches

from marketplace.models import ShopMember, User
from marketplace.services.accounts import email_verify_cooldown_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/signup/buyer/"
PASSWORD = "danau-toba-sipiso-91"


@pytest.fixture(autouse=True)
def no_cooldown_left():
    """The mail's one-minute cooldown lives in the shared cache, beyond a test: start clean."""
    yield
    caches["throttle"].delete_many([email_verify_cooldown_key(user) for user in User.objects.all()])


def post(client, email="anna@example.test", *, url=URL, password=PASSWORD, password2=None, **extra):
    data = {
        "full_name": "Anna Schmidt",
        "email": email,
        "password1": password,
        "password2": password if password2 is None else password2,
        **extra,
    }
    return client.post(url, data)


def test_the_page_asks_for_name_email_and_password_and_links_the_seller_sign_up(client):
    html = client.get(URL).content.decode()
    for name in ("full_name", "email", "password1", "password2"):
        assert f'name="{name}"' in html
    assert 'name="contact"' not in html
    assert 'type="email"' in html
    assert 'href="/accounts/signup/"' in html
    # Both sign-up pages and the login page point to the buyer's.
    assert 'href="/accounts/signup/buyer/"' in client.get("/accounts/signup/").content.decode()
    assert 'href="/accounts/signup/buyer/' in client.get("/accounts/login/").content.decode()


def test_a_buyer_signs_up_is_signed_in_lands_on_my_orders_with_no_shop(client):
    response = post(client, "  Anna@Example.TEST ")
    assert response.status_code == 302 and response["Location"] == "/accounts/orders/"
    user = User.objects.get()
    assert user.email == "anna@example.test" and user.full_name == "Anna Schmidt"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not ShopMember.objects.filter(user=user).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "anna@example.test" in page.content.decode()


def test_sign_up_mails_a_verification_link_in_the_active_language(client):
    post(client, "anna@example.test", url="/en" + URL)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.test"]
    assert message.subject == "Verify your email on Pasar Kreatif"
    assert "Hello Anna" in message.body
    assert re.search(r"https?://[^/\s]+/en/accounts/verify-email/[^/\s]+/", message.body)


def test_a_safe_next_is_followed_a_foreign_one_is_not(client):
    response = post(client, "anna@example.test", next="/checkout/")
    assert response["Location"] == "/checkout/"
    client.logout()
    response = post(client, "bob@example.test", next="https://evil.example/")
    assert response["Location"] == "/accounts/orders/"


def test_the_next_of_the_address_is_kept_in_the_form(client):
    html = client.get(URL + "?next=/wishlist/").content.decode()
    assert 'name="next" value="/wishlist/"' in html


def test_in_english_the_buyer_lands_on_the_english_page(client):
    response = post(client, "anna@example.test", url="/en" + URL)
    assert response["Location"] == "/en/accounts/orders/"


def test_a_duplicate_email_is_refused_clearly_in_both_languages(client):
    UserFactory(email="anna@example.test")
    response = post(client, "ANNA@example.test")
    assert response.status_code == 200
    assert "Email ini sudah terdaftar. Silakan masuk atau pakai email lain." in (
        response.content.decode()
    )
    response = post(client, "anna@example.test", url="/en" + URL)
    assert "This email is already registered. Please sign in or use another email." in (
        response.content.decode()
    )
    assert User.objects.count() == 1
    assert not mail.outbox


def test_a_weak_password_is_refused_clearly_in_both_languages(client):
    response = post(client, password="12345678")
    html = response.content.decode()
    assert response.status_code == 200
    assert "terlalu umum" in html or "seluruhnya angka" in html
    html = post(client, password="12345678", url="/en" + URL).content.decode()
    assert "too common" in html or "entirely numeric" in html
    assert not User.objects.exists()


def test_an_empty_email_and_mismatched_passwords_are_refused(client):
    html = post(client, "", password2="lain-sekali-123").content.decode()
    assert "Kedua kata sandi tidak sama." in html
    assert not User.objects.exists()
    html = post(client, "").content.decode()
    assert "Isi alamat email Anda." in html
    assert not User.objects.exists()


def test_someone_signed_in_is_sent_on(client):
    client.force_login(UserFactory())
    assert client.get(URL)["Location"] == "/accounts/orders/"


def test_a_failing_mail_server_does_not_lose_the_account(client, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("marketplace.services.accounts.send_mail", refuse)
    response = post(client, "anna@example.test")
    assert response.status_code == 302
    assert User.objects.filter(email="anna@example.test").exists()
    html = client.get("/accounts/orders/").content.decode()
    assert "Email verifikasi belum terkirim" in html
