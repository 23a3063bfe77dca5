"""Password reset by email: /accounts/password-reset/ (Django's views, our pages), linked from
the login page; the mail and its link follow the active language."""

import re

import pytest
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "horas-samosir-2026"


def mailed_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/(?:en/)?accounts/password-reset/[^\s]+/)", body)[1]


def test_the_login_page_links_the_reset(client):
    assert 'href="/accounts/password-reset/"' in client.get("/accounts/login/").content.decode()
    assert 'href="/en/accounts/password-reset/"' in (
        client.get("/en/accounts/login/").content.decode()
    )


def test_the_reset_page_is_ours(client):
    html = client.get("/accounts/password-reset/").content.decode()
    assert "Lupa kata sandi" in html and 'name="email"' in html
    assert 'class="site-header"' in html  # the site's layout, not Django admin's


def test_request_follow_the_link_set_a_password_and_sign_in(client):
    user = UserFactory(email="anna@example.test")
    response = client.post("/accounts/password-reset/", {"email": "Anna@Example.test"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert "Periksa email Anda" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.test"]
    assert message.subject == "Buat kata sandi baru di Pasar Kreatif"

    form = client.get(mailed_path(message.body), follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    assert set_url.endswith("/set-password/")
    assert "Buat kata sandi baru" in form.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/password-reset/complete/"
    assert "Kata sandi tersimpan" in client.get(done["Location"]).content.decode()

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    signed_in = client.post(
        "/accounts/login/", {"username": "anna@example.test", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    # The link works once.
    again = client.get(mailed_path(message.body), follow=True)
    assert "tidak berlaku lagi" in again.content.decode()


def test_in_english_the_mail_and_its_link_are_english(client):
    UserFactory(email="anna@example.test")
    response = client.post("/en/accounts/password-reset/", {"email": "anna@example.test"})
    assert response["Location"] == "/en/accounts/password-reset/sent/"
    message = mail.outbox[0]
    assert message.subject == "Set a new password on Pasar Kreatif"
    assert "Someone (we hope you) asked for a new password" in message.body
    path = mailed_path(message.body)
    assert path.startswith("/en/accounts/password-reset/")
    form = client.get(path, follow=True)
    assert "Set a new password" in form.content.decode()


def test_a_weak_new_password_is_refused_on_the_page(client):
    UserFactory(email="anna@example.test")
    client.post("/accounts/password-reset/", {"email": "anna@example.test"})
    form = client.get(mailed_path(mail.outbox[0].body), follow=True)
    set_url = form.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()


def test_an_unknown_email_gets_the_same_page_and_no_mail(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.test"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert not mail.outbox


def test_a_forged_link_is_refused(client):
    user = UserFactory(email="anna@example.test")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(f"/accounts/password-reset/{uid}/abc-123/", follow=True)
    html = response.content.decode()
    assert "tidak berlaku lagi" in html and 'name="new_password1"' not in html
