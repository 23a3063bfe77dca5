"""The public storefront: shop list, shop page, product page, wishlist."""
