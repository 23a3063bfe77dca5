"""POST /api/v1/orders/<number>/payments/: start paying an order (DESIGN.md's contract).

The order number is printed on packing slips and in mails, so it proves nothing: the body must
also carry the checkout's code, the secret only the buyer holds (as the /pay/<code>/<number>/
pages require). A missing or wrong code answers exactly what an unknown number answers.
"""

from __future__ import annotations

import hmac
import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import DetailOut, SharedCacheThrottle
from marketplace.models import Order
from payments.models import Payment, Provider
from payments.services import PaymentRefused, payment_start

# Order numbers are "PK" + date + "-" + six letters or digits; anything else is no order, and
# never reaches the database (a NUL in a path would make PostgreSQL refuse the query).
NUMBER = re.compile(r"[-A-Za-z0-9]{1,20}")


class PaymentStartSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=Provider.choices)
    checkout = serializers.CharField(
        max_length=64,
        help_text="The code of the checkout the order belongs to (POST /api/v1/checkout/ "
        "answers it): only the buyer holds it.",
    )


class PaymentSerializer(serializers.ModelSerializer):
    qris_payload = serializers.CharField(source="qr_payload", allow_blank=True, required=False)
    client_secret = serializers.CharField(allow_blank=True, required=False)

    class Meta:
        model = Payment
        fields = [
            "reference",
            "provider",
            "status",
            "amount",
            "expires_at",
            "qris_payload",
            "client_secret",
        ]

    def to_representation(self, payment: Payment) -> dict:
        data = super().to_representation(payment)
        # Each provider answers with what its buyer needs, and nothing else.
        if payment.provider != Provider.QRIS:
            data.pop("qris_payload")
        if payment.provider != Provider.STRIPE:
            data.pop("client_secret")
        return data


class PaymentsThrottle(SharedCacheThrottle):
    """Each call may start a payment at a provider, and each is a guess at a checkout code."""


def _order_for(number: str, code: object) -> Order:
    """The order with this number if `code` is its checkout's code; NotFound otherwise, the
    same for an unknown number, a missing code and a wrong one."""
    not_found = NotFound(_("Pesanan tidak ditemukan."))
    if not isinstance(code, str) or not code or not NUMBER.fullmatch(number):
        raise not_found
    order = Order.objects.select_related("checkout").filter(number=number).first()
    # compare_digest: the time taken says nothing about how much of the code was right.
    if order is None or not hmac.compare_digest(
        order.checkout.code.encode(), code.encode("utf-8", "surrogatepass")
    ):
        raise not_found
    return order


class OrderPaymentsView(APIView):
    authentication_classes: list = []  # guests pay; CSRF does not apply to this JSON API
    permission_classes: list = []
    parser_classes = [JSONParser]
    throttle_classes = [PaymentsThrottle]
    throttle_scope = "payments"

    @extend_schema(
        operation_id="order_payment_create",
        tags=["payments"],
        summary="Start paying an order (or get its pending payment of that provider)",
        request=PaymentStartSerializer,
        responses={
            201: PaymentSerializer,
            400: OpenApiResponse(
                description='Bad input, e.g. `{"provider": [message]}`.',
                response={"type": "object", "additionalProperties": True},
            ),
            404: OpenApiResponse(
                response=DetailOut,
                description="No such order, or `checkout` is missing or not its checkout's "
                "code: the same answer for each.",
            ),
            409: OpenApiResponse(
                response=DetailOut,
                description="The order cannot be paid now, or not this way.",
            ),
        },
        examples=[
            OpenApiExample(
                "QRIS",
                request_only=True,
                value={"provider": "qris", "checkout": "eahCS1__7PJbwqvF"},
            )
        ],
        auth=[],
    )
    def post(self, request: Request, number: str) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        # The code first: whoever lacks it learns nothing, not even what else is wrong.
        order = _order_for(number, data.get("checkout"))
        body = PaymentStartSerializer(data=data)
        body.is_valid(raise_exception=True)
        try:
            payment = payment_start(order=order, provider=body.validated_data["provider"])
        except PaymentRefused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        response = Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"  # a client secret or a payable QR
        return response
