"""Public shops and products in /sitemap.xml, beside Wagtail's pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from marketplace.selectors import public_products, public_shops


class ShopSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True  # each shop at / and at /en/, with its alternate
    alternates = True
    limit = 5000

    def items(self):
        return public_shops().only("slug", "updated_at").order_by("pk")

    def location(self, shop) -> str:
        return reverse("storefront:shop_detail", args=[shop.slug])

    def lastmod(self, shop):
        return shop.updated_at


class ProductSitemap(Sitemap):
    changefreq = "daily"
    i18n = True
    alternates = True
    limit = 5000

    def items(self):
        return public_products().only("slug", "updated_at").order_by("pk")

    def location(self, product) -> str:
        return reverse("storefront:product_detail", args=[product.slug])

    def lastmod(self, product):
        return product.updated_at
