"""Building promotion pages in tests: under the home page the migrations made, published."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cms.models import (
    CampaignIndexPage,
    CampaignPage,
    DestinationIndexPage,
    DestinationPage,
    EventIndexPage,
    EventPage,
    HomePage,
    VillageIndexPage,
    VillagePage,
)


def home() -> HomePage:
    return HomePage.objects.get(depth=2, locale__language_code="id")


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def index(model, slug: str):
    parent = home()
    existing = model.objects.child_of(parent).first()
    return existing or publish(parent, model(title=slug.title(), slug=slug))


def featured_products_block(products) -> tuple[str, dict]:
    return (
        "featured_products",
        {"title": "Pilihan", "products": list(products)},
    )


def campaign(title: str = "Festival Danau Toba", *, body=(), start=None, end=None, **fields):
    today = timezone.localdate()
    return publish(
        index(CampaignIndexPage, "kampanye"),
        CampaignPage(
            title=title,
            start_date=start or today - dt.timedelta(days=1),
            end_date=end or today + dt.timedelta(days=10),
            intro="Festival di tepi danau.",
            body=list(body),
            **fields,
        ),
    )


def destination(kecamatan, title: str = "Balige", **fields):
    return publish(
        index(DestinationIndexPage, "destinasi"),
        DestinationPage(title=title, kecamatan=kecamatan, intro="Kota di tepi danau.", **fields),
    )


def village(desa, title: str = "Desa Wisata Meat", **fields):
    return publish(
        index(VillageIndexPage, "desa-wisata"),
        VillagePage(title=title, desa=desa, intro="Desa para penenun.", **fields),
    )


def event(title: str = "Pesta Ulos", *, days: int = 5, **fields):
    start = timezone.now() + dt.timedelta(days=days)
    fields.setdefault("category", "budaya")
    return publish(
        index(EventIndexPage, "acara"),
        EventPage(title=title, start=start, end=start + dt.timedelta(hours=3), **fields),
    )


def article_topic(name: str = "Cerita pembuat", slug: str = "cerita-pembuat"):
    from wagtail.models import Locale

    from cms.models import ArticleTopic

    return ArticleTopic.objects.create(
        name=name, slug=slug, locale=Locale.objects.get(language_code="id")
    )


def article(title: str = "Penenun dari Meat", **fields):
    from cms.models import ArticleIndexPage, ArticlePage

    fields.setdefault("intro", "Cerita para penenun ulos.")
    return publish(index(ArticleIndexPage, "artikel"), ArticlePage(title=title, **fields))


def translate(page, **english):
    """The page's English translation, as an editor makes it with simple translation: its
    parents translated first (real copies, not aliases), each published, `english` set."""
    from wagtail.models import Locale

    en = Locale.objects.get(language_code="en")
    for ancestor in [*page.get_ancestors().filter(depth__gte=2).specific(), page.specific]:
        translation = ancestor.get_translation_or_none(en)
        if translation is None:
            translation = ancestor.copy_for_translation(en)
            translation.save_revision().publish()
    translation = translation.specific
    for name, value in english.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation
