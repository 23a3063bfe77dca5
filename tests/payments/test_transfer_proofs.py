"""Transfer proofs are buyers' bank documents (issue #8, item 11): kept in the private storage,
not the Wagtail image library nor MEDIA_ROOT; cleaned like a seller's photo (EXIF and GPS gone);
served only to the buyer holding the checkout code, the shop's members and superusers (404 for
everyone else). Sellers' product photos go to a collection of their own."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection

from marketplace import images
from marketplace.demo.accounts import EDITOR_GROUPS, grant_editor_permissions
from marketplace.models import ShopMember, ShopRole
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import services
from payments.models import Payment
from tests.factories import ProductFactory, ShopFactory, UserFactory, image_bytes
from tests.marketplace.test_photo_clean import GPS_IFD, exif_with_gps

pytestmark = pytest.mark.django_db


class World:
    def __init__(self):
        self.owner = UserFactory(email="pemilik@pasar.test")
        self.staff = UserFactory(email="staf@pasar.test")
        self.other_seller = UserFactory(email="lain@pasar.test")
        self.stranger = UserFactory(email="orang@pasar.test")
        self.admin = UserFactory(email="admin@pasar.test", is_staff=True, is_superuser=True)
        grant_editor_permissions()
        self.editor = UserFactory(email="editor@pasar.test", is_staff=True)
        self.editor.groups.add(*Group.objects.filter(name__in=EDITOR_GROUPS))
        self.shop = ShopFactory(
            owner=self.owner,
            bank_name="Bank Sumut",
            bank_account_number="1234567890",
            bank_account_name="Rina",
        )
        ShopMember.objects.create(shop=self.shop, user=self.staff, role=ShopRole.STAFF)
        self.other_shop = ShopFactory(owner=self.other_seller)

    def transfer(self) -> Payment:
        product = ProductFactory(shop=self.shop, price=80_000)
        checkout = checkout_place(
            items=[CheckoutItem(product.slug, 1)],
            contact=Contact("Budi", "0812 3333 4444", "budi@pasar.test"),
        )
        return services.payment_start(order=checkout.orders.get(), provider="transfer")


@pytest.fixture
def world() -> World:
    return World()


def proof_upload(content: bytes | None = None, name: str = "bukti.jpg") -> SimpleUploadedFile:
    content = content if content is not None else image_bytes(exif=exif_with_gps())
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def buyer_url(payment: Payment) -> str:
    order = payment.order
    return reverse("pay:proof_file", args=[order.checkout.code, order.number, payment.reference])


def seller_url(payment: Payment, shop=None) -> str:
    return reverse(
        "seller_payments:proof", args=[(shop or payment.order.shop).slug, payment.reference]
    )


def with_proof(world: World, client=None) -> Payment:
    """A transfer payment whose proof the buyer sent through the pay page, as in real life."""
    payment = world.transfer()
    order = payment.order
    url = reverse("pay:proof", args=[order.checkout.code, order.number, payment.reference])
    response = (client or Client()).post(url, {"proof": proof_upload()})
    assert response.status_code == 302, response.content.decode()[:500]
    payment.refresh_from_db()
    return payment


# Where the file lives ------------------------------------------------------------------------


def test_a_proof_is_not_a_wagtail_image_nor_under_media_root(world, settings):
    images_before = Image.objects.count()
    payment = with_proof(world)
    assert Image.objects.count() == images_before, "the proof went into the CMS image library"
    assert payment.proof_file, "the payment has no proof file"
    path = Path(payment.proof_file.path).resolve()
    assert path.is_file()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert media_root not in path.parents, f"{path} is under MEDIA_ROOT {media_root}"
    # Nothing of it (renditions included) landed in the public media folder.
    public = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    assert public == []
    # No public URL can be made for it.
    with pytest.raises(ValueError):
        payment.proof_file.url  # noqa: B018
    # The file name says nothing of the buyer or the payment.
    assert payment.reference not in payment.proof_file.name


def test_the_private_storage_is_outside_media_root_by_default():
    location = Path(django_settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    media_root = Path(django_settings.MEDIA_ROOT).resolve()
    assert media_root not in location.parents and location != media_root


def test_a_proof_loses_its_exif_and_gps(world):
    with PILImage.open(io.BytesIO(image_bytes(exif=exif_with_gps()))) as sent:
        assert sent.getexif().get_ifd(GPS_IFD), "the test photo must carry GPS"
    payment = with_proof(world)
    with payment.proof_file.open("rb") as stored, PILImage.open(stored) as kept:
        exif = kept.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert len(exif) == 0
        assert "exif" not in kept.info


def test_a_non_image_proof_is_refused_with_a_clear_message_and_nothing_is_kept(client, world):
    payment = world.transfer()
    order = payment.order
    url = reverse("pay:proof", args=[order.checkout.code, order.number, payment.reference])
    response = client.post(url, {"proof": proof_upload(b"%PDF-1.4 bukan foto", "bukti.pdf")})
    assert response.status_code == 400
    assert "Berkas ini bukan foto. Unggah JPEG, PNG atau WebP." in response.content.decode()
    payment.refresh_from_db()
    assert not payment.proof_file
    location = Path(payment._meta.get_field("proof_file").storage.location)
    assert not [p for p in location.rglob("*") if p.is_file()]


def test_a_new_proof_replaces_the_old_file(django_capture_on_commit_callbacks, world):
    payment = with_proof(world)
    old_path = Path(payment.proof_file.path)
    with django_capture_on_commit_callbacks(execute=True):
        payment = services.payment_proof_upload(payment=payment, upload=proof_upload())
    assert Path(payment.proof_file.path).is_file()
    assert not old_path.exists()


# Who may see it ------------------------------------------------------------------------------


def assert_served(response, payment: Payment) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    with payment.proof_file.open("rb") as stored:
        assert body == stored.read()


def test_the_buyer_with_the_checkout_code_sees_the_proof(client, world):
    payment = with_proof(world)
    assert_served(client.get(buyer_url(payment)), payment)


def test_a_wrong_code_or_number_gets_404(client, world):
    payment = with_proof(world)
    other = with_proof(world)
    order = payment.order
    for args in (
        [other.order.checkout.code, order.number, payment.reference],  # another checkout's code
        ["nope", order.number, payment.reference],
        [order.checkout.code, other.order.number, payment.reference],
        [order.checkout.code, order.number, other.reference],  # another order's payment
    ):
        assert client.get(reverse("pay:proof_file", args=args)).status_code == 404


def test_a_payment_without_a_proof_gets_404(client, world):
    payment = world.transfer()
    assert client.get(buyer_url(payment)).status_code == 404
    client.force_login(world.owner)
    assert client.get(seller_url(payment)).status_code == 404


@pytest.mark.parametrize("who", ["owner", "staff", "admin"])
def test_the_shops_members_and_superusers_see_the_proof(client, world, who):
    payment = with_proof(world)
    client.force_login(getattr(world, who))
    assert_served(client.get(seller_url(payment)), payment)


@pytest.mark.parametrize("who", ["other_seller", "editor", "stranger", None])
def test_everyone_else_gets_404(client, world, who):
    payment = with_proof(world)
    if who:
        client.force_login(getattr(world, who))
    assert client.get(seller_url(payment)).status_code == 404
    # Nor through another shop's slug (their own, for the other seller).
    assert client.get(seller_url(payment, shop=world.other_shop)).status_code == 404


def test_the_sellers_list_shows_the_proof_through_the_checked_view(client, world):
    payment = with_proof(world)
    client.force_login(world.owner)
    body = client.get(reverse("seller_payments:list", args=[world.shop.slug])).content.decode()
    assert f'src="{seller_url(payment)}"' in body
    assert django_settings.MEDIA_URL not in body.split(f'id="pay-{payment.reference}"')[1][:2000]


def test_the_pay_page_shows_the_proof_through_the_checked_view(client, world):
    payment = with_proof(world)
    order = payment.order
    url = reverse("pay:payment", args=[order.checkout.code, order.number, payment.reference])
    body = client.get(url).content.decode()
    assert f'src="{buyer_url(payment)}"' in body


# Sellers' photos -----------------------------------------------------------------------------


def test_a_new_product_photo_lands_in_the_seller_collection():
    upload = SimpleUploadedFile("ulos.jpg", image_bytes(), content_type="image/jpeg")
    image = images.photo_store(upload, title="Ulos")
    root = Collection.get_first_root_node()
    assert image.collection_id != root.pk
    assert image.collection.name == images.SELLER_COLLECTION
    assert image.collection.get_parent().pk == root.pk
    # The next one goes to the same collection, not a second one of that name.
    again = images.photo_store(
        SimpleUploadedFile("ulos2.jpg", image_bytes(), content_type="image/jpeg"), title="Ulos 2"
    )
    assert again.collection_id == image.collection_id
    assert Collection.objects.filter(name=images.SELLER_COLLECTION).count() == 1


# The migration -------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_moves_existing_proofs_out_of_the_image_library(settings):
    """A proof kept the old way (a Wagtail image and its rendition under MEDIA_ROOT) becomes a
    private file of its payment; the image rows and their public files are gone."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    payment = World().transfer()
    content = image_bytes()
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("payments", "0001_initial")])
    try:
        old = executor.loader.project_state([("payments", "0001_initial")]).apps
        original = default_storage.save("original_images/bukti.jpg", ContentFile(content))
        image = old.get_model("wagtailimages", "Image").objects.create(
            title=f"Bukti transfer {payment.reference}", file=original, width=64, height=48
        )
        small = default_storage.save("images/bukti.max-800x800.jpg", ContentFile(content))
        old.get_model("wagtailimages", "Rendition").objects.create(
            image=image, filter_spec="max-800x800", file=small, width=64, height=48
        )
        old.get_model("payments", "Payment").objects.filter(pk=payment.pk).update(proof=image)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)

    payment.refresh_from_db()
    assert payment.proof_file
    with payment.proof_file.open("rb") as moved:
        assert moved.read() == content
    assert not Image.objects.filter(pk=image.pk).exists()
    assert not default_storage.exists(original) and not default_storage.exists(small)
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert media_root not in Path(payment.proof_file.path).resolve().parents
