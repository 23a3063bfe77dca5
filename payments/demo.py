"""Demo payments set-up, run by `seed_demo` (settings.DEMO_SEED_STEPS): penjual1's shop gets a
static QRIS, as if read from its bank sticker. The payload is made here with our own codec; the
NMID and account numbers are invented."""

from marketplace.models import Shop, User
from payments import qris
from payments.models import MerchantQris

DEMO_SHOP = "tenun-boru-siahaan"


def seed_merchant_qris() -> None:
    shop = Shop.objects.filter(slug=DEMO_SHOP).first()
    if shop is None or MerchantQris.objects.filter(shop=shop).exists():
        return
    payload = qris.build(
        [
            ("00", "01"),
            ("01", "11"),
            (
                "26",
                [
                    ("00", "ID.CO.BANKSUMUT.WWW"),
                    ("01", "936001170000012345"),
                    ("02", "000000012345"),
                    ("03", "UMI"),
                ],
            ),
            ("51", [("00", "ID.CO.QRIS.WWW"), ("02", "ID1026000012345"), ("03", "UMI")]),
            ("52", "5699"),
            ("53", "360"),
            ("58", "ID"),
            ("59", "TENUN BORU SIAHAAN"),
            ("60", "BALIGE"),
            ("61", "22312"),
        ]
    )
    parsed = qris.parse(payload)
    MerchantQris.objects.create(
        shop=shop,
        payload=payload,
        merchant_name=parsed.merchant_name,
        merchant_city=parsed.merchant_city,
        nmid=parsed.nmid,
        confirmed_by=User.objects.filter(email="penjual1@pasar.test").first(),
    )
