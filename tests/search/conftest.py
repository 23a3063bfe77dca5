"""The backend-agnostic contract: the same tests run against every search backend. The database
backend always (on whichever database the run uses: SQLite by default, PostgreSQL with
DATABASE_URL); Elasticsearch only when ELASTICSEARCH_URL names a cluster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from marketplace.models import ProductKind
from search import synonyms
from search.documents import documents_for
from tests.factories import (
    CategoryFactory,
    ExperienceSlotFactory,
    KecamatanFactory,
    ProductFactory,
    ShopFactory,
    StayNightFactory,
)


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request, db):
    synonyms.forget()
    if request.param == "database":
        from search.backends.database import DatabaseBackend

        yield DatabaseBackend()
    else:
        if not settings.ELASTICSEARCH_URL:
            pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch cluster to test against")
        from search.backends.elasticsearch import ElasticsearchBackend

        yield ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    synonyms.forget()


@dataclass
class Catalogue:
    """The products indexed for a contract test, by a short name."""

    backend: object
    products: dict = field(default_factory=dict)
    kecamatan: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    shops: dict = field(default_factory=dict)
    slot_day: dt.date | None = None
    night: dt.date | None = None

    def index(self, *names: str) -> int:
        ids = (
            [self.products[n].pk for n in names]
            if names
            else [p.pk for p in self.products.values()]
        )
        written = self.backend.index(documents_for(ids))
        refresh = getattr(self.backend, "refresh", None)
        if refresh:  # Elasticsearch: make the writes visible to the next search
            refresh()
        return written

    def id(self, name: str) -> int:
        return self.products[name].pk


# (name, latitude, longitude) of four kecamatan around Lake Toba.
PLACES = [
    ("Balige", "2.333500", "99.066700"),
    ("Laguboti", "2.370000", "99.170000"),
    ("Porsea", "2.450000", "99.190000"),
    ("Ajibata", "2.650000", "98.930000"),
]


@pytest.fixture
def catalogue(backend) -> Catalogue:
    cat = Catalogue(backend=backend)
    for name, _, _ in PLACES:
        cat.kecamatan[name] = KecamatanFactory(name=name, slug=name.lower())
    for slug, name, name_en in [
        ("tenun", "Tenun dan Ulos", "Weaving and ulos"),
        ("kopi", "Kopi", "Coffee"),
        ("penginapan", "Penginapan", "Stays"),
        ("wisata", "Wisata Danau", "Lake trips"),
        ("perawatan", "Perawatan Tubuh", "Body care"),
    ]:
        cat.categories[slug] = CategoryFactory(slug=slug, name=name, name_en=name_en)

    def shop(key, name, kecamatan, category):
        _, lat, lng = next(p for p in PLACES if p[0] == kecamatan)
        cat.shops[key] = ShopFactory(
            name=name,
            slug=key,
            kecamatan=cat.kecamatan[kecamatan],
            category=cat.categories[category],
            latitude=Decimal(lat),
            longitude=Decimal(lng),
            story="",
        )
        return cat.shops[key]

    shop("gorga", "Galeri Gorga", "Balige", "tenun")
    shop("lintong", "Kedai Lintong", "Laguboti", "kopi")
    shop("rumah-bolon", "Rumah Bolon", "Balige", "penginapan")
    shop("porsea-inn", "Porsea Inn", "Porsea", "penginapan")
    shop("toba-trip", "Toba Trip", "Ajibata", "wisata")

    now = timezone.now()

    def product(key, shop_key, title, description, price, *, kind=ProductKind.GOODS, days=0, **kw):
        cat.products[key] = ProductFactory(
            shop=cat.shops[shop_key],
            title=title,
            slug=key,
            description=description,
            price=price,
            kind=kind,
            published_at=now - dt.timedelta(days=days),
            **kw,
        )
        return cat.products[key]

    product("ragidup", "gorga", "Ulos Ragidup", "Kain adat Batak untuk pesta.", 450_000, days=5)
    product("sadum", "gorga", "Selendang Tenun Sadum", "Warna cerah dari Balige.", 120_000, days=4)
    product("arabika", "lintong", "Kopi Arabika Lintong", "Biji sangrai sedang.", 85_000, days=3)
    product(
        "robusta", "lintong", "Kopi Robusta Sidikalang", "Bubuk halus.", 45_000, days=2, stock=False
    )
    product(
        "mandi",
        "lintong",
        "Sabun Kemiri",
        "Sabun mandi dengan minyak kemiri.",
        30_000,
        days=1,
        category=cat.categories["perawatan"],
    )
    for key, shop_key, title in [
        ("bolon-room", "rumah-bolon", "Homestay Rumah Bolon"),
        ("porsea-room", "porsea-inn", "Homestay Porsea Inn"),
    ]:
        product(
            key,
            shop_key,
            title,
            "Kamar bersih dekat danau.",
            250_000,
            kind=ProductKind.STAY,
            stock=False,
            days=6,
        )
    cat.night = timezone.localdate() + dt.timedelta(days=3)
    StayNightFactory(product=cat.products["bolon-room"], night=cat.night)
    StayNightFactory(product=cat.products["porsea-room"], night=cat.night + dt.timedelta(days=1))
    product(
        "boat",
        "toba-trip",
        "Wisata Perahu ke Samosir",
        "Berlayar di Danau Toba.",
        175_000,
        kind=ProductKind.EXPERIENCE,
        stock=False,
        days=7,
    )
    # At noon two local days on, never on the stays' night (3 days on), whatever the hour now.
    noon = dt.datetime.combine(timezone.localdate() + dt.timedelta(days=2), dt.time(12))
    slot = ExperienceSlotFactory(product=cat.products["boat"], starts_at=timezone.make_aware(noon))
    cat.slot_day = timezone.localtime(slot.starts_at).date()
    assert cat.index() == len(cat.products)
    return cat
