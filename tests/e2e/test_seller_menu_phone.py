"""The seller's shop menu on a 360 x 740 phone: one row at the bottom of the screen (the four
most used pages and "Lainnya"), the rest behind "Lainnya", which opens without JavaScript; on a
wide screen the same menu is one row of tabs."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ShopFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REST = ["Stok menipis", "Impor CSV", "Profil", "Pengiriman", "Voucher", "Anggota"]


def sign_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", "rahasia-123")
    page.locator("form.stack button[type=submit]").click()


def menu_rows(page) -> tuple[float, int]:
    """The menu's height and how many distinct rows its top-level entries sit on."""
    height = page.locator(".seller-nav").bounding_box()["height"]
    tops = page.eval_on_selector_all(
        ".seller-bar > li", "items => items.map(i => Math.round(i.getBoundingClientRect().top))"
    )
    return height, len(set(tops))


def test_the_menu_is_one_bottom_row_and_lainnya_opens_the_rest(live_server, page):
    owner = UserFactory(email="rosdiana@pasar.test")
    shop = ShopFactory(owner=owner, name="Tenun Boru Siahaan", slug="tenun-boru")
    sign_in(page, live_server, owner.email)
    page.wait_for_url(re.compile(rf"/seller/{shop.slug}/$"))

    height, rows = menu_rows(page)
    assert rows == 1 and height < 80, (height, rows)
    box = page.locator(".seller-nav").bounding_box()
    assert box["y"] + box["height"] == pytest.approx(740, abs=1)  # pinned to the bottom
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    bar = page.locator(".seller-bar > li > a")
    expect(bar).to_have_text(["Ringkasan", "Pesanan", "Produk", "Pembayaran"])
    expect(page.locator(".seller-bar a[aria-current=page]")).to_have_text("Ringkasan")

    # The rest is hidden until "Lainnya" opens it, above the bar and inside the screen.
    for name in REST:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_hidden()
    page.get_by_text("Lainnya", exact=True).click()
    for name in REST:
        link = page.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        item = link.bounding_box()
        assert item["y"] >= 0 and item["y"] + item["height"] <= box["y"] + 1, (name, item)
        assert item["x"] >= 0 and item["x"] + item["width"] <= 360, (name, item)
    page.get_by_role("link", name="Voucher", exact=True).click()
    page.wait_for_url(re.compile(rf"/seller/{shop.slug}/vouchers/$"))
    # Still one row; the page it opened is marked on "Lainnya".
    height, rows = menu_rows(page)
    assert rows == 1 and height < 80, (height, rows)
    expect(page.locator(".seller-more summary")).to_have_class(re.compile("current"))

    # The bottom bar never covers the end of a page: the footer scrolls clear of it.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] + footer["height"] <= page.locator(".seller-nav").bounding_box()["y"] + 1


def test_on_a_wide_screen_the_menu_is_one_row_of_tabs(live_server, browser):
    owner = UserFactory(email="togar@pasar.test")
    shop = ShopFactory(owner=owner, slug="kopi-togar")
    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID").new_page()
    sign_in(page, live_server, owner.email)
    page.wait_for_url(re.compile(rf"/seller/{shop.slug}/$"))
    height, rows = menu_rows(page)
    assert rows == 1 and height < 80, (height, rows)
    box = page.locator(".seller-nav").bounding_box()
    assert box["y"] < 200  # at the top, under the header, not pinned to the bottom
    page.get_by_text("Lainnya", exact=True).click()
    expect(page.get_by_role("link", name="Anggota", exact=True)).to_be_visible()
