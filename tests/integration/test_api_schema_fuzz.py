"""A schema-driven fuzzer against a live server: every operation of /api/schema/ gets examples,
boundary and negative values (schemathesis, phases examples, coverage and fuzzing), and none
may answer a 5xx or a status its schema does not document, nor a body or media type the schema
does not describe.

The server is pytest-django's live_server (this process, on 127.0.0.1 and a free port) on the
test database, with a little catalog: a shop taking QRIS, goods, an experience, a stay and a
placed checkout. The schema is the server's own, with real slugs, codes and numbers written
into it as examples, so the fuzzer reaches the objects as well as what is not there. Nothing is
downloaded: schemathesis runs from .venv.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from config.api import SharedCacheThrottle
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import ExperienceSlotFactory, ProductFactory, ShopFactory, StayNightFactory
from tests.payments.conftest import with_qris
from tests.support.throttle import throttle_reset

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ST = Path(sys.executable).with_name("st")
# Small enough that the whole run stays well under 90 s on two shared cores.
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))
SEED = os.environ.get("API_FUZZ_SEED", "8")
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
]


def _catalog() -> dict:
    shop = with_qris(ShopFactory(slug="toko-ulos-balige"))
    ulos = ProductFactory(shop=shop, slug="ulos-sadum", stock=50)
    slot = ExperienceSlotFactory(product__shop=shop, product__slug="wisata-perahu", capacity=50)
    night = StayNightFactory(product__shop=shop, product__slug="homestay-balige", rooms=5)
    checkout = checkout_place(
        items=[CheckoutItem(ulos.slug, 1)],
        contact=Contact("Anna Schmidt", "0812 9876 5432", "anna@example.test"),
    )
    return {
        "shop": shop,
        "ulos": ulos,
        "variant": ulos.variants.get(),
        "slot": slot,
        "night": night,
        "checkout": checkout,
        "order": checkout.orders.get(),
    }


def _with_examples(schema: dict, data: dict) -> dict:
    """Write the catalog's real identifiers into the schema as examples."""
    values = {
        "/api/v1/shops/{slug}/": {"slug": data["shop"].slug},
        "/api/v1/products/{slug}/": {"slug": data["ulos"].slug},
        "/api/v1/checkouts/{code}/": {"code": data["checkout"].code},
        "/api/v1/orders/{number}/payments/": {"number": data["order"].number},
    }
    for path, params in values.items():
        for operation in schema["paths"][path].values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in params:
                    parameter["example"] = params[parameter["name"]]
    bodies = {
        ("/api/v1/checkout/", "post"): {
            "items": [
                {"product": data["ulos"].slug, "quantity": 1, "variant": data["variant"].pk},
                {"product": data["slot"].product.slug, "quantity": 2, "slot": data["slot"].pk},
            ],
            "contact": {"name": "Budi", "phone": "0812 3333 4444", "email": "budi@pasar.test"},
            "delivery": "pickup",
        },
        ("/api/v1/orders/{number}/payments/", "post"): {
            "provider": "qris",
            "checkout": data["checkout"].code,
        },
    }
    for (path, method), body in bodies.items():
        media = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
        media.pop("examples", None)
        media["example"] = body
    for kind, filters in (("shops", ["kecamatan", "category"]), ("products", ["shop"])):
        for parameter in schema["paths"][f"/api/v1/{kind}/"]["get"]["parameters"]:
            if parameter["name"] in filters:
                parameter["example"] = (
                    data["shop"].slug
                    if parameter["name"] == "shop"
                    else getattr(data["shop"], parameter["name"]).slug
                )
    return schema


def test_no_operation_answers_an_undocumented_status_or_a_5xx(live_server, tmp_path, monkeypatch):
    data = _catalog()
    # Limits high enough that the fuzzer reaches the views, not only the throttle (429 is
    # documented, and tested in tests/payments/test_payments_api.py and test_api_checkout.py).
    monkeypatch.setattr(
        SharedCacheThrottle, "THROTTLE_RATES", {"checkout": "10000/min", "payments": "10000/min"}
    )
    throttle_reset()
    schema = Client().get("/api/schema/?format=json").json()
    operations = len([op for ops in schema["paths"].values() for op in ops])
    assert operations >= 7
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(_with_examples(schema, data)))
    started = time.monotonic()
    result = subprocess.run(
        [
            str(ST),
            "run",
            str(schema_file),
            "--url",
            live_server.url,
            "--checks",
            ",".join(CHECKS),
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            SEED,
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--suppress-health-check",
            "all",
            "--warnings",
            "off",
        ],
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    elapsed = time.monotonic() - started
    report = result.stdout[-12000:] + result.stderr[-3000:]
    assert result.returncode == 0, f"seed {SEED}, {elapsed:.0f} s:\n{report}"
    assert f"Tested: {operations}" in report, report  # every operation, none skipped
    print(f"schemathesis: {elapsed:.1f} s, seed {SEED}, {MAX_EXAMPLES} examples per operation")
