"""Standard Webhooks signatures (https://www.standardwebhooks.com/): the secret, and the
`webhook-*` headers of one delivery attempt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24


def secret_generate() -> str:
    """`whsec_` and the base64 of 24 random bytes, as the specification writes secrets."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key: the base64-decoded part after `whsec_`."""
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(*, secret: str, msg_id: str, timestamp: int, body: str) -> str:
    """`v1,` and the base64 of HMAC-SHA256 over `{id}.{timestamp}.{body}`."""
    signed = f"{msg_id}.{timestamp}.{body}".encode()
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(*, secret: str, msg_id: str, body: str, now: float | None = None) -> dict:
    """The headers of one attempt: the id is the same on every retry, the timestamp is now."""
    timestamp = int(now if now is not None else time.time())
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=secret, msg_id=msg_id, timestamp=timestamp, body=body
        ),
    }
