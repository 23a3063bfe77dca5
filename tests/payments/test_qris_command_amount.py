"""`manage.py qris dynamic PAYLOAD AMOUNT`: whole rupiah, or a clear refusal (CommandError, which
exits 1 with the message), never a traceback and never an amount a hundred times off."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from payments import qris
from tests.payments.test_qris_codec import STICKER


def dynamic(*args: str) -> str:
    out = StringIO()
    call_command("qris", "dynamic", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("125000", 125_000), ("125.000", 125_000), ("1.250.000", 1_250_000), ("125,000", 125_000)],
)
def test_whole_rupiah_with_or_without_thousands_separators(typed, amount):
    assert qris.parse(dynamic(STICKER, typed)).amount == amount


@pytest.mark.parametrize(
    "typed",
    ["²", "12²", "١٢٥٠٠٠", "12,50", "125.00", "125.000,00", "1e5", "-5", "", "12 500", "0x10"],
)
def test_anything_else_is_refused_with_the_reason(typed):
    with pytest.raises(CommandError, match="Nominal"):
        dynamic(STICKER, typed)


@pytest.mark.parametrize("payload", ["00²²", "000201\ud800", STICKER[:-1] + "0", ""])
def test_a_bad_payload_is_a_command_error(payload):
    with pytest.raises(CommandError):
        dynamic(payload, "125000")
    with pytest.raises(CommandError):
        call_command("qris", "decode", payload, stdout=StringIO())
