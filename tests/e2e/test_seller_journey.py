"""A seller goes from sign-up to a verified shop with a product on a phone, Diskominfo verifies
it in the Wagtail admin, and a tourist then finds it on the storefront and in the API."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from marketplace.models import Shop, ShopStatus, User
from tests.factories import CategoryFactory, KecamatanFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_from_sign_up_to_a_product_on_the_storefront(live_server, page, browser):
    category = CategoryFactory(name="Kopi", slug="kopi")
    kecamatan = KecamatanFactory(name="Laguboti", slug="laguboti")
    editor = User.objects.create_user("editor@pasar.test", "demo-editor-123")
    editor.groups.add(*Group.objects.filter(name__in=["Editors", "Moderators"]))

    # Sign up with a phone number, on a phone.
    page.goto(live_server.url + "/accounts/signup/")
    no_sideways_scroll(page)
    page.fill("#id_full_name", "Togar Manurung")
    page.fill("#id_contact", "0813 2222 3333")
    page.fill("#id_password1", "kopi-laguboti-2026")
    page.fill("#id_password2", "kopi-laguboti-2026")
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url(re.compile(r"/seller/new/$"))

    # Open the shop.
    no_sideways_scroll(page)
    page.fill("#id_name", "Kopi Togar")
    page.select_option("#id_category", str(category.pk))
    page.select_option("#id_kecamatan", str(kecamatan.pk))
    page.fill("#id_address", "Jl. Sisingamangaraja 10")
    page.fill("#id_whatsapp", "0813 2222 3333")
    page.fill("#id_story", "Kopi arabika dari kebun keluarga di Laguboti.")
    page.get_by_role("button", name="Buka toko").click()
    page.wait_for_url(re.compile(r"/seller/kopi-togar/$"))
    shop = Shop.objects.get(slug="kopi-togar")
    assert shop.whatsapp == "+6281322223333" and shop.status == ShopStatus.DRAFT

    # A product, published.
    page.goto(live_server.url + "/seller/kopi-togar/products/new/")
    no_sideways_scroll(page)
    page.check("input[name=kind][value=goods]")
    page.fill("#id_title", "Kopi Arabika Laguboti 250 g")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_price", "85000")
    page.fill("#id_on_hand", "12")
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.get_by_role("button", name="Tampilkan di toko").click()
    expect(page.locator("body")).to_contain_text("Aktif")

    # Submit for verification.
    page.goto(live_server.url + "/seller/kopi-togar/")
    page.get_by_role("button", name="Ajukan verifikasi").click()
    expect(page.locator("body")).to_contain_text("Diskominfo sedang memeriksa")

    # The product is not public before verification.
    tourist = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    storefront = tourist.new_page()
    assert storefront.goto(live_server.url + "/shops/kopi-togar/").status == 404

    # Diskominfo verifies it in the Wagtail admin.
    admin = browser.new_context().new_page()
    admin.goto(live_server.url + "/cms-admin/login/")
    admin.fill("#id_username", "editor@pasar.test")
    admin.fill("#id_password", "demo-editor-123")
    admin.locator("form button[type=submit]").first.click()
    admin.goto(live_server.url + f"/cms-admin/verifikasi-toko/{shop.pk}/")
    admin.get_by_role("button", name="Verifikasi toko ini").click()
    expect(admin.locator("body")).to_contain_text("Terverifikasi")
    shop.refresh_from_db()
    assert shop.status == ShopStatus.VERIFIED

    # A tourist sees it on the storefront and in the API.
    storefront.goto(live_server.url + "/shops/kopi-togar/")
    expect(storefront.locator("body")).to_contain_text("Kopi Arabika Laguboti 250 g")
    expect(storefront.locator("body")).to_contain_text("Rp 85.000")
    no_sideways_scroll(storefront)
    api = storefront.request.get(live_server.url + "/api/v1/products/?shop=kopi-togar").json()
    assert [(p["title"], p["price"], p["stock"]) for p in api["results"]] == [
        ("Kopi Arabika Laguboti 250 g", 85000, 12)
    ]
