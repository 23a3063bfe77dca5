"""The image form of the CMS: every image needs its alt text (Wagtail's `description`), so
that a picture on a promotion page says what it shows to a screen reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].required = True
            self.fields["description"].help_text = _(
                "Teks alternatif: apa yang tampak di foto, untuk pembaca layar "
                "(misalnya “Penenun ulos di Desa Meat”)."
            )
