"""What a subscriber receives of an event: the body, with buyers' personal data taken out
unless the subscriber may have it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

# Keys that name, reach or locate a person (a buyer, a recipient), and the two that open one:
# `checkout_code` is the capability in the buyer's checkout link (/checkout/<code>/ shows the
# buyer's name, phone and address to whoever holds it), and `note` is free text typed by a
# buyer or a seller (a cancellation reason may carry a phone number).
PERSONAL_KEYS = frozenset(
    {
        "name",
        "full_name",
        "first_name",
        "last_name",
        "email",
        "phone",
        "address",
        "delivery_address",
        "shipping_address",
        "billing_address",
        "buyer",
        "customer",
        "guest",
        "recipient",
        "contact",
        "checkout_code",
        "note",
    }
)
PERSONAL_PREFIXES = ("buyer_", "recipient_", "customer_", "guest_", "contact_")
PERSONAL_SUFFIXES = ("_email", "_phone", "_address")


def is_personal(key: str) -> bool:
    key = key.lower()
    if key in PERSONAL_KEYS or key.endswith(PERSONAL_SUFFIXES):
        return True
    # buyer_id and the like are the marketplace's own numbers, not a person's data.
    return key.startswith(PERSONAL_PREFIXES) and not key.endswith("_id")


def personal_data_strip(value: Any) -> Any:
    """The value without personal keys, at any depth (dicts inside lists included)."""
    if isinstance(value, dict):
        return {k: personal_data_strip(v) for k, v in value.items() if not is_personal(str(k))}
    if isinstance(value, list):
        return [personal_data_strip(v) for v in value]
    return value


def body_for(*, name: str, occurred_at: datetime, payload: dict, personal_data: bool) -> str:
    """The JSON body, written once per delivery so every retry sends the same bytes."""
    data = payload if personal_data else personal_data_strip(payload)
    return json.dumps(
        {"type": name, "timestamp": occurred_at.isoformat(), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
