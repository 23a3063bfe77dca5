"""The buyer's pages: cart, checkout, the checkout's orders (by code), receipts and reviews."""
