"""Phone numbers as people type them, stored in E.164 (+6281234567890, +447911123456).

Sellers (and sign-up by phone) give an Indonesian mobile number; buyers may be tourists from
anywhere, so their contact number is any valid number, read with the `phonenumbers` library
(Google's libphonenumber metadata) and taken as Indonesian when it has no country code.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mobile numbers start 08 (0 8xx), carry 10 to 13 digits in national form.
_MOBILE = re.compile(r"^8\d{8,11}$")


def normalize_indonesian_mobile(raw: str) -> str:
    """'0812-3456-7890', '62812...' or '+62 812 ...' → '+6281234567890'."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("+62"):
        national = digits[3:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if not national.isdigit() or not _MOBILE.match(national):
        raise ValidationError(
            _("Nomor HP Indonesia tidak valid: tulis seperti 0812 3456 7890."), code="phone"
        )
    return f"+62{national}"


def normalize_phone(raw: str) -> str:
    """A buyer's number in E.164: '0812-3456-7890' → '+6281234567890' (Indonesian numbers must
    be mobiles, as normalize_indonesian_mobile reads them), '+44 7911 123456' →
    '+447911123456'. Raises ValidationError (code "phone") for anything that is not a valid
    number."""
    text = (raw or "").strip()
    invalid = ValidationError(
        _(
            "Nomor telepon tidak valid: tulis nomor HP Indonesia seperti 0812 3456 7890, atau "
            "nomor luar negeri dengan kode negaranya, seperti +44 7911 123456."
        ),
        code="phone",
    )
    if not text.startswith("+") or re.sub(r"[\s\-().]", "", text).startswith("+62"):
        try:
            return normalize_indonesian_mobile(text)
        except ValidationError:
            raise invalid from None
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise invalid from None
    if not phonenumbers.is_valid_number(number):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
