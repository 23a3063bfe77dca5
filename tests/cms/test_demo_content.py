"""`seed_demo` makes the promotion pages of the demo in both languages, with photos and the
demo catalog featured; the home page is light: under 100 KB before images (issue 10)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Page

from cms.models import (
    ArticlePage,
    CampaignPage,
    DestinationPage,
    EventPage,
    HomePage,
    VillagePage,
)

pytestmark = pytest.mark.django_db

EXPECTED = {
    HomePage: 1,
    CampaignPage: 2,
    DestinationPage: 3,
    VillagePage: 3,
    ArticlePage: 4,
    EventPage: 6,
}


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_makes_every_page_in_both_languages_with_photos(demo):
    for model, count in EXPECTED.items():
        for language in ("id", "en"):
            found = model.objects.live().filter(locale__language_code=language)
            assert found.count() == count, (model.__name__, language)
            for page in found:
                assert page.hero_image is not None and page.hero_image.description, page
    english = CampaignPage.objects.get(locale__language_code="en", slug="festival-danau-toba")
    assert english.title == "Lake Toba Festival"
    kinds = [block.block_type for block in english.body]
    assert "experiences_on_dates" in kinds and "featured_products" in kinds


def test_seed_demo_twice_makes_no_second_page(demo):
    pages = Page.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Page.objects.count() == pages


def test_every_demo_page_renders_and_the_home_page_is_under_100_kb_before_images(client, demo):
    for page in Page.objects.live().filter(depth__gte=2):
        assert client.get(page.url).status_code == 200, page.url
    for url in ("/", "/en/"):
        html = client.get(url).content
        assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
        assert assets, "the page links its stylesheets and scripts"
        size = len(html) + sum(
            (Path(settings.BASE_DIR) / "static" / asset.decode()).stat().st_size for asset in assets
        )
        assert size < 100_000, (url, size)
        assert b"Festival Danau Toba" in html or b"Lake Toba Festival" in html
