"""Demo delivery options: every demo shop offers pickup; shops that sell goods also deliver
locally and send by courier to a few destinations (invented rates)."""

from marketplace.models import CourierRate, ProductKind, Shop, ShopDelivery

COURIER_RATES = {  # destination kabupaten/kota → (first kg, each further kg), rupiah
    "Toba": (10_000, 4_000),
    "Kota Medan": (22_000, 9_000),
    "Kabupaten Samosir": (18_000, 7_000),
    "DKI Jakarta": (45_000, 20_000),
}


def seed_delivery() -> None:
    for shop in Shop.objects.filter(status="verified").prefetch_related("products"):
        sells_goods = any(p.kind == ProductKind.GOODS for p in shop.products.all())
        ShopDelivery.objects.get_or_create(
            shop=shop,
            defaults={"offers_pickup": True, "local_delivery_fee": 10_000 if sells_goods else None},
        )
        if sells_goods:
            for destination, (first_kg, next_kg) in COURIER_RATES.items():
                CourierRate.objects.get_or_create(
                    shop=shop,
                    destination_kabupaten=destination,
                    defaults={"first_kg": first_kg, "next_kg": next_kg},
                )
