"""Issue 9, done when: a tourist on a 360-px phone types "ul" in the header's search box, picks
a suggestion, filters the results by kecamatan and opens the product; and the same in English
at /en/. The products are indexed by the database backend, as the embedded run does."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from search import backends, synonyms
from search.documents import documents_for
from tests.factories import CategoryFactory, KecamatanFactory, ProductFactory, ShopFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


@pytest.fixture
def two_ulos():
    """The same ulos from a weaver in Balige and one in Porsea, and a coffee that is no match."""
    synonyms.forget()
    tenun = CategoryFactory(name="Tenun dan Ulos", slug="tenun", name_en="Weaving and ulos")
    balige = ShopFactory(
        name="Tenun Boru Siahaan",
        category=tenun,
        kecamatan=KecamatanFactory(name="Balige", slug="balige"),
    )
    porsea = ShopFactory(
        name="Galeri Gorga Porsea",
        category=tenun,
        kecamatan=KecamatanFactory(name="Porsea", slug="porsea"),
    )
    products = [
        ProductFactory(shop=balige, title="Ulos Sadum", slug="ulos-sadum-balige", price=350_000),
        ProductFactory(shop=porsea, title="Ulos Sadum", slug="ulos-sadum-porsea", price=300_000),
        ProductFactory(
            shop=porsea,
            title="Kopi Arabika",
            slug="kopi-arabika",
            description="Biji kopi sangrai dari Porsea.",
            price=85_000,
            category=CategoryFactory(name="Kopi", slug="kopi"),
        ),
    ]
    backends.database_backend().index(documents_for([p.pk for p in products]))
    yield products
    synonyms.forget()


def find_the_porsea_ulos(page, *, box_name: str, results: str, pick_by_keyboard: bool) -> None:
    box = page.get_by_role("combobox", name=box_name)
    box.press_sequentially("ul", delay=60)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option", name="Ulos Sadum", exact=True)
    expect(option).to_have_count(1)  # the two same-named products are one suggestion
    if pick_by_keyboard:
        box.press("ArrowDown")
        expect(box).to_have_attribute("aria-activedescendant", re.compile(r".+"))
        for _ in range(8):  # the list holds at most 8
            if option.get_attribute("aria-selected") == "true":
                break
            box.press("ArrowDown")
        expect(option).to_have_attribute("aria-selected", "true")
        box.press("Enter")
    else:
        option.click()
    page.wait_for_url(re.compile(r"/search/\?q=Ulos\+Sadum$"))
    fits_the_phone(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(results)
    expect(page.locator("[data-result-count]")).to_have_attribute("data-result-count", "2")

    page.locator("[data-facet=kecamatan]").get_by_role("link", name=re.compile("^Porsea")).click()
    page.wait_for_url(re.compile(r"kecamatan=porsea"))
    fits_the_phone(page)
    expect(page.locator("[data-result-count]")).to_have_attribute("data-result-count", "1")
    expect(page.locator(".search-result .meta")).to_contain_text("Galeri Gorga Porsea")
    page.locator(".search-result").get_by_role("link", name="Ulos Sadum").click()


def test_a_tourist_types_ul_picks_a_suggestion_filters_by_kecamatan_and_opens_it(
    live_server, page, two_ulos
):
    page.goto(f"{live_server.url}/")
    fits_the_phone(page)
    find_the_porsea_ulos(
        page,
        box_name="Cari produk, wisata, penginapan",
        results="Hasil untuk",
        pick_by_keyboard=False,
    )
    page.wait_for_url(f"{live_server.url}/products/ulos-sadum-porsea/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ulos Sadum")
    fits_the_phone(page)


def test_the_same_in_english_at_en_with_the_keyboard(live_server, page, two_ulos):
    page.goto(f"{live_server.url}/en/shops/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    find_the_porsea_ulos(
        page,
        box_name="Search goods, experiences, stays",
        results="Results for",
        pick_by_keyboard=True,
    )
    page.wait_for_url(f"{live_server.url}/en/products/ulos-sadum-porsea/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ulos Sadum")
    fits_the_phone(page)


def test_without_javascript_the_box_is_a_plain_search_form(live_server, browser, two_ulos):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_role("searchbox", name="Cari produk, wisata, penginapan").fill("ulos")
    page.get_by_role("button", name="Cari", exact=True).click()
    page.wait_for_url(re.compile(r"/search/\?q=ulos$"))
    expect(page.locator("[data-result-count]")).to_have_attribute("data-result-count", "2")
    fits_the_phone(page)
    context.close()
