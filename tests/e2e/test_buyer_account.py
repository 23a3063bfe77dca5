"""A tourist at 360 px: saves a product as a guest, signs up as a buyer from the login page,
finds the wishlist in the account, opens the mailed link and sees the guest order in
"Pesanan saya"."""

import re

import pytest
from django.core import mail
from django.core.cache import caches

from marketplace.models import User
from marketplace.services.accounts import email_verify_cooldown_key
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_guest_wishlist_and_guest_order_follow_the_new_buyer_account(live_server, page):
    ulos = ProductFactory(title="Ulos Ragi Hotang", price=450_000)
    kopi = ProductFactory(title="Kopi Lintong", price=85_000)
    guest = checkout_place(
        items=[CheckoutItem(kopi.slug, 1)],
        contact=Contact(name="Anna Schmidt", phone="+44 7911 123456", email="anna@example.test"),
    )
    number = guest.orders.get().number

    page.goto(f"{live_server.url}/products/{ulos.slug}/")
    page.get_by_role("button", name="Simpan ke wishlist").click()
    page.get_by_role("link", name="Masuk").first.click()
    page.get_by_role("link", name="Lupa kata sandi?").wait_for()
    page.get_by_role("link", name="Daftar sebagai pembeli").click()
    page.get_by_label("Nama lengkap").fill("Anna Schmidt")
    page.get_by_label("Alamat email").fill("anna@example.test")
    page.get_by_label("Kata sandi", exact=True).fill("danau-toba-sipiso-91")
    page.get_by_label("Ulangi kata sandi").fill("danau-toba-sipiso-91")
    page.get_by_role("button", name="Daftar").click()

    page.wait_for_url(live_server.url + "/accounts/orders/")
    assert page.locator("h1").inner_text() == "Pesanan saya"
    assert "Belum ada pesanan." in page.content()  # not before the address is verified
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name="Wishlist").first.click()
    assert "Ulos Ragi Hotang" in page.locator("main").inner_text()

    link = re.search(r"https?://\S+(/accounts/verify-email/\S+/)", mail.outbox[-1].body)[1]
    page.goto(live_server.url + link)
    page.wait_for_url(live_server.url + "/accounts/orders/")
    assert number in page.locator("main").inner_text()
    assert "1 pesanan tamu ditambahkan" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    caches["throttle"].delete_many([email_verify_cooldown_key(u) for u in User.objects.all()])
