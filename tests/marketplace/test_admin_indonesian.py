"""Diskominfo's Wagtail admin in one language (issue 13, item 12): Indonesian throughout for an
Indonesian editor (Wagtail's own Indonesian leaves many strings English; locale/id/ fills them),
a dashboard panel of the shops waiting for verification, and the site's favicon."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.staticfiles import finders
from django.utils import timezone
from wagtail.users.models import UserProfile

from cms.models import HomePage
from marketplace.demo.accounts import EDITOR_GROUPS, grant_editor_permissions
from marketplace.models import ShopStatus
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

# Wagtail strings that its Indonesian catalog leaves English, as they appear on these screens.
ENGLISH = [
    "Actions",
    "Reports",
    "Help",
    "1 Page",
    "Locked pages",
    "Workflows",
    "Site history",
    "Aging pages",
    "Editor Guide",
    "Shortcuts",
    "Keyboard shortcuts",
    "Search all pages",
    "Close dialog",
    "created in",
    "JavaScript is required",
    "Bulk actions",
    "Show filters",
    "Select all",
    "Root",  # the root page's stored title, in every breadcrumb (cms migration 0003)
]
SCREENS = [
    "/cms-admin/",
    "/cms-admin/pages/",
    "/cms-admin/pages/{home}/",
    "/cms-admin/pages/{home}/edit/",
    "/cms-admin/images/",
    "/cms-admin/documents/",
    "/cms-admin/reports/site-history/",
]


class VisibleText(HTMLParser):
    """The words a person sees or hears: text, titles, labels, placeholders, and the sidebar's
    menu labels (rendered from JSON by the admin's JavaScript)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    sidebar = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    labels = re.findall(r'"label": "([^"]*)"', sidebar.group(1)) if sidebar else []
    return " | ".join(parser.parts + labels)


@pytest.fixture
def editor_client(client):
    grant_editor_permissions()
    editor = UserFactory(email="editor@pasar.test")
    editor.groups.add(*Group.objects.filter(name__in=EDITOR_GROUPS))
    client.force_login(editor)
    client.editor = editor
    return client


@pytest.mark.parametrize("url", SCREENS)
def test_an_indonesian_editor_sees_no_english(editor_client, url):
    response = editor_client.get(url.format(home=HomePage.objects.get().pk))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    left = [word for word in ENGLISH if word in text]
    assert left == [], left
    assert "Laporan" in text or url != "/cms-admin/"


def test_the_admin_login_reads_indonesian(client):
    text = visible_text(client.get("/cms-admin/login/").content.decode())
    assert "Lupa kata sandi?" in text and "Ingat saya" in text and "Kata sandi" in text
    assert "Password" not in text
    assert "Forgotten password?" not in text and "Remember me" not in text


def test_signing_in_to_the_admin_still_works(client):
    user = UserFactory(email="staf@pasar.test", is_superuser=True, is_staff=True)
    user.set_password("rahasia-Toba-2026")
    user.save()
    response = client.post(
        "/cms-admin/login/", {"username": "staf@pasar.test", "password": "rahasia-Toba-2026"}
    )
    assert response.status_code == 302 and response["Location"] == "/cms-admin/"


def test_the_dashboard_reads_indonesian(editor_client):
    text = visible_text(editor_client.get("/cms-admin/").content.decode())
    for indonesian in ("Dasbor", "Laporan", "Bantuan", "1 Halaman", "Verifikasi toko", "Keluar"):
        assert indonesian in text, indonesian


def test_the_admins_javascript_strings_are_indonesian(editor_client):
    """The sidebar, comments and editor toolbar take their words from the JavaScript catalog."""
    catalog = editor_client.get("/cms-admin/jsi18n/").content.decode()
    for english, indonesian in [("Main menu", "Menu utama"), ("Toggle sidebar", "Buka/tutup")]:
        assert f'"{english}": "{indonesian}' in catalog, english


def test_an_editor_who_chose_english_gets_english(editor_client):
    profile = UserProfile.get_for_user(editor_client.editor)
    profile.preferred_language = "en"
    profile.save()
    text = visible_text(editor_client.get("/cms-admin/").content.decode())
    assert "Reports" in text and "Help" in text and "Laporan" not in text


def test_the_admin_offers_only_the_sites_languages(editor_client):
    html = editor_client.get("/cms-admin/account/").content.decode()
    assert 'value="id"' in html and 'value="en"' in html
    assert 'value="id-id"' not in html and 'value="de"' not in html


def waiting(name, days_ago):
    return ShopFactory(
        name=name,
        status=ShopStatus.PENDING,
        submitted_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_dashboard_counts_the_shops_waiting_for_verification(editor_client):
    for n in range(7):
        waiting(f"Toko Menunggu {n}", days_ago=n + 1)
    ShopFactory(name="Toko Terverifikasi", status=ShopStatus.VERIFIED)
    ShopFactory(name="Toko Draf", status=ShopStatus.DRAFT)
    html = editor_client.get("/cms-admin/").content.decode()
    panel = html[html.index('id="waiting-shops-section"') :]
    assert "7 toko menunggu verifikasi</a>" in panel
    assert 'href="/cms-admin/verifikasi-toko/?status=pending"' in panel
    names = re.findall(r'<td class="title"><a href="[^"]+">([^<]+)</a>', panel)
    # The five who waited longest, longest first.
    assert names == [f"Toko Menunggu {n}" for n in (6, 5, 4, 3, 2)]
    assert "Toko Terverifikasi" not in html and "Toko Draf" not in html


def test_the_panel_links_each_shop_to_its_verification_screen(editor_client):
    shop = waiting("Tenun Silalahi", days_ago=2)
    html = editor_client.get("/cms-admin/").content.decode()
    assert f'href="/cms-admin/verifikasi-toko/{shop.pk}/">Tenun Silalahi</a>' in html
    assert "1 toko menunggu verifikasi" in html
    assert editor_client.get(f"/cms-admin/verifikasi-toko/{shop.pk}/").status_code == 200


def test_no_waiting_shop_says_so(editor_client):
    html = editor_client.get("/cms-admin/").content.decode()
    assert "0 toko menunggu verifikasi" in html
    assert "Tidak ada toko yang menunggu" in html


def test_someone_who_cannot_verify_sees_no_panel(client):
    """Admin access without marketplace.change_shop: the dashboard, but no verification work."""
    group = Group.objects.create(name="Hanya admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory(email="tamu@pasar.test")
    user.groups.add(group)
    waiting("Tenun Silalahi", days_ago=2)
    client.force_login(user)
    response = client.get("/cms-admin/")
    assert response.status_code == 200
    assert 'id="waiting-shops-section"' not in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/en/", "/cms-admin/", "/cms-admin/login/"])
def test_the_favicon_is_linked_on_the_site_and_the_admin(client, url):
    if url == "/cms-admin/":
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(url).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert 'href="/static/img/favicon-32.png" sizes="32x32"' in html
    assert "wagtailadmin/images/favicon.ico" not in html


def test_the_favicon_files_are_in_static():
    svg = finders.find("img/favicon.svg")
    png = finders.find("img/favicon-32.png")
    assert svg and png
    with open(svg) as image:
        assert image.read().lstrip().startswith("<svg")
    with open(png, "rb") as image:
        header = image.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(header[16:20], "big") == 32 == int.from_bytes(header[20:24], "big")
