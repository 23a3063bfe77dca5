"""Money is a whole number of rupiah."""

from __future__ import annotations

from marketplace.languages import site_language

# Indonesians write thousands with dots ("Rp 630.000"), English readers with commas.
THOUSANDS = {"id": ".", "en": ","}


def format_rupiah(amount: int | None, language: str | None = None) -> str:
    """125000 → 'Rp 125.000' in Indonesian, 'Rp 125,000' in English (the active language
    unless `language` names one)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    separator = THOUSANDS.get(site_language(language), ".")
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", separator)
