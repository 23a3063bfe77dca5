"""The public catalog API: verified shops and the active products of verified shops.
Read-only, found by slug, paginated (config.api.Pagination). A filter that is not a slug is a
400 naming it; an unknown slug is an empty list (filters) or a 404 (lookups)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError

from marketplace.models import ProductKind
from marketplace.selectors import storefront as selectors

from .serializers import ProductSerializer, ShopSerializer

SLUG = r"[-a-zA-Z0-9_]{1,170}"


def _slug_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description, pattern=f"^{SLUG}$"
    )


def _slug_filter(params, name: str) -> str:
    """The slug a filter names, "" when it is absent or empty; a 400 naming it otherwise."""
    value = params.get(name, "").strip()
    if value and not re.fullmatch(SLUG, value):
        raise ValidationError({name: [_("Isi slug: huruf, angka, - atau _.")]})
    return value


class BySlug:
    """Found by slug; a path that is not a slug is the same 404, without asking the database
    (a NUL would make PostgreSQL refuse the query)."""

    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"

    def get_object(self):
        if not re.fullmatch(SLUG, self.kwargs[self.lookup_field]):
            raise NotFound
        return super().get_object()


@extend_schema_view(
    list=extend_schema(
        summary="Verified shops",
        parameters=[
            _slug_param("kecamatan", "Only shops in this kecamatan (its slug)."),
            _slug_param("category", "Only shops of this category (its slug)."),
        ],
    ),
    retrieve=extend_schema(summary="A verified shop"),
)
class ShopViewSet(BySlug, viewsets.ReadOnlyModelViewSet):
    serializer_class = ShopSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.shop_list(
            selectors.ShopFilters(
                kecamatan=_slug_filter(params, "kecamatan"),
                category=_slug_filter(params, "category"),
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary="Active products of verified shops",
        parameters=[
            _slug_param("shop", "Only this shop's products (its slug)."),
            _slug_param("category", "Only products of this category (its slug)."),
            _slug_param("kecamatan", "Only products of shops in this kecamatan (its slug)."),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=ProductKind.values,
                description="Only goods, experiences or stays.",
            ),
        ],
    ),
    retrieve=extend_schema(summary="An active product of a verified shop"),
)
class ProductViewSet(BySlug, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProductSerializer

    def get_queryset(self):
        params = self.request.query_params
        kind = params.get("kind", "")
        if kind and kind not in ProductKind.values:
            raise ValidationError(
                {
                    "kind": [
                        _("Jenis tidak dikenal. Pilih salah satu: %(kinds)s.")
                        % {"kinds": ", ".join(ProductKind.values)}
                    ]
                }
            )
        return selectors.api_products(
            selectors.ProductFilters(
                shop=_slug_filter(params, "shop"),
                category=_slug_filter(params, "category"),
                kecamatan=_slug_filter(params, "kecamatan"),
                kind=kind,
            )
        )
