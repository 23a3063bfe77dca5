"""POST /api/v1/orders/<number>/payments/: start paying an order (DESIGN.md's contract)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.models import Order
from payments.models import Payment, Provider
from payments.services import PaymentRefused, payment_start


class PaymentStartSerializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=Provider.choices)


class PaymentSerializer(serializers.ModelSerializer):
    qris_payload = serializers.CharField(source="qr_payload", allow_blank=True)

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


class OrderPaymentsView(APIView):
    authentication_classes: list = []  # guests pay; CSRF does not apply to this JSON API
    permission_classes: list = []

    @extend_schema(
        request=PaymentStartSerializer,
        responses={
            201: PaymentSerializer,
            400: OpenApiResponse(description="bad input"),
            409: OpenApiResponse(description="the order cannot be paid now"),
        },
    )
    def post(self, request: Request, number: str) -> Response:
        order = get_object_or_404(Order, number=number)
        body = PaymentStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            payment = payment_start(order=order, provider=body.validated_data["provider"])
        except PaymentRefused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)
