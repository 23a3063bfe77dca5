"""The QRIS codec: EMVCo merchant-presented QR payloads as Bank Indonesia's QRIS uses them.

A payload is a run of TLV fields: a two-digit tag, a two-digit length, the value. Tags 26-51
(merchant account information) and 62 (additional data) hold nested TLV templates. Tag 63 comes
last: a CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) over everything before it, "6304"
included, written as four upper-case hex digits.

    parse(payload) -> QrisPayload          # checks structure, CRC and mandatory fields
    build(fields) -> str                   # writes fields and appends the CRC
    crc16(text) -> str
    to_dynamic(payload, amount, reference=None) -> str

Every refusal is a QrisError (a ValueError) whose message tells the seller what is wrong, in the
active language (Indonesian by default). parse() raises nothing else, whatever text it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

NESTED_TAGS = frozenset({f"{n:02d}" for n in range(26, 52)} | {"62"})
MANDATORY = {
    "00": "Payload Format Indicator",
    "01": "Point of Initiation Method",
    "52": "Merchant Category Code",
    "53": "Transaction Currency",
    "58": "Country Code",
    "59": "Merchant Name",
    "60": "Merchant City",
}
STATIC, DYNAMIC = "11", "12"
IDR = "360"
# ASCII digits only: "\d" and str.isdigit() also accept "²" or "٥", which int() then refuses.
_AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,12})(?:\.[0-9]{1,2})?")
_HEAD = re.compile(r"[0-9]{4}")
MAX_LENGTH = 512


def _(message: str) -> str:
    """gettext, or the Indonesian source when the codec runs without Django settings."""
    try:
        return gettext(message)
    except ImproperlyConfigured:
        return message


class QrisError(ValueError):
    """The text is not a valid QRIS payload; the message says why."""


Value = str | list[tuple[str, str]]


@dataclass(frozen=True)
class QrisPayload:
    """A parsed payload: its fields in the order they came, nested templates as lists."""

    fields: tuple[tuple[str, Value], ...]

    def get(self, tag: str) -> Value | None:
        return next((value for t, value in self.fields if t == tag), None)

    def sub(self, tag: str, subtag: str) -> str | None:
        template = self.get(tag)
        if not isinstance(template, list):
            return None
        return next((value for t, value in template if t == subtag), None)

    @property
    def is_dynamic(self) -> bool:
        return self.get("01") == DYNAMIC

    @property
    def merchant_name(self) -> str:
        return str(self.get("59") or "")

    @property
    def merchant_city(self) -> str:
        return str(self.get("60") or "")

    @property
    def postal_code(self) -> str:
        return str(self.get("61") or "")

    @property
    def nmid(self) -> str:
        """The National Merchant ID, kept by QRIS in template 51, sub-field 02."""
        return self.sub("51", "02") or ""

    @property
    def amount(self) -> int | None:
        """Whole rupiah; parse() has refused any other amount. Decimal, never float."""
        raw = self.get("54")
        return None if raw is None else int(Decimal(str(raw)))

    @property
    def merchant_accounts(self) -> dict[str, dict[str, str]]:
        return {
            tag: dict(value)
            for tag, value in self.fields
            if tag in NESTED_TAGS and tag != "62" and isinstance(value, list)
        }

    def as_dict(self) -> dict:
        """Plain JSON-ready view: every tag, nested templates as objects, and named summaries."""
        return {
            "fields": {tag: dict(v) if isinstance(v, list) else v for tag, v in self.fields},
            "point_of_initiation": "dynamic" if self.is_dynamic else "static",
            "merchant_name": self.merchant_name,
            "merchant_city": self.merchant_city,
            "postal_code": self.postal_code,
            "nmid": self.nmid,
            "merchant_category_code": self.get("52"),
            "currency": self.get("53"),
            "country": self.get("58"),
            "amount": self.amount,
            "crc": self.get("63"),
        }


def crc16(text: str) -> str:
    """CRC-16/CCITT-FALSE of the UTF-8 bytes of `text`, as four upper-case hex digits."""
    crc = 0xFFFF
    for byte in text.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return f"{crc:04X}"


def _read_tlv(text: str, *, inside: str | None = None) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        head = text[position : position + 4]
        if not _HEAD.fullmatch(head):
            values = {"position": position, "found": repr(head), "tag": inside}
            if inside is None:
                message = _(
                    "Format QRIS rusak pada posisi %(position)s: diharapkan tag dan panjang "
                    "dua digit, ditemukan %(found)s."
                )
            else:
                message = _(
                    "Format QRIS rusak di dalam tag %(tag)s pada posisi %(position)s: diharapkan "
                    "tag dan panjang dua digit, ditemukan %(found)s."
                )
            raise QrisError(message % values)
        tag, length = head[:2], int(head[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            values = {"tag": tag, "length": length, "left": len(value), "inside": inside}
            if inside is None:
                message = _(
                    "Panjang field %(tag)s salah: tertulis %(length)s, tersisa %(left)s karakter."
                )
            else:
                message = _(
                    "Panjang field %(tag)s di dalam tag %(inside)s salah: tertulis %(length)s, "
                    "tersisa %(left)s karakter."
                )
            raise QrisError(message % values)
        fields.append((tag, value))
        position += 4 + length
    return fields


def _unusable_character(text: str) -> int | None:
    """Where the first control character or lone surrogate is (neither is ever in a payload;
    a surrogate cannot even be encoded for the CRC), or None."""
    for position, char in enumerate(text):
        code = ord(char)
        if code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            return position
    return None


def parse(payload: str) -> QrisPayload:
    """Parse and check a QRIS payload. Raises QrisError, and only QrisError, for anything that
    is not valid."""
    if not isinstance(payload, str):
        raise QrisError(_("Payload QRIS harus berupa teks."))
    text = payload.strip()
    if not text:
        raise QrisError(_("Payload QRIS kosong."))
    if len(text) > MAX_LENGTH:
        raise QrisError(_("Payload QRIS terlalu panjang (lebih dari 512 karakter)."))
    bad = _unusable_character(text)
    if bad is not None:
        raise QrisError(
            _("Payload QRIS berisi karakter yang tidak sah pada posisi %(position)s.")
            % {"position": bad}
        )
    top = _read_tlv(text)
    if top[-1][0] != "63" or len(top[-1][1]) != 4:
        raise QrisError(_("Field CRC (tag 63, 4 karakter) harus berada di akhir payload."))
    expected = crc16(text[:-4])
    if top[-1][1].upper() != expected:
        raise QrisError(
            _(
                "CRC tidak cocok: tertulis %(written)s, seharusnya %(expected)s. "
                "Payload mungkin salah salin; salin ulang dari stiker QRIS."
            )
            % {"written": top[-1][1], "expected": expected}
        )
    if top[0][0] != "00":
        raise QrisError(_("Field pertama harus tag 00 (Payload Format Indicator)."))
    tags = [tag for tag, _value in top]
    duplicates = sorted({tag for tag in tags if tags.count(tag) > 1})
    if duplicates:
        raise QrisError(
            _("Tag muncul lebih dari sekali: %(tags)s.") % {"tags": ", ".join(duplicates)}
        )
    fields: list[tuple[str, Value]] = []
    for tag, value in top:
        if tag in NESTED_TAGS:
            fields.append((tag, _read_tlv(value, inside=tag)))
        else:
            fields.append((tag, value))
    result = QrisPayload(tuple(fields))
    _check(result)
    return result


def _check(qris: QrisPayload) -> None:
    missing = [f"{tag} ({name})" for tag, name in MANDATORY.items() if qris.get(tag) is None]
    if missing:
        raise QrisError(_("Field wajib tidak ada: %(fields)s.") % {"fields": ", ".join(missing)})
    if not qris.merchant_accounts:
        raise QrisError(_("Tidak ada informasi akun merchant (tag 26 sampai 51)."))
    if qris.get("00") != "01":
        raise QrisError(
            _("Payload Format Indicator harus 01, bukan %(value)s.") % {"value": qris.get("00")}
        )
    if qris.get("01") not in {STATIC, DYNAMIC}:
        raise QrisError(_("Point of Initiation (tag 01) harus 11 (statis) atau 12 (dinamis)."))
    if qris.get("53") != IDR:
        raise QrisError(
            _("Mata uang (tag 53) harus 360 (Rupiah), bukan %(value)s: ini bukan QRIS Indonesia.")
            % {"value": qris.get("53")}
        )
    if qris.get("58") != "ID":
        raise QrisError(
            _("Kode negara (tag 58) harus ID, bukan %(value)s.") % {"value": qris.get("58")}
        )
    amount = qris.get("54")
    if amount is not None:
        if not _AMOUNT.fullmatch(str(amount)) or Decimal(str(amount)) <= 0:
            raise QrisError(
                _("Nominal (tag 54) harus angka positif, bukan %(value)s.")
                % {"value": repr(amount)}
            )
        if Decimal(str(amount)) % 1:
            raise QrisError(
                _("Nominal (tag 54) harus rupiah bulat, bukan %(value)s.") % {"value": repr(amount)}
            )


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise QrisError(
            _("Isi field %(tag)s terlalu panjang (%(length)s karakter, maksimal 99).")
            % {"tag": tag, "length": len(value)}
        )
    return f"{tag}{len(value):02d}{value}"


def build(fields: list[tuple[str, Value]] | tuple[tuple[str, Value], ...]) -> str:
    """Write fields (nested templates as lists of (subtag, value)) and append tag 63's CRC.
    A tag 63 among `fields` is ignored: the CRC is always computed afresh."""
    body = ""
    for tag, value in fields:
        if tag == "63":
            continue
        if isinstance(value, list):
            value = "".join(_tlv(sub, subvalue) for sub, subvalue in value)
        body += _tlv(tag, value)
    body += "6304"
    return body + crc16(body)


def to_dynamic(payload: str, amount: int, reference: str | None = None) -> str:
    """A dynamic payload for exactly `amount` rupiah, keeping every other field of `payload`.

    The reference (the payment's own) goes into tag 62, sub-field 05 (Reference Label), so that
    the acquirer's notification can name it.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise QrisError(
            _("Nominal harus bilangan bulat rupiah yang positif, bukan %(value)s.")
            % {"value": repr(amount)}
        )
    if amount > 9_999_999_999:
        raise QrisError(_("Nominal terlalu besar untuk QRIS."))
    if reference is not None and not (
        isinstance(reference, str) and re.fullmatch(r"[A-Za-z0-9\-_.]{1,25}", reference)
    ):
        raise QrisError(_("Referensi hanya boleh huruf, angka, - _ . dan paling panjang 25."))
    source = parse(payload)
    fields: list[tuple[str, Value]] = []
    for tag, value in source.fields:
        if tag == "01":
            value = DYNAMIC
        if tag in {"54", "63"}:
            continue
        if tag == "62" and reference is not None and isinstance(value, list):
            value = [(sub, v) for sub, v in value if sub != "05"] + [("05", reference)]
        fields.append((tag, value))
    # 54 follows 53 (the EMVCo order); a new 62 goes just before the CRC.
    at = next(i for i, (tag, _) in enumerate(fields) if tag == "53") + 1
    fields.insert(at, ("54", str(amount)))
    if reference is not None and source.get("62") is None:
        fields.append(("62", [("05", reference)]))
    return build(fields)
