"""Every promotion page type renders in Indonesian and in English with one <h1>, a meta
description, an OpenGraph image and language alternates; the sitemap lists both languages;
events, places and articles carry their JSON-LD (issue 10)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from wagtail.models import Page

from cms.models import (
    ArticleIndexPage,
    CampaignIndexPage,
    DestinationIndexPage,
    EventIndexPage,
    VillageIndexPage,
)
from marketplace.models import Desa
from tests.cms import pages
from tests.factories import KecamatanFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """What a page's HTML says about itself: headings, meta tags, links, JSON-LD."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.meta: dict[str, str] = {}
        self.alternates: dict[str, str] = {}
        self.canonical = ""
        self.json_ld: list[dict] = []
        self._in_json = False
        self.html_lang = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang", "")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content", "")
        elif tag == "link" and attrs.get("rel") == "alternate":
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json = True

    def handle_endtag(self, tag):
        self._in_json = False if tag == "script" else self._in_json

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(json.loads(data))


def head_of(client, url: str) -> Head:
    response = client.get(url)
    assert response.status_code == 200, url
    head = Head()
    head.feed(response.content.decode())
    return head


@pytest.fixture
def every_page_type():
    """One page of every type, each with an English translation."""
    kecamatan = KecamatanFactory(name="Balige")
    desa = Desa.objects.create(kecamatan=kecamatan, name="Meat", slug="meat")
    ProductFactory(shop=ShopFactory(kecamatan=kecamatan, desa=desa), title="Ulos Ragidup")
    topic = pages.article_topic()
    made = [
        pages.home(),
        pages.campaign(),
        pages.destination(kecamatan),
        pages.village(desa),
        pages.article(topic=topic, author="Tim Diskominfo"),
        pages.event(venue="Lapangan Sisingamangaraja"),
    ]
    made += [
        page.specific
        for page in Page.objects.type(
            CampaignIndexPage,
            DestinationIndexPage,
            VillageIndexPage,
            ArticleIndexPage,
            EventIndexPage,
        )
    ]
    return [(page, pages.translate(page, title=f"{page.title} (EN)")) for page in made]


def test_every_page_type_renders_in_both_languages_with_one_h1_a_description_and_an_image(
    client, every_page_type
):
    assert len({type(page) for page, _ in every_page_type}) == 11
    for page, english in every_page_type:
        for shown, language in ((page, "id"), (english, "en")):
            url = shown.url
            assert url.startswith("/en/") == (language == "en"), url
            head = head_of(client, url)
            assert head.html_lang == language, url
            assert head.h1 == 1, url
            assert head.meta["description"].strip(), url
            assert head.meta["og:description"] == head.meta["description"], url
            assert re.match(r"^https?://[^/]+/.+\.jpe?g$", head.meta["og:image"]), url
            assert head.meta["twitter:card"] == "summary_large_image"
            assert head.canonical.endswith(url)
            assert head.alternates["id"].endswith(page.url), url
            assert head.alternates["en"].endswith(english.url), url


def test_the_english_page_shows_its_english_title(client, every_page_type):
    campaign, english = next(
        pair for pair in every_page_type if pair[0].slug == "festival-danau-toba"
    )
    assert "Festival Danau Toba (EN)" in client.get(english.url).text
    assert "(EN)" not in client.get(campaign.url).text.split("<main", 1)[1]


def test_the_sitemap_lists_every_live_page_in_both_languages(client, every_page_type):
    body = client.get("/sitemap-pages.xml").text
    for page, english in every_page_type:
        assert f"<loc>http://testserver{page.url}</loc>" in body or f"{page.url}</loc>" in body
        assert f"{english.url}</loc>" in body
    draft = pages.campaign("Draf kampanye")
    draft.unpublish()
    assert draft.slug not in client.get("/sitemap-pages.xml").text


def test_events_places_and_articles_carry_their_structured_data(client, every_page_type):
    types = {}
    for page, _english in every_page_type:
        for data in head_of(client, page.url).json_ld:
            types[type(page).__name__] = data
    assert types["EventPage"]["@type"] == "Event"
    assert types["EventPage"]["location"]["name"] == "Lapangan Sisingamangaraja"
    assert types["EventPage"]["startDate"] < types["EventPage"]["endDate"]
    assert types["DestinationPage"]["@type"] == "TouristAttraction"
    assert types["DestinationPage"]["address"]["addressLocality"] == "Balige"
    assert types["VillagePage"]["@type"] == "TouristAttraction"
    assert types["ArticlePage"]["@type"] == "Article"
    assert types["ArticlePage"]["author"]["name"] == "Tim Diskominfo"
    assert "HomePage" not in types


def test_the_share_bar_carries_campaign_parameters(client, every_page_type):
    campaign = next(page for page, _ in every_page_type if page.slug == "festival-danau-toba")
    text = client.get(campaign.url).text
    assert (
        "utm_source%3Dwhatsapp%26utm_medium%3Dsocial%26utm_campaign%3Dfestival-danau-toba" in text
    )
    assert "utm_source=copy&amp;utm_medium=social&amp;utm_campaign=festival-danau-toba" in text


def test_robots_points_at_the_sitemap_and_keeps_out_of_the_admin(client):
    text = client.get("/robots.txt").text
    assert "Disallow: /cms-admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_frame_shows_the_announcement_and_the_footer_settings_in_each_language(client):
    import datetime as dt

    from django.utils import timezone
    from wagtail.models import Locale, Site

    from cms.models import AnnouncementBanner, SiteSettings

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.footer_text = "Diskominfo Toba, Balige"
    settings.footer_text_en = "Toba's communications office, Balige"
    settings.instagram = "https://instagram.example/pasarkreatiftoba"
    settings.save()
    AnnouncementBanner.objects.create(
        text="Festival Danau Toba 12-15 Desember",
        locale=Locale.objects.get(language_code="id"),
    )
    AnnouncementBanner.objects.create(
        text="Sudah berakhir",
        locale=Locale.objects.get(language_code="id"),
        show_until=timezone.now() - dt.timedelta(minutes=1),
    )
    indonesian = client.get("/shops/").text
    assert "Festival Danau Toba 12-15 Desember" in indonesian
    assert "Sudah berakhir" not in indonesian
    assert "Diskominfo Toba, Balige" in indonesian
    assert "instagram.example/pasarkreatiftoba" in indonesian
    english = client.get("/en/shops/").text
    assert "Toba's communications office, Balige" in english.replace("&#x27;", "'")
    assert "Festival Danau Toba 12-15 Desember" not in english  # no English banner written
