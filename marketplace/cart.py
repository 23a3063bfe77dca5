"""The cart: in the session for guests, in CartItem rows for signed-in buyers, merged at sign-in.

A cart line is identified by what it reserves: product plus variant, slot or dates. Adding the
same thing again adds to its quantity. Prices are never kept in the cart: they are read when the
cart is shown and again at checkout.

Availability is checked early, when a line goes in (or its quantity goes up): goods beyond the
free stock, a full slot or a stay with a night that has no free room are refused with a
CartRefused naming the product and the night or slot. The cart page flags lines that became
short since (selectors.buying.cart_priced, with the same `line_shortage`); checkout still
decides under lock at the end.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.dates import day_text, moment_text
from marketplace.models import CartItem, ExperienceSlot, ProductKind, StayNight, User, Variant
from marketplace.selectors import public_products
from marketplace.services.checkout import MAX_QUANTITY, CheckoutItem, CheckoutRefused

SESSION_KEY = "cart"
MAX_LINES = 50
MAX_NIGHTS = 30  # as checkout_place allows

# The field of the add-to-cart form each cart-only refusal concerns (checkout's own codes, which
# line_clean reuses, are in services.checkout.REFUSED_FIELD).
CART_REFUSED_FIELD = {
    "out_of_stock": "variant",
    "stock_short": "quantity",
    "slot_full": "slot",
    "slot_short": "quantity",
    "night_closed": "check_in",
    "night_full": "check_in",
    "rooms_short": "quantity",
}


class CartRefused(CheckoutRefused):
    """A line the cart does not take, with a stable `code` (checkout's codes where the reason is
    the same, CART_REFUSED_FIELD's for availability) and a message naming the product."""

    @property
    def field(self) -> str | None:
        return CART_REFUSED_FIELD.get(self.code) or super().field


@dataclass(frozen=True)
class Shortage:
    """Why a line cannot be had as asked: its `code`, how much is `left`, and `when`: the night
    (a date) or the slot's start (a datetime) concerned, for the message."""

    code: str
    left: int = 0
    when: date | datetime | None = None

    @property
    def blocking(self) -> bool:
        """Nothing at all is left: the line cannot be ordered in any quantity."""
        return self.code in {"out_of_stock", "slot_full", "night_closed", "night_full"}


def goods_shortage(variant: Variant, quantity: int) -> Shortage | None:
    if variant.free >= quantity:
        return None
    return Shortage("out_of_stock" if variant.free == 0 else "stock_short", left=variant.free)


def slot_shortage(slot: ExperienceSlot, quantity: int) -> Shortage | None:
    left = max(slot.places_left, 0)
    if left >= quantity:
        return None
    return Shortage("slot_full" if left == 0 else "slot_short", left=left, when=slot.starts_at)


def stay_shortage(
    nights: dict[date, StayNight], check_in: date, check_out: date, quantity: int
) -> Shortage | None:
    """The first night, in date order, without a StayNight row or a free room; failing that the
    night with the fewest free rooms when it has fewer than `quantity`."""
    tightest: Shortage | None = None
    day = check_in
    while day < check_out:
        row = nights.get(day)
        if row is None:
            return Shortage("night_closed", when=day)
        if row.rooms_free == 0:
            return Shortage("night_full", when=day)
        if row.rooms_free < quantity and (tightest is None or row.rooms_free < tightest.left):
            tightest = Shortage("rooms_short", left=row.rooms_free, when=day)
        day += timedelta(days=1)
    return tightest


def _when_text(shortage: Shortage) -> str:
    if isinstance(shortage.when, datetime):
        return moment_text(shortage.when)
    return day_text(shortage.when) if shortage.when else ""


def shortage_note(shortage: Shortage) -> str:
    """The shortage as the cart page writes it beside the line (which shows the product)."""
    n, when = shortage.left, _when_text(shortage)
    if shortage.code == "out_of_stock":
        return _("Stok habis.")
    if shortage.code == "stock_short":
        return _("Stok tinggal %(n)s.") % {"n": n}
    if shortage.code == "slot_full":
        return _("Jadwal %(slot)s sudah penuh.") % {"slot": when}
    if shortage.code == "slot_short":
        return ngettext(
            "Jadwal %(slot)s tinggal %(n)s tempat.", "Jadwal %(slot)s tinggal %(n)s tempat.", n
        ) % {"slot": when, "n": n}
    if shortage.code == "night_closed":
        return _("Tidak menerima tamu pada malam %(night)s.") % {"night": when}
    if shortage.code == "night_full":
        return _("Kamar penuh pada malam %(night)s.") % {"night": when}
    return ngettext(
        "Kamar pada malam %(night)s tinggal %(n)s.", "Kamar pada malam %(night)s tinggal %(n)s.", n
    ) % {"night": when, "n": n}


def shortage_refusal(shortage: Shortage, *, product: str, variant: str = "") -> CartRefused:
    """The shortage as a refusal of an added line, naming the product and the night or slot."""
    n, when = shortage.left, _when_text(shortage)
    names = {"product": product, "variant": variant, "slot": when, "night": when, "n": n}
    if shortage.code == "out_of_stock":
        message = _("Stok %(product)s (%(variant)s) habis.") % names
    elif shortage.code == "stock_short":
        message = (
            ngettext(
                "Stok %(product)s (%(variant)s) tinggal %(n)s.",
                "Stok %(product)s (%(variant)s) tinggal %(n)s.",
                n,
            )
            % names
        )
    elif shortage.code == "slot_full":
        message = _("Jadwal %(product)s pada %(slot)s sudah penuh.") % names
    elif shortage.code == "slot_short":
        message = (
            ngettext(
                "Jadwal %(product)s pada %(slot)s tinggal %(n)s tempat.",
                "Jadwal %(product)s pada %(slot)s tinggal %(n)s tempat.",
                n,
            )
            % names
        )
    elif shortage.code == "night_closed":
        message = _("%(product)s tidak menerima tamu pada malam %(night)s.") % names
    elif shortage.code == "night_full":
        message = _("Kamar %(product)s penuh pada malam %(night)s.") % names
    else:
        message = (
            ngettext(
                "Kamar %(product)s pada malam %(night)s tinggal %(n)s.",
                "Kamar %(product)s pada malam %(night)s tinggal %(n)s.",
                n,
            )
            % names
        )
    return CartRefused(message, code=shortage.code)


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
    """Check that a line makes sense for its product, or raise CartRefused with checkout's code
    for the same fault. Whether it is free is `line_check_available`'s question (Cart.add asks
    it of the line's quantity after merging)."""
    found = public_products().filter(slug=product).first()
    if found is None:
        raise CartRefused(_("Produk ini tidak tersedia."), code="product_unavailable")
    if not 0 < quantity <= MAX_QUANTITY:
        raise CartRefused(
            _("Jumlah harus 1 sampai %(max)s.") % {"max": MAX_QUANTITY},
            code="quantity_out_of_range",
        )
    if found.kind == ProductKind.GOODS:
        chosen = (
            Variant.objects.filter(product=found, pk=variant)
            if variant
            else (Variant.objects.filter(product=found).order_by("position", "pk"))
        )
        chosen_variant = chosen.first()
        if chosen_variant is None:
            raise CartRefused(_("Pilih varian."), code="variant_required")
        return CartLine(product, quantity, variant=chosen_variant.pk)
    if found.kind == ProductKind.EXPERIENCE:
        chosen_slot = (
            ExperienceSlot.objects.filter(product=found, pk=slot).first() if slot else None
        )
        if chosen_slot is None:
            raise CartRefused(_("Pilih jadwal."), code="slot_required")
        if chosen_slot.starts_at <= timezone.now():
            raise CartRefused(
                _("Jadwal %(product)s pada %(slot)s sudah lewat.")
                % {"product": found.title, "slot": moment_text(chosen_slot.starts_at)},
                code="slot_past",
            )
        return CartLine(product, quantity, slot=slot)
    if not check_in or not check_out or check_out <= check_in:
        raise CartRefused(
            _("Pilih tanggal check-in dan check-out."),
            code="check_in_required" if not check_in else "check_out_after_check_in",
        )
    if check_in < timezone.localdate():
        raise CartRefused(_("Tanggal check-in sudah lewat."), code="check_in_past")
    if (check_out - check_in).days > MAX_NIGHTS:
        raise CartRefused(_("Paling lama 30 malam sekali pesan."), code="stay_too_long")
    return CartLine(
        product, quantity, check_in=check_in.isoformat(), check_out=check_out.isoformat()
    )


def stay_nights(product_ids: set[int], first: date, last: date) -> dict[int, dict[date, StayNight]]:
    """Product id → night → StayNight, for the nights from `first` up to, not including,
    `last`. One query."""
    found: dict[int, dict[date, StayNight]] = {pk: {} for pk in product_ids}
    if product_ids and first < last:
        for row in StayNight.objects.filter(
            product_id__in=product_ids, night__gte=first, night__lt=last
        ):
            found[row.product_id][row.night] = row
    return found


def line_check_available(line: CartLine) -> None:
    """Raise CartRefused when what `line` asks for is not free now. Two queries at most."""
    product = public_products().filter(slug=line.product).only("pk", "title", "kind").first()
    if product is None:
        raise CartRefused(_("Produk ini tidak tersedia."), code="product_unavailable")
    shortage, variant_name = None, ""
    if line.variant:
        variant = Variant.objects.filter(product=product, pk=line.variant).first()
        if variant is None:
            raise CartRefused(_("Pilih varian."), code="variant_required")
        shortage, variant_name = goods_shortage(variant, line.quantity), variant.name
    elif line.slot:
        slot = ExperienceSlot.objects.filter(product=product, pk=line.slot).first()
        if slot is None:
            raise CartRefused(_("Pilih jadwal."), code="slot_required")
        shortage = slot_shortage(slot, line.quantity)
    elif line.check_in and line.check_out:
        check_in, check_out = date.fromisoformat(line.check_in), date.fromisoformat(line.check_out)
        nights = stay_nights({product.pk}, check_in, check_out)[product.pk]
        shortage = stay_shortage(nights, check_in, check_out, line.quantity)
    if shortage is not None:
        raise shortage_refusal(shortage, product=product.title, variant=variant_name)


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
        """Add `line` (or add to the quantity of the same line), or raise CartRefused naming
        the product and the night or slot when the total it comes to is not free."""
        existing = self.lines()
        if len(existing) >= MAX_LINES and line.key not in {old.key for old in existing}:
            raise CartRefused(
                _("Keranjang paling banyak %(n)s baris.") % {"n": MAX_LINES}, code="cart_full"
            )
        lines = _merge(existing, [line])
        line_check_available(next(new for new in lines if new.key == line.key))
        self._save(lines)

    def set_quantity(self, key: tuple, quantity: int) -> None:
        """Change a line's quantity (0 removes it). Raising it past what is free is refused as
        adding is; lowering it is always allowed, even when still short."""
        lines = self.lines()
        if quantity <= 0:
            lines = [line for line in lines if line.key != key]
        else:
            if quantity > MAX_QUANTITY:
                raise CartRefused(
                    _("Jumlah harus 1 sampai %(max)s.") % {"max": MAX_QUANTITY},
                    code="quantity_out_of_range",
                )
            changed = []
            for line in lines:
                if line.key == key:
                    new = CartLine(**{**asdict(line), "quantity": quantity})
                    if quantity > line.quantity:
                        line_check_available(new)
                    line = new
                changed.append(line)
            lines = changed
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
