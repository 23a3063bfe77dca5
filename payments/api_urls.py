from django.urls import path

from payments.api import OrderPaymentsView

urlpatterns = [
    path("orders/<str:number>/payments/", OrderPaymentsView.as_view(), name="api-order-payments"),
]
