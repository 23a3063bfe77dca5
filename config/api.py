def public_endpoints_only(endpoints: list[tuple], **kwargs) -> list[tuple]:
    """drf-spectacular hook: the OpenAPI schema describes /api/v1/ and nothing else."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
