"""The checkout API: place a guest checkout (one order per shop, under one code), and read a
checkout by its code.

Both endpoints are open to anyone (guest checkout; the code is the key) and take no session or
token: `authentication_classes = []`, so session CSRF never blocks a script, and an order placed
here has no buyer account.
"""

from __future__ import annotations

import re
from dataclasses import fields

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import DetailOut, SharedCacheThrottle
from marketplace.cart import MAX_LINES
from marketplace.languages import site_language
from marketplace.models import Checkout, DeliveryMethod
from marketplace.phone import normalize_phone
from marketplace.selectors import public_products
from marketplace.selectors.buying import checkout_by_code
from marketplace.services.checkout import (
    MAX_QUANTITY,
    CheckoutItem,
    CheckoutRefused,
    Contact,
    ShopChoice,
    checkout_place,
)
from marketplace.services.stock import NotEnoughStock

# Requests ------------------------------------------------------------------------------------


class ItemIn(serializers.Serializer):
    product = serializers.SlugField(max_length=170, help_text="The product's slug.")
    quantity = serializers.IntegerField(
        min_value=1, max_value=MAX_QUANTITY, help_text="Pieces, people or rooms."
    )
    variant = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Goods: the variant's id."
    )
    slot = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Experiences: the slot's id."
    )
    check_in = serializers.DateField(required=False, allow_null=True, help_text="Stays.")
    check_out = serializers.DateField(required=False, allow_null=True, help_text="Stays.")


class ContactIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    phone = serializers.CharField(
        max_length=25,
        help_text="An Indonesian mobile number (0812...) or any valid number with its country "
        "code (+44...); stored in E.164.",
    )
    email = serializers.EmailField()

    def validate_phone(self, value: str) -> str:
        try:
            return normalize_phone(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


DELIVERY_WITH_ADDRESS = (DeliveryMethod.LOCAL, DeliveryMethod.COURIER)


class ShopChoiceIn(serializers.Serializer):
    delivery = serializers.ChoiceField(
        choices=DeliveryMethod.choices, default=DeliveryMethod.PICKUP
    )
    kabupaten = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        default="",
        help_text="Courier: the destination kabupaten, as in the shop's rate table.",
    )
    address = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        default="",
        help_text="Local delivery and courier: where to deliver.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    voucher = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")

    def validate(self, attrs: dict) -> dict:
        if attrs["delivery"] in DELIVERY_WITH_ADDRESS and not attrs["address"].strip():
            raise serializers.ValidationError({"address": [_("Isi alamat pengiriman.")]})
        if attrs["delivery"] == DeliveryMethod.COURIER and not attrs["kabupaten"].strip():
            raise serializers.ValidationError({"kabupaten": [_("Pilih kabupaten/kota tujuan.")]})
        return attrs


class CheckoutIn(serializers.Serializer):
    items = ItemIn(many=True, allow_empty=False, max_length=MAX_LINES)
    contact = ContactIn()
    delivery = serializers.ChoiceField(
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.PICKUP,
        help_text='For every shop not named in "shops". Local delivery and courier need an '
        'address, so give those per shop in "shops".',
    )
    shops = serializers.DictField(
        child=ShopChoiceIn(),
        required=False,
        help_text="Per shop (by its slug): delivery, kabupaten, address, note, voucher.",
    )
    campaign = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The campaign that brought the buyer (utm_campaign, or a poster's short code), "
        "written on every order: lowercased and slug-safe, at most 80 characters.",
    )
    campaign_source = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The campaign's utm_source (kept only with a campaign).",
    )

    def validate_delivery(self, value: str) -> str:
        if value in DELIVERY_WITH_ADDRESS:
            raise serializers.ValidationError(
                _('Untuk antar lokal atau kurir, isi alamat per toko di "shops".')
            )
        return value

    def validate(self, attrs: dict) -> dict:
        shops = attrs.get("shops") or {}
        if shops:
            ordered = set(
                public_products()
                .filter(slug__in={item["product"] for item in attrs["items"]})
                .values_list("shop__slug", flat=True)
            )
            unknown = {
                slug: [_("Tidak ada barang dari toko ini dalam pesanan.")]
                for slug in shops
                if slug not in ordered
            }
            if unknown:
                raise serializers.ValidationError({"shops": unknown})
        return attrs


# Responses -----------------------------------------------------------------------------------


class PlacedOrderOut(serializers.Serializer):
    number = serializers.CharField()
    shop = serializers.CharField(source="shop.slug", help_text="The shop's slug.")
    total = serializers.IntegerField(help_text="Whole rupiah.")
    status = serializers.CharField()


class PlacedCheckoutOut(serializers.Serializer):
    code = serializers.CharField(help_text="The checkout's key: GET /api/v1/checkouts/<code>/.")
    orders = PlacedOrderOut(many=True, source="order_list")


class ShopOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class LineOut(serializers.Serializer):
    title = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.IntegerField()
    line_total = serializers.IntegerField()


class OrderOut(serializers.Serializer):
    number = serializers.CharField()
    shop = ShopOut()
    status = serializers.CharField()
    total = serializers.IntegerField()
    subtotal = serializers.IntegerField()
    delivery_fee = serializers.IntegerField()
    discount = serializers.IntegerField()
    expires_at = serializers.DateTimeField(help_text="The deadline to pay.")
    tracking_number = serializers.SerializerMethodField()
    lines = LineOut(many=True, source="lines.all")
    payments = serializers.SerializerMethodField(
        help_text="The order's payments, newest first: reference, provider, status, amount, "
        "expires_at, needs_attention."
    )

    def get_tracking_number(self, order) -> str | None:
        return order.tracking_number or None

    def get_payments(self, order) -> list[dict]:
        # Read once for all orders (see CheckoutDetailView): the marketplace does not import
        # payments, so the reader is named in settings.ORDER_PAYMENTS_READER.
        return self.context.get("payments", {}).get(order.pk, [])


class CheckoutOut(serializers.Serializer):
    code = serializers.CharField()
    orders = OrderOut(many=True, source="order_list")


class NotEnoughStockOut(serializers.Serializer):
    detail = serializers.CharField(help_text="A message naming the product.")
    product = serializers.CharField(help_text="The slug of the product that is short.")


# Views ---------------------------------------------------------------------------------------


class CheckoutThrottle(SharedCacheThrottle):
    """Placing reserves stock for a while, so one address may place only so many checkouts."""


# Which request field each of the service's refusals (CheckoutRefused.code) concerns.
CONTACT_FIELDS = {f.name for f in fields(Contact)}


def refusal_body(error: DjangoValidationError, *, items: int, shops: dict) -> dict:
    """The 400 body for a refusal of the checkout service, shaped as the request is (as DRF
    writes field errors): `{"items": [{}, {"quantity": [message]}]}`, `{"shops": {slug:
    {"voucher": [message]}}}`, `{"contact": {"email": [message]}}`, else `{"detail": message}`."""
    if hasattr(error, "error_dict"):
        if set(error.error_dict) <= CONTACT_FIELDS:
            return {"contact": error.message_dict}
        return {"detail": " ".join(error.messages)}
    messages = error.messages
    if isinstance(error, CheckoutRefused):
        if error.item is not None and error.field and 0 <= error.item < items:
            body: list[dict] = [{} for _ in range(items)]
            body[error.item] = {error.field: messages}
            return {"items": body}
        if error.code == "cart_empty":
            return {"items": messages}
        if error.shop and error.field:
            if error.shop in shops:
                return {"shops": {error.shop: {error.field: messages}}}
            # This shop took the top-level choice (only `delivery` can be refused there).
            if error.field == "delivery":
                return {"delivery": messages}
    return {"detail": " ".join(messages)}


class CheckoutCreateView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [CheckoutThrottle]
    throttle_scope = "checkout"

    @extend_schema(
        operation_id="checkout_create",
        tags=["checkout"],
        summary="Place a checkout: one order per shop, under one code",
        description=(
            "Prices come from the catalog. Stock, slot places and room-nights are reserved "
            "until the orders' payment deadline. Anonymous: the order has no buyer account."
        ),
        request=CheckoutIn,
        responses={
            201: PlacedCheckoutOut,
            400: OpenApiResponse(
                response={"type": "object", "additionalProperties": True},
                description="Bad input: errors keyed by the field that is wrong, shaped as the "
                'request, e.g. `{"contact": {"email": [message]}}`, `{"items": [{}, '
                '{"quantity": [message]}]}`, `{"shops": {slug: {"voucher": [message]}}}`; '
                'or `{"detail": message}`.',
            ),
            409: OpenApiResponse(
                response=NotEnoughStockOut,
                description="Stock, slot places or rooms are short; `product` names it.",
            ),
            415: DetailOut,
        },
        examples=[
            OpenApiExample(
                "Two products, picked up",
                request_only=True,
                value={
                    "items": [
                        {"product": "ulos-sadum", "quantity": 1, "variant": 12},
                        {"product": "wisata-perahu-danau-toba", "quantity": 2, "slot": 7},
                    ],
                    "contact": {
                        "name": "Anna Schmidt",
                        "phone": "0812 9876 5432",
                        "email": "anna@example.test",
                    },
                    "delivery": "pickup",
                },
            )
        ],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        incoming = CheckoutIn(data=request.data)
        if not incoming.is_valid():
            return Response(incoming.errors, status=status.HTTP_400_BAD_REQUEST)
        data = incoming.validated_data
        # The top-level delivery can only be pickup (validate_delivery), ShopChoice's default.
        shops = {slug: ShopChoice(**choice) for slug, choice in (data.get("shops") or {}).items()}
        items = [CheckoutItem(**item) for item in data["items"]]
        try:
            checkout = checkout_place(
                items=items,
                contact=Contact(**data["contact"]),
                choices=shops,
                # /api/ has no language prefix, so LocaleMiddleware always activates "id":
                # the client's language comes from its cookie or Accept-Language.
                language=site_language(get_language_from_request(request)),
                campaign=data.get("campaign", ""),
                campaign_source=data.get("campaign_source", ""),
            )
        except NotEnoughStock as error:
            return Response(
                {"detail": str(error), "product": error.product_slug},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as error:
            return Response(
                refusal_body(error, items=len(items), shops=shops),
                status=status.HTTP_400_BAD_REQUEST,
            )
        checkout.order_list = list(checkout.orders.select_related("shop").order_by("id"))
        return Response(
            PlacedCheckoutOut(checkout).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-checkout-detail", args=[checkout.code])},
        )


class CheckoutDetailView(APIView):
    """A checkout's orders with their status, totals, lines and payments."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="checkout_retrieve",
        tags=["checkout"],
        summary="A checkout's orders, by the checkout's code",
        responses={200: CheckoutOut, 404: DetailOut},
        auth=[],
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            # A code is url-safe base64; anything else (a NUL would make PostgreSQL refuse the
            # query) is no checkout, without asking the database.
            if not re.fullmatch(r"[-_A-Za-z0-9]{1,64}", code):
                raise Checkout.DoesNotExist
            checkout = checkout_by_code(code)
        except Checkout.DoesNotExist:
            return Response({"detail": _("Checkout tidak ditemukan.")}, status=404)
        read_payments = import_string(settings.ORDER_PAYMENTS_READER)
        payments = read_payments([order.pk for order in checkout.order_list])
        response = Response(CheckoutOut(checkout, context={"payments": payments}).data)
        response["Cache-Control"] = "no-store"
        return response
