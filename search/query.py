"""What a search asks for, read from a query string once, for the page and the API alike.

A bad value is refused with a code and the parameter it concerns (the API answers 400 with
them, the page shows the message), never a 500."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _

SORTS = ("relevance", "price", "-price", "newest", "nearest")
KINDS = ("goods", "experience", "stay")
PER_PAGE = 20
MAX_PAGE = 500
MAX_RADIUS_KM = 200.0
# Price facet buckets in rupiah: [from, to) — "to" None is open-ended.
PRICE_RANGES: tuple[tuple[int, int | None], ...] = (
    (0, 50_000),
    (50_000, 150_000),
    (150_000, 500_000),
    (500_000, None),
)


class SearchQueryInvalid(ValueError):
    MESSAGES = {
        "bad_sort": _("Urutan tidak dikenal. Pilih salah satu: %(choices)s."),
        "bad_price": _("Harga harus berupa bilangan bulat rupiah, 0 atau lebih."),
        "bad_price_range": _("Harga minimum lebih besar dari harga maksimum."),
        "bad_date": _("Tanggal harus berformat TTTT-BB-HH, misalnya 2026-12-05."),
        "bad_kind": _("Jenis tidak dikenal. Pilih salah satu: %(choices)s."),
        "bad_page": _("Halaman harus bilangan bulat 1 sampai %(max)s."),
        "bad_point": _("Titik harus berupa lintang,bujur, misalnya 2.33,99.06."),
        "bad_radius": _("Radius harus antara 0 dan %(max)s km."),
        "nearest_needs_point": _("Urutan terdekat memerlukan titik (near=lintang,bujur)."),
        "bad_in_stock": _("in_stock harus 1/0, true/false."),
    }

    def __init__(self, code: str, field: str, **params):
        self.code, self.field, self.params = code, field, params
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.code]) % self.params


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category: str = ""  # category slug
    kecamatan: str = ""  # kecamatan slug
    kind: str = ""  # one of KINDS
    shop: str = ""  # shop slug
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False
    available_on: dt.date | None = (
        None  # experience: a slot that day with places; stay: a free room that night
    )
    near: tuple[float, float] | None = None  # (latitude, longitude)
    radius_km: float | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    language: str = "id"  # "en" prefers the English subfield
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def filters(self) -> dict[str, object]:
        """The chosen filters, for the query log and for rebuilding links."""
        names = ("category", "kecamatan", "kind", "shop", "min_price", "max_price")
        chosen = {
            name: getattr(self, name) for name in names if getattr(self, name) not in ("", None)
        }
        if self.in_stock:
            chosen["in_stock"] = True
        if self.available_on:
            chosen["available_on"] = self.available_on.isoformat()
        if self.near:
            chosen["near"] = f"{self.near[0]},{self.near[1]}"
            if self.radius_km is not None:
                chosen["radius_km"] = self.radius_km
        return chosen

    def without(self, name: str) -> SearchQuery:
        """The same search without one filter (a facet's "all" link)."""
        return replace(self, **{name: SearchQuery.__dataclass_fields__[name].default}, page=1)


def _int(value: str, code: str, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SearchQueryInvalid(code, name, max=MAX_PAGE) from None
    if number < 0:
        raise SearchQueryInvalid(code, name, max=MAX_PAGE)
    return number


def parse_query(params, *, language: str = "id") -> SearchQuery:
    """Read a SearchQuery from a QueryDict (or any mapping of str → str)."""
    get = lambda name: (params.get(name) or "").strip()  # noqa: E731
    sort = get("sort") or "relevance"
    if sort not in SORTS:
        raise SearchQueryInvalid("bad_sort", "sort", choices=", ".join(SORTS))
    kind = get("kind")
    if kind and kind not in KINDS:
        raise SearchQueryInvalid("bad_kind", "kind", choices=", ".join(KINDS))
    min_price = _int(get("min_price"), "bad_price", "min_price") if get("min_price") else None
    max_price = _int(get("max_price"), "bad_price", "max_price") if get("max_price") else None
    if min_price is not None and max_price is not None and min_price > max_price:
        raise SearchQueryInvalid("bad_price_range", "min_price")
    page = 1
    if get("page"):
        try:
            page = int(get("page"))
        except ValueError:
            page = -1
        if not 1 <= page <= MAX_PAGE:
            raise SearchQueryInvalid("bad_page", "page", max=MAX_PAGE)
    in_stock_text = get("in_stock").lower()
    if in_stock_text not in ("", "0", "1", "true", "false", "on"):
        raise SearchQueryInvalid("bad_in_stock", "in_stock")
    available_on = None
    if get("date"):
        try:
            available_on = dt.date.fromisoformat(get("date"))
        except ValueError:
            raise SearchQueryInvalid("bad_date", "date") from None
    near = None
    if get("near"):
        try:
            lat_text, lng_text = get("near").split(",")
            near = (float(lat_text), float(lng_text))
        except ValueError:
            raise SearchQueryInvalid("bad_point", "near") from None
        if not (-90 <= near[0] <= 90 and -180 <= near[1] <= 180):
            raise SearchQueryInvalid("bad_point", "near")
    radius_km = None
    if get("radius"):
        try:
            radius_km = float(get("radius"))
        except ValueError:
            raise SearchQueryInvalid("bad_radius", "radius", max=MAX_RADIUS_KM) from None
        if not 0 < radius_km <= MAX_RADIUS_KM:
            raise SearchQueryInvalid("bad_radius", "radius", max=MAX_RADIUS_KM)
    if sort == "nearest" and near is None:
        raise SearchQueryInvalid("nearest_needs_point", "sort")
    return SearchQuery(
        text=get("q")[:200],
        category=get("category"),
        kecamatan=get("kecamatan"),
        kind=kind,
        shop=get("shop"),
        min_price=min_price,
        max_price=max_price,
        in_stock=in_stock_text in ("1", "true", "on"),
        available_on=available_on,
        near=near,
        radius_km=radius_km,
        sort=sort,
        page=page,
        language="en" if language.startswith("en") else "id",
    )
