from django import template

from marketplace.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """In the page's language: "Rp 630.000" (Indonesian), "Rp 630,000" (English)."""
    return format_rupiah(amount)
