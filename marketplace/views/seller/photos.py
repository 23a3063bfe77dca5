"""A product's photos, on its edit page: upload several at once, remove, make one the first."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.forms.seller import PhotoUploadForm
from marketplace.models import ShopMember
from marketplace.selectors.seller import product_photo, shop_product
from marketplace.services.catalog import photo_add, photo_move_first, photo_remove

from .common import seller_view
from .products import render_product_edit


@seller_view(methods=("POST",))
def photo_upload(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    """Each file is cleaned and stored on its own: a refused file (not a photo, too big, too
    many pixels) saves nothing and is named with the reason; the others are kept."""
    product = shop_product(membership.shop, pk)
    form = PhotoUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_product_edit(request, membership, product, photo_form=form)
    saved = 0
    for upload in form.cleaned_data["photos"]:
        try:
            photo_add(product=product, upload=upload, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("photos", f"{upload.name}: {message}")
        else:
            saved += 1
    if saved:
        messages.success(
            request,
            ngettext("%(n)s foto ditambahkan.", "%(n)s foto ditambahkan.", saved) % {"n": saved},
        )
    if form.errors:
        return render_product_edit(request, membership, product, photo_form=form)
    return redirect("seller:product_edit", shop_slug=membership.shop.slug, pk=product.pk)


@seller_view(methods=("POST",))
def photo_delete(request: HttpRequest, membership: ShopMember, pk: int, photo_pk: int):
    product = shop_product(membership.shop, pk)
    photo_remove(photo=product_photo(product, photo_pk))
    messages.success(request, _("Foto dihapus."))
    return redirect("seller:product_edit", shop_slug=membership.shop.slug, pk=product.pk)


@seller_view(methods=("POST",))
def photo_first(request: HttpRequest, membership: ShopMember, pk: int, photo_pk: int):
    product = shop_product(membership.shop, pk)
    photo_move_first(photo=product_photo(product, photo_pk))
    messages.success(request, _("Foto dijadikan foto utama."))
    return redirect("seller:product_edit", shop_slug=membership.shop.slug, pk=product.pk)
