"""Photos that sellers upload: checked, stripped of EXIF (GPS included), resized, stored as
Wagtail images in a collection of their own (SELLER_COLLECTION), not the root one.
photo_clean alone is also used for what must not become a Wagtail image (transfer proofs)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from wagtail.images.models import Image
from wagtail.models import Collection

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # about 7300 x 5500: more than any phone camera
MAX_EDGE = 2000  # stored photos never need more for a 360–1280 px page
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Sellers' product photos and logos, apart from the editors' own images in the CMS library.
SELLER_COLLECTION = "Foto produk penjual"


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    extension: str
    width: int
    height: int


def photo_clean(upload) -> CleanPhoto:
    """Refuse what is not a photo we accept; return it re-encoded without any metadata."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Foto terlalu besar (maksimal 10 MB)."), code="too_large")
    upload.seek(0)
    try:
        with PILImage.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
    except PILImage.DecompressionBombError as exc:
        raise ValidationError(
            _("Foto terlalu besar (maksimal 40 megapiksel)."), code="too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(
            _("Berkas ini bukan foto. Unggah JPEG, PNG atau WebP."), code="not_image"
        ) from exc
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Format foto tidak didukung. Unggah JPEG, PNG atau WebP."), code="format"
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("Foto terlalu besar (%(pixels)s megapiksel, maksimal 40).")
            % {"pixels": round(width * height / 1_000_000)},
            code="too_many_pixels",
        )
    upload.seek(0)
    try:
        with PILImage.open(upload) as original:
            # Apply the camera's rotation before the EXIF that records it is thrown away.
            image = ImageOps.exif_transpose(original)
            image.load()
    except (OSError, PILImage.DecompressionBombError) as exc:
        raise ValidationError(_("Foto rusak atau tidak terbaca."), code="broken") from exc
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    out = io.BytesIO()
    # A fresh image object carries no EXIF, XMP or ICC text unless asked for.
    clean = PILImage.new(image.mode, image.size)
    clean.paste(image)
    save_options = {"quality": 85} if image_format in {"JPEG", "WEBP"} else {}
    clean.save(out, format=image_format, **save_options)
    return CleanPhoto(out.getvalue(), ALLOWED_FORMATS[image_format], *clean.size)


def seller_collection() -> Collection:
    """The collection of sellers' photos under the root, made on first use. The root row is
    locked while looking, so two first uploads at once do not make two collections."""
    with transaction.atomic():
        root = Collection.objects.select_for_update().get(pk=Collection.get_first_root_node().pk)
        found = root.get_children().filter(name=SELLER_COLLECTION).order_by("path").first()
        return found or root.add_child(name=SELLER_COLLECTION)


def photo_store(upload, *, title: str, uploaded_by=None) -> Image:
    """Clean a seller's upload and keep it as a Wagtail image (renditions, focal point, admin)
    in the sellers' collection."""
    photo = photo_clean(upload)
    name = f"{(title or 'foto')[:40]}.{photo.extension}"
    image = Image(
        title=title[:255] or "foto", uploaded_by_user=uploaded_by, collection=seller_collection()
    )
    image.file = ImageFile(io.BytesIO(photo.content), name=name)
    image.save()
    return image
