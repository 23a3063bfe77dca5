"""The CMS's step of `seed_demo` (settings.DEMO_SEED_STEPS): the promotion pages of Kabupaten
Toba in Indonesian and English: the home page, two campaigns, three destinations, three
tourism villages, four articles and six events, with drawn photos (alt text included) and
the demo catalog's products and shops featured; the site settings and an announcement.
Safe to run again: what exists is left as it is."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from cms.models import (
    AnnouncementBanner,
    ArticleIndexPage,
    ArticlePage,
    ArticleTopic,
    CampaignIndexPage,
    CampaignPage,
    DestinationIndexPage,
    DestinationPage,
    EventIndexPage,
    EventPage,
    HomePage,
    SiteSettings,
    VillageIndexPage,
    VillagePage,
)
from marketplace.demo.images import DemoImages
from marketplace.models import Desa, Kecamatan, ProductKind
from marketplace.selectors import public_products, public_shops


@dataclass
class Text:
    """A page's words in both languages: `id` fields, and the `en` ones its translation gets."""

    id: dict
    en: dict
    photo: tuple[str, str] = ("", "")  # what the photo shows: Indonesian, English
    palette: str = "wisata-danau"
    extra: dict = field(default_factory=dict)  # fields the same in both languages


def _para(*lines: str) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


INDEXES = [
    (
        CampaignIndexPage,
        "kampanye",
        "Kampanye",
        "Campaigns",
        "Gerakan bersama untuk Toba.",
        "Working together for Toba.",
    ),
    (
        DestinationIndexPage,
        "destinasi",
        "Destinasi",
        "Destinations",
        "Tempat-tempat di tepi Danau Toba.",
        "Places on the shore of Lake Toba.",
    ),
    (
        VillageIndexPage,
        "desa-wisata",
        "Desa wisata",
        "Tourism villages",
        "Desa yang menyambut tamu dengan tenun, kopi dan cerita.",
        "Villages that welcome guests with weaving, coffee and stories.",
    ),
    (
        ArticleIndexPage,
        "artikel",
        "Artikel",
        "Articles",
        "Berita dan cerita para pembuat.",
        "News, and the stories of the makers.",
    ),
    (
        EventIndexPage,
        "acara",
        "Kalender acara",
        "Events calendar",
        "Budaya, kuliner, musik, seni dan olahraga di Kabupaten Toba.",
        "Culture, food, music, arts and sports in Toba Regency.",
    ),
]

DESTINATIONS = [
    (
        "Balige",
        "Balige",
        "Balige",
        (2.334, 99.064),
        "Ibu kota kabupaten: pasar tradisional, Museum TB Silalahi dan Makam Sisingamangaraja XII.",
        "The regency's capital: the old market, the TB Silalahi Museum and the tomb of "
        "Sisingamangaraja XII.",
        "Dari Bandara Silangit sekitar 30 menit dengan mobil; bus dari Medan sekitar 5 jam.",
        "About 30 minutes by car from Silangit Airport; about 5 hours by bus from Medan.",
    ),
    (
        "pantai-lumban-bulbul",
        "Pantai Lumban Bulbul",
        "Lumban Bulbul Beach",
        (2.343, 99.083),
        "Pantai berpasir putih di tepi danau, tempat berenang dan berperahu solu.",
        "A white-sand beach on the lake, for swimming and riding a solu boat.",
        "Sepuluh menit dari pusat Balige ke arah timur.",
        "Ten minutes east of the centre of Balige.",
    ),
    (
        "bukit-senyum",
        "Bukit Senyum",
        "Bukit Senyum (Smile Hill)",
        (2.601, 98.972),
        "Bukit di Motung dengan pemandangan danau yang lebar, terbaik saat matahari terbit.",
        "A hill at Motung with a wide view of the lake, best at sunrise.",
        "Dari Ajibata sekitar 20 menit; jalan terakhir mendaki, bawa alas kaki yang baik.",
        "About 20 minutes from Ajibata; the last stretch climbs, wear good shoes.",
    ),
]
DESTINATION_KECAMATAN = {
    "Balige": "Balige",
    "pantai-lumban-bulbul": "Balige",
    "bukit-senyum": "Ajibata",
}

VILLAGES = [
    (
        "desa-wisata-meat",
        "Tampahan",
        "Meat",
        "Desa Wisata Meat",
        "Meat Tourism Village",
        (2.383, 99.018),
        "tenun-dan-ulos",
        "Desa penenun ulos di tepi danau, dengan rumah adat Batak yang masih dihuni.",
        "A village of ulos weavers on the lake, with Batak houses still lived in.",
    ),
    (
        "desa-wisata-tarabunga",
        "Tampahan",
        "Tarabunga",
        "Desa Wisata Tarabunga",
        "Tarabunga Tourism Village",
        (2.371, 99.004),
        "kopi",
        "Kebun kopi di lereng bukit dan jalur pendakian menuju matahari terbit.",
        "Coffee gardens on the hillside and a trail up to the sunrise.",
    ),
    (
        "desa-wisata-lumban-bulbul",
        "Balige",
        "Lumban Bulbul",
        "Desa Wisata Lumban Bulbul",
        "Lumban Bulbul Tourism Village",
        (2.345, 99.080),
        "homestay",
        "Desa nelayan di dekat pantai: homestay, perahu solu dan ikan bakar.",
        "A fishing village by the beach: homestays, solu boats and grilled fish.",
    ),
]

ARTICLES = [
    (
        "penenun-dari-meat",
        "cerita",
        "Ibu-ibu penenun dari Meat",
        "The weavers of Meat",
        "Setiap ulos butuh dua sampai empat minggu di alat tenun kayu.",
        "Each ulos takes two to four weeks on a wooden loom.",
        "tenun-dan-ulos",
        3,
    ),
    (
        "kopi-tarabunga-naik-kelas",
        "cerita",
        "Kopi Tarabunga naik kelas",
        "Tarabunga coffee moves up",
        "Petani muda memetik merah saja dan menjemur di para-para.",
        "Young farmers pick only red cherries and dry them on raised beds.",
        "kopi",
        8,
    ),
    (
        "pasar-kreatif-dibuka",
        "berita",
        "Pasar Kreatif Toba dibuka untuk UMKM",
        "Pasar Kreatif Toba opens to small businesses",
        "Diskominfo membuka pendaftaran toko dan pembayaran QRIS untuk semua UMKM.",
        "Diskominfo opens shop sign-up and QRIS payments to every small business.",
        "kerajinan",
        12,
    ),
    (
        "qris-di-pasar-balige",
        "berita",
        "QRIS sampai ke Pasar Balige",
        "QRIS reaches Balige market",
        "Pedagang ulos dan kopi kini menerima pembayaran nontunai.",
        "Ulos and coffee traders now take cashless payments.",
        "kuliner",
        20,
    ),
]
TOPICS = {"cerita": ("Cerita pembuat", "Makers' stories"), "berita": ("Berita", "News")}

EVENTS = [
    (
        "pesta-ulos",
        "budaya",
        6,
        8,
        "Pesta Ulos Toba",
        "Toba Ulos Festival",
        "Pameran dan lomba tenun ulos dari seluruh kecamatan.",
        "A show and contest of ulos weaving from every district.",
        "Lapangan Sisingamangaraja XII, Balige",
    ),
    (
        "festival-kuliner-batak",
        "kuliner",
        12,
        6,
        "Festival Kuliner Batak",
        "Batak Food Festival",
        "Arsik, mie gomak, lappet dan kopi dari dapur-dapur Toba.",
        "Arsik, mie gomak, lappet and coffee from Toba's kitchens.",
        "Pantai Lumban Bulbul",
    ),
    (
        "konser-gondang",
        "musik",
        18,
        4,
        "Malam Gondang Sabangunan",
        "Gondang Sabangunan Night",
        "Musik gondang dan tortor di bawah bintang.",
        "Gondang music and tortor dance under the stars.",
        "Open Stage Balige",
    ),
    (
        "pameran-gorga",
        "seni",
        24,
        30,
        "Pameran Ukir Gorga",
        "Gorga Carving Exhibition",
        "Ukiran gorga dari para pengukir Laguboti.",
        "Gorga carvings by the carvers of Laguboti.",
        "Museum TB Silalahi, Balige",
    ),
    (
        "lomba-solu",
        "olahraga",
        30,
        5,
        "Lomba Solu Bolon",
        "Solu Bolon Boat Race",
        "Perahu panjang didayung puluhan orang beradu cepat.",
        "Long boats paddled by dozens race each other.",
        "Pelabuhan Ajibata",
    ),
    (
        "sigale-gale",
        "budaya",
        38,
        3,
        "Pertunjukan Sigale-gale",
        "Sigale-gale Performance",
        "Boneka kayu Sigale-gale menari diiringi gondang.",
        "The wooden Sigale-gale puppet dances to gondang music.",
        "Desa Wisata Meat",
    ),
]


def seed_promotion_pages() -> None:
    # Wagtail logs every page it creates, copies and publishes: a hundred lines of no news.
    wagtail_log = logging.getLogger("wagtail")
    level = wagtail_log.level
    wagtail_log.setLevel(logging.WARNING)
    try:
        _seed_pages()
    finally:
        wagtail_log.setLevel(level)


def _seed_pages() -> None:
    indonesian = Locale.objects.get(language_code="id")
    english, _ = Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(depth=2, locale=indonesian).first()
    if home is None:
        return  # a tree without the migrations' home page is not the demo's to change
    images = DemoImages()
    today = timezone.localdate()
    shops = list(public_shops().order_by("verified_at", "pk")[:6])
    goods = list(public_products().filter(kind=ProductKind.GOODS).order_by("pk")[:40:5])
    experiences = list(public_products().filter(kind=ProductKind.EXPERIENCE).order_by("pk")[:8])

    def photo(key: str, label: str, alt: str, palette: str):
        image = images.get(f"cms-{key}", label, palette)
        if image.description != alt:
            image.description = alt
            image.save(update_fields=["description"])
        return image

    texts: dict[int, dict] = {}  # page id → its English fields

    def child(parent, model, slug: str, text: Text):
        found = model.objects.child_of(parent).filter(slug=slug).first()
        if found is None:
            image = photo(slug, text.id["title"], text.photo[0], text.palette)
            found = model(slug=slug, hero_image=image, **text.id, **text.extra)
            parent.add_child(instance=found)
            found.save_revision().publish()
        texts[found.pk] = text.en
        return found

    if not home.hero_image_id:
        home.hero_title = "Karya dan wisata Kabupaten Toba"
        home.hero_text = (
            "Ulos, kopi, kerajinan dan pengalaman di tepi Danau Toba, langsung dari UMKM."
        )
        home.intro = _para(
            "Pasar Kreatif mempertemukan UMKM dan pelaku wisata Kabupaten Toba dengan pembeli "
            "di mana pun. Bayar dengan QRIS, transfer atau kartu."
        )
        home.hero_image = photo(
            "beranda", "Danau Toba", "Danau Toba dilihat dari Balige", "wisata-danau"
        )
        home.search_description = (
            "Beli ulos, kopi dan kerajinan Toba, pesan tur danau dan homestay."
        )
        home.featured_products = [("product", p) for p in goods[:4]]
        home.featured_shops = [("shop", s) for s in shops[:3]]
        home.save_revision().publish()
        home.refresh_from_db()
    texts[home.pk] = {
        "title": "Pasar Kreatif Toba",
        "hero_title": "Crafts and journeys of Toba Regency",
        "hero_text": "Ulos, coffee, crafts and experiences on Lake Toba, from local makers.",
        "intro": _para(
            "Pasar Kreatif brings Toba Regency's small businesses and tourism operators to buyers "
            "everywhere. Pay by QRIS, bank transfer or card."
        ),
        "search_description": "Buy Toba ulos, coffee and crafts; book lake tours and homestays.",
    }

    index = {}
    for model, slug, title, title_en, intro, intro_en in INDEXES:
        index[model] = child(
            home,
            model,
            slug,
            Text(
                {"title": title, "intro": intro},
                {"title": title_en, "intro": intro_en},
                (title, title_en),
            ),
        )

    window = {"start_date": today, "end_date": today + dt.timedelta(days=14)}
    campaigns = [
        (
            "festival-danau-toba",
            "Festival Danau Toba",
            "Lake Toba Festival",
            -2,
            20,
            "Dua minggu budaya, musik dan perahu di seluruh pesisir Toba.",
            "Two weeks of culture, music and boats all along Toba's shore.",
            [
                (
                    "experiences_on_dates",
                    {"title": "Ikut tur selama festival", "experiences": experiences[:3], **window},
                ),
                ("featured_products", {"title": "Oleh-oleh festival", "products": goods[:3]}),
                (
                    "quote",
                    {"text": "Horas! Datang dan rasakan Toba.", "attribution": "Bupati Toba"},
                ),
            ],
            [
                (
                    "experiences_on_dates",
                    {
                        "title": "Join a tour during the festival",
                        "experiences": experiences[:3],
                        **window,
                    },
                ),
                ("featured_products", {"title": "Festival souvenirs", "products": goods[:3]}),
                (
                    "quote",
                    {"text": "Horas! Come and feel Toba.", "attribution": "The Regent of Toba"},
                ),
            ],
        ),
        (
            "bangga-buatan-toba",
            "Bangga Buatan Toba",
            "Proudly Made in Toba",
            0,
            60,
            "Belanja langsung dari penenun, petani kopi dan pengukir Toba.",
            "Buy straight from Toba's weavers, coffee farmers and carvers.",
            [
                ("featured_products", {"title": "Buatan tangan", "products": goods[3:7]}),
                ("featured_shops", {"title": "Kenali pembuatnya", "shops": shops[:4]}),
            ],
            [
                ("featured_products", {"title": "Made by hand", "products": goods[3:7]}),
                ("featured_shops", {"title": "Meet the makers", "shops": shops[:4]}),
            ],
        ),
    ]
    for slug, title, title_en, start, days, intro, intro_en, body, body_en in campaigns:
        child(
            index[CampaignIndexPage],
            CampaignPage,
            slug,
            Text(
                {"title": title, "intro": intro, "body": body},
                {"title": title_en, "intro": intro_en, "body": body_en},
                (title, title_en),
                "tenun-dan-ulos",
                {
                    "start_date": today + dt.timedelta(days=start),
                    "end_date": today + dt.timedelta(days=start + days),
                },
            ),
        )

    for slug, title, title_en, (lat, lon), intro, intro_en, way, way_en in DESTINATIONS:
        kecamatan = Kecamatan.objects.filter(name=DESTINATION_KECAMATAN[slug]).first()
        if kecamatan is None:
            continue
        child(
            index[DestinationIndexPage],
            DestinationPage,
            slug.lower(),
            Text(
                {"title": title, "intro": intro, "getting_there": _para(way)},
                {"title": title_en, "intro": intro_en, "getting_there": _para(way_en)},
                (title, title_en),
                "wisata-danau",
                {
                    "kecamatan": kecamatan,
                    "latitude": Decimal(str(lat)),
                    "longitude": Decimal(str(lon)),
                },
            ),
        )

    for slug, kecamatan, desa_name, title, title_en, (
        lat,
        lon,
    ), palette, intro, intro_en in VILLAGES:
        desa = Desa.objects.filter(kecamatan__name=kecamatan, name=desa_name).first()
        if desa is None:
            continue
        offers = [
            (
                "offer",
                {
                    "kind": "attraction",
                    "name": "Rumah adat Batak",
                    "description": "Rumah bolon yang masih dihuni.",
                },
            ),
            ("offer", {"kind": "homestay", "name": "Menginap di rumah warga", "description": ""}),
            ("offer", {"kind": "souvenir", "name": "Ulos dan kopi desa", "description": ""}),
        ]
        offers_en = [
            (
                "offer",
                {
                    "kind": "attraction",
                    "name": "Batak houses",
                    "description": "Rumah bolon still lived in.",
                },
            ),
            ("offer", {"kind": "homestay", "name": "Stay with a family", "description": ""}),
            (
                "offer",
                {"kind": "souvenir", "name": "The village's ulos and coffee", "description": ""},
            ),
        ]
        child(
            index[VillageIndexPage],
            VillagePage,
            slug,
            Text(
                {"title": title, "intro": intro, "story": _para(intro), "offers": offers},
                {
                    "title": title_en,
                    "intro": intro_en,
                    "story": _para(intro_en),
                    "offers": offers_en,
                },
                (title, title_en),
                palette,
                {"desa": desa, "latitude": Decimal(str(lat)), "longitude": Decimal(str(lon))},
            ),
        )

    topics = {}
    for key, (name, name_en) in TOPICS.items():
        topic = ArticleTopic.objects.filter(slug=key, locale=indonesian).first()
        topic = topic or ArticleTopic.objects.create(name=name, slug=key, locale=indonesian)
        if topic.get_translation_or_none(english) is None:
            translation = topic.copy_for_translation(english)
            translation.name = name_en
            translation.save()
        topics[key] = topic
    for slug, topic, title, title_en, intro, intro_en, palette, days_ago in ARTICLES:
        child(
            index[ArticleIndexPage],
            ArticlePage,
            slug,
            Text(
                {"title": title, "intro": intro, "body": [("text", RichText(_para(intro)))]},
                {
                    "title": title_en,
                    "intro": intro_en,
                    "body": [("text", RichText(_para(intro_en)))],
                },
                (title, title_en),
                palette,
                {
                    "topic": topics[topic],
                    "author": "Tim Diskominfo Toba",
                    "date": today - dt.timedelta(days=days_ago),
                },
            ),
        )

    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    for slug, category, in_days, hours, title, title_en, intro, intro_en, venue in EVENTS:
        start = (now + dt.timedelta(days=in_days)).replace(hour=19 if hours < 8 else 9)
        child(
            index[EventIndexPage],
            EventPage,
            slug,
            Text(
                {"title": title, "intro": intro},
                {"title": title_en, "intro": intro_en},
                (title, title_en),
                "kerajinan",
                {
                    "category": category,
                    "venue": venue,
                    "start": start,
                    "end": start + dt.timedelta(hours=hours)
                    if hours < 24
                    else start + dt.timedelta(days=hours // 24),
                },
            ),
        )

    _translate_tree(home, english, texts)
    _site_frame(indonesian, english)


def _translate_tree(home: Page, english: Locale, texts: dict[int, dict]) -> None:
    """Each page's English translation, parents first, as simple translation makes it."""
    for page in [home, *home.get_descendants().order_by("path")]:
        if page.pk not in texts or page.get_translation_or_none(english) is not None:
            continue
        translation = page.specific.copy_for_translation(english)
        for name, value in texts[page.pk].items():
            setattr(translation, name, value)
        if isinstance(translation, ArticlePage) and translation.topic_id:
            translation.topic = (
                translation.topic.get_translation_or_none(english) or translation.topic
            )
        translation.save_revision().publish()


def _site_frame(indonesian: Locale, english: Locale) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        settings = SiteSettings.for_site(site)
        if not settings.footer_text:
            settings.footer_text = "Dinas Komunikasi dan Informatika Kabupaten Toba, Balige"
            settings.footer_text_en = (
                "Communications and Informatics Office of Toba Regency, Balige"
            )
            settings.address = "Jl. Sisingamangaraja No. 1, Balige, Toba, Sumatera Utara"
            settings.contact_email = "diskominfo@pasar.test"
            settings.whatsapp = "6281200000000"
            settings.save()
    if not AnnouncementBanner.objects.exists():
        campaign = CampaignPage.objects.filter(
            slug="festival-danau-toba", locale=indonesian
        ).first()
        banner = AnnouncementBanner.objects.create(
            text="Festival Danau Toba sedang berlangsung: lihat tur dan oleh-olehnya",
            link_page=campaign,
            locale=indonesian,
        )
        translation = banner.copy_for_translation(english)
        translation.text = "The Lake Toba Festival is on: see its tours and souvenirs"
        translation.link_page = campaign.get_translation_or_none(english) if campaign else None
        translation.save()
