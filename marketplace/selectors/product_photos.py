"""The first photo of each of a few products, for lists that know only product ids (search
results): one query for the photos with their images, one for their card renditions, however
many products."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from marketplace.models import ProductPhoto
from marketplace.selectors.storefront import _renditions, preset_specs


def first_photos(product_ids: Iterable[int], *, preset: str = "card") -> dict[int, ProductPhoto]:
    """{product id: its first photo (position, then id)}; products without photos are absent.
    Meant for a page of results (≤ a few dozen ids): all their photos are read, the first kept."""
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return {}
    photos = (
        ProductPhoto.objects.filter(product_id__in=ids)
        .select_related("image")
        .prefetch_related(
            Prefetch("image__renditions", queryset=_renditions(*preset_specs(preset)))
        )
        .order_by("product_id", "position", "id")
    )
    first: dict[int, ProductPhoto] = {}
    for photo in photos:
        first.setdefault(photo.product_id, photo)
    return first
