from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import index as sitemap_index
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.sitemaps import PromotionSitemap
from marketplace.sitemaps import ProductSitemap, ShopSitemap
from marketplace.views.health import healthz

SITEMAPS = {"pages": PromotionSitemap, "shops": ShopSitemap, "products": ProductSitemap}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # An index of paged sections (5,000 URLs each), cached: 100,000 products fit.
    path(
        "sitemap.xml",
        cache_page(3600)(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(3600)(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("marketplace.api.urls")),
    path("api/v1/", include("marketplace.api.checkout_urls")),
    path("api/v1/", include("payments.api_urls")),
    path("api/v1/", include("search.api_urls")),
    path("payments/", include("payments.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG:  # the embedded run serves uploads itself; production serves them elsewhere
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Indonesian at `/`, English at `/en/`. Wagtail's catch-all comes last.
urlpatterns += i18n_patterns(
    path("accounts/", include("marketplace.urls.accounts")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("seller/<slug:shop_slug>/payments/", include("payments.seller_urls")),
    path("seller/", include("marketplace.urls.seller")),
    path("pay/", include("payments.page_urls")),
    path("", include("search.urls")),
    path("", include("marketplace.urls.buying")),
    path("", include("marketplace.urls.storefront")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
