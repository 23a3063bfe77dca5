"""Money is a whole number of rupiah."""


def format_rupiah(amount: int | None) -> str:
    """125000 → 'Rp 125.000' (dots between thousands, as Indonesians write it)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount)):,}".replace(",", ".")
