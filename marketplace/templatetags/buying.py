"""Template tags of the buyer's pages.

`{% add_to_cart_options product as options %}` gives what the add-to-cart form of a product
page offers (marketplace/buying/includes/add_to_cart.html uses it, so the include needs only
`product`). `{% cart_size as n %}` counts the cart for a header badge. `{% order_whatsapp_url
order %}` links to the shop's WhatsApp with a message naming the order.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

from django import template
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.cart import Cart
from marketplace.models import ExperienceSlot, Order, Product, ProductKind, StayNight, Variant
from marketplace.phone import normalize_indonesian_mobile
from marketplace.services.checkout import MAX_QUANTITY

register = template.Library()

UPCOMING = 60  # slots or nights offered in the form


@dataclass
class AddToCartOptions:
    kind: str
    variants: list[Variant] = field(default_factory=list)
    slots: list[ExperienceSlot] = field(default_factory=list)
    first_night: date | None = None
    last_night: date | None = None
    max_quantity: int = MAX_QUANTITY

    @property
    def can_buy(self) -> bool:
        if self.kind == ProductKind.GOODS:
            return any(variant.free > 0 for variant in self.variants)
        if self.kind == ProductKind.EXPERIENCE:
            return any(slot.places_left > 0 for slot in self.slots)
        return self.first_night is not None

    @property
    def last_check_out(self) -> date | None:
        return self.last_night + timedelta(days=1) if self.last_night else None

    @property
    def first_check_out(self) -> date | None:
        return self.first_night + timedelta(days=1) if self.first_night else None


@register.simple_tag
def add_to_cart_options(product: Product) -> AddToCartOptions:
    """Uses the lists that the product page's selector prefetched (`variant_list`,
    `upcoming_slots`, `upcoming_nights`) and queries only what is missing: one query."""
    options = AddToCartOptions(kind=product.kind)
    now = timezone.now()
    if product.kind == ProductKind.GOODS:
        variants = getattr(product, "variant_list", None)
        if variants is None:
            variants = list(Variant.objects.filter(product=product).order_by("position", "id"))
        options.variants = list(variants)
    elif product.kind == ProductKind.EXPERIENCE:
        slots = getattr(product, "upcoming_slots", None)
        if slots is None:
            slots = ExperienceSlot.objects.filter(product=product, starts_at__gt=now).order_by(
                "starts_at"
            )[:UPCOMING]
        options.slots = [slot for slot in slots if slot.starts_at > now]
    else:
        nights = getattr(product, "upcoming_nights", None)
        if nights is None:
            nights = StayNight.objects.filter(
                product=product, night__gte=timezone.localdate()
            ).order_by("night")[:UPCOMING]
        free = [night.night for night in nights if night.rooms_free > 0]
        if free:
            options.first_night, options.last_night = min(free), max(free)
    return options


@register.filter
def nights(line) -> int:
    """How many nights an order line of a stay covers (0 for anything else)."""
    if getattr(line, "check_in", None) and getattr(line, "check_out", None):
        return (line.check_out - line.check_in).days
    return 0


@register.simple_tag(takes_context=True)
def cart_size(context) -> int:
    """How many pieces, people or rooms the cart holds (0 without a request)."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return 0
    return len(Cart(request))


def whatsapp_url(number: str, message: str) -> str:
    """https://wa.me/<digits>?text=<message>, or "" without a number."""
    if not number:
        return ""
    with contextlib.suppress(ValidationError):
        number = normalize_indonesian_mobile(number)
    digits = re.sub(r"\D", "", number)
    return f"https://wa.me/{digits}?text={quote(message, safe='')}" if digits else ""


@register.simple_tag
def order_whatsapp_url(order: Order) -> str:
    message = _("Halo %(shop)s, saya ingin menanyakan pesanan %(number)s di Pasar Kreatif.") % {
        "shop": order.shop.name,
        "number": order.number,
    }
    return whatsapp_url(order.shop.whatsapp, message)
