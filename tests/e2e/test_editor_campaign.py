"""Diskominfo's editor builds a campaign in the Wagtail page editor (dates, two featured products
and an experience chosen through the catalog choosers) and submits it; the head of office
approves it in the "Persetujuan Kepala Dinas" workflow, and the Indonesian home page lists it.
The editor then translates it to English with simple translation (its parents first), the head
approves again, and /en/ lists it under its English title."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page

from cms.models import CampaignIndexPage, CampaignPage
from tests.cms import pages
from tests.factories import ExperienceSlotFactory, ProductFactory, ShopFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "rahasia-123"
DESKTOP = {"width": 1280, "height": 900}
SUBMIT = "Pengajuan ke Persetujuan Kepala Dinas"
# simple_translation ships no Indonesian: locale/id/ gives it (English labels kept for safety).
PARENTS = re.compile(r"^(Translate the parent pages?\.|Terjemahkan halaman induknya dulu\.)$")


def admin_page(browser, live_server, email: str):
    """A desktop browser signed in to the Wagtail admin (users sign in with their email)."""
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/cms-admin/login/")
    page.get_by_role("textbox", name=re.compile("email", re.I)).fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/cms-admin/")
    return page


def submit_for_moderation(page) -> None:
    """In the page editor: the footer's other actions, then submit to the workflow."""
    page.get_by_role("button", name="Tindakan lain").click()
    page.get_by_role("button", name=SUBMIT).click()
    expect(page.get_by_role("status")).to_contain_text(re.compile("moderasi"))


def fill_date(field, day: dt.date) -> None:
    """Type a date and leave the field. Wagtail's date picker opens 100 ms after the field
    gets focus and closes on Tab, so wait for it to open before leaving, or it opens late
    and covers the page."""
    pickers = field.page.locator(".xdsoft_datetimepicker:visible")
    field.fill(day.isoformat())
    expect(pickers).to_have_count(1)
    field.press("Tab")
    expect(pickers).to_have_count(0)
    expect(field).to_have_value(day.isoformat())


def add_item(page, prefix: str, count: int) -> None:
    """Add an item at the end of a list block (its "+" button), checking that it did: a click
    while the new block is still settling in is sometimes lost, so click again then."""
    items = page.locator(f"input[name='{prefix}-count']")
    add = page.locator(f"div:has(> input[name='{prefix}-count'])").get_by_title("Tambah").last
    for _attempt in range(3):
        add.click()
        try:
            expect(items).to_have_value(str(count), timeout=2_000)
            return
        except AssertionError:
            continue
    expect(items).to_have_value(str(count))


def choose(page, button: str, title: str) -> None:
    """Open a catalog chooser and pick `title` in its modal."""
    page.get_by_role("button", name=button, exact=True).last.click()
    modal = page.locator(".modal")
    modal.get_by_role("link", name=title).click()
    expect(modal).to_be_hidden()
    expect(page.get_by_text(title, exact=True).last).to_be_visible()


def english_title(page, title: str, slug: str) -> None:
    """Retitle a translated page. A page that was never live takes its slug from its title
    when the title field is left (Wagtail's w-sync), so the English URL is English too."""
    page.get_by_placeholder("Judul halaman*").fill(title)
    page.get_by_placeholder("Judul halaman*").press("Tab")
    expect(page.locator("#id_slug")).to_have_value(slug)


def approve_all(page, count: int) -> None:
    """On the dashboard's "awaiting your review" panel, approve each page in turn."""
    review = page.locator("#awaiting-review-section")
    for left in range(count, 0, -1):
        rows = review.locator("a[title=Ubah]")
        expect(rows).to_have_count(left)
        review.get_by_role("button", name="Tindakan").first.click()
        review.get_by_role("button", name="Menyetujui", exact=True).first.click()
        expect(rows).to_have_count(left - 1)


def test_editor_builds_a_campaign_the_head_approves_it_and_it_goes_live_in_both_languages(
    live_server, browser
):
    today = timezone.localdate()
    index = pages.index(CampaignIndexPage, "kampanye")
    shop = ShopFactory(name="Toko Ulos Balige")
    ProductFactory(shop=shop, title="Ulos Ragi Hotang")
    ProductFactory(shop=shop, title="Kopi Arabika Lintong")
    ProductFactory(shop=shop, title="Andaliman Kering")
    tour = ProductFactory(shop=shop, kind="experience", stock=False, title="Tur Perahu Samosir")
    ExperienceSlotFactory(product=tour, starts_at=timezone.now() + dt.timedelta(days=3))
    editor = UserFactory(email="editor@pasar.test", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Editor Diskominfo"))
    head = UserFactory(email="kepala@pasar.test", password=PASSWORD)
    head.groups.add(Group.objects.get(name="Kepala Dinas"))

    # The editor builds the campaign in the page editor and submits it.
    admin = admin_page(browser, live_server, "editor@pasar.test")
    admin.goto(live_server.url + f"/cms-admin/pages/{index.pk}/")
    admin.get_by_role("link", name="Tambahkan halaman turunan").click()
    admin.wait_for_url(f"**/cms-admin/pages/add/cms/campaignpage/{index.pk}/")
    admin.get_by_placeholder("Judul halaman*").fill("Festival Danau Toba")
    fill_date(admin.get_by_label("Mulai"), today)
    fill_date(admin.get_by_label("Selesai"), today + dt.timedelta(days=10))

    admin.get_by_title("Sisipkan blok").last.click()
    admin.get_by_role("option", name="Produk pilihan").click()
    admin.fill("#body-0-value-title", "Oleh-oleh festival")
    choose(admin, "Pilih produk", "Ulos Ragi Hotang")
    add_item(admin, "body-0-value-products", 2)
    choose(admin, "Pilih produk", "Kopi Arabika Lintong")

    admin.get_by_title("Sisipkan blok").last.click()
    admin.get_by_role("option", name="Pengalaman pada tanggal").click()
    admin.fill("#body-1-value-title", "Jalan-jalan di danau")
    add_item(admin, "body-1-value-experiences", 1)
    choose(admin, "Pilih pengalaman", "Tur Perahu Samosir")
    fill_date(admin.locator("#body-1-value-start_date"), today)
    fill_date(admin.locator("#body-1-value-end_date"), today + dt.timedelta(days=10))
    submit_for_moderation(admin)
    campaign = CampaignPage.objects.get(title="Festival Danau Toba")
    assert not campaign.live

    # The head of office approves it from the dashboard, which publishes it.
    head_admin = admin_page(browser, live_server, "kepala@pasar.test")
    approve_all(head_admin, 1)

    # The Indonesian home page lists it; the campaign shows what the editor chose.
    tourist = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    tourist.goto(live_server.url + "/")
    running = tourist.locator("section.campaigns")
    expect(running.get_by_role("heading", name="Kampanye berjalan")).to_be_visible()
    running.get_by_role("link", name="Festival Danau Toba").click()
    expect(tourist).to_have_url(live_server.url + "/kampanye/festival-danau-toba/")
    expect(tourist.get_by_role("heading", level=1)).to_have_text("Festival Danau Toba")
    featured = tourist.locator(".featured-products")
    expect(featured.get_by_role("heading", name="Oleh-oleh festival")).to_be_visible()
    expect(featured.locator(".product-grid > li")).to_have_count(2)
    expect(featured).to_contain_text("Ulos Ragi Hotang")
    expect(featured).to_contain_text("Kopi Arabika Lintong")
    on_dates = tourist.locator(".experiences-on-dates")
    expect(on_dates.get_by_role("link", name="Tur Perahu Samosir")).to_be_visible()
    expect(on_dates).to_contain_text("12 tempat tersisa")

    # The editor translates it: the Translate action says the parents come first, so the
    # editor follows it up to the home page and translates that with its subtree.
    admin.goto(live_server.url + f"/cms-admin/pages/{campaign.pk}/edit/")
    admin.locator("#w-slim-header-buttons").get_by_role("button", name="Tindakan").click()
    admin.get_by_role("link", name=re.compile("^(Translate|Terjemahkan)$")).click()
    admin.wait_for_url(f"**/translation/submit/page/{campaign.pk}/")
    expect(admin.get_by_label("English")).to_be_disabled()
    admin.get_by_role("link", name=PARENTS).click()
    admin.wait_for_url(f"**/translation/submit/page/{index.pk}/")
    admin.get_by_role("link", name=PARENTS).click()
    home = pages.home()
    admin.wait_for_url(f"**/translation/submit/page/{home.pk}/")
    admin.get_by_label("English").check()
    admin.get_by_label(
        re.compile(r"Include subtree \(2 pages\)|Sertakan halaman di bawahnya \(2 halaman\)")
    ).check()
    admin.get_by_role("button", name=re.compile("^(Submit|Kirim)$")).click()
    en_home = Page.objects.get(translation_key=home.translation_key, locale__language_code="en")
    admin.wait_for_url(f"**/cms-admin/pages/{en_home.pk}/edit/")
    submit_for_moderation(admin)

    en_index = index.get_translation(en_home.locale)
    admin.goto(live_server.url + f"/cms-admin/pages/{en_index.pk}/edit/")
    english_title(admin, "Campaigns", "campaigns")
    submit_for_moderation(admin)

    en_campaign = campaign.get_translation(en_home.locale)
    admin.goto(live_server.url + f"/cms-admin/pages/{en_campaign.pk}/edit/")
    english_title(admin, "Lake Toba Festival", "lake-toba-festival")
    admin.fill("#body-0-value-title", "Festival souvenirs")
    submit_for_moderation(admin)

    # The head approves the three English pages.
    head_admin.goto(live_server.url + "/cms-admin/")
    approve_all(head_admin, 3)

    # /en/ lists the campaign under its English title, and its English page says it.
    tourist.goto(live_server.url + "/en/")
    running = tourist.locator("section.campaigns")
    expect(running.get_by_role("heading", name="Running campaigns")).to_be_visible()
    running.get_by_role("link", name="Lake Toba Festival").click()
    expect(tourist).to_have_url(live_server.url + "/en/campaigns/lake-toba-festival/")
    expect(tourist.get_by_role("heading", level=1)).to_have_text("Lake Toba Festival")
    expect(tourist.locator(".featured-products")).to_contain_text("Festival souvenirs")
    expect(tourist.locator(".featured-products .product-grid > li")).to_have_count(2)
    expect(tourist.locator(".experiences-on-dates")).to_contain_text("Tur Perahu Samosir")
    # The Indonesian home still lists the Indonesian title only.
    tourist.goto(live_server.url + "/")
    expect(tourist.locator("section.campaigns")).to_contain_text("Festival Danau Toba")
    expect(tourist.locator("section.campaigns")).not_to_contain_text("Lake Toba Festival")
