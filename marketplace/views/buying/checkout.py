"""/checkout/: contact, and per shop the delivery, a note and a voucher; then one order per shop
under one code (services.checkout.checkout_place), and on to /orders/<code>/.

Each shop's delivery fee, discount and total, and the grand total, come from
services.checkout.checkout_quote, the pricing checkout_place itself uses: for the first choices
when the page opens, and for the buyer's choices on "Hitung ulang" (action=quote), which places
nothing and needs no contact yet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.campaigns import session_campaign
from marketplace.cart import Cart
from marketplace.forms.buying import ContactForm, ShopChoiceForm
from marketplace.languages import site_language
from marketplace.models import DeliveryMethod
from marketplace.selectors.buying import PricedCart, cart_priced, delivery_options
from marketplace.services.checkout import (
    CheckoutRefused,
    Contact,
    Quote,
    ShopChoice,
    checkout_place,
    checkout_quote,
)
from marketplace.services.stock import NotEnoughStock


def _shop_forms(request: HttpRequest, cart: PricedCart) -> list[tuple]:
    options = delivery_options(cart.groups)
    data = request.POST if request.method == "POST" else None
    return [
        (group, ShopChoiceForm(data, prefix=group.shop.slug, options=options[group.shop.pk]))
        for group in cart.groups
    ]


def _place_errors(error: ValidationError, contact: ContactForm, shops: list[tuple]) -> list[str]:
    """Put the service's errors next to their fields where we can tell which; return the rest
    (shown above the form)."""
    if hasattr(error, "error_dict"):
        rest = []
        for field, messages_ in error.message_dict.items():
            if field in contact.fields:
                contact.add_error(field, messages_)
            else:
                rest.extend(messages_)
        return rest
    if isinstance(error, CheckoutRefused) and error.shop and error.field:
        # A refused delivery, courier destination or voucher: shown at that shop's field.
        form = next((form for group, form in shops if group.shop.slug == error.shop), None)
        if form is not None and error.field in form.fields:
            form.add_error(error.field, error.messages)
            return []
    return list(error.messages)


def _items(cart: PricedCart) -> list:
    return [line.line.as_checkout_item() for line in cart.lines]


def _first_choices(shops: list[tuple]) -> dict[str, ShopChoice]:
    """The choices the page opens with: each shop's first delivery method."""
    return {
        group.shop.slug: ShopChoice(
            delivery=form.fields["delivery"].initial or DeliveryMethod.PICKUP
        )
        for group, form in shops
    }


def _quiet_quote(cart: PricedCart, choices: dict[str, ShopChoice]) -> Quote | None:
    """A quote when these choices can be priced; None (and no errors shown) when not."""
    try:
        return checkout_quote(items=_items(cart), choices=choices)
    except ValidationError:
        return None


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    cart_store = Cart(request)
    cart = cart_priced(cart_store.lines())
    if not cart.groups:
        if cart.unavailable:
            messages.error(request, _("Tidak ada barang di keranjang yang bisa dipesan."))
        else:
            messages.info(request, _("Keranjang Anda masih kosong."))
        return redirect("buying:cart")
    posted = request.POST if request.method == "POST" else None
    quoting = posted is not None and posted.get("action") == "quote"
    if quoting:
        # Recalculating needs no contact yet: keep what was typed, judge it only when placing.
        contact = ContactForm(
            initial={name: posted.get(name, "") for name in ContactForm.base_fields},
            user=request.user,
        )
    else:
        contact = ContactForm(posted, user=request.user)
    shops = _shop_forms(request, cart)
    errors: list[str] = []
    short_product = ""
    quote: Quote | None = None
    if posted is None:
        quote = _quiet_quote(cart, _first_choices(shops))
    elif quoting:
        if all([form.is_valid() for _group, form in shops]):
            try:
                quote = checkout_quote(
                    items=_items(cart),
                    choices={group.shop.slug: form.to_choice() for group, form in shops},
                )
            except ValidationError as error:
                errors.extend(
                    _place_errors(error, contact, shops) or [_("Periksa isian yang ditandai.")]
                )
        else:
            errors.append(_("Periksa isian yang ditandai."))
    else:
        contact_valid = contact.is_valid()
        shops_valid = all([form.is_valid() for _group, form in shops])  # every form, not the first
        if contact_valid and shops_valid:
            choices = {group.shop.slug: form.to_choice() for group, form in shops}
            try:
                campaign = session_campaign(request)
                placed = checkout_place(
                    items=_items(cart),
                    contact=Contact(**contact.cleaned_data),
                    choices=choices,
                    buyer=request.user,
                    language=site_language(),
                    campaign=campaign.name,
                    campaign_source=campaign.source,
                )
            except NotEnoughStock as error:
                errors.append(str(error))
                short_product = error.product_slug
            except ValidationError as error:
                errors.extend(
                    _place_errors(error, contact, shops) or [_("Periksa isian yang ditandai.")]
                )
            else:
                cart_store.clear()
                return redirect("buying:checkout_detail", code=placed.code)
        else:
            errors.append(_("Periksa isian yang ditandai."))
        if shops_valid and not any(form.errors for _group, form in shops):
            quote = _quiet_quote(cart, {group.shop.slug: form.to_choice() for group, form in shops})
    return render(
        request,
        "marketplace/buying/checkout.html",
        {
            "cart": cart,
            "contact_form": contact,
            "shop_forms": shops,
            "errors": errors,
            "short_product": short_product,
            "quote": quote,
            # Each shop with its form and its figures (None until they can be priced).
            "shop_rows": [
                (group, form, quote.for_shop(group.shop.slug) if quote else None)
                for group, form in shops
            ],
        },
    )
