import json
import subprocess
import sys
from pathlib import Path

from payments import qris
from tests.payments.test_qris_codec import STICKER

BASE = Path(__file__).resolve().parent.parent.parent


def manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "qris", *args],
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_decode_prints_the_fields_as_json():
    result = manage("decode", STICKER)
    assert result.returncode == 0, result.stderr
    decoded = json.loads(result.stdout)
    assert decoded["merchant_name"] == "TENUN BORU SIAHAAN"
    assert decoded["fields"]["51"]["02"] == "ID1024000012345"


def test_dynamic_prints_a_payload_for_the_amount():
    result = manage("dynamic", STICKER, "125000")
    assert result.returncode == 0, result.stderr
    assert qris.parse(result.stdout.strip()).amount == 125_000


def test_a_bad_payload_exits_1_with_the_reason():
    result = manage("decode", STICKER[:-1] + "0")
    assert result.returncode == 1
    assert "CRC tidak cocok" in result.stderr
