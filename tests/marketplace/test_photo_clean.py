"""Uploads are checked (type, size, pixel count) and lose their EXIF, GPS included."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from marketplace import images
from tests.factories import image_bytes

GPS_IFD = 0x8825


def exif_with_gps() -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[0x010F] = "KameraHP"  # Make
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (2.0, 20.0, 10.0)
    gps[3] = "E"
    gps[4] = (99.0, 4.0, 30.0)
    return exif


def upload(content: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_test_photo_really_carries_gps():
    with PILImage.open(io.BytesIO(image_bytes(exif=exif_with_gps()))) as photo:
        assert photo.getexif().get_ifd(GPS_IFD)


def test_exif_and_gps_are_gone_after_cleaning():
    clean = images.photo_clean(upload(image_bytes(exif=exif_with_gps())))
    with PILImage.open(io.BytesIO(clean.content)) as photo:
        exif = photo.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert 0x010F not in exif
        assert "exif" not in photo.info


@pytest.mark.django_db
def test_a_stored_photo_file_has_no_gps():
    image = images.photo_store(upload(image_bytes(exif=exif_with_gps())), title="Ulos")
    with image.file.open("rb") as stored, PILImage.open(stored) as photo:
        assert not photo.getexif().get_ifd(GPS_IFD)
        assert photo.size == (64, 48)


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError) as error:
        images.photo_clean(upload(b"%PDF-1.4 not a photo", "foto.jpg"))
    assert error.value.code == "not_image"


def test_a_gif_is_refused_as_an_unsupported_format():
    with pytest.raises(ValidationError) as error:
        images.photo_clean(upload(image_bytes("GIF"), "anim.gif", "image/gif"))
    assert error.value.code == "format"


def test_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 64 * 48 - 1)
    with pytest.raises(ValidationError) as error:
        images.photo_clean(upload(image_bytes()))
    assert error.value.code == "too_many_pixels"


def test_too_many_bytes_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ValidationError) as error:
        images.photo_clean(upload(image_bytes()))
    assert error.value.code == "too_large"


def test_large_photos_are_scaled_down_and_png_stays_png():
    clean = images.photo_clean(upload(image_bytes("PNG", (3000, 1000)), "besar.png", "image/png"))
    assert (clean.width, clean.height, clean.extension) == (2000, 667, "png")


def test_the_camera_rotation_is_applied_before_exif_is_dropped():
    exif = PILImage.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    clean = images.photo_clean(upload(image_bytes(size=(64, 48), exif=exif)))
    assert (clean.width, clean.height) == (48, 64)
