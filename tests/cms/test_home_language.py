"""The home page's hero in English: the English translation when there is one, otherwise the
Indonesian hero marked as such, with a notice in English (issue 13, item 5)."""

import pytest
from wagtail.models import Locale

from cms.models import HomePage

pytestmark = pytest.mark.django_db

NOTICE = "This page is shown in Indonesian."


@pytest.fixture
def home():
    page = HomePage.objects.get()
    page.hero_title = "Horas! Selamat datang di Toba"
    page.hero_text = "Ulos, kopi dan wisata Danau Toba dari UMKM setempat."
    page.save_revision().publish()
    return page


def test_english_without_a_translation_shows_the_indonesian_hero_and_says_so(client, home):
    html = client.get("/en/").content.decode()
    assert NOTICE in html
    assert '<h1 lang="id">Horas! Selamat datang di Toba</h1>' in html


def test_indonesian_shows_no_notice(client, home):
    html = client.get("/").content.decode()
    assert "<h1>Horas! Selamat datang di Toba</h1>" in html
    assert NOTICE not in html and "ditampilkan dalam bahasa" not in html


def test_an_english_translation_is_shown_in_english(client, home):
    locale = Locale.objects.get_or_create(language_code="en")[0]
    english = home.copy_for_translation(locale, copy_parents=True)
    english.hero_title = "Horas! Welcome to Toba"
    english.hero_text = "Ulos, coffee and Lake Toba trips from local makers."
    english.save_revision().publish()
    html = client.get("/en/").content.decode()
    assert "<h1>Horas! Welcome to Toba</h1>" in html and "local makers" in html
    assert NOTICE not in html
    # The Indonesian page keeps its own hero.
    assert "<h1>Horas! Selamat datang di Toba</h1>" in client.get("/").content.decode()
