"""One product as both backends index it, built from marketplace.selectors.search_feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from marketplace.selectors.search_feed import search_feed


@dataclass(frozen=True)
class ProductDocument:
    product_id: int
    slug: str
    title: str
    description: str
    kind: str
    category_slug: str
    category_label: str
    category_label_en: str
    kecamatan_slug: str
    kecamatan_label: str
    desa: str
    shop_slug: str
    shop_name: str
    price: int  # the lowest price a buyer can pay (variants included)
    # goods: a variant with free stock; experience: a future slot with places; stay: a free night
    in_stock: bool
    available_dates: tuple[dt.date, ...] = field(
        default=()
    )  # experience: slot days; stay: free nights
    latitude: float | None = None
    longitude: float | None = None
    published_at: dt.datetime | None = None


def _document(product) -> ProductDocument:
    shop = product.shop
    prices = [product.price] + [v.price for v in product.variants_list]
    if product.kind == "experience":
        days = sorted({timezone.localtime(s.starts_at).date() for s in product.open_slots})
        in_stock = bool(days)
        lat = product.meeting_latitude or shop.latitude
        lng = product.meeting_longitude or shop.longitude
    elif product.kind == "stay":
        days = [n.night for n in product.free_nights]
        in_stock = bool(days)
        lat, lng = shop.latitude, shop.longitude
    else:
        days = []
        in_stock = any(v.free > 0 for v in product.variants_list)
        lat, lng = shop.latitude, shop.longitude
    return ProductDocument(
        product_id=product.pk,
        slug=product.slug,
        title=product.title,
        description=product.description,
        kind=product.kind,
        category_slug=product.category.slug,
        category_label=product.category.name,
        category_label_en=product.category.name_en or product.category.name,
        kecamatan_slug=shop.kecamatan.slug,
        kecamatan_label=shop.kecamatan.name,
        desa=shop.desa.name if shop.desa_id else "",
        shop_slug=shop.slug,
        shop_name=shop.name,
        price=min(prices),
        in_stock=in_stock,
        available_dates=tuple(days),
        latitude=float(lat) if lat is not None else None,
        longitude=float(lng) if lng is not None else None,
        published_at=product.published_at,
    )


def documents_for(product_ids: Iterable[int], *, batch: int = 1000) -> Iterator[ProductDocument]:
    """Documents for the public ones among these products (the others are to be removed)."""
    ids = list(product_ids)
    for start in range(0, len(ids), batch):
        for product in search_feed(ids[start : start + batch]):
            yield _document(product)
