"""Template tags of the buyer's pages.

`{% add_to_cart_options product as options %}` gives what the add-to-cart form of a product
page offers (marketplace/buying/includes/add_to_cart.html uses it, so the include needs only
`product`). `{% cart_size as n %}` counts the cart for a header badge. `{% order_whatsapp_url
order %}` links to the shop's WhatsApp with a message naming the order. `{% cart_photo line %}`
draws a cart line's photo; `{% order_line_title line %}` writes an order line's title with its
dates in the page's language.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import quote

from django import template
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from wagtail.images.shortcuts import get_rendition_or_not_found

from marketplace.cart import Cart
from marketplace.dates import moment_text, stay_text
from marketplace.models import ExperienceSlot, Order, Product, ProductKind, StayNight, Variant
from marketplace.phone import normalize_indonesian_mobile
from marketplace.selectors.buying import CART_PHOTO_SIZE, CART_PHOTO_SPEC, PricedLine
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


@register.simple_tag
def cart_photo(line: PricedLine) -> SafeString:
    """The line's product photo, small and lazy, from the rendition cart_priced prefetched; a
    plain tile when the product has no photo."""
    photo = line.photo
    if photo is None:
        return mark_safe('<span class="line-photo no-photo" aria-hidden="true"></span>')  # noqa: S308 - constant
    rendition = get_rendition_or_not_found(photo.image, CART_PHOTO_SPEC)
    return format_html(
        '<img class="line-photo" src="{}" width="{}" height="{}" alt="{}" loading="lazy"'
        ' decoding="async">',
        rendition.url,
        CART_PHOTO_SIZE,
        CART_PHOTO_SIZE,
        line.title,
    )


# The dates checkout_place writes at the end of an order line's title (a snapshot, kept as it
# is in the database): "<product> – 05-12-2026 s.d. 07-12-2026", "<product> – 05-12-2026 09:00".
_STAY_SUFFIX = re.compile(r" – \d{2}-\d{2}-\d{4} s\.d\. \d{2}-\d{2}-\d{4}$")
_SLOT_SUFFIX = re.compile(r" – (\d{2}-\d{2}-\d{4} \d{2}:\d{2})$")


@register.simple_tag
def order_line_title(line) -> str:
    """An order line's title with its stay dates or slot time written for the page's language
    ("Sab, 5 Des 2026 s.d. Sen, 7 Des 2026", "Sat 5 Dec 2026 09:00"). A title without those
    stored dates is shown as it is."""
    title = line.title
    if line.check_in and line.check_out and _STAY_SUFFIX.search(title):
        return f"{_STAY_SUFFIX.sub('', title)} – {stay_text(line.check_in, line.check_out)}"
    found = _SLOT_SUFFIX.search(title) if line.slot_id else None
    if found:
        # The stored time is already the site's local time (checkout wrote it so).
        starts_at = datetime.strptime(found.group(1), "%d-%m-%Y %H:%M")  # noqa: DTZ007
        return f"{title[: found.start()]} – {moment_text(starts_at)}"
    return title


@register.filter
def delivery_label(order) -> str:
    """How the order reaches the buyer, in words: an order of experiences and stays alone is
    stored as pickup (services.delivery.order_ships) but is not "picked up" at a shop. Reads
    the order's lines, so pages prefetch them."""
    lines = list(order.lines.all())
    if order.delivery_method == "pickup" and lines and not any(line.variant_id for line in lines):
        return _("Tanpa pengiriman: datang langsung")
    return order.get_delivery_method_display()
