"""The seller's shops: the list, opening a shop, the dashboard with its status, submitting for
verification, and the profile."""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image as PILImage

from marketplace.models import Desa, Order, OrderStatus, OutboxEvent, Shop, ShopRole, ShopStatus
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from tests.factories import (
    CategoryFactory,
    KecamatanFactory,
    ProductFactory,
    ShopFactory,
    UserFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def exif_with_gps() -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[0x010F] = "KameraHP"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (2.0, 20.0, 10.0)
    gps[3] = "E"
    gps[4] = (99.0, 4.0, 30.0)
    return exif


def shop_data(**overrides) -> dict:
    data = {
        "name": "Kopi Lintong Nauli",
        "category": CategoryFactory(name="Kopi", slug="kopi").pk,
        "kecamatan": KecamatanFactory(name="Balige", slug="balige").pk,
        "address": "Jl. Sisingamangaraja 12, Balige",
        "whatsapp": "0812-3456-7890",
        "story": "Kopi dari kebun keluarga.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def seller(client):
    user = UserFactory()
    client.force_login(user)
    return user


# The list -------------------------------------------------------------------------------


def test_the_list_shows_each_shop_of_the_user_with_a_link(client, seller):
    first = ShopFactory(owner=seller, name="Ulos Boru Siahaan")
    second = ShopFactory(name="Homestay Tepi Danau")
    second.memberships.create(user=seller, role=ShopRole.STAFF)
    page = client.get(reverse("seller:home")).content.decode()
    for shop in (first, second):
        assert shop.name in page
        assert reverse("seller:dashboard", args=[shop.slug]) in page
    assert "Buka toko" in page
    assert reverse("seller:shop_create") in page


def test_the_list_of_a_new_seller_invites_to_open_a_shop(client, seller):
    page = client.get(reverse("seller:home")).content.decode()
    assert "belum punya toko" in page
    assert reverse("seller:shop_create") in page


# Opening a shop -------------------------------------------------------------------------


def test_opening_a_shop_makes_a_draft_owned_by_the_seller(client, seller):
    response = client.post(reverse("seller:shop_create"), shop_data(nib="1234567890123"))
    shop = Shop.objects.get(name="Kopi Lintong Nauli")
    assert response.status_code == 302
    assert response["Location"] == reverse("seller:dashboard", args=[shop.slug])
    assert shop.status == ShopStatus.DRAFT
    assert shop.whatsapp == "+6281234567890"
    assert shop.nib == "1234567890123"
    assert shop.memberships.get().user == seller
    assert shop.memberships.get().role == ShopRole.OWNER
    assert OutboxEvent.objects.filter(name="shop.registered").count() == 1


def test_the_shop_form_shows_indonesian_errors_next_to_the_fields(client, seller):
    response = client.post(
        reverse("seller:shop_create"),
        shop_data(name="", whatsapp="12345", nib="123", latitude="2.3"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    with translation.override("id"):
        required = str(forms.Field.default_error_messages["required"])
    assert required != "This field is required."  # Django's own Indonesian
    assert form.errors["name"] == [required]
    assert "Nomor HP Indonesia tidak valid" in form.errors["whatsapp"][0]
    assert "NIB terdiri dari 13 angka." in form.errors["nib"]
    assert "Isi lintang dan bujur bersama-sama" in form.errors["longitude"][0]
    page = response.content.decode()
    # The message sits inside the field's own block, right by its input.
    whatsapp_block = page.split('id="id_whatsapp"')[0].rsplit('<div class="field', 1)[1]
    assert "Nomor HP Indonesia tidak valid" in whatsapp_block
    assert not Shop.objects.exists()


def test_a_desa_must_lie_in_the_chosen_kecamatan(client, seller):
    porsea = KecamatanFactory(name="Porsea", slug="porsea")
    desa = Desa.objects.create(kecamatan=porsea, name="Patane", slug="patane")
    response = client.post(reverse("seller:shop_create"), shop_data(desa=desa.pk))
    assert "tidak berada di Kecamatan Balige" in response.context["form"].errors["desa"][0]
    assert not Shop.objects.exists()


def test_bank_details_come_complete_or_not_at_all(client, seller):
    response = client.post(reverse("seller:shop_create"), shop_data(bank_name="BRI"))
    errors = response.context["form"].errors
    assert "bank_account_number" in errors and "bank_account_name" in errors
    assert not Shop.objects.exists()


def test_a_logo_is_stored_without_its_gps(client, seller):
    logo = SimpleUploadedFile(
        "logo.jpg", image_bytes(exif=exif_with_gps()), content_type="image/jpeg"
    )
    client.post(reverse("seller:shop_create"), shop_data(logo=logo))
    shop = Shop.objects.get()
    with shop.logo.file.open("rb") as stored, PILImage.open(stored) as photo:
        assert not photo.getexif().get_ifd(GPS_IFD)
        assert 0x010F not in photo.getexif()


def test_a_logo_that_is_not_a_photo_is_refused_and_nothing_is_created(client, seller):
    logo = SimpleUploadedFile("logo.jpg", b"%PDF-1.4 bukan foto", content_type="image/jpeg")
    response = client.post(reverse("seller:shop_create"), shop_data(logo=logo))
    assert response.status_code == 200
    assert "Berkas ini bukan foto" in response.context["form"].errors["logo"][0]
    assert not Shop.objects.exists()


# The dashboard --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (ShopStatus.DRAFT, "Draf"),
        (ShopStatus.PENDING, "Menunggu verifikasi"),
        (ShopStatus.VERIFIED, "Terverifikasi"),
        (ShopStatus.REJECTED, "Ditolak"),
        (ShopStatus.SUSPENDED, "Ditangguhkan"),
    ],
)
def test_the_dashboard_shows_the_status(client, seller, status, text):
    shop = ShopFactory(owner=seller, status=status, status_reason="Foto KTP kurang jelas.")
    page = client.get(reverse("seller:dashboard", args=[shop.slug])).content.decode()
    assert text in page
    can_submit = status in {ShopStatus.DRAFT, ShopStatus.REJECTED}
    assert ("Ajukan verifikasi" in page) == can_submit
    if status in {ShopStatus.REJECTED, ShopStatus.SUSPENDED}:
        assert "Foto KTP kurang jelas." in page


def test_the_dashboard_counts_products_and_low_stock(client, seller):
    shop = ShopFactory(owner=seller)
    ProductFactory(shop=shop, stock=1)  # low (threshold 3)
    ProductFactory(shop=shop, stock=50)
    ProductFactory(shop=shop, stock=0, status="archived")  # archived: not counted as low
    ProductFactory(shop=ShopFactory(), stock=0)  # another shop
    response = client.get(reverse("seller:dashboard", args=[shop.slug]))
    overview = response.context["overview"]
    assert overview.products_total == 3
    assert overview.products_active == 2
    assert overview.products_archived == 1
    assert overview.low_stock == 1


def test_submitting_for_verification_moves_a_draft_to_pending(client, seller):
    shop = ShopFactory(owner=seller, status=ShopStatus.REJECTED, status_reason="Kurang foto")
    response = client.post(reverse("seller:shop_submit", args=[shop.slug]))
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.status == ShopStatus.PENDING
    assert shop.status_reason == ""
    page = client.get(response["Location"]).content.decode()
    assert "diajukan untuk verifikasi" in page


def test_submitting_twice_is_refused_with_a_message(client, seller):
    shop = ShopFactory(owner=seller, status=ShopStatus.PENDING)
    response = client.post(reverse("seller:shop_submit", args=[shop.slug]), follow=True)
    assert "tidak dapat diubah" in response.content.decode()
    shop.refresh_from_db()
    assert shop.status == ShopStatus.PENDING


def test_staff_see_the_status_but_no_submit_button(client):
    staff = UserFactory()
    shop = ShopFactory(status=ShopStatus.DRAFT)
    shop.memberships.create(user=staff, role=ShopRole.STAFF)
    client.force_login(staff)
    page = client.get(reverse("seller:dashboard", args=[shop.slug])).content.decode()
    assert "Draf" in page
    assert reverse("seller:shop_submit", args=[shop.slug]) not in page
    assert reverse("seller:profile", args=[shop.slug]) not in page
    assert reverse("seller:members", args=[shop.slug]) not in page


# The profile ----------------------------------------------------------------------------


def test_the_owner_edits_the_profile(client, seller):
    shop = ShopFactory(owner=seller, name="Ulos Lama")
    data = shop_data(
        name="Ulos Baru",
        category=shop.category_id,
        kecamatan=shop.kecamatan_id,
        whatsapp="+62 813 1111 2222",
        latitude="2.333400",
        longitude="99.063900",
    )
    logo = SimpleUploadedFile("logo.png", image_bytes("PNG"), content_type="image/png")
    response = client.post(reverse("seller:profile", args=[shop.slug]), {**data, "logo": logo})
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.name == "Ulos Baru"
    assert shop.whatsapp == "+6281311112222"
    assert str(shop.latitude) == "2.333400"
    assert shop.logo is not None


def test_a_refused_profile_edit_changes_nothing(client, seller):
    shop = ShopFactory(owner=seller, name="Ulos Lama")
    response = client.post(
        reverse("seller:profile", args=[shop.slug]),
        shop_data(name="Ulos Baru", whatsapp="bukan nomor"),
    )
    assert response.status_code == 200
    assert "whatsapp" in response.context["form"].errors
    # The page around the form still shows the saved name.
    assert "Ulos Lama" in response.content.decode()
    shop.refresh_from_db()
    assert shop.name == "Ulos Lama"


def test_a_seller_with_one_shop_lands_on_its_dashboard_with_what_needs_doing(client, seller):
    shop = ShopFactory(owner=seller)
    product = ProductFactory(shop=shop, stock=10)
    contact = Contact(name="Rina", phone="0812 3456 7890", email="rina@pasar.test")
    for _ in range(3):
        checkout_place(items=[CheckoutItem(product.slug, 1)], contact=contact)
    Order.objects.filter(pk=Order.objects.first().pk).update(status=OrderStatus.PAID)
    response = client.get(reverse("seller:home"))
    assert response["Location"] == reverse("seller:dashboard", args=[shop.slug])
    page = client.get(response["Location"]).content.decode()
    orders = reverse("seller:orders", args=[shop.slug])
    assert f'href="{orders}?status=awaiting_payment"><strong>2</strong>' in page
    assert f'href="{orders}?status=paid"><strong>1</strong>' in page
