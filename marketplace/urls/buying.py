"""The buyer's pages (inside i18n_patterns: `/cart/` in Indonesian, `/en/cart/` in English)."""

from django.urls import path

from marketplace.views.buying import cart, checkout, orders, reviews

app_name = "buying"

urlpatterns = [
    path("cart/", cart.cart_detail, name="cart"),
    path("cart/add/", cart.cart_add, name="cart_add"),
    path("cart/update/", cart.cart_update, name="cart_update"),
    path("cart/remove/", cart.cart_remove, name="cart_remove"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("orders/<str:code>/", orders.checkout_detail, name="checkout_detail"),
    path("orders/<str:code>/<str:number>/receipt/", orders.order_receipt, name="order_receipt"),
    path("orders/<str:code>/<str:number>/review/", reviews.review_add, name="review_add"),
]
