"""The QRIS codec (payments.qris) against the EMVCo rules, by example and by property."""

import contextlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payments import qris

STICKER_FIELDS = [
    ("00", "01"),
    ("01", "11"),
    (
        "26",
        [
            ("00", "ID.CO.BANKTOBA.WWW"),
            ("01", "936000000000012345"),
            ("02", "000000012345"),
            ("03", "UMI"),
        ],
    ),
    ("51", [("00", "ID.CO.QRIS.WWW"), ("02", "ID1024000012345"), ("03", "UMI")]),
    ("52", "5699"),
    ("53", "360"),
    ("58", "ID"),
    ("59", "TENUN BORU SIAHAAN"),
    ("60", "BALIGE"),
    ("61", "22312"),
]
STICKER = qris.build(STICKER_FIELDS)


def test_crc16_is_ccitt_false():
    assert qris.crc16("123456789") == "29B1"  # the standard check value


def test_a_sticker_decodes_to_what_the_seller_recognises():
    parsed = qris.parse(STICKER)
    assert (parsed.merchant_name, parsed.merchant_city, parsed.nmid) == (
        "TENUN BORU SIAHAAN",
        "BALIGE",
        "ID1024000012345",
    )
    assert not parsed.is_dynamic and parsed.amount is None
    assert parsed.merchant_accounts["26"]["00"] == "ID.CO.BANKTOBA.WWW"


def test_fields_may_come_in_any_order_between_00_and_63():
    shuffled = [STICKER_FIELDS[0], *reversed(STICKER_FIELDS[1:])]
    assert qris.parse(qris.build(shuffled)).merchant_name == "TENUN BORU SIAHAAN"


def test_to_dynamic_sets_the_amount_and_reference_and_keeps_everything_else():
    dynamic = qris.parse(qris.to_dynamic(STICKER, 125_000, reference="PAY-7"))
    assert dynamic.is_dynamic and dynamic.amount == 125_000
    assert dynamic.sub("62", "05") == "PAY-7"
    static = qris.parse(STICKER)
    kept = {t: v for t, v in static.fields if t not in {"01", "63"}}
    assert {t: v for t, v in dynamic.fields if t in kept} == kept
    tags = [t for t, _ in dynamic.fields]
    assert tags.index("54") == tags.index("53") + 1 and tags[-1] == "63"


def test_to_dynamic_of_a_dynamic_payload_replaces_the_amount():
    once = qris.to_dynamic(STICKER, 10_000)
    assert qris.parse(qris.to_dynamic(once, 20_000)).amount == 20_000


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "kosong"),
        (STICKER[:-4] + ("0000" if STICKER[-4:] != "0000" else "FFFF"), "CRC tidak cocok"),
        (STICKER[:-8], "CRC"),
        ("000201010211", "CRC"),
        (qris.build([f for f in STICKER_FIELDS if f[0] != "59"]), r"59 \(Merchant Name\)"),
        (qris.build([(t, "840" if t == "53" else v) for t, v in STICKER_FIELDS]), "Rupiah"),
        (qris.build([f for f in STICKER_FIELDS if f[0] not in {"26", "51"}]), "akun merchant"),
        (qris.build([*STICKER_FIELDS, ("54", "0")]), "positif"),
        (qris.build([*STICKER_FIELDS, ("54", "-5")]), "positif"),
        (qris.build([(t, "13" if t == "01" else v) for t, v in STICKER_FIELDS]), "tag 01"),
        ("0002010102119905AB", "Panjang field 99"),
    ],
)
def test_bad_payloads_are_refused_with_a_reason(payload, message):
    with pytest.raises(qris.QrisError, match=message):
        qris.parse(payload)


@pytest.mark.parametrize("amount", [0, -1, 1.5, "1000", True])
def test_to_dynamic_needs_a_positive_whole_amount(amount):
    with pytest.raises(qris.QrisError, match="Nominal"):
        qris.to_dynamic(STICKER, amount)


def test_qris_error_is_a_value_error():
    assert issubclass(qris.QrisError, ValueError)


# Properties ------------------------------------------------------------------------------

text_value = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40
)
nested = st.lists(
    st.tuples(st.sampled_from([f"{n:02d}" for n in range(10)]), text_value),
    min_size=1,
    max_size=4,
    unique_by=lambda f: f[0],
)


@st.composite
def payload_fields(draw):
    fields = [
        ("01", draw(st.sampled_from(["11", "12"]))),
        (draw(st.sampled_from(["26", "27", "40", "51"])), draw(nested)),
        ("52", draw(st.from_regex(r"\A\d{4}\Z"))),
        ("53", "360"),
        ("58", "ID"),
        ("59", draw(text_value)),
        ("60", draw(text_value)),
    ]
    if draw(st.booleans()):
        fields.append(("54", str(draw(st.integers(min_value=1, max_value=10**9)))))
    if draw(st.booleans()):
        fields.append(("62", draw(nested)))
    return [("00", "01"), *draw(st.permutations(fields))]


@settings(max_examples=200, deadline=None)
@given(payload_fields())
def test_parse_after_build_gives_the_fields_back(fields):
    assert list(qris.parse(qris.build(fields)).fields[:-1]) == fields


@settings(max_examples=300, deadline=None)
@given(payload_fields(), st.data())
def test_any_one_character_change_is_caught(fields, data):
    payload = qris.build(fields)
    position = data.draw(st.integers(min_value=0, max_value=len(payload) - 1))
    replacement = data.draw(
        st.characters(min_codepoint=32, max_codepoint=126).filter(lambda c: c != payload[position])
    )
    changed = payload[:position] + replacement + payload[position + 1 :]
    try:
        parsed = qris.parse(changed)
    except qris.QrisError:
        return
    # Only a change of case in the CRC's own hex digits reads the same (A-F vs a-f).
    assert position >= len(payload) - 4 and replacement.upper() == payload[position].upper()
    assert parsed.fields[:-1] == qris.parse(payload).fields[:-1]


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises_anything_but_qris_error(text):
    with contextlib.suppress(qris.QrisError):
        qris.parse(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789ABCDEF", max_size=200))
def test_random_digits_never_raise_anything_but_qris_error(text):
    with contextlib.suppress(qris.QrisError):
        qris.to_dynamic("000201" + text, 1000)


# An independent decoder ------------------------------------------------------------------

EMV_DIR = Path(__file__).parent


@pytest.fixture(scope="module")
def emv_decoder(tmp_path_factory):
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("needs node and npm for the independent EMVCo decoder")
    prefix = tmp_path_factory.mktemp("emvqr")
    subprocess.run(
        [
            npm,
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(prefix),
            "steplix-emvqr@0.2.3",
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )

    def decode(payload: str) -> dict:
        result = subprocess.run(
            [node, str(EMV_DIR / "emv_decode.js"), payload],
            check=True,
            capture_output=True,
            text=True,
            timeout=30,
            env={"NODE_PATH": str(prefix / "node_modules")},
        )
        return json.loads(result.stdout)

    return decode


@pytest.mark.parametrize(("amount", "reference"), [(125_000, "PAY-7"), (1, None), (9_999_999, "X")])
def test_an_independent_decoder_reads_our_dynamic_payload(emv_decoder, amount, reference):
    payload = qris.to_dynamic(STICKER, amount, reference=reference)
    decoded = emv_decoder(payload)
    assert decoded["01"] == "12"
    assert decoded["54"] == str(amount)
    assert decoded["53"] == "360" and decoded["58"] == "ID"
    assert decoded["59"] == "TENUN BORU SIAHAAN"
    assert decoded["51"]["02"] == "ID1024000012345"
    assert decoded["63"] == payload[-4:]
    if reference:
        assert decoded["62"] == {"05": reference}
