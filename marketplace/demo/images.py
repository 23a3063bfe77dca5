"""Demo photos, drawn with Pillow (nothing is fetched): a woven-looking pattern in the colours
of the category with the initials of what it shows. They are kept as Wagtail images in the
collection "Foto demo", one per title, and reused: running the seed again draws nothing new."""

from __future__ import annotations

import hashlib
import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection

COLLECTION_NAME = "Foto demo"
PHOTO_SIZE = (640, 480)
LOGO_SIZE = (240, 240)

# Colours of each category: background, then accents (ulos red, black and gold; coffee browns;
# the lake's blues ...).
PALETTES: dict[str, tuple[str, ...]] = {
    "tenun-dan-ulos": ("#6e1410", "#1c1512", "#d9a521", "#f3ead8"),
    "kopi": ("#3b2416", "#7a4a2a", "#c99a6b", "#efe2cf"),
    "kuliner": ("#a33a12", "#e0782a", "#f4c542", "#fff4df"),
    "kerajinan": ("#231f1c", "#b3261e", "#f2f0ea", "#8c6239"),
    "pertanian": ("#2f5d2a", "#6f9a3a", "#e3c94a", "#f0f4e4"),
    "homestay": ("#1d4e5f", "#b5562b", "#e8d3a9", "#f6f1e7"),
    "wisata-danau": ("#0d3b66", "#1f7a8c", "#9fd3e0", "#f5f9fb"),
}
DEFAULT_PALETTE = ("#444444", "#888888", "#cccccc", "#ffffff")


def initials(text: str) -> str:
    words = [w for w in text.replace("-", " ").split() if w[:1].isalpha()]
    letters = "".join(w[0] for w in words[:2]).upper()
    return letters or "PK"


def _rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def draw_pattern(key: str, label: str, palette_key: str, size: tuple[int, int]) -> bytes:
    """A JPEG: bands and rows of diamonds (like an ulos border or a gorga carving) with the
    initials of `label` in the middle. The same key always gives the same picture."""
    rng = _rng(key)
    background, *accents = PALETTES.get(palette_key, DEFAULT_PALETTE)
    width, height = size
    image = PILImage.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    y = 0
    while y < height:
        band = rng.randint(height // 24, height // 8)
        colour = rng.choice([background, *accents[:2]])
        draw.rectangle([0, y, width, y + band], fill=colour)
        if rng.random() < 0.6:
            step = rng.randint(14, 30)
            motif = rng.choice(accents)
            half = max(3, band // 2 - 2)
            for x in range(0, width + step, step):
                cx, cy = x, y + band // 2
                draw.polygon(
                    [(cx, cy - half), (cx + step // 2, cy), (cx, cy + half), (cx - step // 2, cy)],
                    outline=motif,
                    width=2,
                )
        y += band + rng.randint(2, 6)
        draw.line([0, y - 2, width, y - 2], fill=accents[2 % len(accents)], width=2)
    box = min(width, height) * 0.52
    left, top = (width - box) / 2, (height - box) / 2
    draw.rounded_rectangle(
        [left, top, left + box, top + box],
        radius=box / 6,
        fill=background,
        outline=accents[1 % len(accents)],
        width=max(3, int(box / 40)),
    )
    text = initials(label)
    font = _font(int(box * 0.42))
    draw.text((width / 2, height / 2), text, fill=accents[-1], font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


class DemoImages:
    """Finds or makes the demo images, remembering them for the run."""

    def __init__(self) -> None:
        self.model = get_image_model()
        self._cache: dict[str, object] = {}
        self._collection = None

    @property
    def collection(self) -> Collection:
        if self._collection is None:
            root = Collection.get_first_root_node()
            found = root.get_children().filter(name=COLLECTION_NAME).first()
            self._collection = found or root.add_child(name=COLLECTION_NAME)
        return self._collection

    def get(self, key: str, label: str, palette_key: str, *, logo: bool = False):
        title = f"Demo · {key}"
        if title in self._cache:
            return self._cache[title]
        image = self.model.objects.filter(collection=self.collection, title=title).first()
        if image is None:
            size = LOGO_SIZE if logo else PHOTO_SIZE
            image = self.model(title=title, collection=self.collection)
            image.file = ImageFile(
                io.BytesIO(draw_pattern(key, label, palette_key, size)), name=f"demo-{key}.jpg"
            )
            image.save()
        self._cache[title] = image
        return image
