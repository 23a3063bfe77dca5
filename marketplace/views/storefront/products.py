"""/products/<slug>/: an active product of a verified shop."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from marketplace.models import Product
from marketplace.selectors import storefront as selectors

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
            "available": available,
            "reviews": reviews,
            "product_url": product_url,
            "summary": summary,
            "og_image": og_image,
            "og_image_url": request.build_absolute_uri(og_image.url) if og_image else "",
            "whatsapp_url": whatsapp_url(shop.whatsapp, message),
            "in_wishlist": selectors.is_in_wishlist(request.user, product),
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
