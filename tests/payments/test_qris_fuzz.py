"""payments.qris.parse raises QrisError (a ValueError) and nothing else, for any text: arbitrary
strings, decoded bytes, mutated payloads. And the seller's QRIS set-up page answers a form error,
never a 500, for any pasted text or uploaded "sticker photo"."""

from __future__ import annotations

import contextlib
import io

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from payments import qris
from payments.models import MerchantQris
from tests.factories import ShopFactory, UserFactory, image_bytes
from tests.payments.test_qris_codec import STICKER, STICKER_FIELDS

# Digits that str.isdigit() (and "\d") accept but int() or the EMVCo format do not.
NOT_ASCII_DIGITS = "²³¹⁰⁴₀₂٠١٥۰۵०५০৫੦๐๙０５𝟎𝟓"
TLV_ALPHABET = "0123456789" + NOT_ASCII_DIGITS + "AZaz .-_\u00e9\u0000\n\t\x7f"
DYNAMIC = qris.to_dynamic(STICKER, 125_000, reference="PAY-7")
VALID = [STICKER, DYNAMIC, qris.to_dynamic(STICKER, 1)]


def parse_or_refuse(text) -> qris.QrisPayload | None:
    """parse(text), with a refusal as None: anything else raised fails the test."""
    try:
        return qris.parse(text)
    except qris.QrisError as exc:
        assert str(exc), "a refusal says why"
        return None


def with_crc(body: str) -> str:
    """body + a correct CRC field, so that the checks after the CRC run too."""
    body += "6304"
    try:
        return body + qris.crc16(body)
    except UnicodeEncodeError:  # a lone surrogate cannot be encoded, nor CRC'd
        return body + "0000"


# By example ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "00²²",
        "0002²1",
        "00٠٥hello",
        "000201" + "01¹¹11",
        with_crc("000201010211" + "26²⁰"),
        with_crc("00020101021126080004ABCD" + "54٠٥10000"),
        with_crc("00020101021126080004ABCD" + "0105²"),
        with_crc("000201010211260800²²ABCD"),
        with_crc("000201010211\ud800"),
        "000201\ud800" + "6304ABCD",
        with_crc("0002010102112\x0080004ABCD"),
        with_crc(STICKER[:-8].replace("5204", "52\x0004", 1)),
        "\x00",
        "6304",
        with_crc(""),
        "0" * 512,
        "0" * 513,
        with_crc("5405100.5" + STICKER[:-8]),
    ],
)
def test_odd_texts_are_refused_with_qris_error(text):
    with pytest.raises(qris.QrisError):
        qris.parse(text)


@pytest.mark.parametrize("text", [None, 123, b"000201", ["000201"]])
def test_what_is_not_text_is_refused_with_qris_error(text):
    with pytest.raises(qris.QrisError):
        qris.parse(text)


@pytest.mark.parametrize(
    ("amount", "refused"),
    [("10000", False), ("10000.00", False), ("10000.5", True), ("0.50", True), ("1e4", True)],
)
def test_an_amount_is_whole_rupiah_and_never_read_as_a_float(amount, refused):
    fields = [*STICKER_FIELDS[:6], ("54", amount), *STICKER_FIELDS[6:]]
    payload = qris.build(fields)
    if refused:
        with pytest.raises(qris.QrisError, match="Nominal"):
            qris.parse(payload)
    else:
        assert qris.parse(payload).amount == 10_000


def test_messages_follow_the_active_language():
    with translation.override("en"):
        with pytest.raises(qris.QrisError, match="CRC does not match"):
            qris.parse(STICKER[:-4] + ("0000" if STICKER[-4:] != "0000" else "FFFF"))
        with pytest.raises(qris.QrisError, match="two-digit tag and length"):
            qris.parse("00²²")
    with pytest.raises(qris.QrisError, match="CRC tidak cocok"):
        qris.parse(STICKER[:-4] + ("0000" if STICKER[-4:] != "0000" else "FFFF"))


# Properties of the codec ---------------------------------------------------------------------

any_character = st.one_of(
    st.characters(),  # every code point but the surrogates...
    st.integers(0xD800, 0xDFFF).map(chr),  # ...and those too
)
FUZZ = settings(max_examples=400, deadline=None)


@FUZZ
@given(st.text(any_character, max_size=600))
@example("00²²")
def test_parse_of_any_text_returns_or_raises_qris_error(text):
    parse_or_refuse(text)


@FUZZ
@given(st.text(TLV_ALPHABET, max_size=120))
def test_parse_of_tlv_like_text_returns_or_raises_qris_error(text):
    parse_or_refuse(text)
    parse_or_refuse(with_crc(text))
    parse_or_refuse(with_crc("000201" + text))


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["replace", "surrogateescape", "ignore"]))
def test_parse_of_decoded_bytes_returns_or_raises_qris_error(data, errors):
    parse_or_refuse(data.decode("utf-8", errors))
    parse_or_refuse(data.decode("latin-1"))


@st.composite
def mutated(draw, *, surrogates: bool = True) -> str:
    """A valid payload with a few characters flipped, inserted or deleted."""
    text = list(draw(st.sampled_from(VALID)))
    others = any_character if surrogates else st.characters(exclude_categories=["Cs"])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        what = draw(st.sampled_from(["flip", "insert", "delete"]))
        char = draw(st.one_of(st.sampled_from(TLV_ALPHABET), others))
        if what == "insert":
            text.insert(at, char)
        elif text and at < len(text):
            if what == "flip":
                text[at] = char
            else:
                del text[at]
    return "".join(text)


@FUZZ
@given(mutated(), st.booleans())
def test_a_mutated_payload_returns_or_raises_qris_error(text, fix_crc):
    if fix_crc and len(text) >= 8:
        text = with_crc(text[:-8])
    parse_or_refuse(text)


@FUZZ
@given(mutated(), st.integers(1, 10**10), st.from_regex(r"\A[A-Za-z0-9\-_.]{1,25}\Z"))
def test_to_dynamic_of_a_mutated_payload_returns_or_raises_qris_error(text, amount, ref):
    with contextlib.suppress(qris.QrisError):  # anything else fails the test
        qris.to_dynamic(text, amount, reference=ref)


printable_value = st.text(
    st.characters(min_codepoint=0x20, exclude_categories=["Cc", "Cs"]), min_size=1, max_size=25
).filter(lambda value: value.strip() == value)  # parse() strips the whole payload
sub_fields = st.lists(
    st.tuples(st.sampled_from([f"{n:02d}" for n in range(100)]), printable_value),
    min_size=1,
    max_size=3,
    unique_by=lambda field: field[0],
)


@st.composite
def fields_any_text(draw):
    fields = [
        ("01", draw(st.sampled_from(["11", "12"]))),
        (draw(st.sampled_from(["26", "27", "45", "51"])), draw(sub_fields)),
        ("52", draw(st.from_regex(r"\A[0-9]{4}\Z"))),
        ("53", "360"),
        ("58", "ID"),
        ("59", draw(printable_value)),
        ("60", draw(printable_value)),
    ]
    if draw(st.booleans()):
        fields.append(("54", str(draw(st.integers(1, 9_999_999_999)))))
    if draw(st.booleans()):
        fields.append(("62", draw(sub_fields)))
    if draw(st.booleans()):
        fields.append(("64", draw(printable_value)))  # the alternate-language template's place
    return [("00", "01"), *draw(st.permutations(fields))]


@FUZZ
@given(fields_any_text())
def test_build_then_parse_gives_the_fields_back_for_any_printable_text(fields):
    parsed = qris.parse(qris.build(fields))
    assert list(parsed.fields[:-1]) == fields
    assert parsed.get("63") == qris.crc16(qris.build(fields)[:-4])


@FUZZ
@given(
    fields_any_text(),
    st.integers(1, 9_999_999_999),
    st.from_regex(r"\A[A-Za-z0-9\-_.]{1,25}\Z"),
)
def test_to_dynamic_then_parse_gives_the_amount_and_reference(fields, amount, reference):
    dynamic = qris.parse(qris.to_dynamic(qris.build(fields), amount, reference=reference))
    assert dynamic.is_dynamic and dynamic.amount == amount
    assert dynamic.sub("62", "05") == reference


# The set-up form, through the seller's page ---------------------------------------------------

PAGE_FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
printable_text = st.text(
    st.characters(exclude_categories=["Cs"]), max_size=700
)  # a browser cannot send a lone surrogate: it sends U+FFFD


@pytest.fixture
def owner_page(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = UserFactory(email="pemilik-fuzz@pasar.test")
    shop = ShopFactory(owner=owner)
    client.force_login(owner)
    return client, reverse("seller_payments:qris", args=[shop.slug])


def assert_a_form_error(response) -> None:
    body = response.content.decode()
    assert response.status_code == 400, response.status_code
    assert "errorlist" in body or 'class="messages' in body or "alert" in body
    assert not MerchantQris.objects.exists()


@pytest.mark.parametrize("text", ["00²²", "0002²1", with_crc("000201010211\u00b2\u00b2")])
@pytest.mark.parametrize("step", ["preview", "confirm"])
def test_superscript_digits_are_a_form_error_not_a_500(owner_page, text, step):
    client, url = owner_page
    assert_a_form_error(client.post(url, {"step": step, "payload": text}))


@PAGE_FUZZ
@given(st.one_of(printable_text, mutated(surrogates=False), st.text(TLV_ALPHABET)))
@example(text="00²²")
@example(text=with_crc("000201010211" + "26²⁰"))
def test_any_pasted_text_is_a_preview_or_a_form_error(owner_page, text):
    client, url = owner_page
    response = client.post(url, {"step": "preview", "payload": text})
    if response.status_code == 200:  # a payload that happens to be a valid static QRIS
        assert 'value="confirm"' in response.content.decode()
    else:
        assert_a_form_error(response)


@PAGE_FUZZ
@given(st.one_of(printable_text, mutated(surrogates=False), st.text(TLV_ALPHABET)))
@example(text="00²²")
def test_any_confirmed_text_is_saved_or_a_form_error(owner_page, text):
    client, url = owner_page
    response = client.post(url, {"step": "confirm", "payload": text})
    if response.status_code == 302:
        MerchantQris.objects.all().delete()
    else:
        assert_a_form_error(response)


def photo_of(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=4, border=4)
    return out.getvalue()


@st.composite
def broken_image(draw) -> bytes:
    data = bytearray(image_bytes(draw(st.sampled_from(["PNG", "JPEG", "WEBP"]))))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(1, len(data)))])


@PAGE_FUZZ
@given(
    st.one_of(
        st.binary(max_size=2000),
        broken_image(),
        st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=300).map(photo_of),
        mutated(surrogates=False).map(photo_of),
    ),
    st.sampled_from(["sticker.png", "sticker.jpg", "x", "foto.webp"]),
)
@example(data=photo_of("00²²"), name="sticker.png")
@example(data=photo_of(with_crc("000201010211" + "26²⁰")), name="sticker.png")
def test_any_uploaded_sticker_photo_is_a_preview_or_a_form_error(owner_page, data, name):
    client, url = owner_page
    upload = SimpleUploadedFile(name, data, content_type="image/png")
    response = client.post(url, {"step": "preview", "photo": upload})
    if response.status_code == 200:
        assert 'value="confirm"' in response.content.decode()
    else:
        assert_a_form_error(response)
