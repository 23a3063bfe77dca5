"""Indonesian mobile numbers, as sellers and buyers type them, stored as +62..."""

import re

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
