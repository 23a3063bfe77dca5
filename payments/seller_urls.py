"""The seller's payments, at /seller/<shop_slug>/payments/: config/urls.py includes them, so
every view receives shop_slug (and checks it with marketplace.access.seller_shop)."""

from django.urls import path

from payments.views import proofs, seller

app_name = "seller_payments"
urlpatterns = [
    path("", seller.payment_list, name="list"),
    path("qris/", seller.qris_setup, name="qris"),
    path("angka/", seller.shop_figures, name="figures"),
    path("<str:reference>/confirm/", seller.payment_confirm, name="confirm"),
    path("<str:reference>/reject/", seller.payment_reject, name="reject"),
    path("<str:reference>/refund/", seller.payment_refund_view, name="refund"),
    path("<str:reference>/proof/", proofs.seller_proof, name="proof"),
]
