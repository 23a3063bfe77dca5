"""/api/v1/shops/ and /api/v1/products/ (config/urls.py includes this module). URL names:
api-shop-list, api-shop-detail, api-product-list, api-product-detail (no namespace, like the
other API modules)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import ProductViewSet, ShopViewSet

router = SimpleRouter()
router.register("shops", ShopViewSet, basename="api-shop")
router.register("products", ProductViewSet, basename="api-product")

urlpatterns = [
    path("", include(router.urls)),
]
