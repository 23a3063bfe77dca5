"""The wishlist: toggle from a product page, list at /wishlist/. A signed-in buyer's is kept in
WishlistItem rows, a guest's in the session (joined to the account at sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from marketplace.models import Product
from marketplace.selectors import public_products
from marketplace.selectors import storefront as selectors
from marketplace.selectors.guest_wishlist import guest_wishlist_products
from marketplace.services.wishlist import guest_wishlist_ids, guest_wishlist_toggle
from marketplace.services.wishlist import wishlist_toggle as toggle

from .common import paginate


@require_POST
def wishlist_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    product_url = reverse("storefront:product_detail", args=[slug])
    try:
        product = public_products().get(slug=slug)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    if request.user.is_authenticated:
        saved = toggle(user=request.user, product=product)
    else:
        saved = guest_wishlist_toggle(session=request.session, product=product)
    if saved:
        messages.success(request, _("%(product)s disimpan ke wishlist.") % {"product": product})
    else:
        messages.info(request, _("%(product)s dihapus dari wishlist.") % {"product": product})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = product_url
    return redirect(next_url)


@never_cache  # someone's own list, from their session or account
def wishlist_list(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        products = selectors.wishlist_products(request.user)
    else:
        products = guest_wishlist_products(guest_wishlist_ids(request.session))
    page = paginate(request, products, selectors.PRODUCTS_PER_PAGE)
    return render(
        request,
        "marketplace/storefront/wishlist.html",
        {"page": page, "products": page.object_list, "guest": not request.user.is_authenticated},
    )
