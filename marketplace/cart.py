"""The cart: in the session for guests, in CartItem rows for signed-in buyers, merged at sign-in.

A cart line is identified by what it reserves: product plus variant, slot or dates. Adding the
same thing again adds to its quantity. Prices are never kept in the cart: they are read when the
cart is shown and again at checkout.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from marketplace.models import CartItem, ExperienceSlot, ProductKind, User, Variant
from marketplace.selectors import public_products
from marketplace.services.checkout import MAX_QUANTITY, CheckoutItem

SESSION_KEY = "cart"
MAX_LINES = 50


@dataclass(frozen=True)
class CartLine:
    product: str
    quantity: int
    variant: int | None = None
    slot: int | None = None
    check_in: str | None = None  # ISO dates: sessions hold JSON
    check_out: str | None = None

    @property
    def key(self) -> tuple:
        return (self.product, self.variant, self.slot, self.check_in, self.check_out)

    def as_checkout_item(self) -> CheckoutItem:
        return CheckoutItem(
            product=self.product,
            quantity=self.quantity,
            variant=self.variant,
            slot=self.slot,
            check_in=date.fromisoformat(self.check_in) if self.check_in else None,
            check_out=date.fromisoformat(self.check_out) if self.check_out else None,
        )


def line_clean(
    *,
    product: str,
    quantity: int,
    variant: int | None = None,
    slot: int | None = None,
    check_in: date | None = None,
    check_out: date | None = None,
) -> CartLine:
    """Check that a line makes sense for its product (availability is checked at checkout)."""
    found = public_products().filter(slug=product).first()
    if found is None:
        raise ValidationError(_("Produk ini tidak tersedia."))
    if not 0 < quantity <= MAX_QUANTITY:
        raise ValidationError(_("Jumlah harus 1 sampai %(max)s.") % {"max": MAX_QUANTITY})
    if found.kind == ProductKind.GOODS:
        chosen = (
            Variant.objects.filter(product=found, pk=variant)
            if variant
            else (Variant.objects.filter(product=found).order_by("position", "pk"))
        )
        chosen_variant = chosen.first()
        if chosen_variant is None:
            raise ValidationError(_("Pilih varian."))
        return CartLine(product, quantity, variant=chosen_variant.pk)
    if found.kind == ProductKind.EXPERIENCE:
        if not slot or not ExperienceSlot.objects.filter(product=found, pk=slot).exists():
            raise ValidationError(_("Pilih jadwal."))
        return CartLine(product, quantity, slot=slot)
    if not check_in or not check_out or check_out <= check_in:
        raise ValidationError(_("Pilih tanggal check-in dan check-out."))
    return CartLine(
        product, quantity, check_in=check_in.isoformat(), check_out=check_out.isoformat()
    )


class Cart:
    def __init__(self, request: HttpRequest):
        self.request = request
        self.user: User | None = request.user if request.user.is_authenticated else None

    def lines(self) -> list[CartLine]:
        if self.user:
            return [
                CartLine(
                    item.product.slug,
                    item.quantity,
                    item.variant_id,
                    item.slot_id,
                    item.check_in.isoformat() if item.check_in else None,
                    item.check_out.isoformat() if item.check_out else None,
                )
                for item in CartItem.objects.filter(user=self.user).select_related("product")
            ]
        return [CartLine(**raw) for raw in self.request.session.get(SESSION_KEY, [])]

    def add(self, line: CartLine) -> None:
        self._save(_merge(self.lines(), [line]))

    def set_quantity(self, key: tuple, quantity: int) -> None:
        lines = self.lines()
        if quantity <= 0:
            lines = [line for line in lines if line.key != key]
        else:
            if quantity > MAX_QUANTITY:
                raise ValidationError(_("Jumlah harus 1 sampai %(max)s.") % {"max": MAX_QUANTITY})
            lines = [
                CartLine(**{**asdict(line), "quantity": quantity}) if line.key == key else line
                for line in lines
            ]
        self._save(lines)

    def clear(self) -> None:
        self._save([])

    def __len__(self) -> int:
        return sum(line.quantity for line in self.lines())

    @transaction.atomic
    def _save(self, lines: list[CartLine]) -> None:
        if len(lines) > MAX_LINES:
            raise ValidationError(_("Keranjang paling banyak %(n)s baris.") % {"n": MAX_LINES})
        if not self.user:
            self.request.session[SESSION_KEY] = [asdict(line) for line in lines]
            return
        _replace_rows(self.user, lines)


def _merge(existing: list[CartLine], added: list[CartLine]) -> list[CartLine]:
    merged: dict[tuple, CartLine] = {line.key: line for line in existing}
    for line in added:
        if line.key in merged:
            total = min(merged[line.key].quantity + line.quantity, MAX_QUANTITY)
            merged[line.key] = CartLine(**{**asdict(line), "quantity": total})
        else:
            merged[line.key] = line
    return list(merged.values())[:MAX_LINES]


def _replace_rows(user: User, lines: list[CartLine]) -> None:
    products = dict(
        public_products()
        .filter(slug__in={line.product for line in lines})
        .values_list("slug", "pk")
    )
    CartItem.objects.filter(user=user).delete()
    CartItem.objects.bulk_create(
        [
            CartItem(
                user=user,
                product_id=products[line.product],
                variant_id=line.variant,
                slot_id=line.slot,
                quantity=line.quantity,
                check_in=date.fromisoformat(line.check_in) if line.check_in else None,
                check_out=date.fromisoformat(line.check_out) if line.check_out else None,
            )
            for line in lines
            if line.product in products  # a product withdrawn meanwhile drops out
        ]
    )


def cart_merge_on_login(request: HttpRequest, user: User) -> None:
    """Called at sign-in: the guest's session cart joins the account's cart."""
    guest = [CartLine(**raw) for raw in request.session.pop(SESSION_KEY, [])]
    if not guest:
        return
    account = Cart(request)
    account.user = user
    with transaction.atomic():
        _replace_rows(user, _merge(account.lines(), guest))
