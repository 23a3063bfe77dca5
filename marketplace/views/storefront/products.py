"""/products/<slug>/: an active product of a verified shop, with the facts a buyer asks about
before buying. Two GET forms answer without JavaScript: a stay's total for chosen dates
(?check_in=&check_out=&rooms=) and a goods product's delivery fee to a kabupaten (?kabupaten=)."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.forms.storefront import StayDatesForm
from marketplace.models import Product, ProductKind
from marketplace.selectors import storefront as selectors
from marketplace.services.wishlist import wishlist_contains

from .common import whatsapp_url

SCHEMA_IN_STOCK = "https://schema.org/InStock"
SCHEMA_OUT_OF_STOCK = "https://schema.org/OutOfStock"


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        product = selectors.product_detail(slug)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    shop = product.shop
    product_url = request.build_absolute_uri(reverse("storefront:product_detail", args=[slug]))
    reviews = selectors.product_reviews(product)
    available = selectors.is_available(product)
    images = [
        request.build_absolute_uri(
            photo.image.get_rendition(selectors.IMAGE_PRESETS["detail"][-1]).url
        )
        for photo in product.photo_list
    ]
    og_image = None
    if product.photo_list:
        og_image = product.photo_list[0].image.get_rendition(selectors.IMAGE_PRESETS["og"][0])
    stay_form, stay = None, None
    if product.kind == ProductKind.STAY:
        chosen = "check_in" in request.GET or "check_out" in request.GET
        free = [night.night for night in product.upcoming_nights if night.rooms_free > 0]
        initial = {"rooms": 1}
        if free:
            initial.update(check_in=free[0], check_out=free[0] + timedelta(days=1))
        stay_form = StayDatesForm(request.GET if chosen else None, initial=initial)
        if chosen and stay_form.is_valid():
            stay = selectors.stay_total(product, **stay_form.cleaned_data)
    kabupaten = request.GET.get("kabupaten", "")[:100]
    summary = Truncator(" ".join(product.description.split())).chars(200)
    message = _("Halo %(shop)s, saya tertarik dengan %(product)s di Pasar Kreatif: %(url)s") % {
        "shop": shop.name,
        "product": product.title,
        "url": product_url,
    }
    return render(
        request,
        "marketplace/storefront/product_detail.html",
        {
            "product": product,
            "shop": shop,
            "photos": product.photo_list,
            "variants": product.variant_list,
            "slots": product.upcoming_slots,
            "nights": product.upcoming_nights,
            "total_stock": selectors.total_stock(product),
            "duration": duration_text(product.duration_minutes),
            "weight": weight_text(product.weight_grams),
            "included": selectors.included_list(product),
            "map_links": selectors.map_links(product),
            "dates_unfolded": selectors.DATES_UNFOLDED,
            # The first dates are listed, the rest fold behind "Lihat semua tanggal".
            "dates_unfolded_slice": f":{selectors.DATES_UNFOLDED}",
            "dates_folded_slice": f"{selectors.DATES_UNFOLDED}:",
            "stay_form": stay_form,
            "stay": stay,
            "delivery": selectors.delivery_estimate(product, kabupaten),
            "kabupaten_asked": " ".join(kabupaten.split()),
            "available": available,
            "reviews": reviews,
            "product_url": product_url,
            "summary": summary,
            "og_image": og_image,
            "og_image_url": request.build_absolute_uri(og_image.url) if og_image else "",
            "whatsapp_url": whatsapp_url(shop.whatsapp, message),
            "in_wishlist": wishlist_contains(
                user=request.user, session=request.session, product=product
            ),
            "json_ld": product_json_ld(
                product,
                url=product_url,
                images=images,
                description=summary,
                available=available,
                reviews=reviews,
            ),
        },
    )


def duration_text(minutes: int | None) -> str:
    """Minutes as "3 jam", "1 jam 30 menit", "45 menit" ("" when not set)."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)s jam", "%(n)s jam", hours) % {"n": hours})
    if rest:
        parts.append(ngettext("%(n)s menit", "%(n)s menit", rest) % {"n": rest})
    return " ".join(parts)


def weight_text(grams: int) -> str:
    """Grams as "450 g" or "1,2 kg" ("" when not set)."""
    if not grams:
        return ""
    if grams < 1000:
        return _("%(n)s g") % {"n": grams}
    return _("%(n)s kg") % {"n": formats.number_format(round(grams / 1000, 1), use_l10n=True)}


def product_json_ld(
    product: Product,
    *,
    url: str,
    images: list[str],
    description: str,
    available: bool,
    reviews: selectors.ReviewSummary,
) -> dict:
    """schema.org Product, for search engines and link previews."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "description": description,
        "url": url,
        "sku": product.slug,
        "category": product.category.name,
        "brand": {"@type": "Brand", "name": product.shop.name},
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": product.price,
            "priceCurrency": "IDR",
            "availability": SCHEMA_IN_STOCK if available else SCHEMA_OUT_OF_STOCK,
            "seller": {"@type": "Organization", "name": product.shop.name},
        },
    }
    if images:
        data["image"] = images
    if reviews.count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": reviews.average,
            "reviewCount": reviews.count,
            "bestRating": 5,
            "worstRating": 1,
        }
        data["review"] = [
            {
                "@type": "Review",
                "author": {"@type": "Person", "name": review.author_name},
                "reviewRating": {"@type": "Rating", "ratingValue": review.rating, "bestRating": 5},
                "reviewBody": review.body,
                "datePublished": review.created_at.date().isoformat(),
            }
            for review in reviews.latest[:5]
        ]
    return data
