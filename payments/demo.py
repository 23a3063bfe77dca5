"""Demo payments set-up, run by `seed_demo` (settings.DEMO_SEED_STEPS): most demo shops get a
static QRIS, as if read from their bank sticker. Toba's tourism operators mostly take QRIS (the
regency counts 43 of them), so nearly every shop selling experiences or stays gets one, and so
do the souvenir sellers (weaving, coffee, crafts); farm produce and food sellers, and two
tourism shops, stay on bank transfer only, so the cart's "hanya menerima transfer bank" notice
shows too. Payloads are made here with our own codec and checked as a seller's would be; the
NMIDs and account numbers are invented. Running again adds only what is missing."""

from __future__ import annotations

from marketplace.demo.catalog import SHOPS
from marketplace.models import ProductKind, Shop, ShopMember, ShopRole, User
from payments import qris
from payments.models import MerchantQris
from payments.services import merchant_qris_check

DEMO_SHOP = "tenun-boru-siahaan"  # penjual1's shop: the payload the first demo had
# Tourism shops left on transfers only: the demo needs a cart where the notice shows.
TRANSFER_ONLY_TOURISM = frozenset({"rumah-bolon-uluan", "solu-uluan"})
# Goods-only shops take QRIS when tourists buy from them as souvenirs.
QRIS_GOODS_CATEGORIES = frozenset({"tenun-dan-ulos", "kopi", "kerajinan"})
TOURISM_KINDS = (ProductKind.EXPERIENCE, ProductKind.STAY)
# Merchant category codes (ISO 18245) by demo category, as an acquirer would register them.
MCC = {
    "tenun-dan-ulos": "5699",  # apparel and accessories
    "kopi": "5499",  # food stores
    "kuliner": "5499",
    "pertanian": "5499",
    "kerajinan": "5947",  # gift, card, novelty and souvenir shops
    "homestay": "7011",  # lodging
    "wisata-danau": "4722",  # travel agencies and tour operators
}


def tourism_shop_ids(shops) -> set[int]:
    """Shops that sell experiences or stays. One query."""
    return set(
        Shop.objects.filter(pk__in=[shop.pk for shop in shops], products__kind__in=TOURISM_KINDS)
        .values_list("pk", flat=True)
        .distinct()
    )


def takes_qris(shop: Shop, *, tourism: bool) -> bool:
    if shop.slug == DEMO_SHOP:
        return True
    if tourism:
        return shop.slug not in TRANSFER_ONLY_TOURISM
    return shop.category.slug in QRIS_GOODS_CATEGORIES


def _fit(text: str, limit: int) -> str:
    """Upper case, cut at a word boundary to the EMVCo field's length (25 name, 15 city)."""
    words, fitted = text.upper().split(), ""
    for word in words:
        candidate = f"{fitted} {word}".strip()
        if len(candidate) > limit:
            break
        fitted = candidate
    return fitted or text.upper()[:limit]


def sticker_payload(*, name: str, city: str, mcc: str, number: int, postal_code: str = "") -> str:
    """A static QRIS like a Bank Sumut sticker's; `number` makes the invented PAN, merchant id
    and NMID (12345 gives the first demo's)."""
    fields: list[tuple[str, qris.Value]] = [
        ("00", "01"),
        ("01", "11"),
        (
            "26",
            [
                ("00", "ID.CO.BANKSUMUT.WWW"),
                ("01", f"93600117{number:010d}"),
                ("02", f"{number:012d}"),
                ("03", "UMI"),
            ],
        ),
        ("51", [("00", "ID.CO.QRIS.WWW"), ("02", f"ID10260{number:08d}"), ("03", "UMI")]),
        ("52", mcc),
        ("53", "360"),
        ("58", "ID"),
        ("59", _fit(name, 25)),
        ("60", _fit(city, 15)),
    ]
    if postal_code:
        fields.append(("61", postal_code))
    return qris.build(fields)


def seed_merchant_qris() -> None:
    slugs = [spec.slug for spec in SHOPS]
    shops = list(
        Shop.objects.filter(slug__in=slugs)
        .exclude(qris__isnull=False)
        .select_related("category", "kecamatan")
    )
    if not shops:
        return
    tourism = tourism_shop_ids(shops)
    owners = dict(
        ShopMember.objects.filter(shop__in=shops, role=ShopRole.OWNER)
        .order_by("pk")
        .values_list("shop_id", "user_id")
    )
    users = User.objects.in_bulk(set(owners.values()))
    made = []
    for shop in shops:
        if not takes_qris(shop, tourism=shop.pk in tourism):
            continue
        if shop.slug == DEMO_SHOP:
            payload = sticker_payload(
                name="Tenun Boru Siahaan",
                city="Balige",
                mcc="5699",
                number=12345,
                postal_code="22312",
            )
        else:
            payload = sticker_payload(
                name=shop.name,
                city=shop.kecamatan.name,
                mcc=MCC.get(shop.category.slug, "5999"),
                number=20_000 + slugs.index(shop.slug),
            )
        parsed = merchant_qris_check(payload)  # what the seller's QRIS set-up would accept
        made.append(
            MerchantQris(
                shop=shop,
                payload=payload,
                merchant_name=parsed.merchant_name,
                merchant_city=parsed.merchant_city,
                nmid=parsed.nmid,
                confirmed_by=users.get(owners.get(shop.pk)),
            )
        )
    MerchantQris.objects.bulk_create(made)
