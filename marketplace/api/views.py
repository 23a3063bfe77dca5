"""The public catalog API: verified shops and the active products of verified shops.
Read-only, found by slug, paginated (REST_FRAMEWORK's PageNumberPagination)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from marketplace.models import ProductKind
from marketplace.selectors import storefront as selectors
from marketplace.views.storefront.common import clean_slug

from .serializers import ProductSerializer, ShopSerializer


def _slug_param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description)


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
class ShopViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ShopSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self):
        params = self.request.query_params
        return selectors.shop_list(
            selectors.ShopFilters(
                kecamatan=clean_slug(params.get("kecamatan")),
                category=clean_slug(params.get("category")),
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
class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProductSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

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
                shop=clean_slug(params.get("shop")),
                category=clean_slug(params.get("category")),
                kecamatan=clean_slug(params.get("kecamatan")),
                kind=kind,
            )
        )
