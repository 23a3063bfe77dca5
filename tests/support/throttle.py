"""Forget the API's throttle counts for the addresses tests call from.

The counts live in CACHES["throttle"], which outlives a test (Redis when the broker is Redis,
files otherwise), so a test that counts requests starts from zero by deleting its own keys;
clearing the whole cache would flush the broker's Redis database."""

from django.conf import settings
from django.core.cache import caches

from config.api import SharedCacheThrottle


def throttle_reset(*addresses: str) -> None:
    scopes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    caches["throttle"].delete_many(
        [
            SharedCacheThrottle.cache_format % {"scope": scope, "ident": address}
            for scope in scopes
            for address in addresses or ("127.0.0.1",)
        ]
    )
