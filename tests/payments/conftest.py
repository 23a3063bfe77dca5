import pytest

from payments import qris
from payments.models import MerchantQris
from payments.providers.qris_acquirer import signature
from tests.payments.test_qris_codec import STICKER

SERVER_KEY = "test-qris-server-key"


@pytest.fixture(autouse=True)
def qris_server_key(settings):
    settings.QRIS_SERVER_KEY = SERVER_KEY


def with_qris(shop):
    parsed = qris.parse(STICKER)
    MerchantQris.objects.create(
        shop=shop,
        payload=STICKER,
        merchant_name=parsed.merchant_name,
        merchant_city=parsed.merchant_city,
        nmid=parsed.nmid,
    )
    return shop


def qris_notification(
    reference: str, status: str, amount: int, *, transaction_id: str, key: str = SERVER_KEY
) -> dict:
    # the status_code Midtrans sends with each status (payments.providers.qris_acquirer)
    status_code = {"pending": "201", "deny": "202", "expire": "202"}.get(status, "200")
    gross = f"{amount}.00"
    return {
        "order_id": reference,
        "transaction_id": transaction_id,
        "transaction_status": status,
        "status_code": status_code,
        "gross_amount": gross,
        "payment_type": "qris",
        "signature_key": signature(reference, status_code, gross, key),
    }
