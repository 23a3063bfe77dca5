"""/accounts/orders/ ("Pesanan saya"): a signed-in buyer's orders, newest first, paged; guest
orders placed with their address join once the mailed link verifies it."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from marketplace.models import Checkout, Order, User
from marketplace.selectors.buyer_orders import ORDERS_PER_PAGE
from marketplace.services import accounts
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/orders/"


@pytest.fixture(autouse=True)
def no_cooldown_left():
    yield
    caches["throttle"].delete_many(
        [accounts.email_verify_cooldown_key(user) for user in User.objects.all()]
    )


def place(*products, email="anna@example.test", buyer=None):
    return checkout_place(
        items=[CheckoutItem(product.slug, 1) for product in products],
        contact=Contact(name="Anna Schmidt", phone="+44 7911 123456", email=email),
        buyer=buyer,
    )


def verify_path(user) -> str:
    return f"/accounts/verify-email/{accounts.email_verify_token(user)}/"


def test_a_stranger_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/orders/")


def test_my_orders_newest_first_with_status_total_date_and_link(client):
    anna = UserFactory(email="anna@example.test")
    ulos = ProductFactory(title="Ulos Ragi Hotang", price=400_000)
    kopi = ProductFactory(title="Kopi Lintong", price=85_000)
    older = place(ulos, buyer=anna)
    Order.objects.filter(checkout=older).update(created_at=timezone.now() - timedelta(days=3))
    newer = place(kopi, buyer=anna)
    client.force_login(anna)
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    numbers = [order.number for order in response.context["orders"]]
    assert numbers == [newer.orders.get().number, older.orders.get().number]
    html = response.content.decode()
    assert "Rp 400.000" in html and "Rp 85.000" in html
    assert html.count("Menunggu pembayaran") == 2
    assert f'href="/orders/{older.code}/#order-' in html and f'href="/orders/{newer.code}/' in html
    created = older.orders.get().created_at
    assert formats.date_format(timezone.localtime(created), "DATETIME_FORMAT") in html
    assert ulos.shop.name in html


def test_in_english_the_page_and_its_dates_are_english(client):
    anna = UserFactory(email="anna@example.test")
    place(ProductFactory(price=85_000), buyer=anna)
    client.force_login(anna)
    html = client.get("/en" + URL).content.decode()
    assert "My orders" in html and "Awaiting payment" in html and "Rp 85,000" in html


def test_someone_elses_orders_never_show(client):
    anna, bob = UserFactory(email="anna@example.test"), UserFactory(email="bob@example.test")
    theirs = place(ProductFactory(), buyer=anna)
    client.force_login(bob)
    response = client.get(URL)
    assert list(response.context["orders"]) == []
    assert theirs.orders.get().number not in response.content.decode()
    assert "Belum ada pesanan." in response.content.decode()


def test_guest_orders_with_my_email_show_only_after_i_verify_it(client):
    guest = place(ProductFactory(), email="Anna@Example.test")
    someone = place(ProductFactory(), email="someone@example.test")
    anna = UserFactory(email="anna@example.test")
    client.force_login(anna)
    # Signing up with the address is not enough.
    assert list(client.get(URL).context["orders"]) == []

    response = client.get(verify_path(anna), follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert [o.number for o in response.context["orders"]] == [guest.orders.get().number]
    assert "Email Anda terverifikasi. 1 pesanan tamu ditambahkan ke Pesanan saya." in (
        response.content.decode()
    )
    assert Checkout.objects.get(pk=someone.pk).buyer is None


def test_a_guest_order_placed_after_verifying_shows_without_a_new_link(client):
    anna = UserFactory(email="anna@example.test")
    client.force_login(anna)
    client.get(verify_path(anna))
    anna.refresh_from_db()
    assert anna.email_verified_at is not None

    # Later, on another phone, Anna buys as a guest with the same address.
    later = place(ProductFactory(), email="ANNA@example.test")
    other = place(ProductFactory(), email="someone@example.test")
    numbers = [o.number for o in client.get(URL).context["orders"]]
    assert numbers == [later.orders.get().number]
    assert other.orders.get().number not in numbers


def test_an_unverified_account_never_sees_guest_orders_of_its_address(client):
    place(ProductFactory(), email="anna@example.test")
    anna = UserFactory(email="anna@example.test")
    client.force_login(anna)
    assert anna.email_verified_at is None
    assert list(client.get(URL).context["orders"]) == []


def test_the_link_of_another_account_claims_nothing_for_the_one_who_opens_it(client):
    place(ProductFactory(), email="anna@example.test")
    anna, mallory = UserFactory(email="anna@example.test"), UserFactory(email="m@example.test")
    client.force_login(mallory)
    response = client.get(verify_path(anna), follow=True)
    assert "Tautan verifikasi ini untuk akun lain." in response.content.decode()
    assert list(response.context["orders"]) == []
    assert not Checkout.objects.filter(buyer__isnull=False).exists()


def test_whoever_opens_the_mail_must_hold_the_account(client):
    """Someone who signs up with another person's address cannot have them claim their guest
    orders for him by opening the mail: the link works only for the signed-in account."""
    place(ProductFactory(), email="anna@example.test")
    squatter = UserFactory(email="anna@example.test")
    response = client.get(verify_path(squatter))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Checkout.objects.filter(buyer=squatter).exists()


def test_a_checkout_of_another_account_is_never_moved(client):
    anna, bob = UserFactory(email="anna@example.test"), UserFactory(email="bob@example.test")
    bobs = place(ProductFactory(), email="anna@example.test", buyer=bob)
    client.force_login(anna)
    client.get(verify_path(anna))
    assert Checkout.objects.get(pk=bobs.pk).buyer == bob


@pytest.mark.parametrize("broken", ["nonsense", "abc:def:ghi"])
def test_a_broken_link_is_refused(client, broken):
    place(ProductFactory(), email="anna@example.test")
    anna = UserFactory(email="anna@example.test")
    client.force_login(anna)
    response = client.get(f"/accounts/verify-email/{broken}/", follow=True)
    assert "Tautan verifikasi tidak valid." in response.content.decode()
    assert not Checkout.objects.filter(buyer=anna).exists()


def test_an_old_link_is_refused(client, monkeypatch):
    place(ProductFactory(), email="anna@example.test")
    anna = UserFactory(email="anna@example.test")
    token = accounts.email_verify_token(anna)
    later = signing.time.time() + accounts.EMAIL_VERIFY_MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    client.force_login(anna)
    response = client.get(f"/accounts/verify-email/{token}/", follow=True)
    assert "Tautan verifikasi sudah kedaluwarsa." in response.content.decode()
    assert not Checkout.objects.filter(buyer=anna).exists()


def test_a_link_for_an_address_the_account_no_longer_has_is_refused(client):
    place(ProductFactory(), email="anna@example.test")
    anna = UserFactory(email="anna@example.test")
    path = verify_path(anna)
    User.objects.filter(pk=anna.pk).update(email="anna.new@example.test")
    client.force_login(User.objects.get(pk=anna.pk))
    client.get(path)
    assert not Checkout.objects.filter(buyer=anna).exists()


def test_asking_for_a_new_link_mails_it_and_adds_guest_orders_placed_since(client):
    anna = UserFactory(email="anna@example.test")
    client.force_login(anna)
    later = place(ProductFactory(), email="anna@example.test")  # a guest order after sign-up
    html = client.get(URL).content.decode()
    assert 'action="/accounts/verify-email/send/"' in html
    response = client.post("/accounts/verify-email/send/", follow=True)
    assert "Kami mengirim tautan verifikasi ke anna@example.test." in response.content.decode()
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/accounts/verify-email/[^/\s]+/)", mail.outbox[0].body)[1]
    client.get(path)
    assert Checkout.objects.get(pk=later.pk).buyer == anna
    # A second mail within the minute is refused, saying why.
    response = client.post("/accounts/verify-email/send/", follow=True)
    assert "Tunggu satu menit" in response.content.decode()
    assert len(mail.outbox) == 1


def test_asking_for_a_link_needs_sign_in_and_post(client):
    assert client.post("/accounts/verify-email/send/")["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get("/accounts/verify-email/send/").status_code == 405
    assert not mail.outbox


def test_an_account_without_email_is_offered_no_link(client):
    phone_only = UserFactory(email="6281234567890@telepon.pasar.invalid")
    client.force_login(phone_only)
    assert "/accounts/verify-email/send/" not in client.get(URL).content.decode()


def test_the_list_is_paged(client):
    anna = UserFactory(email="anna@example.test")
    product = ProductFactory(stock=100)
    for _ in range(ORDERS_PER_PAGE + 1):
        place(product, buyer=anna)
    client.force_login(anna)
    first = client.get(URL)
    assert len(first.context["orders"]) == ORDERS_PER_PAGE
    assert "?page=2" in first.content.decode()
    assert len(client.get(URL + "?page=2").context["orders"]) == 1


def _queries(client, count: int) -> int:
    anna = User.objects.get(email="anna@example.test")
    product = ProductFactory(stock=100)
    while Order.objects.filter(checkout__buyer=anna).count() < count:
        place(product, buyer=anna)
    client.force_login(anna)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_orders(client):
    UserFactory(email="anna@example.test")
    assert _queries(client, 2) == _queries(client, 10)


def test_the_header_links_my_orders_for_signed_in_people_only(client):
    assert 'href="/accounts/orders/"' not in client.get("/shops/").content.decode()
    client.force_login(UserFactory())
    assert 'href="/accounts/orders/"' in client.get("/shops/").content.decode()
