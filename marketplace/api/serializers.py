"""What the public catalog API writes. Read-only: every field comes from the selectors'
prefetched rows, so a list costs the same number of queries for 5 products as for 500."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.models import ExperienceSlot, Product, ProductKind, Shop, StayNight, Variant
from marketplace.selectors.storefront import (
    API_IMAGE_SPEC,
    API_LOGO_SPEC,
    included_list,
    total_stock,
)


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def _page_url(request, name: str, slug: str) -> str:
    """The storefront page, at its Indonesian address (the API answers the same to everyone)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _absolute(request, reverse(name, args=[slug]))


class NamedSlugSerializer(serializers.Serializer):
    """A category or a kecamatan: its slug (what the filters take) and its name."""

    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class ShopRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class LocationSerializer(serializers.Serializer):
    address = serializers.CharField(read_only=True)
    desa = serializers.CharField(read_only=True, allow_null=True)
    kecamatan = serializers.CharField(read_only=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)


class ShopSerializer(serializers.ModelSerializer):
    category = NamedSlugSerializer(read_only=True)
    kecamatan = NamedSlugSerializer(read_only=True)
    logo = serializers.SerializerMethodField(help_text="URL of a 192×192 WebP logo, or null.")
    location = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The shop's page on the storefront.")

    class Meta:
        model = Shop
        fields = [
            "slug",
            "name",
            "story",
            "category",
            "kecamatan",
            "whatsapp",
            "logo",
            "location",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_logo(self, shop: Shop) -> str | None:
        if shop.logo is None:
            return None
        return _absolute(self.context.get("request"), shop.logo.get_rendition(API_LOGO_SPEC).url)

    @extend_schema_field(LocationSerializer)
    def get_location(self, shop: Shop) -> dict:
        return {
            "address": shop.address,
            "desa": shop.desa.name if shop.desa else None,
            "kecamatan": shop.kecamatan.name,
            "latitude": float(shop.latitude) if shop.latitude is not None else None,
            "longitude": float(shop.longitude) if shop.longitude is not None else None,
        }

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, shop: Shop) -> str:
        return _page_url(self.context.get("request"), "storefront:shop_detail", shop.slug)


class VariantSerializer(serializers.ModelSerializer):
    free = serializers.IntegerField(
        read_only=True, help_text="Units that can be bought now: on hand less allocated."
    )
    stock = serializers.IntegerField(
        source="free", read_only=True, help_text="The older name of `free`, kept for clients."
    )

    class Meta:
        model = Variant
        fields = ["id", "name", "price", "free", "stock"]
        read_only_fields = fields


class SlotSerializer(serializers.ModelSerializer):
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = ExperienceSlot
        fields = ["id", "starts_at", "capacity", "places_left"]
        read_only_fields = fields


class NightSerializer(serializers.ModelSerializer):
    rooms_free = serializers.IntegerField(
        read_only=True, help_text="Rooms that can be booked that night: rooms less booked."
    )
    units_free = serializers.IntegerField(
        source="rooms_free", read_only=True, help_text="The older name of `rooms_free`."
    )

    class Meta:
        model = StayNight
        fields = ["night", "rooms_free", "units_free"]
        read_only_fields = fields


class ExperienceFactsSerializer(serializers.Serializer):
    duration_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    meeting_point = serializers.CharField(read_only=True)
    meeting_latitude = serializers.FloatField(read_only=True, allow_null=True)
    meeting_longitude = serializers.FloatField(read_only=True, allow_null=True)
    included = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="What the price includes."
    )
    guide_languages = serializers.CharField(read_only=True)
    group_size_max = serializers.IntegerField(read_only=True, allow_null=True)
    cancellation_terms = serializers.CharField(read_only=True)


class StayFactsSerializer(serializers.Serializer):
    guests_per_room = serializers.IntegerField(read_only=True, allow_null=True)
    check_in_time = serializers.TimeField(
        read_only=True, allow_null=True, format="%H:%M", help_text="Local time, HH:MM."
    )
    check_out_time = serializers.TimeField(
        read_only=True, allow_null=True, format="%H:%M", help_text="Local time, HH:MM."
    )


class ProductSerializer(serializers.ModelSerializer):
    category = NamedSlugSerializer(read_only=True)
    kecamatan = NamedSlugSerializer(source="shop.kecamatan", read_only=True)
    shop = ShopRefSerializer(read_only=True)
    images = serializers.SerializerMethodField(
        help_text="URLs of the photos (WebP, at most 800×800), in the seller's order."
    )
    stock = serializers.SerializerMethodField(
        help_text="Goods: the free stock (on hand less allocated) of all variants together. "
        "Null for other kinds."
    )
    variants = serializers.SerializerMethodField(help_text="Goods: the variants. Null otherwise.")
    slots = serializers.SerializerMethodField(
        help_text="Experiences: the upcoming departures (at most 60). Null otherwise."
    )
    nights = serializers.SerializerMethodField(
        help_text="Stays: the upcoming nights from today (at most 60). Null otherwise."
    )
    experience = serializers.SerializerMethodField(
        help_text="Experiences: duration, meeting point and its position, what is included, "
        "guide languages, group size, cancellation terms. Null otherwise."
    )
    stay = serializers.SerializerMethodField(
        help_text="Stays: guests per room, check-in and check-out times. Null otherwise."
    )
    weight_grams = serializers.SerializerMethodField(
        help_text="Goods: the weight of one piece, for the courier fee. Null otherwise."
    )
    url = serializers.SerializerMethodField(help_text="The product's page on the storefront.")

    class Meta:
        model = Product
        fields = [
            "slug",
            "title",
            "kind",
            "price",
            "description",
            "category",
            "kecamatan",
            "shop",
            "images",
            "stock",
            "variants",
            "slots",
            "nights",
            "experience",
            "stay",
            "weight_grams",
            "url",
        ]
        read_only_fields = fields
        extra_kwargs = {"price": {"help_text": "Whole rupiah (IDR)."}}

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_images(self, product: Product) -> list[str]:
        request = self.context.get("request")
        return [
            _absolute(request, photo.image.get_rendition(API_IMAGE_SPEC).url)
            for photo in product.photo_list
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_stock(self, product: Product) -> int | None:
        return total_stock(product) if product.kind == ProductKind.GOODS else None

    @extend_schema_field(VariantSerializer(many=True, allow_null=True))
    def get_variants(self, product: Product) -> list[dict] | None:
        if product.kind != ProductKind.GOODS:
            return None
        return VariantSerializer(product.variant_list, many=True).data

    @extend_schema_field(SlotSerializer(many=True, allow_null=True))
    def get_slots(self, product: Product) -> list[dict] | None:
        if product.kind != ProductKind.EXPERIENCE:
            return None
        return SlotSerializer(product.upcoming_slots, many=True).data

    @extend_schema_field(NightSerializer(many=True, allow_null=True))
    def get_nights(self, product: Product) -> list[dict] | None:
        if product.kind != ProductKind.STAY:
            return None
        return NightSerializer(product.upcoming_nights, many=True).data

    @extend_schema_field(ExperienceFactsSerializer(allow_null=True))
    def get_experience(self, product: Product) -> dict | None:
        if product.kind != ProductKind.EXPERIENCE:
            return None
        facts = {
            "duration_minutes": product.duration_minutes,
            "meeting_point": product.meeting_point,
            "meeting_latitude": product.meeting_latitude,
            "meeting_longitude": product.meeting_longitude,
            "included": included_list(product),
            "guide_languages": product.guide_languages,
            "group_size_max": product.group_size_max,
            "cancellation_terms": product.cancellation_terms,
        }
        return ExperienceFactsSerializer(facts).data

    @extend_schema_field(StayFactsSerializer(allow_null=True))
    def get_stay(self, product: Product) -> dict | None:
        if product.kind != ProductKind.STAY:
            return None
        return StayFactsSerializer(product).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_weight_grams(self, product: Product) -> int | None:
        return product.weight_grams if product.kind == ProductKind.GOODS else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, product: Product) -> str:
        return _page_url(self.context.get("request"), "storefront:product_detail", product.slug)
