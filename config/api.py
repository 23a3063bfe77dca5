"""What every API view shares: the schema hook, pagination, throttling, the error body.

The schema generator is config.api_schema.AutoSchema (a module of its own: DRF imports the
pagination class named in settings while it defines its generic views, and drf-spectacular
imports those views)."""

from __future__ import annotations

import re

from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import ScopedRateThrottle


def public_endpoints_only(endpoints: list[tuple], **kwargs) -> list[tuple]:
    """drf-spectacular hook: the OpenAPI schema describes /api/v1/ and nothing else."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


# Throttling ----------------------------------------------------------------------------------


class SharedCacheThrottle(ScopedRateThrottle):
    """A per-address limit (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES[view.throttle_scope]),
    counted in CACHES["throttle"], which every web process shares."""

    cache = ConnectionProxy(caches, "throttle")


# Pagination ----------------------------------------------------------------------------------


class Pagination(PageNumberPagination):
    """PageNumberPagination that tells a bad `page` (400) from a page past the end (404)."""

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        bad = raw is not None and raw not in self.last_page_strings
        if bad and (not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1):
            raise ValidationError(
                {self.page_query_param: [_("Halaman harus bilangan bulat 1 atau lebih.")]}
            )
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 999_999_999}
        return parameters


# Schema ----------------------------------------------------------------------------------------


class DetailOut(serializers.Serializer):
    detail = serializers.CharField()
