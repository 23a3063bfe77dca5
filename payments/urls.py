from django.urls import path

from payments.views import qr, webhooks

app_name = "payments"
urlpatterns = [
    path("webhooks/qris/", webhooks.qris_webhook, name="webhook_qris"),
    path("webhooks/stripe/", webhooks.stripe_webhook, name="webhook_stripe"),
    path("<str:reference>/qr.svg", qr.payment_qr_svg, name="qr_svg"),
]
