"""Factories for tests. Build through the services where a rule matters; these make rows."""

import io
from datetime import timedelta

import factory
from django.utils import timezone
from PIL import Image as PILImage

from marketplace.models import (
    Category,
    ExperienceSlot,
    Kabupaten,
    Kecamatan,
    Product,
    ProductKind,
    ProductStatus,
    Shop,
    ShopMember,
    ShopRole,
    ShopStatus,
    StayNight,
    User,
    Variant,
    Voucher,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@pasar.test")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password("rahasia-123")


class KabupatenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kabupaten
        django_get_or_create = ("slug",)

    name = "Toba"
    slug = "toba"
    province = "Sumatera Utara"


class KecamatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kecamatan
        django_get_or_create = ("slug",)

    kabupaten = factory.SubFactory(KabupatenFactory)
    name = factory.Iterator(["Balige", "Laguboti", "Porsea", "Ajibata"])
    slug = factory.LazyAttribute(lambda o: o.name.lower())


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Iterator(["Tenun dan Ulos", "Kopi", "Wisata Danau", "Homestay"])
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Toko Ulos {n}")
    slug = factory.Sequence(lambda n: f"toko-ulos-{n}")
    story = "Tenun tangan dari Balige."
    category = factory.SubFactory(CategoryFactory)
    kecamatan = factory.SubFactory(KecamatanFactory)
    whatsapp = "+6281234567890"
    status = ShopStatus.VERIFIED

    @factory.post_generation
    def owner(self, create, extracted, **kwargs):
        """ShopFactory(owner=user) makes that user the owner; otherwise a new user is."""
        if not create:
            return
        ShopMember.objects.create(shop=self, user=extracted or UserFactory(), role=ShopRole.OWNER)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    shop = factory.SubFactory(ShopFactory)
    kind = ProductKind.GOODS
    title = factory.Sequence(lambda n: f"Ulos Sadum {n}")
    slug = factory.Sequence(lambda n: f"ulos-sadum-{n}")
    description = "Ulos tenunan tangan."
    category = factory.SelfAttribute("shop.category")
    price = 350_000
    status = ProductStatus.ACTIVE
    weight_grams = 500

    @factory.post_generation
    def stock(self, create, extracted, **kwargs):
        """Goods get one variant with `stock` on hand (default 10); pass stock=False for none."""
        if create and self.kind == ProductKind.GOODS and extracted is not False:
            Variant.objects.create(
                product=self,
                name="Standar",
                price=self.price,
                on_hand=10 if extracted is None else extracted,
            )


class ExperienceSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceSlot

    product = factory.SubFactory(ProductFactory, kind=ProductKind.EXPERIENCE, stock=False)
    starts_at = factory.Sequence(lambda n: timezone.now() + timedelta(days=n + 1))
    capacity = 12


class StayNightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StayNight

    product = factory.SubFactory(ProductFactory, kind=ProductKind.STAY, stock=False)
    night = factory.Sequence(lambda n: timezone.localdate() + timedelta(days=n + 1))
    rooms = 3


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), exif=None) -> bytes:
    """A small real image, optionally with EXIF (a PIL.Image.Exif)."""
    out = io.BytesIO()
    image = PILImage.new("RGB", size, (150, 40, 30))
    options = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def voucher_for(shop, code: str = "HORAS10", **extra) -> Voucher:
    """A voucher of `shop` valid from yesterday to tomorrow: 10% with a quota of 5 unless
    `kind`, `value` or `quota` say otherwise."""
    now = timezone.now()
    return Voucher.objects.create(
        shop=shop,
        code=code,
        kind=extra.pop("kind", "percent"),
        value=extra.pop("value", 10),
        quota=extra.pop("quota", 5),
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=1),
        **extra,
    )
