"""QRIS acquirer notifications through POST /payments/webhooks/qris/: the signature covers only
order_id + status_code + gross_amount, so an unsigned transaction_status must agree with the
signed status_code, and gross_amount is read as a decimal string of whole rupiah, never a float.
A refused notification answers 400 and stores nothing."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payments import services
from payments.models import PaymentStatus, ProviderEvent
from payments.providers.qris_acquirer import STATUS_CODES, signature
from tests.payments.conftest import SERVER_KEY, qris_notification
from tests.payments.test_notifications_replay import make_payments

pytestmark = pytest.mark.django_db
URL = "/payments/webhooks/qris/"
# the client and the database are shared by all examples of a test (the counts allow for it)
FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def signed(
    reference: str,
    *,
    transaction_status: str = "settlement",
    status_code: str = "200",
    gross_amount: str = "75000.00",
    transaction_id: str = "TX-1",
) -> dict:
    """A notification as the acquirer signs it, with any fields we like."""
    return {
        "order_id": reference,
        "transaction_id": transaction_id,
        "transaction_status": transaction_status,
        "status_code": status_code,
        "gross_amount": gross_amount,
        "payment_type": "qris",
        "signature_key": signature(reference, status_code, gross_amount, SERVER_KEY),
    }


def post(client, body):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(URL, data, content_type="application/json")


def refused(client, body) -> bool:
    return post(client, body).status_code == 400 and not ProviderEvent.objects.exists()


# transaction_status against status_code ------------------------------------------------------


@pytest.mark.parametrize(
    ("transaction_status", "status_code"),
    [
        ("settlement", "201"),  # a signed "pending" relabelled as paid
        ("settlement", "202"),  # a signed deny or expire relabelled as paid
        ("settlement", "407"),
        ("capture", "201"),
        ("pending", "200"),
        ("expire", "200"),  # a signed settlement relabelled as expired
        ("deny", "200"),
        ("cancel", "201"),
        ("refund", "201"),
        ("settlement", "500"),
    ],
)
def test_a_status_that_disagrees_with_the_signed_status_code_is_refused(
    client, transaction_status, status_code
):
    (payment,) = make_payments(1)
    body = signed(payment.reference, transaction_status=transaction_status, status_code=status_code)
    assert refused(client, body)


def test_a_signed_pending_relabelled_settlement_does_not_pay_the_order(client):
    (payment,) = make_payments(1)
    pending = qris_notification(payment.reference, "pending", payment.amount, transaction_id="T")
    assert pending["status_code"] == "201"
    forged = {**pending, "transaction_status": "settlement"}  # signature still valid
    assert refused(client, forged)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


@pytest.mark.parametrize(
    ("transaction_status", "status_code", "status"),
    [
        ("settlement", "200", PaymentStatus.SUCCEEDED),
        ("capture", "200", PaymentStatus.SUCCEEDED),
        ("pending", "201", PaymentStatus.PENDING),
        ("deny", "202", PaymentStatus.FAILED),
        ("cancel", "200", PaymentStatus.FAILED),
        ("expire", "202", PaymentStatus.EXPIRED),
        ("expire", "407", PaymentStatus.EXPIRED),
        ("refund", "200", PaymentStatus.REFUNDED),
    ],
)
def test_each_documented_pair_is_stored(client, transaction_status, status_code, status):
    (payment,) = make_payments(1)
    body = signed(payment.reference, transaction_status=transaction_status, status_code=status_code)
    response = post(client, body)
    assert response.status_code == 200 and response.json()["stored"] == 1
    row = ProviderEvent.objects.get()
    assert (row.status, row.amount, row.event_id) == (status, 75_000, f"TX-1:{transaction_status}")


def test_the_table_knows_every_status_the_contract_names():
    contract = ["pending", "settlement", "capture", "expire", "cancel", "deny", "refund"]
    assert sorted(STATUS_CODES) == sorted(contract)


# gross_amount ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gross_amount",
    [
        "75000.004",  # float(...) rounds it to 75000, a match
        "75000.005",
        "75000.4",
        "75000.50",  # not whole rupiah
        "75000.01",
        "74999.999",
        "7.5e4",  # exponent forms
        "7.5E4",
        "75000e0",
        "75000",  # the contract says two decimals
        "75000.0",
        "75000.000",
        "+75000.00",
        "-75000.00",
        " 75000.00",
        "75000.00 ",
        "75_000.00",
        "075000.00",
        "７５０００.００",  # full-width digits: float() reads them
        "٧٥٠٠٠.٠٠",  # Arabic-Indic digits
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "0x124F8",
        "",
        "99999999999999999999.00",  # does not fit a payment's amount
        "2147483648.00",
        "1" * 400 + ".00",
    ],
)
def test_a_gross_amount_that_is_not_whole_rupiah_with_two_decimals_is_refused(client, gross_amount):
    (payment,) = make_payments(1)
    assert refused(client, signed(payment.reference, gross_amount=gross_amount))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_json_number_for_gross_amount_is_refused(client):
    """75000.0 as a JSON number reads back as "75000.0": not the contract's string."""
    (payment,) = make_payments(1)
    body = signed(payment.reference, gross_amount="75000.0")
    body["gross_amount"] = 75000.0
    assert refused(client, body)


def test_the_exact_amount_pays_and_a_float_trap_does_not(client):
    (payment,) = make_payments(1)
    trap = signed(payment.reference, gross_amount="75000.004", transaction_id="TX-trap")
    assert refused(client, trap)
    good = signed(payment.reference, gross_amount="75000.00", transaction_id="TX-good")
    assert post(client, good).status_code == 200
    row = ProviderEvent.objects.get()
    assert row.amount == 75_000
    services.provider_event_apply(provider_event_id=row.pk)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


# Bodies that used to answer 500 ---------------------------------------------------------------


def test_deeply_nested_json_is_refused_not_a_crash(client):
    assert refused(client, b"[" * 60_000)


def test_a_non_ascii_signature_key_is_refused_not_a_crash(client):
    (payment,) = make_payments(1)
    assert refused(client, {**signed(payment.reference), "signature_key": "é" * 128})


def test_a_lone_surrogate_in_a_signed_field_is_refused_not_a_crash(client):
    body = json.dumps(signed("PAY-1")).replace('"PAY-1"', '"PAY-\\ud800"').encode()
    assert refused(client, body)


@pytest.mark.parametrize("transaction_id", ["TX\\u0000", "T" * 101, "", "TX 1", "TX-\\ud800"])
def test_an_empty_long_or_unprintable_transaction_id_is_refused(client, transaction_id):
    """transaction_id is not signed: a genuine notification can be replayed with any id, and a
    NUL, a lone surrogate or 101 characters used to fail in PostgreSQL (500)."""
    (payment,) = make_payments(1)
    body = json.dumps(signed(payment.reference, transaction_id="X")).replace(
        '"X"', f'"{transaction_id}"'
    )
    assert refused(client, body.encode())


# Any body ------------------------------------------------------------------------------------

field = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES)
@given(
    order_id=st.one_of(st.just("PAY-FUZZ"), st.text(max_size=120)),
    transaction_status=st.one_of(st.sampled_from(sorted(STATUS_CODES)), field),
    status_code=st.one_of(st.sampled_from(["200", "201", "202", "407"]), st.text(max_size=5)),
    gross_amount=st.one_of(
        st.from_regex(r"\A-?[0-9]{1,12}(\.[0-9]{0,4})?([eE][0-9])?\Z"), st.text(max_size=20)
    ),
    transaction_id=st.one_of(st.just("TX-FUZZ"), st.text(max_size=120)),
    sign=st.booleans(),
)
def test_any_signed_or_unsigned_notification_answers_200_or_400(
    client, order_id, transaction_status, status_code, gross_amount, transaction_id, sign
):
    body = {
        "order_id": order_id,
        "transaction_id": transaction_id,
        "transaction_status": transaction_status,
        "status_code": status_code,
        "gross_amount": gross_amount,
        "signature_key": "0" * 128,
    }
    if sign:
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: stays unsigned
            body["signature_key"] = signature(order_id, status_code, gross_amount, SERVER_KEY)
    try:
        data = json.dumps(body).encode()
    except ValueError:
        return
    before = ProviderEvent.objects.count()
    response = post(client, data)
    assert response.status_code in {200, 400}
    if response.status_code == 400:
        assert ProviderEvent.objects.count() == before
    else:
        assert status_code in STATUS_CODES[transaction_status]
        assert gross_amount.endswith(".00") and gross_amount[:-3].isascii()


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES)
@given(st.binary(max_size=300))
def test_any_bytes_answer_400(client, body):
    assert refused(client, body)
