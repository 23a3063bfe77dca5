from django.urls import path

from payments.views import webhooks

app_name = "payments"
urlpatterns = [
    path("webhooks/qris/", webhooks.qris_webhook, name="webhook_qris"),
    path("webhooks/stripe/", webhooks.stripe_webhook, name="webhook_stripe"),
]
