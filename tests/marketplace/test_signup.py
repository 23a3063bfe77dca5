import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.test import override_settings

from marketplace.models import User
from marketplace.services.accounts import user_signup
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
PASSWORD = "ulos-ragi-hotang-77"
PHONE_BACKEND = override_settings(
    AUTHENTICATION_BACKENDS=["marketplace.auth_backends.EmailOrPhoneBackend"]
)


def post_signup(client, contact, *, password=PASSWORD, password2=None, name="Rosma Sitorus"):
    return client.post(
        SIGNUP_URL,
        {
            "full_name": name,
            "contact": contact,
            "password1": password,
            "password2": password if password2 is None else password2,
        },
    )


def test_signup_page_shows_the_form(client):
    response = client.get(SIGNUP_URL)
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("full_name", "contact", "password1", "password2"):
        assert f'name="{name}"' in body
    assert 'name="viewport"' in body


def test_signup_with_email_logs_in_and_goes_to_the_shop_form(client):
    response = post_signup(client, "  Rosma@Example.COM ")
    assert response.status_code == 302
    assert response["Location"] == "/seller/new/"
    user = User.objects.get()
    assert user.email == "rosma@example.com"
    assert user.full_name == "Rosma Sitorus"
    assert user.phone == ""
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_in_english_goes_to_the_english_shop_form(client):
    response = client.post(
        "/en" + SIGNUP_URL,
        {
            "full_name": "Rosma Sitorus",
            "contact": "rosma@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/seller/new/"


@pytest.mark.parametrize("typed", ["0812-3456-7890", "+62 812 3456 7890", "62812 3456 7890"])
def test_signup_with_phone_stores_the_normalized_number(client, typed):
    response = post_signup(client, typed)
    assert response.status_code == 302
    assert response["Location"] == "/seller/new/"
    user = User.objects.get()
    assert user.phone == "+6281234567890"
    assert user.email == "6281234567890@telepon.pasar.invalid"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_same_phone_in_another_format_is_refused(client):
    post_signup(client, "0812-3456-7890")
    client.logout()
    response = post_signup(client, "+62 812 3456 7890", name="Orang Lain")
    assert response.status_code == 200
    assert "Nomor HP ini sudah terdaftar" in response.content.decode()
    assert User.objects.count() == 1


def test_a_phone_already_on_an_email_account_is_refused():
    UserFactory(email="ada@pasar.test", phone="+6281234567890")
    with pytest.raises(ValidationError) as caught:
        user_signup(phone="081234567890", full_name="Baru", password=PASSWORD)
    assert "phone" in caught.value.message_dict


def test_duplicate_email_is_refused_whatever_the_case(client):
    UserFactory(email="rosma@example.com")
    response = post_signup(client, "ROSMA@example.com")
    assert response.status_code == 200
    assert "Email ini sudah terdaftar" in response.content.decode()
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("typed", ["12345", "0212345678", "0812-ABCD-7890", "+1 415 555 0100"])
def test_a_bad_phone_is_refused_with_a_clear_message(client, typed):
    response = post_signup(client, typed)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nomor HP tidak valid" in body
    assert "0812 3456 7890" in body
    assert not User.objects.exists()


def test_a_bad_email_is_refused(client):
    response = post_signup(client, "rosma@")
    assert response.status_code == 200
    assert "Alamat email tidak valid" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("weak", ["12345678", "password", "abc"])
def test_a_weak_password_is_refused(client, weak):
    response = post_signup(client, "rosma@example.com", password=weak)
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_a_password_like_the_name_is_refused():
    with pytest.raises(ValidationError) as caught:
        user_signup(email="rosma.sitorus@example.com", full_name="Rosma", password="rosma.sitorus")
    assert "password" in caught.value.message_dict


def test_the_two_passwords_must_match(client):
    response = post_signup(client, "rosma@example.com", password2=PASSWORD + "x")
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_name_and_contact_are_required(client):
    response = post_signup(client, "", name="")
    form = response.context["form"]
    assert form.errors["full_name"] and form.errors["contact"]
    assert not User.objects.exists()


def test_service_needs_email_or_phone():
    with pytest.raises(ValidationError):
        user_signup(full_name="Tanpa Kontak", password=PASSWORD)


def test_signed_in_people_go_straight_to_the_shop_form(client):
    client.force_login(UserFactory())
    response = client.get(SIGNUP_URL)
    assert response.status_code == 302
    assert response["Location"] == "/seller/new/"


@PHONE_BACKEND
@pytest.mark.parametrize(
    "login", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "081234567890"]
)
def test_login_by_phone_in_any_format(client, login):
    user = user_signup(phone="0812 3456 7890", full_name="Togar", password=PASSWORD)
    assert authenticate(username=login, password=PASSWORD) == user
    assert authenticate(username=login, password="salah-sandi-99") is None
    response = client.post("/accounts/login/", {"username": login, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@PHONE_BACKEND
def test_login_by_email_still_works_and_phone_of_an_email_account_too(client):
    user = UserFactory(email="ada@pasar.test", phone="+6281299998888")
    assert authenticate(username="ADA@pasar.test", password="rahasia-123") == user
    assert authenticate(username="0812-9999-8888", password="rahasia-123") == user
    assert authenticate(username="0812-0000-1111", password="rahasia-123") is None
    assert authenticate(username="bukan nomor", password="rahasia-123") is None


@PHONE_BACKEND
def test_inactive_accounts_cannot_log_in_by_phone():
    user = user_signup(phone="081234567890", full_name="Togar", password=PASSWORD)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert authenticate(username="081234567890", password=PASSWORD) is None


@PHONE_BACKEND
def test_signup_logs_in_with_the_phone_backend_configured(client):
    response = post_signup(client, "0812-3456-7890")
    assert response.status_code == 302
    user = User.objects.get()
    assert client.session["_auth_user_backend"] == "marketplace.auth_backends.EmailOrPhoneBackend"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_seller_signing_in_lands_on_the_seller_dashboard(client):
    owner = UserFactory()
    owner.set_password(PASSWORD)
    owner.save()
    ShopFactory(owner=owner)
    response = client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/seller/"


def test_a_buyer_signing_in_goes_home_and_a_next_is_kept(client):
    buyer = UserFactory()
    buyer.set_password(PASSWORD)
    buyer.save()
    response = client.post("/accounts/login/", {"username": buyer.email, "password": PASSWORD})
    assert response["Location"] == "/"
    client.logout()
    owner = UserFactory()
    owner.set_password(PASSWORD)
    owner.save()
    ShopFactory(owner=owner)
    response = client.post(
        "/accounts/login/?next=/wishlist/", {"username": owner.email, "password": PASSWORD}
    )
    assert response["Location"] == "/wishlist/"
