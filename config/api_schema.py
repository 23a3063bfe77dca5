"""The OpenAPI schema generator (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS).

The schema documents every status an operation really answers, including those DRF answers by
itself (bad JSON, a bad page or one past the end, throttling), so that a client and a
schema-driven fuzzer (tests/integration/test_api_schema_fuzz.py) meet no undocumented status.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from config.api import DetailOut

# Schema --------------------------------------------------------------------------------------


ERROR_400 = {
    "type": "object",
    "description": 'Field errors (`{"field": [message]}`, nested as the body is) or '
    '`{"detail": message}`.',
    "additionalProperties": True,
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the statuses DRF answers by itself to every operation that can get them, unless
    the view documents them already:

    400  a request body (bad JSON, bad fields) or a paginated list (a bad `page`)
    404  a path parameter (unknown slug, code or number) or a paginated list (past the end)
    415  a request body in a media type the view does not parse
    429  a throttled view, with Retry-After
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        has_body = self.method in ("POST", "PUT", "PATCH")
        paginated = self._is_list_view() and self._get_paginator() is not None
        extra = {}
        if has_body or paginated:
            extra["400"] = (ERROR_400, "Bad input.")
        if "{" in self.path or paginated:
            extra["404"] = (DetailOut, "Not found, or a page past the end.")
        if has_body:
            extra["415"] = (DetailOut, "Unsupported media type.")
        if self.view.get_throttles():
            extra["429"] = (DetailOut, "Too many requests; Retry-After says when to retry.")
        for code, (serializer, description) in extra.items():
            if code in responses:
                continue
            response = self._get_response_for_code(serializer, code, direction=direction)
            response["description"] = description
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait before retrying.",
                        "schema": {"type": "integer"},
                    }
                }
            responses[code] = response
        return responses
