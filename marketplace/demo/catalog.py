"""The demo catalog of Kabupaten Toba: categories, desa, about forty verified shops over the
sixteen kecamatan, and their goods (with variants and stock), experiences (with dated slots)
and stays (with free rooms per night). `seed_bulk_products` scales the catalog up for
benchmarks.

Everything is keyed by slug, so running again adds only what is missing, and every random
choice comes from a generator seeded with `--seed` and the thing's own key, so the same seed
gives the same data whatever already exists.

The rows are written directly (bulk), not through the services, and publish no outbox events:
this is demo data, and `manage.py search_reindex` indexes everything that is there. Names of
desa, shops and people are illustrative.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from marketplace.demo.images import DemoImages
from marketplace.models import (
    Category,
    Desa,
    ExperienceSlot,
    Kecamatan,
    Product,
    ProductKind,
    ProductPhoto,
    ProductStatus,
    Shop,
    ShopMember,
    ShopRole,
    ShopStatus,
    StayNight,
    User,
    Variant,
)

GOODS, EXPERIENCE, STAY = ProductKind.GOODS, ProductKind.EXPERIENCE, ProductKind.STAY
DAYS_AHEAD = 60  # experiences and stays are bookable this many days ahead
BATCH_SIZE = 1000

# slug, name, English name
CATEGORIES = (
    ("tenun-dan-ulos", "Tenun dan Ulos", "Weaving and ulos"),
    ("kopi", "Kopi", "Coffee"),
    ("kuliner", "Kuliner", "Food"),
    ("kerajinan", "Kerajinan", "Crafts"),
    ("pertanian", "Pertanian", "Farm produce"),
    ("homestay", "Homestay", "Homestays"),
    ("wisata-danau", "Wisata Danau", "Lake tours"),
)

# kecamatan → a few desa, and the kecamatan's rough centre (latitude, longitude)
DESA = {
    "Ajibata": ("Parsaoran Ajibata", "Pardamean Ajibata", "Sirungkungon", "Motung"),
    "Balige": ("Balige I", "Napitupulu Bagasan", "Lumban Bulbul", "Sangkar Nihuta"),
    "Bonatua Lunasi": ("Lumban Lobu", "Sianipar Bulu Silape", "Parsambilan"),
    "Borbor": ("Lumban Ruhap", "Purba Tua", "Sibadihon"),
    "Habinsaran": ("Parsoburan Tengah", "Lumban Pea", "Panamparan"),
    "Laguboti": ("Pasar Laguboti", "Sitoluama", "Ompu Raja Hutapea", "Pardinggaran"),
    "Lumban Julu": ("Jangga Dolok", "Sionggang Utara", "Pasar Lumban Julu"),
    "Nassau": ("Lumban Rau", "Nassau", "Pintu Batu"),
    "Parmaksian": ("Pangombusan", "Sirait Uruk", "Lumban Sitorus"),
    "Pintu Pohan Meranti": ("Pintu Pohan", "Meranti Utara", "Halado"),
    "Porsea": ("Pasar Porsea", "Patane I", "Raja Huta"),
    "Siantar Narumonda": ("Narumonda I", "Siantar Sitio-tio", "Lumban Gaol"),
    "Sigumpar": ("Sigumpar Dangsina", "Sigumpar Julu", "Situa-tua"),
    "Silaen": ("Silaen", "Sibide", "Sinta Dame"),
    "Tampahan": ("Meat", "Tarabunga", "Gurgur"),
    "Uluan": ("Lumban Binanga", "Sigaol Marbun", "Partoruan"),
}
CENTRES = {
    "Ajibata": (2.598, 98.958),
    "Balige": (2.334, 99.064),
    "Bonatua Lunasi": (2.402, 99.236),
    "Borbor": (2.246, 99.342),
    "Habinsaran": (2.282, 99.296),
    "Laguboti": (2.366, 99.142),
    "Lumban Julu": (2.571, 99.003),
    "Nassau": (2.298, 99.378),
    "Parmaksian": (2.462, 99.188),
    "Pintu Pohan Meranti": (2.470, 99.355),
    "Porsea": (2.455, 99.156),
    "Siantar Narumonda": (2.431, 99.171),
    "Sigumpar": (2.398, 99.158),
    "Silaen": (2.389, 99.209),
    "Tampahan": (2.358, 99.018),
    "Uluan": (2.498, 99.098),
}
STREETS = (
    "Jl. Sisingamangaraja",
    "Jl. Lintas Sumatera",
    "Jl. Pelabuhan",
    "Jl. Gereja",
    "Jl. Pendidikan",
    "Jl. Tepi Danau",
    "Jl. Pasar",
    "Jl. Raja Paindoan",
)
BANKS = ("Bank Sumut", "BRI", "BNI", "Bank Mandiri", "BSI")


@dataclass(frozen=True)
class Item:
    """One kind of thing a shop of a category sells."""

    key: str
    title: str
    kind: str
    price: int
    description: str
    variants: tuple[tuple[str, int], ...] = ()  # goods: (name, price)
    weight: int = 0
    capacity: int = 0  # experience: places per slot; stay: rooms per night
    times: tuple[str, ...] = ("09:00",)  # experience: departures each day


CATALOG: dict[str, tuple[Item, ...]] = {
    "tenun-dan-ulos": (
        Item(
            "ulos-ragi-hotang",
            "Ulos Ragi Hotang",
            GOODS,
            450_000,
            "Ulos Ragi Hotang ditenun tangan dengan alat tenun gedogan; dipakai pada pesta "
            "adat dan pernikahan Batak.",
            (
                ("Merah marun · 180 × 90 cm", 450_000),
                ("Hitam-merah · 180 × 90 cm", 450_000),
                ("Merah marun · 200 × 110 cm", 650_000),
            ),
            weight=600,
        ),
        Item(
            "ulos-sadum",
            "Ulos Sadum",
            GOODS,
            350_000,
            "Ulos Sadum yang cerah, untuk selendang atau hiasan dinding. Pewarna benang tahan "
            "luntur.",
            (("Merah muda", 350_000), ("Hijau", 350_000), ("Ungu", 375_000)),
            weight=450,
        ),
        Item(
            "ulos-mangiring",
            "Ulos Mangiring",
            GOODS,
            300_000,
            "Ulos Mangiring, lambang harapan dan kesuburan, biasa diberikan kepada anak yang "
            "baru lahir.",
            (("Motif klasik", 300_000), ("Motif modern", 325_000)),
            weight=450,
        ),
        Item(
            "ulos-bintang-maratur",
            "Ulos Bintang Maratur",
            GOODS,
            550_000,
            "Ulos Bintang Maratur dengan motif bintang berjajar; pengerjaan sekitar tiga minggu.",
            (("Benang katun", 550_000), ("Benang sutra", 1_250_000)),
            weight=600,
        ),
        Item(
            "ulos-sibolang",
            "Ulos Sibolang",
            GOODS,
            400_000,
            "Ulos Sibolang berwarna biru tua, ditenun di kampung penenun tepi Danau Toba.",
            (("Biru tua · 180 × 90 cm", 400_000), ("Biru tua · 200 × 110 cm", 525_000)),
            weight=550,
        ),
        Item(
            "ulos-pilih-motif",
            "Ulos Tenun Tangan (pilih motif)",
            GOODS,
            350_000,
            "Pilih motifnya: Ragi Hotang, Sadum, Mangiring, Bintang Maratur atau Sibolang. "
            "Setiap helai ditenun tangan.",
            (
                ("Motif Ragi Hotang", 450_000),
                ("Motif Sadum", 375_000),
                ("Motif Mangiring", 350_000),
                ("Motif Bintang Maratur", 550_000),
                ("Motif Sibolang", 400_000),
            ),
            weight=550,
        ),
        Item(
            "selendang-tenun",
            "Selendang Tenun Toba",
            GOODS,
            150_000,
            "Selendang tenun ringan untuk acara resmi atau oleh-oleh.",
            (("Merah-emas", 150_000), ("Hitam-emas", 150_000), ("Biru-perak", 165_000)),
            weight=200,
        ),
        Item(
            "sarung-tenun",
            "Sarung Tenun Batak",
            GOODS,
            275_000,
            "Sarung tenun motif Batak, nyaman dipakai sehari-hari.",
            (("Merah", 275_000), ("Cokelat", 275_000)),
            weight=500,
        ),
        Item(
            "kelas-menenun",
            "Kelas Menenun Ulos (setengah hari)",
            EXPERIENCE,
            250_000,
            "Belajar menenun ulos bersama penenun di rumahnya: mengenal benang, motif dan "
            "alat tenun gedogan. Pulang membawa hasil tenunan kecil.",
            capacity=6,
            times=("09:00", "14:00"),
        ),
    ),
    "kopi": (
        Item(
            "kopi-arabika-toba",
            "Kopi Arabika Toba",
            GOODS,
            85_000,
            "Arabika dari kebun di ketinggian 1.300 m, disangrai setiap minggu. Rasa cokelat, "
            "jeruk dan rempah.",
            (
                ("Light roast · 250 g", 85_000),
                ("Medium roast · 250 g", 85_000),
                ("Dark roast · 250 g", 85_000),
                ("Medium roast · 1 kg", 300_000),
            ),
            weight=300,
        ),
        Item(
            "kopi-arabika-natural",
            "Kopi Arabika Natural Process",
            GOODS,
            110_000,
            "Biji dijemur utuh bersama buahnya: manis, fruity, cocok untuk seduh manual.",
            (("Light roast · 200 g", 110_000), ("Medium roast · 200 g", 110_000)),
            weight=250,
        ),
        Item(
            "kopi-robusta-toba",
            "Kopi Robusta Toba",
            GOODS,
            55_000,
            "Robusta tebal dan pahit, untuk kopi tubruk atau kopi susu.",
            (
                ("Medium roast · 250 g", 55_000),
                ("Dark roast · 250 g", 55_000),
                ("Dark roast · 1 kg", 190_000),
            ),
            weight=300,
        ),
        Item(
            "kopi-bubuk-tradisional",
            "Kopi Bubuk Tradisional",
            GOODS,
            40_000,
            "Kopi bubuk sangrai kayu bakar seperti di lapo, siap diseduh.",
            (("Bubuk halus · 250 g", 40_000), ("Bubuk kasar (tubruk) · 250 g", 40_000)),
            weight=280,
        ),
        Item(
            "green-bean-arabika",
            "Biji Kopi Mentah Arabika (green bean)",
            GOODS,
            140_000,
            "Green bean arabika sortir tangan, kadar air 11–12 %, untuk roaster.",
            (("1 kg", 140_000), ("5 kg", 650_000)),
            weight=1_050,
        ),
        Item(
            "tur-kebun-kopi",
            "Tur Kebun Kopi dan Sangrai Sendiri",
            EXPERIENCE,
            150_000,
            "Memetik buah kopi, mengupas, menjemur lalu menyangrai sendiri di dapur petani, "
            "ditutup dengan secangkir kopi.",
            capacity=10,
            times=("08:00",),
        ),
    ),
    "kuliner": (
        Item(
            "mie-gomak-kering",
            "Mie Gomak Kering",
            GOODS,
            35_000,
            "Mie lidi khas Toba, tinggal direbus dan dimasak dengan bumbu andaliman.",
            (("500 g", 35_000), ("1 kg", 65_000)),
            weight=550,
        ),
        Item(
            "sambal-andaliman",
            "Sambal Andaliman",
            GOODS,
            45_000,
            "Sambal dengan andaliman segar: pedas, getir dan harum jeruk.",
            (
                ("Botol 150 ml · sedang", 45_000),
                ("Botol 150 ml · pedas", 45_000),
                ("Botol 250 ml · pedas", 70_000),
            ),
            weight=300,
        ),
        Item(
            "lappet",
            "Lappet Pulut Gula Aren",
            GOODS,
            30_000,
            "Lappet dibungkus daun pisang, dibuat pagi hari. Tahan dua hari.",
            (("Isi 10", 30_000), ("Isi 20", 55_000)),
            weight=700,
        ),
        Item(
            "ombus-ombus",
            "Ombus-ombus Gula Merah",
            GOODS,
            25_000,
            "Kue tepung beras isi gula merah, disajikan hangat.",
            (("Isi 10", 25_000), ("Isi 20", 45_000)),
            weight=600,
        ),
        Item(
            "dali-ni-horbo",
            "Dali ni Horbo (keju susu kerbau)",
            GOODS,
            60_000,
            "Olahan susu kerbau tradisional, dimasak dengan air pepaya. Kirim dalam kotak "
            "pendingin, hanya area Toba.",
            (("Porsi 250 g", 60_000), ("Porsi 500 g", 110_000)),
            weight=600,
        ),
        Item(
            "bumbu-arsik",
            "Bumbu Arsik Instan",
            GOODS,
            28_000,
            "Bumbu arsik lengkap dengan andaliman dan asam cikala untuk ikan mas arsik.",
            (("1 sachet", 28_000), ("Paket 5 sachet", 125_000)),
            weight=150,
        ),
        Item(
            "kacang-tojin",
            "Kacang Tojin Sangrai",
            GOODS,
            30_000,
            "Kacang tanah sangrai pasir, renyah tanpa minyak.",
            (("250 g", 30_000), ("500 g", 55_000)),
            weight=550,
        ),
    ),
    "kerajinan": (
        Item(
            "miniatur-rumah-bolon",
            "Miniatur Rumah Bolon",
            GOODS,
            175_000,
            "Miniatur rumah adat Batak Toba dari kayu, dicat merah, putih dan hitam.",
            (
                ("Kecil · 20 cm", 175_000),
                ("Sedang · 35 cm", 325_000),
                ("Besar · 50 cm", 550_000),
            ),
            weight=900,
        ),
        Item(
            "hiasan-gorga",
            "Hiasan Dinding Ukir Gorga",
            GOODS,
            225_000,
            "Ukiran gorga pada papan kayu, tiga warna tradisional.",
            (("30 × 30 cm", 225_000), ("60 × 30 cm", 400_000)),
            weight=1_200,
        ),
        Item(
            "tas-anyaman-pandan",
            "Tas Anyaman Pandan",
            GOODS,
            95_000,
            "Tas pandan dianyam tangan oleh ibu-ibu desa.",
            (("Natural", 95_000), ("Motif merah-hitam", 110_000)),
            weight=300,
        ),
        Item(
            "tikar-pandan",
            "Tikar Pandan Lipat",
            GOODS,
            120_000,
            "Tikar pandan halus, bisa dilipat dan dibawa.",
            (("100 × 200 cm", 120_000), ("150 × 200 cm", 165_000)),
            weight=1_500,
        ),
        Item(
            "gantungan-kunci-gorga",
            "Gantungan Kunci Gorga (isi 5)",
            GOODS,
            40_000,
            "Oleh-oleh kecil: gantungan kunci kayu berukir gorga.",
            (("Kayu natural", 40_000), ("Cat tiga warna", 50_000)),
            weight=100,
        ),
        Item(
            "tunggal-panaluan",
            "Tongkat Tunggal Panaluan Mini",
            GOODS,
            150_000,
            "Replika tongkat tunggal panaluan, ukiran tangan.",
            (("40 cm", 150_000), ("70 cm", 275_000)),
            weight=700,
        ),
        Item(
            "keranjang-bambu",
            "Keranjang Bambu Anyam",
            GOODS,
            65_000,
            "Keranjang bambu serbaguna dari pengrajin desa.",
            (("Kecil", 65_000), ("Besar", 95_000)),
            weight=600,
        ),
    ),
    "pertanian": (
        Item(
            "andaliman-kering",
            "Andaliman Kering",
            GOODS,
            45_000,
            "Andaliman petik sendiri, dijemur dan disortir.",
            (("100 g", 45_000), ("250 g", 100_000)),
            weight=150,
        ),
        Item(
            "bawang-batak",
            "Bawang Batak",
            GOODS,
            40_000,
            "Bawang lokal untuk sambal dan arsik, dipanen minggu ini.",
            (("500 g", 40_000), ("1 kg", 75_000)),
            weight=1_050,
        ),
        Item(
            "beras-merah",
            "Beras Merah Toba",
            GOODS,
            45_000,
            "Beras merah sawah tadah hujan, tanpa pemutih.",
            (("2 kg", 45_000), ("5 kg", 105_000)),
            weight=2_100,
        ),
        Item(
            "madu-hutan",
            "Madu Hutan Asli",
            GOODS,
            90_000,
            "Madu lebah hutan dari perbukitan Toba, dipanen tanpa merusak sarang.",
            (("250 ml", 90_000), ("500 ml", 170_000)),
            weight=600,
        ),
        Item(
            "jeruk-manis",
            "Jeruk Manis Toba",
            GOODS,
            35_000,
            "Jeruk manis berair, petik langsung dari kebun.",
            (("2 kg", 35_000), ("5 kg", 80_000)),
            weight=2_200,
        ),
        Item(
            "kemiri-kupas",
            "Kemiri Kupas",
            GOODS,
            30_000,
            "Kemiri kupas utuh, bersih dan kering.",
            (("500 g", 30_000), ("1 kg", 55_000)),
            weight=550,
        ),
        Item(
            "gula-aren",
            "Gula Aren Cetak",
            GOODS,
            25_000,
            "Gula aren dari nira pohon aren, dicetak dalam batok kelapa.",
            (("500 g", 25_000), ("1 kg", 45_000)),
            weight=550,
        ),
    ),
    "homestay": (
        Item(
            "kamar-standar",
            "Kamar Standar",
            STAY,
            250_000,
            "Kamar untuk dua orang dengan kamar mandi dalam dan sarapan.",
            capacity=3,
        ),
        Item(
            "kamar-keluarga",
            "Kamar Keluarga (4 orang)",
            STAY,
            450_000,
            "Dua tempat tidur besar, cocok untuk keluarga. Sarapan untuk empat orang.",
            capacity=2,
        ),
        Item(
            "kamar-pemandangan-danau",
            "Kamar Pemandangan Danau",
            STAY,
            375_000,
            "Jendela menghadap Danau Toba; bangun dengan matahari terbit.",
            capacity=2,
        ),
        Item(
            "rumah-bolon",
            "Menginap di Rumah Bolon",
            STAY,
            600_000,
            "Seluruh rumah adat untuk rombongan sampai enam orang, dengan makan malam keluarga.",
            capacity=1,
        ),
    ),
    "wisata-danau": (
        Item(
            "tur-perahu-danau",
            "Tur Perahu Keliling Danau Toba (3 jam)",
            EXPERIENCE,
            150_000,
            "Berperahu menyusuri pantai dan desa tepi danau, singgah untuk berenang dan "
            "makan ikan bakar.",
            capacity=20,
            times=("09:00", "14:00"),
        ),
        Item(
            "perahu-situmurun",
            "Perahu ke Air Terjun Situmurun",
            EXPERIENCE,
            200_000,
            "Air terjun yang jatuh langsung ke danau, hanya bisa dicapai dengan perahu.",
            capacity=15,
        ),
        Item(
            "trek-tarabunga",
            "Trekking Bukit Tarabunga saat Matahari Terbit",
            EXPERIENCE,
            125_000,
            "Mendaki sebelum fajar bersama pemandu desa; pemandangan danau dari atas bukit.",
            capacity=12,
            times=("05:30",),
        ),
        Item(
            "sepeda-desa",
            "Bersepeda Keliling Desa Tepi Danau",
            EXPERIENCE,
            100_000,
            "Bersepeda santai lewat sawah, gereja tua dan rumah bolon. Sepeda disediakan.",
            capacity=10,
            times=("08:00",),
        ),
        Item(
            "memancing-nelayan",
            "Memancing bersama Nelayan Danau Toba",
            EXPERIENCE,
            175_000,
            "Ikut nelayan memasang jaring, lalu memasak hasil tangkapan bersama.",
            capacity=6,
            times=("06:00",),
        ),
        Item(
            "kano-asahan",
            "Kano di Hulu Sungai Asahan",
            EXPERIENCE,
            225_000,
            "Mendayung kano di hulu Sungai Asahan yang tenang, dengan pemandu berlisensi.",
            capacity=8,
        ),
        Item(
            "trek-bukit-senyum",
            "Trekking Bukit Senyum Motung",
            EXPERIENCE,
            100_000,
            "Jalan kaki ke bukit berbentuk senyum di atas Ajibata; cocok untuk pemula.",
            capacity=15,
            times=("07:00",),
        ),
    ),
}
ITEMS = {item.key: item for items in CATALOG.values() for item in items}

# What a tourist asks before booking (issue 13, item 7), by item. An experience without its own
# meeting point meets at the shop (its address and position).
LAKE_CANCELLATION = (
    "Batal sampai 24 jam sebelum berangkat: uang kembali penuh. Kurang dari 24 jam: kembali "
    "50 %. Bila danau berombak besar, perahu tidak berangkat dan uang kembali penuh."
)
WALK_CANCELLATION = (
    "Batal sampai 24 jam sebelum mulai: uang kembali penuh. Sesudah itu tidak ada "
    "pengembalian, tetapi jadwal bisa dipindah sekali."
)
EXPERIENCE_FACTS: dict[str, dict] = {
    "kelas-menenun": {
        "duration_minutes": 240,
        "included": "Benang dan alat tenun\nPendamping penenun\nTeh dan kue\nHasil tenunan kecil",
        "guide_languages": "Indonesia, Batak Toba",
        "cancellation_terms": WALK_CANCELLATION,
    },
    "tur-kebun-kopi": {
        "duration_minutes": 180,
        "included": "Pemandu petani\nSangrai sendiri 100 g kopi\nSecangkir kopi dan pisang goreng",
        "guide_languages": "Indonesia, Inggris",
        "cancellation_terms": WALK_CANCELLATION,
    },
    "tur-perahu-danau": {
        "duration_minutes": 180,
        "meeting_point": "Dermaga Balige (Pantai Bulbul)",
        "position": (2.340300, 99.071900),
        "included": "Perahu dan pengemudi\nJaket pelampung\nMakan siang ikan bakar",
        "guide_languages": "Indonesia, Inggris",
        "cancellation_terms": LAKE_CANCELLATION,
    },
    "perahu-situmurun": {
        "duration_minutes": 300,
        "meeting_point": "Pelabuhan Ajibata",
        "position": (2.656300, 98.934800),
        "included": "Perahu pulang-pergi\nJaket pelampung\nAir minum",
        "guide_languages": "Indonesia, Inggris",
        "cancellation_terms": LAKE_CANCELLATION,
    },
    "trek-tarabunga": {
        "duration_minutes": 150,
        "meeting_point": "Gereja HKBP Tarabunga",
        "position": (2.358900, 99.010200),
        "included": "Pemandu desa\nSenter kepala\nKopi dan roti di puncak",
        "guide_languages": "Indonesia, Inggris, Batak Toba",
        "cancellation_terms": WALK_CANCELLATION,
    },
    "sepeda-desa": {
        "duration_minutes": 120,
        "included": "Sepeda dan helm\nPemandu\nAir minum",
        "guide_languages": "Indonesia, Inggris",
        "cancellation_terms": WALK_CANCELLATION,
    },
    "memancing-nelayan": {
        "duration_minutes": 240,
        "meeting_point": "Pantai Lumban Silintong, Balige",
        "position": (2.342600, 99.078300),
        "included": "Perahu nelayan dan alat pancing\nMemasak hasil tangkapan\nJaket pelampung",
        "guide_languages": "Indonesia, Batak Toba",
        "cancellation_terms": LAKE_CANCELLATION,
    },
    "kano-asahan": {
        "duration_minutes": 150,
        "meeting_point": "Bendungan Siruar, Parmaksian",
        "position": (2.467800, 99.179500),
        "included": "Kano dan dayung\nJaket pelampung dan helm\nPemandu berlisensi",
        "guide_languages": "Indonesia, Inggris",
        "cancellation_terms": LAKE_CANCELLATION,
    },
    "trek-bukit-senyum": {
        "duration_minutes": 120,
        "meeting_point": "Simpang Motung, Ajibata",
        "position": (2.611500, 98.958700),
        "included": "Pemandu desa\nAir minum",
        "guide_languages": "Indonesia, Inggris",
        "cancellation_terms": WALK_CANCELLATION,
    },
}
STAY_FACTS: dict[str, dict] = {
    "kamar-standar": {"guests_per_room": 2},
    "kamar-keluarga": {"guests_per_room": 4},
    "kamar-pemandangan-danau": {"guests_per_room": 2},
    "rumah-bolon": {"guests_per_room": 6, "check_in_time": time(15), "check_out_time": time(11)},
}
STAY_TIMES = {"check_in_time": time(14), "check_out_time": time(12)}


def product_facts(item: Item, shop: Shop) -> dict:
    """The Product fields that answer a tourist's questions about `item` sold by `shop`."""
    if item.kind == EXPERIENCE:
        facts = dict(EXPERIENCE_FACTS.get(item.key, {}))
        lat, lng = facts.pop("position", (shop.latitude, shop.longitude))
        facts.setdefault("meeting_point", f"{shop.name}, {shop.address}"[:200])
        facts["meeting_latitude"] = None if lat is None else _coordinate(float(lat))
        facts["meeting_longitude"] = None if lng is None else _coordinate(float(lng))
        facts["group_size_max"] = item.capacity or None
        return facts
    if item.kind == STAY:
        return {**STAY_TIMES, **STAY_FACTS.get(item.key, {})}
    return {}


@dataclass(frozen=True)
class ShopSpec:
    name: str
    category: str
    kecamatan: str
    person: str  # who runs it (the story, the bank account)
    story: str
    items: tuple[str, ...] = ()  # item keys; empty: three or four of the category's
    owner: str | None = None  # the demo account that owns it
    desa: str | None = None  # its desa, where its name says it (tourism villages list it)

    @property
    def slug(self) -> str:
        return slugify(self.name)


SHOPS = (
    ShopSpec(
        "Tenun Boru Siahaan",
        "tenun-dan-ulos",
        "Balige",
        "Rosmawati Siahaan",
        "Rosmawati belajar menenun dari ibunya di Balige. Kini ia dan empat penenun tetangga "
        "mengerjakan ulos pesanan untuk pesta adat, dan membuka kelas menenun untuk tamu.",
        (
            "ulos-ragi-hotang",
            "ulos-pilih-motif",
            "ulos-sadum",
            "selendang-tenun",
            "kelas-menenun",
        ),
        owner="penjual1@pasar.test",
    ),
    ShopSpec(
        "Kopi Manurung Laguboti",
        "kopi",
        "Laguboti",
        "Togar Manurung",
        "Togar merawat kebun kopi warisan kakeknya di Laguboti dan menyangrai sendiri "
        "di belakang rumah. Dari kebun ke cangkir tanpa perantara.",
        (
            "kopi-arabika-toba",
            "kopi-robusta-toba",
            "green-bean-arabika",
            "kopi-bubuk-tradisional",
        ),
        owner="penjual2@pasar.test",
    ),
    ShopSpec(
        "Ulos Jangga Dolok",
        "tenun-dan-ulos",
        "Lumban Julu",
        "Lamria Sirait",
        "Jangga Dolok dikenal sebagai kampung ulos. Kelompok penenun kami menjaga motif lama "
        "dan pewarna alami.",
        ("ulos-bintang-maratur", "ulos-ragi-hotang", "ulos-sibolang", "kelas-menenun"),
    ),
    ShopSpec(
        "Gorga Sirait Parmaksian",
        "kerajinan",
        "Parmaksian",
        "Jonggi Sirait",
        "Tiga generasi pengukir gorga. Kami mengerjakan ukiran rumah adat dan cenderamata.",
        ("hiasan-gorga", "miniatur-rumah-bolon", "tunggal-panaluan"),
    ),
    ShopSpec(
        "Homestay Tao Toba",
        "homestay",
        "Ajibata",
        "Melva Situmorang",
        "Rumah keluarga lima menit dari pelabuhan Ajibata, dengan teras menghadap danau.",
        ("kamar-standar", "kamar-keluarga", "kamar-pemandangan-danau"),
    ),
    ShopSpec(
        "Kapal Wisata Horas Ajibata",
        "wisata-danau",
        "Ajibata",
        "Parlindungan Sinaga",
        "Kapal kayu kami berangkat dari Ajibata setiap hari. Nakhoda dan awak asli Toba.",
        ("tur-perahu-danau", "perahu-situmurun", "trek-bukit-senyum"),
    ),
    ShopSpec(
        "Kopi Tarabunga",
        "kopi",
        "Tampahan",
        "Hotman Sianturi",
        "Kopi dari lereng Tarabunga, ditanam di antara pohon dadap dan jeruk.",
        desa="Tarabunga",
    ),
    ShopSpec(
        "Dapur Inang Porsea",
        "kuliner",
        "Porsea",
        "Rugun Simanjuntak",
        "Masakan dan kue kampung yang dibuat Inang Rugun setiap pagi untuk pasar Porsea.",
        ("mie-gomak-kering", "lappet", "ombus-ombus", "bumbu-arsik"),
    ),
    ShopSpec(
        "Andaliman Silaen",
        "pertanian",
        "Silaen",
        "Bonar Tampubolon",
        "Kelompok tani Silaen menanam andaliman dan bawang Batak di lereng bukit.",
        ("andaliman-kering", "bawang-batak", "kemiri-kupas"),
    ),
    ShopSpec(
        "Sopo Tenun Meat",
        "tenun-dan-ulos",
        "Tampahan",
        "Nurmaida Tampubolon",
        "Desa Meat di tepi danau: para ibu menenun di kolong rumah sambil menjaga anak.",
        ("ulos-sadum", "ulos-mangiring", "sarung-tenun", "kelas-menenun"),
        desa="Meat",
    ),
    ShopSpec(
        "Pondok Lumban Bulbul",
        "homestay",
        "Balige",
        "Sahat Napitupulu",
        "Penginapan sederhana dekat Pantai Lumban Bulbul dengan pasir putihnya.",
        ("kamar-standar", "kamar-pemandangan-danau"),
        desa="Lumban Bulbul",
    ),
    ShopSpec(
        "Solu Bulbul Balige",
        "wisata-danau",
        "Balige",
        "Rudi Pardede",
        "Perahu (solu) kami mengantar tamu dari Pantai Lumban Bulbul menyusuri pesisir Balige.",
        ("tur-perahu-danau", "memancing-nelayan", "sepeda-desa"),
        desa="Lumban Bulbul",
    ),
    ShopSpec(
        "Ukir Kayu Hutapea",
        "kerajinan",
        "Laguboti",
        "Binsar Hutapea",
        "Bengkel ukir di Laguboti; semua ukiran dikerjakan dengan pahat tangan.",
    ),
    ShopSpec(
        "Madu Hutan Habinsaran",
        "pertanian",
        "Habinsaran",
        "Darwin Pakpahan",
        "Madu dipanen dari hutan Habinsaran oleh para pemanjat lebah secara turun-temurun.",
        ("madu-hutan", "gula-aren", "kemiri-kupas"),
    ),
    ShopSpec(
        "Kopi Parsoburan",
        "kopi",
        "Habinsaran",
        "Ester Marpaung",
        "Arabika dataran tinggi Parsoburan, dipetik merah dan diolah oleh koperasi petani.",
        ("kopi-arabika-natural", "kopi-arabika-toba", "tur-kebun-kopi"),
    ),
    ShopSpec(
        "Beras Merah Borbor",
        "pertanian",
        "Borbor",
        "Lasma Siregar",
        "Sawah keluarga di Borbor ditanami padi merah lokal tanpa pestisida kimia.",
        ("beras-merah", "jeruk-manis", "bawang-batak"),
    ),
    ShopSpec(
        "Kopi Robusta Nassau",
        "kopi",
        "Nassau",
        "Martin Butarbutar",
        "Robusta dari kebun rakyat di Nassau, disangrai dengan kayu bakar.",
    ),
    ShopSpec(
        "Anyaman Pandan Sigumpar",
        "kerajinan",
        "Sigumpar",
        "Tiurma Panjaitan",
        "Kelompok perempuan Sigumpar menganyam pandan menjadi tikar dan tas.",
        ("tas-anyaman-pandan", "tikar-pandan", "keranjang-bambu"),
    ),
    ShopSpec(
        "Rumah Bolon Uluan",
        "homestay",
        "Uluan",
        "Jhon Simbolon",
        "Menginap di rumah adat berumur seratus tahun di semenanjung Uluan.",
        ("rumah-bolon", "kamar-standar"),
    ),
    ShopSpec(
        "Solu Uluan",
        "wisata-danau",
        "Uluan",
        "Tumpal Marbun",
        "Perjalanan perahu dan jalan kaki di semenanjung Uluan yang sepi.",
        ("tur-perahu-danau", "sepeda-desa"),
    ),
    ShopSpec(
        "Dali Narumonda",
        "kuliner",
        "Siantar Narumonda",
        "Saurma Sitorus",
        "Dali ni horbo dan kue kampung dari peternak kerbau Narumonda.",
        ("dali-ni-horbo", "lappet", "kacang-tojin"),
    ),
    ShopSpec(
        "Bambu Pintu Pohan",
        "kerajinan",
        "Pintu Pohan Meranti",
        "Robert Siahaan",
        "Pengrajin bambu dari Pintu Pohan, membuat keranjang dan perabot kecil.",
        ("keranjang-bambu", "gantungan-kunci-gorga", "tas-anyaman-pandan"),
    ),
    ShopSpec(
        "Kebun Jeruk Meranti",
        "pertanian",
        "Pintu Pohan Meranti",
        "Rosdiana Hutagaol",
        "Jeruk manis dan gula aren dari kebun keluarga di Meranti.",
        ("jeruk-manis", "gula-aren", "madu-hutan"),
    ),
    ShopSpec(
        "Tenun Boru Sianipar",
        "tenun-dan-ulos",
        "Bonatua Lunasi",
        "Erna Sianipar",
        "Tenunan halus dari Bonatua Lunasi, dengan benang yang dicelup sendiri.",
    ),
    ShopSpec(
        "Arsik Lunasi",
        "kuliner",
        "Bonatua Lunasi",
        "Tiorida Lumbantobing",
        "Bumbu arsik dan sambal andaliman racikan keluarga untuk dibawa pulang.",
        ("bumbu-arsik", "sambal-andaliman", "mie-gomak-kering"),
    ),
    ShopSpec(
        "Penginapan Tepi Asahan",
        "homestay",
        "Porsea",
        "Daniel Manurung",
        "Penginapan di tepi Sungai Asahan, dekat pasar Porsea dan jembatan tua.",
        ("kamar-standar", "kamar-keluarga"),
    ),
    ShopSpec(
        "Jelajah Asahan",
        "wisata-danau",
        "Parmaksian",
        "Fernando Sirait",
        "Kano dan jalan kaki di hulu Sungai Asahan bersama pemandu lokal.",
        ("kano-asahan", "sepeda-desa"),
    ),
    ShopSpec(
        "Sanggar Tenun Jangga",
        "tenun-dan-ulos",
        "Lumban Julu",
        "Rotua Manurung",
        "Sanggar belajar menenun untuk anak muda dan wisatawan di Jangga Dolok.",
        ("kelas-menenun", "selendang-tenun", "ulos-mangiring"),
    ),
    ShopSpec(
        "Sambal Andaliman Namboru",
        "kuliner",
        "Laguboti",
        "Magdalena Hutahaean",
        "Resep sambal namboru (bibi) kami, dibuat dalam jumlah kecil setiap minggu.",
        ("sambal-andaliman", "kacang-tojin"),
    ),
    ShopSpec(
        "Kopi Sigumpar Julu",
        "kopi",
        "Sigumpar",
        "Poltak Panjaitan",
        "Kopi arabika dan robusta dari Sigumpar Julu, sangrai sedang untuk semua selera.",
    ),
    ShopSpec(
        "Homestay Silaen Asri",
        "homestay",
        "Silaen",
        "Rina Tambunan",
        "Halaman luas dan udara sejuk di Silaen, cocok untuk keluarga.",
        ("kamar-keluarga", "kamar-standar"),
    ),
    ShopSpec(
        "Cenderamata Pasar Balige",
        "kerajinan",
        "Balige",
        "Lena Simanjuntak",
        "Kios oleh-oleh di dekat Pasar Balige yang atapnya berbentuk rumah bolon.",
        ("gantungan-kunci-gorga", "miniatur-rumah-bolon", "tas-anyaman-pandan"),
    ),
    ShopSpec(
        "Pemandu Bukit Tarabunga",
        "wisata-danau",
        "Tampahan",
        "Ucok Sianturi",
        "Pemuda desa Tarabunga memandu pendakian dan tur fotografi matahari terbit.",
        ("trek-tarabunga", "sepeda-desa"),
        desa="Tarabunga",
    ),
    ShopSpec(
        "Homestay Bukit Nassau",
        "homestay",
        "Nassau",
        "Ronald Butarbutar",
        "Rumah kayu di perbukitan Nassau, jauh dari keramaian.",
        ("kamar-standar", "kamar-pemandangan-danau"),
    ),
    ShopSpec(
        "Ulos Boru Sitorus",
        "tenun-dan-ulos",
        "Siantar Narumonda",
        "Ruth Sitorus",
        "Ulos untuk pesta adat dari penenun Narumonda, bisa dipesan sesuai ukuran.",
    ),
    ShopSpec(
        "Bawang Batak Uluan",
        "pertanian",
        "Uluan",
        "Sabar Simbolon",
        "Bawang Batak dan andaliman dari ladang di atas Uluan.",
        ("bawang-batak", "andaliman-kering"),
    ),
    ShopSpec(
        "Mie Gomak Pasar Balige",
        "kuliner",
        "Balige",
        "Tiur Siahaan",
        "Lapo mie gomak di Pasar Balige sejak 1985; kini juga menjual mie kering dan bumbunya.",
        ("mie-gomak-kering", "bumbu-arsik", "sambal-andaliman"),
    ),
    ShopSpec(
        "Solu Situmurun",
        "wisata-danau",
        "Lumban Julu",
        "Maruli Sidabutar",
        "Perahu menuju Air Terjun Situmurun, berangkat dari dermaga desa.",
        ("perahu-situmurun", "memancing-nelayan"),
    ),
    ShopSpec(
        "Kopi Borbor",
        "kopi",
        "Borbor",
        "Jaya Siregar",
        "Kopi dari dataran tinggi Borbor, dijemur di para-para bambu.",
        ("kopi-arabika-toba", "kopi-bubuk-tradisional"),
    ),
    ShopSpec(
        "Ulos Sadum Porsea",
        "tenun-dan-ulos",
        "Porsea",
        "Helena Sitorus",
        "Ulos sadum warna-warni dari Porsea, banyak dipesan untuk wisuda dan pernikahan.",
        ("ulos-sadum", "selendang-tenun", "sarung-tenun"),
    ),
)


def rng_for(seed: int, key: str) -> random.Random:
    """A generator for one thing: its draws depend only on the seed and the key."""
    return random.Random(f"{seed}:{key}")


# Categories and desa -----------------------------------------------------------------------


def seed_categories() -> dict[str, Category]:
    categories = {}
    for position, (slug, name, name_en) in enumerate(CATEGORIES):
        category = Category.objects.filter(Q(slug=slug) | Q(name=name)).first()
        if category is None:
            category = Category.objects.create(
                slug=slug, name=name, name_en=name_en, position=position
            )
        categories[slug] = category
    return categories


def seed_desa() -> dict[str, list[Desa]]:
    result: dict[str, list[Desa]] = {}
    for kecamatan in Kecamatan.objects.all():
        for name in DESA.get(kecamatan.name, ()):
            desa = Desa.objects.filter(kecamatan=kecamatan, name=name).first()
            if desa is None:
                desa = Desa.objects.create(
                    kecamatan=kecamatan, name=name, slug=slugify(f"{kecamatan.name} {name}")
                )
            result.setdefault(kecamatan.name, []).append(desa)
    return result


# Shops --------------------------------------------------------------------------------------


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def seed_shops(
    *, seed: int, users: dict[str, User], categories, desa, images: DemoImages
) -> list[Shop]:
    editor = users.get("editor@pasar.test")
    kecamatan = {k.name: k for k in Kecamatan.objects.all()}
    existing = {
        shop.slug: shop
        for shop in Shop.objects.select_related("category").filter(
            slug__in=[spec.slug for spec in SHOPS]
        )
    }
    now = timezone.now()
    shops = []
    for spec in SHOPS:
        shop = existing.get(spec.slug)
        if shop is None:
            rng = rng_for(seed, f"shop:{spec.slug}")
            lat, lon = CENTRES[spec.kecamatan]
            village = rng.choice(desa[spec.kecamatan])  # drawn always: the same stream
            if spec.desa:
                village = next(d for d in desa[spec.kecamatan] if d.name == spec.desa)
            shop = Shop.objects.create(
                name=spec.name,
                slug=spec.slug,
                story=spec.story,
                logo=images.get(f"logo-{spec.slug}", spec.name, spec.category, logo=True),
                category=categories[spec.category],
                kecamatan=kecamatan[spec.kecamatan],
                desa=village,
                address=f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}, Desa {village.name}",
                latitude=_coordinate(lat + rng.uniform(-0.012, 0.012)),
                longitude=_coordinate(lon + rng.uniform(-0.012, 0.012)),
                whatsapp=f"+628{rng.choice('1235')}{rng.randint(10_000_000, 99_999_999)}",
                nib="".join(str(rng.randint(0, 9)) for _ in range(13)),
                bank_name=rng.choice(BANKS),
                bank_account_number="".join(str(rng.randint(0, 9)) for _ in range(10)),
                bank_account_name=spec.person,
                status=ShopStatus.VERIFIED,
                submitted_at=now,
                verified_at=now,
                verified_by=editor,
            )
        if spec.owner and spec.owner in users:
            ShopMember.objects.get_or_create(
                shop=shop, user=users[spec.owner], defaults={"role": ShopRole.OWNER}
            )
        shops.append(shop)
    return shops


# Products -----------------------------------------------------------------------------------


@dataclass
class Plan:
    """A product to make, with what comes with it."""

    product: Product
    variants: list[tuple[str, int, int]] = field(default_factory=list)  # name, price, stock
    item: Item | None = None
    palette: str = ""  # the category's slug: the colours of its photo
    slot_every_days: int = 1


def _round_price(value: float) -> int:
    return max(5_000, int(round(value / 5_000)) * 5_000)


def plan_product(
    *, rng: random.Random, shop: Shop, item: Item, slug: str, title: str, now: datetime
) -> Plan:
    factor = rng.choice((0.9, 1.0, 1.0, 1.1, 1.2))
    variants = [
        (name, _round_price(price * factor), rng.choice((0, 2, 5, 8, 12, 20, 30, 45)))
        for name, price in item.variants
    ]
    price = min(v[1] for v in variants) if variants else _round_price(item.price * factor)
    product = Product(
        shop=shop,
        kind=item.kind,
        title=title[:150],
        slug=slug[:170],
        description=item.description,
        category_id=shop.category_id,
        price=price,
        status=ProductStatus.ACTIVE,
        weight_grams=item.weight,
        published_at=now,
        **product_facts(item, shop),
    )
    return Plan(product=product, variants=variants, item=item, palette=shop.category.slug)


def curated_plans(*, seed: int, shops: list[Shop], now: datetime) -> list[Plan]:
    plans = []
    by_slug = {shop.slug: shop for shop in shops}
    for spec in SHOPS:
        shop = by_slug[spec.slug]
        keys = spec.items
        if not keys:
            pool = [item.key for item in CATALOG[spec.category]]
            keys = tuple(rng_for(seed, f"items:{spec.slug}").sample(pool, k=min(4, len(pool))))
        for key in keys:
            item = ITEMS[key]
            title = f"{item.title} · {shop.name}" if item.kind == STAY else item.title
            plans.append(
                plan_product(
                    rng=rng_for(seed, f"product:{spec.slug}:{key}"),
                    shop=shop,
                    item=item,
                    slug=f"{key}-{spec.slug}",
                    title=title,
                    now=now,
                )
            )
    return plans


def _days_ahead(today: date, every: int = 1) -> Iterator[date]:
    for offset in range(1, DAYS_AHEAD + 1, every):
        yield today + timedelta(days=offset)


class _Starts:
    """Aware datetimes of (day, "HH:MM") in the site's time zone, computed once each."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self._cache: dict[tuple[date, str], datetime] = {}

    def __call__(self, day: date, hhmm: str) -> datetime:
        key = (day, hhmm)
        if key not in self._cache:
            hour, minute = (int(part) for part in hhmm.split(":"))
            self._cache[key] = datetime.combine(day, time(hour, minute), tzinfo=self.zone)
        return self._cache[key]


def availability_rows(
    plans: Iterable[Plan], *, seed: int, today: date, starts: _Starts
) -> tuple[list[ExperienceSlot], list[StayNight]]:
    slots, nights = [], []
    for plan in plans:
        product, item = plan.product, plan.item
        if item is None:
            continue
        if product.kind == EXPERIENCE:
            for day in _days_ahead(today, plan.slot_every_days):
                for hhmm in item.times:
                    slots.append(
                        ExperienceSlot(
                            product_id=product.pk,
                            starts_at=starts(day, hhmm),
                            capacity=item.capacity or 10,
                        )
                    )
        elif product.kind == STAY:
            rng = rng_for(seed, f"nights:{product.slug}")
            for day in _days_ahead(today):
                nights.append(
                    StayNight(
                        product_id=product.pk,
                        night=day,
                        rooms=rng.randint(0, item.capacity or 1),
                    )
                )
    return slots, nights


def create_products(plans: list[Plan], *, seed: int, images: DemoImages, starts: _Starts) -> int:
    """Write the products of `plans` with their variants, photo and availability.

    Bulk inserts, so no outbox events (no product.published): demo data, and the search
    reindex command indexes everything that is there."""
    if not plans:
        return 0
    Product.objects.bulk_create([plan.product for plan in plans], batch_size=BATCH_SIZE)
    variants, photos = [], []
    for plan in plans:
        product, item = plan.product, plan.item
        for position, (name, price, stock) in enumerate(plan.variants):
            variants.append(
                Variant(
                    product_id=product.pk,
                    name=name,
                    sku=f"{product.pk}-{position + 1}",
                    price=price,
                    on_hand=stock,
                    position=position,
                )
            )
        if item is not None:
            image = images.get(item.key, item.title, plan.palette)
            photos.append(ProductPhoto(product_id=product.pk, image_id=image.pk, position=0))
    Variant.objects.bulk_create(variants, batch_size=BATCH_SIZE * 2)
    ProductPhoto.objects.bulk_create(photos, batch_size=BATCH_SIZE * 2)
    slots, nights = availability_rows(plans, seed=seed, today=timezone.localdate(), starts=starts)
    ExperienceSlot.objects.bulk_create(slots, batch_size=BATCH_SIZE * 2)
    StayNight.objects.bulk_create(nights, batch_size=BATCH_SIZE * 2)
    return len(plans)


def top_up_availability(plans: list[Plan], *, seed: int, starts: _Starts) -> None:
    """Keep curated experiences and stays made by an earlier run bookable for the next
    DAYS_AHEAD days: a later run adds the days that have come into range, and leaves existing
    rows (perhaps booked since) as they are."""
    wanted = {plan.product.slug: plan for plan in plans if plan.product.kind != GOODS}
    for product in Product.objects.filter(slug__in=wanted).only("pk", "slug", "kind"):
        wanted[product.slug].product.pk = product.pk
    slots, nights = availability_rows(
        [p for p in wanted.values() if p.product.pk],
        seed=seed,
        today=timezone.localdate(),
        starts=starts,
    )
    ExperienceSlot.objects.bulk_create(slots, batch_size=BATCH_SIZE, ignore_conflicts=True)
    StayNight.objects.bulk_create(nights, batch_size=BATCH_SIZE, ignore_conflicts=True)


def fill_missing_facts(plans: list[Plan]) -> None:
    """Give curated experiences and stays made before products had facts (an older demo
    database) theirs; a product that has any already is left as its seller set it."""
    wanted = {plan.product.slug: plan for plan in plans if plan.product.kind != GOODS}
    blank = Q(duration_minutes__isnull=True, meeting_point="", guests_per_room__isnull=True)
    blank &= Q(check_in_time__isnull=True)
    for product in Product.objects.filter(blank, slug__in=wanted):
        plan = wanted[product.slug]
        facts = product_facts(plan.item, plan.product.shop) if plan.item else {}
        if facts:
            Product.objects.filter(pk=product.pk).update(**facts)


@dataclass
class CatalogResult:
    shops: list[Shop]
    curated: int  # how many curated products the catalog has (made now or before)
    created: int  # how many products this run made


def seed_catalog(*, seed: int, users: dict[str, User]) -> CatalogResult:
    """Categories, desa, the demo shops and their hand-written products."""
    images = DemoImages()
    starts = _Starts()
    categories = seed_categories()
    desa = seed_desa()
    shops = seed_shops(seed=seed, users=users, categories=categories, desa=desa, images=images)
    plans = curated_plans(seed=seed, shops=shops, now=timezone.now())
    existing = set(
        Product.objects.filter(slug__in=[p.product.slug for p in plans]).values_list(
            "slug", flat=True
        )
    )
    created = create_products(
        [p for p in plans if p.product.slug not in existing],
        seed=seed,
        images=images,
        starts=starts,
    )
    top_up_availability([p for p in plans if p.product.slug in existing], seed=seed, starts=starts)
    fill_missing_facts([p for p in plans if p.product.slug in existing])
    return CatalogResult(shops=shops, curated=len(plans), created=created)


# Many products, for benchmarks --------------------------------------------------------------


def generated_plans(
    *, seed: int, shops: list[Shop], start: int, stop: int, now: datetime
) -> list[Plan]:
    """Products number start..stop-1 (1-based) of the generated catalog. Product i goes to
    shop i mod len(shops), whatever has been made before."""
    rng = rng_for(seed, f"generated:{start}")
    plans = []
    for number in range(start, stop):
        shop = shops[(number - 1) % len(shops)]
        item = rng.choice(CATALOG[shop.category.slug])
        title = f"{item.title} #{number}"
        if item.kind == STAY:
            title = f"{item.title} #{number} · {shop.name}"
        plan = plan_product(
            rng=rng,
            shop=shop,
            item=item,
            slug=f"{slugify(item.title)}-{number}",
            title=title,
            now=now,
        )
        # Fewer departures than the curated ones keep a 100,000-product catalog quick to make.
        plan.slot_every_days = 3
        plans.append(plan)
    return plans


def seed_bulk_products(*, seed: int, total: int, shops: list[Shop], curated: int, progress=None):
    """Make generated products until the catalog holds `total` (curated ones included), in
    batches of BATCH_SIZE, each in its own transaction (an interrupted run resumes where it
    stopped). `progress(n)` is called after each batch with how many numbers it covered.
    Returns how many products were made."""
    count = max(0, total - curated)
    if not count:
        return 0
    shops = sorted(shops, key=lambda s: s.slug)
    images = DemoImages()
    starts = _Starts()
    made = 0
    # Batches start at fixed numbers (1, 1+BATCH_SIZE, ...), so each batch's generator, and so
    # each product, is the same whatever `total` is.
    for start in range(1, count + 1, BATCH_SIZE):
        stop = min(start + BATCH_SIZE, count + 1)
        plans = generated_plans(
            seed=seed, shops=shops, start=start, stop=start + BATCH_SIZE, now=timezone.now()
        )[: stop - start]
        existing = set(
            Product.objects.filter(slug__in=[p.product.slug for p in plans]).values_list(
                "slug", flat=True
            )
        )
        todo = [p for p in plans if p.product.slug not in existing]
        with transaction.atomic():
            made += create_products(todo, seed=seed, images=images, starts=starts)
        if progress:
            progress(stop - start)
    return made
