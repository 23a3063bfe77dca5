import pytest
from django.core.exceptions import ValidationError

from marketplace.money import format_rupiah
from marketplace.phone import normalize_indonesian_mobile


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-7890", "081234567890", "+62 812 3456 7890", "62812 3456 7890", "(0812) 34567890"],
)
def test_mobile_numbers_are_stored_as_plus_62(typed):
    assert normalize_indonesian_mobile(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["", "021-555-1234", "0812", "08123456789012345", "halo"])
def test_what_is_not_an_indonesian_mobile_number_is_refused(typed):
    with pytest.raises(ValidationError, match="Nomor HP"):
        normalize_indonesian_mobile(typed)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (125000, "Rp 125.000"),
        (0, "Rp 0"),
        (999, "Rp 999"),
        (1250000, "Rp 1.250.000"),
        (-5000, "-Rp 5.000"),
    ],
)
def test_rupiah_are_written_with_dots(amount, text):
    assert format_rupiah(amount) == text
