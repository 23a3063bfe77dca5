"""/api/v1/checkout/ and /api/v1/checkouts/<code>/ (config/urls.py includes this module)."""

from django.urls import path

from .checkout import CheckoutCreateView, CheckoutDetailView

urlpatterns = [
    path("checkout/", CheckoutCreateView.as_view(), name="api-checkout-create"),
    path("checkouts/<str:code>/", CheckoutDetailView.as_view(), name="api-checkout-detail"),
]
