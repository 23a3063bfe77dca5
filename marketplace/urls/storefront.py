"""The public storefront (inside i18n_patterns: `/shops/` in Indonesian, `/en/shops/` in
English)."""

from django.urls import path

from marketplace.views.storefront import products, shops, wishlist

app_name = "storefront"

urlpatterns = [
    path("shops/", shops.shop_list, name="shop_list"),
    path("shops/<slug:slug>/", shops.shop_detail, name="shop_detail"),
    path("products/<slug:slug>/", products.product_detail, name="product_detail"),
    path("products/<slug:slug>/wishlist/", wishlist.wishlist_toggle, name="wishlist_toggle"),
    path("wishlist/", wishlist.wishlist_list, name="wishlist"),
]
