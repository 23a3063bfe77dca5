"""What every backend answers: the same shape, so the page and the API never know which one did."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchHit:
    product_id: int
    slug: str
    title: str
    price: int
    kind: str
    shop_slug: str
    shop_name: str
    kecamatan: str  # label
    highlight: str = ""  # an HTML-safe snippet: escaped text with <mark>…</mark> around matches
    photo_url: str = ""
    distance_km: float | None = None


@dataclass(frozen=True)
class FacetValue:
    value: str  # slug, kind code, or price range "from-to" ("500000-" open-ended)
    label: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    count: int
    hits: list[SearchHit]
    # "category", "kecamatan", "kind", "price": each counted with every OTHER chosen filter
    # applied (so picking a kecamatan still shows the other kecamatan's counts).
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    did_you_mean: str = ""  # closest spelling when nothing was found ("kopi" for "kopii")
    backend: str = ""  # "database" or "elasticsearch": for logs only, never shown


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "product", "shop" or "kecamatan"
    text: str
    url: str
