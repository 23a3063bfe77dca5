"""/cart/: add from a product page, show grouped by shop with today's prices, change, remove."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.cart import Cart, line_clean
from marketplace.forms.buying import AddToCartForm, CartLineForm
from marketplace.selectors import public_products
from marketplace.selectors.buying import cart_priced


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The form's `next` when it points to this site, else `fallback`."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    slug = request.POST.get("product", "")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        back = (
            reverse("storefront:product_detail", args=[slug])
            if "product" not in form.errors
            else reverse("buying:cart")
        )
        return redirect(safe_next(request, back))
    data = form.cleaned_data
    back = safe_next(request, reverse("storefront:product_detail", args=[data["product"]]))
    try:
        line = line_clean(
            product=data["product"],
            quantity=data["quantity"],
            variant=data["variant"],
            slot=data["slot"],
            check_in=data["check_in"],
            check_out=data["check_out"],
        )
        Cart(request).add(line)
    except ValidationError as error:
        _errors(request, error)
        return redirect(back)
    title = public_products().filter(slug=line.product).values_list("title", flat=True).first()
    messages.success(request, _("%(product)s masuk ke keranjang.") % {"product": title})
    return redirect(back)


@require_GET
def cart_detail(request: HttpRequest) -> HttpResponse:
    cart = cart_priced(Cart(request).lines())
    return render(request, "marketplace/buying/cart.html", {"cart": cart})


@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    form = CartLineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("buying:cart")
    try:
        Cart(request).set_quantity(form.cleaned_data["key"], form.cleaned_data["quantity"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Jumlah diubah.") if form.cleaned_data["quantity"] else _("Dihapus dari keranjang."),
        )
    return redirect("buying:cart")


@require_POST
def cart_remove(request: HttpRequest) -> HttpResponse:
    form = CartLineForm({"key": request.POST.get("key", ""), "quantity": 0})
    if form.is_valid():
        Cart(request).set_quantity(form.cleaned_data["key"], 0)
        messages.success(request, _("Dihapus dari keranjang."))
    else:
        messages.error(request, _("Baris keranjang tidak dikenal."))
    return redirect("buying:cart")
