"""Photos on the product edit page: several at once, each checked on its own; what is refused
saves nothing and says why; what is stored has no EXIF (GPS included); remove; make first."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image

from marketplace import images
from marketplace.models import ProductPhoto
from marketplace.services.catalog import MAX_PHOTOS, photo_add
from tests.factories import ProductFactory, ShopFactory, UserFactory, image_bytes

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def product(client):
    owner = UserFactory()
    client.force_login(owner)
    return ProductFactory(shop=ShopFactory(owner=owner), title="Ulos Ragi Hotang")


def upload_url(product) -> str:
    return reverse("seller:photo_add", args=[product.shop.slug, product.pk])


def jpeg(name="foto.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


def exif_with_gps() -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[0x010F] = "KameraHP"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (2.0, 20.0, 10.0)
    gps[3] = "E"
    gps[4] = (99.0, 4.0, 30.0)
    return exif


def photo_errors(response) -> list[str]:
    return response.context["photo_form"].errors.get("photos", [])


def test_several_photos_are_added_at_once(client, product):
    response = client.post(
        upload_url(product), {"photos": [jpeg("a.jpg"), jpeg("b.jpg", fmt="PNG"), jpeg("c.jpg")]}
    )
    assert response.status_code == 302
    assert product.photos.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "3 foto ditambahkan." in page
    assert page.count('class="badge">Utama') == 1


def test_the_upload_input_takes_several_files_of_photo_types(client, product):
    page = client.get(reverse("seller:product_edit", args=[product.shop.slug, product.pk]))
    html = page.content.decode()
    assert 'type="file"' in html and "multiple" in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html


def test_a_stored_photo_has_no_exif_and_no_gps(client, product):
    raw = image_bytes(exif=exif_with_gps())
    with PILImage.open(SimpleUploadedFile("x", raw)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the test photo really carries GPS
    client.post(upload_url(product), {"photos": [SimpleUploadedFile("gps.jpg", raw)]})
    image = product.photos.get().image
    with image.file.open("rb") as stored, PILImage.open(stored) as photo:
        exif = photo.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert 0x010F not in exif
        assert "exif" not in photo.info


def test_a_file_that_is_not_a_photo_is_refused_with_its_name_and_the_reason(client, product):
    fake = SimpleUploadedFile("katalog.pdf", b"%PDF-1.4 bukan foto", content_type="image/jpeg")
    response = client.post(upload_url(product), {"photos": [fake]})
    assert response.status_code == 200
    assert photo_errors(response) == [
        "katalog.pdf: Berkas ini bukan foto. Unggah JPEG, PNG atau WebP."
    ]
    assert "katalog.pdf: Berkas ini bukan foto" in response.content.decode()
    assert not ProductPhoto.objects.exists()
    assert not Image.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, product, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 100)
    response = client.post(upload_url(product), {"photos": [jpeg("besar.jpg")]})
    assert photo_errors(response) == ["besar.jpg: Foto terlalu besar (maksimal 10 MB)."]
    assert not Image.objects.exists()


def test_a_photo_over_the_pixel_limit_is_refused(client, product, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    response = client.post(upload_url(product), {"photos": [jpeg("lebar.jpg", size=(64, 48))]})
    assert len(photo_errors(response)) == 1
    assert photo_errors(response)[0].startswith("lebar.jpg: Foto terlalu besar")
    assert not ProductPhoto.objects.exists()
    assert not Image.objects.exists()


def test_good_photos_are_kept_when_another_in_the_same_upload_is_refused(client, product):
    fake = SimpleUploadedFile("catatan.txt", b"bukan foto", content_type="text/plain")
    response = client.post(upload_url(product), {"photos": [jpeg("a.jpg"), fake, jpeg("b.jpg")]})
    assert response.status_code == 200
    assert [e.split(":")[0] for e in photo_errors(response)] == ["catatan.txt"]
    assert product.photos.count() == 2
    assert Image.objects.count() == 2
    assert "2 foto ditambahkan." in response.content.decode()


def test_an_empty_upload_asks_for_a_file(client, product):
    response = client.post(upload_url(product), {})
    assert response.status_code == 200
    assert photo_errors(response)
    assert not ProductPhoto.objects.exists()


def test_no_more_than_the_maximum_number_of_photos(client, product):
    for n in range(MAX_PHOTOS - 1):
        photo_add(product=product, upload=jpeg(f"{n}.jpg"))
    response = client.post(upload_url(product), {"photos": [jpeg("a.jpg"), jpeg("b.jpg")]})
    assert product.photos.count() == MAX_PHOTOS
    assert photo_errors(response) == [f"b.jpg: Paling banyak {MAX_PHOTOS} foto per produk."]
    page = client.get(reverse("seller:product_edit", args=[product.shop.slug, product.pk]))
    assert not page.context["photos_left"]
    assert 'type="file"' not in page.content.decode()


def test_removing_a_photo_deletes_it_and_its_image(client, product):
    photo = photo_add(product=product, upload=jpeg())
    response = client.post(
        reverse("seller:photo_remove", args=[product.shop.slug, product.pk, photo.pk])
    )
    assert response.status_code == 302
    assert not ProductPhoto.objects.exists()
    assert not Image.objects.exists()


def test_making_a_photo_the_first_one(client, product):
    first = photo_add(product=product, upload=jpeg("a.jpg"))
    second = photo_add(product=product, upload=jpeg("b.jpg"))
    client.post(reverse("seller:photo_first", args=[product.shop.slug, product.pk, second.pk]))
    assert list(product.photos.all()) == [second, first]
    page = client.get(reverse("seller:product_edit", args=[product.shop.slug, product.pk]))
    assert [p.pk for p in page.context["photos"]] == [second.pk, first.pk]


def test_a_photo_of_another_product_of_the_same_shop_is_not_found_here(client, product):
    sibling = ProductFactory(shop=product.shop)
    photo = photo_add(product=sibling, upload=jpeg())
    url = reverse("seller:photo_remove", args=[product.shop.slug, product.pk, photo.pk])
    assert client.post(url).status_code == 404
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()
