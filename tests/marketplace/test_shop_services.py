import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.models import OutboxEvent, ShopMember, ShopRole, ShopStatus
from marketplace.services import shops
from tests.factories import CategoryFactory, KecamatanFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db


def register(owner=None, **fields):
    return shops.shop_register(
        owner=owner or UserFactory(),
        name="Ulos Boru Siahaan",
        category=CategoryFactory(),
        kecamatan=KecamatanFactory(),
        **fields,
    )


def event_names() -> list[str]:
    return list(OutboxEvent.objects.order_by("created_at").values_list("name", flat=True))


def test_a_registered_shop_is_a_draft_owned_by_its_seller():
    owner = UserFactory()
    shop = register(owner, whatsapp="0812 3456 7890")
    assert shop.status == ShopStatus.DRAFT
    assert shop.slug == "ulos-boru-siahaan"
    assert shop.whatsapp == "+6281234567890"
    assert ShopMember.objects.get(shop=shop).user == owner
    assert event_names() == ["shop.registered"]


def test_two_shops_with_the_same_name_get_different_slugs():
    assert register().slug != register().slug


def test_a_bad_whatsapp_number_saves_nothing():
    with pytest.raises(ValidationError):
        register(whatsapp="12345")
    assert not OutboxEvent.objects.exists()


def test_a_bad_nib_is_refused():
    with pytest.raises(ValidationError, match="13 angka"):
        register(nib="12AB")


def test_the_verification_path():
    editor = UserFactory()
    shop = register()
    shops.shop_submit(shop=shop)
    shop = shops.shop_reject(shop=shop, by=editor, reason="Foto KTP tidak terbaca")
    assert shop.status == ShopStatus.REJECTED and shop.status_reason == "Foto KTP tidak terbaca"
    shops.shop_submit(shop=shop)
    shop = shops.shop_verify(shop=shop, by=editor)
    assert shop.status == ShopStatus.VERIFIED and shop.verified_by == editor
    shop = shops.shop_suspend(shop=shop, by=editor, reason="Keluhan pembeli")
    assert shop.status == ShopStatus.SUSPENDED
    assert event_names() == [
        "shop.registered",
        "shop.submitted",
        "shop.rejected",
        "shop.submitted",
        "shop.verified",
        "shop.suspended",
    ]


def test_a_draft_cannot_be_verified_and_nothing_changes():
    shop = register()
    with pytest.raises(shops.IllegalShopTransition):
        shops.shop_verify(shop=shop, by=UserFactory())
    shop.refresh_from_db()
    assert shop.status == ShopStatus.DRAFT
    assert event_names() == ["shop.registered"]


def test_a_rejection_needs_a_reason():
    shop = register()
    shops.shop_submit(shop=shop)
    with pytest.raises(ValidationError, match="alasan"):
        shops.shop_reject(shop=shop, by=UserFactory(), reason="  ")


def test_only_the_owner_adds_and_removes_staff():
    owner, staff, other = UserFactory(), UserFactory(), UserFactory()
    shop = ShopFactory(owner=owner)
    member = shops.member_add(shop=shop, by=owner, email=staff.email.upper())
    assert member.role == ShopRole.STAFF
    with pytest.raises(PermissionDenied):
        shops.member_add(shop=shop, by=staff, email=other.email)
    with pytest.raises(ValidationError, match="sudah menjadi anggota"):
        shops.member_add(shop=shop, by=owner, email=staff.email)
    with pytest.raises(ValidationError, match="Belum ada akun"):
        shops.member_add(shop=shop, by=owner, email="nobody@pasar.test")
    owner_row = ShopMember.objects.get(shop=shop, user=owner)
    with pytest.raises(ValidationError):
        shops.member_remove(shop=shop, by=owner, member=owner_row)
    shops.member_remove(shop=shop, by=owner, member=member)
    assert not ShopMember.objects.filter(user=staff).exists()


def test_a_shop_called_new_does_not_take_the_slug_of_the_new_shop_page():
    shop = shops.shop_register(
        owner=UserFactory(), name="New", category=CategoryFactory(), kecamatan=KecamatanFactory()
    )
    assert shop.slug == "new-2"
