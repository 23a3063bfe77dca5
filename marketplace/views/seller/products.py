"""A shop's products: the list (search, filters, pages), creating, editing, publishing and
archiving."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.forms.seller import (
    PhotoUploadForm,
    ProductCreateForm,
    ProductEditForm,
    ProductFilterForm,
    add_service_error,
)
from marketplace.models import Product, ProductKind, ProductStatus, ShopMember
from marketplace.selectors.seller import (
    PRODUCTS_PER_PAGE,
    product_photos,
    shop_product,
    shop_products,
)
from marketplace.services.catalog import (
    MAX_PHOTOS,
    product_create,
    product_publish,
    product_unpublish,
    product_update,
)

from .common import posted, redirect_back, seller_render, seller_view


@seller_view(methods=("GET",))
def product_list(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    filter_form = ProductFilterForm(request.GET)
    products = shop_products(membership.shop, **filter_form.filters())
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return seller_render(
        request,
        "products.html",
        membership,
        {
            "filter_form": filter_form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(filter_form.filters().values()),
        },
        section="products",
    )


@seller_view()
def product_new(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    shop = membership.shop
    form = ProductCreateForm(
        *posted(request),
        initial={"kind": request.GET.get("kind") or ProductKind.GOODS, "category": shop.category},
    )
    if request.method == "POST" and form.is_valid():
        try:
            product = product_create(shop=shop, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(title)s disimpan sebagai draf. Tambahkan foto, lalu tampilkan di toko.")
                % {"title": product.title},
            )
            return redirect("seller:product_edit", shop_slug=shop.slug, pk=product.pk)
    return seller_render(
        request, "product_new.html", membership, {"form": form}, section="products"
    )


def render_product_edit(
    request: HttpRequest,
    membership: ShopMember,
    product: Product,
    *,
    form: ProductEditForm | None = None,
    photo_form: PhotoUploadForm | None = None,
) -> HttpResponse:
    photos = product_photos(product)
    return seller_render(
        request,
        "product_edit.html",
        membership,
        {
            "product": product,
            "form": form or ProductEditForm(instance=copy.copy(product)),
            "photo_form": photo_form or PhotoUploadForm(),
            "photos": photos,
            "photos_left": max(MAX_PHOTOS - len(photos), 0),
            "max_photos": MAX_PHOTOS,
            "can_publish": product.status != ProductStatus.ACTIVE,
            "can_archive": product.status != ProductStatus.ARCHIVED,
        },
        section="products",
    )


@seller_view()
def product_edit(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    product = shop_product(membership.shop, pk)
    form = None
    if request.method == "POST":
        form = ProductEditForm(request.POST, instance=copy.copy(product))
        if form.is_valid():
            try:
                product_update(product=product, fields=form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
                product = shop_product(membership.shop, pk)
            else:
                messages.success(request, _("Perubahan disimpan."))
                return redirect("seller:product_edit", shop_slug=membership.shop.slug, pk=pk)
    return render_product_edit(request, membership, product, form=form)


def _edit_url(membership: ShopMember, product: Product) -> str:
    return reverse(
        "seller:product_edit", kwargs={"shop_slug": membership.shop.slug, "pk": product.pk}
    )


@seller_view(methods=("POST",))
def product_publish_view(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    product = shop_product(membership.shop, pk)
    try:
        product_publish(product=product)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(title)s sekarang tampil di toko.") % {"title": product})
    return redirect_back(request, _edit_url(membership, product))


@seller_view(methods=("POST",))
def product_archive_view(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    product = shop_product(membership.shop, pk)
    try:
        product_unpublish(product=product, to=ProductStatus.ARCHIVED)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(title)s diarsipkan dan tidak tampil lagi.") % {"title": product}
        )
    return redirect_back(request, _edit_url(membership, product))
