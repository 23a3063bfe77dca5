"""The signed-in buyer's wishlist: toggle from a product page, list at /wishlist/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.models import Product
from marketplace.selectors import public_products
from marketplace.selectors import storefront as selectors
from marketplace.services.wishlist import wishlist_toggle as toggle

from .common import paginate


@require_POST
def wishlist_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    product_url = reverse("storefront:product_detail", args=[slug])
    if not request.user.is_authenticated:
        # Back to the product page after signing in (the toggle itself only answers POST).
        return redirect_to_login(product_url)
    try:
        product = public_products().get(slug=slug)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    if toggle(user=request.user, product=product):
        messages.success(request, _("%(product)s disimpan ke wishlist.") % {"product": product})
    else:
        messages.info(request, _("%(product)s dihapus dari wishlist.") % {"product": product})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = product_url
    return redirect(next_url)


@login_required
def wishlist_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.wishlist_products(request.user), selectors.PRODUCTS_PER_PAGE)
    return render(
        request,
        "marketplace/storefront/wishlist.html",
        {"page": page, "products": page.object_list},
    )
