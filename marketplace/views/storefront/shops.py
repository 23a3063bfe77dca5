"""/shops/ and /shops/<slug>/: verified shops only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.models import Shop
from marketplace.selectors import storefront as selectors

from .common import clean_slug, paginate, whatsapp_url


def shop_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.ShopFilters(
        kecamatan=clean_slug(request.GET.get("kecamatan")),
        category=clean_slug(request.GET.get("category")),
    )
    page = paginate(request, selectors.shop_list(filters), selectors.SHOPS_PER_PAGE)
    kecamatan, categories = selectors.filter_choices()
    return render(
        request,
        "marketplace/storefront/shop_list.html",
        {
            "page": page,
            "shops": page.object_list,
            "filters": filters,
            "kecamatan_choices": kecamatan,
            "category_choices": categories,
        },
    )


def shop_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        shop = selectors.shop_detail(slug)
    except Shop.DoesNotExist as exc:
        raise Http404 from exc
    page = paginate(request, selectors.shop_products(shop), selectors.PRODUCTS_PER_PAGE)
    shop_url = request.build_absolute_uri(reverse("storefront:shop_detail", args=[shop.slug]))
    message = _("Halo %(shop)s, saya melihat toko Anda di Pasar Kreatif: %(url)s") % {
        "shop": shop.name,
        "url": shop_url,
    }
    return render(
        request,
        "marketplace/storefront/shop_detail.html",
        {
            "shop": shop,
            "page": page,
            "products": page.object_list,
            "shop_url": shop_url,
            "whatsapp_url": whatsapp_url(shop.whatsapp, message),
        },
    )
