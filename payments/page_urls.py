"""The buyer's payment pages, at /pay/ (and /en/pay/): config/urls.py includes them."""

from django.urls import path

from payments.views import pay, pay_all, proofs

app_name = "pay"
urlpatterns = [
    path("<str:code>/", pay_all.checkout_pay, name="checkout"),
    path("<str:code>/<str:number>/", pay.order_pay, name="order"),
    path("<str:code>/<str:number>/status.json", pay.status_json, name="status"),
    path("<str:code>/<str:number>/<str:reference>/", pay.payment_detail, name="payment"),
    path("<str:code>/<str:number>/<str:reference>/proof/", pay.payment_proof, name="proof"),
    path(
        "<str:code>/<str:number>/<str:reference>/proof/file/",
        proofs.buyer_proof,
        name="proof_file",
    ),
]
