"""Forms of the payment pages: the buyer's proof of transfer, the seller's QRIS set-up, and the
reason for refusing a transfer proof."""

from __future__ import annotations

import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

from marketplace.images import photo_clean
from payments import qris
from payments.services import merchant_qris_check

try:  # the zxing-cpp wheel reads QR codes from photos; without it, only pasting works
    import zxingcpp
except ImportError:  # pragma: no cover - depends on the installed wheels
    zxingcpp = None

QR_PHOTO_AVAILABLE = zxingcpp is not None


def qr_texts_from_photo(upload) -> list[str]:
    """The texts of the QR codes in a photo (a sticker shot with a phone). The photo is checked
    and cleaned first (marketplace.images.photo_clean: a bad file raises its ValidationError)."""
    if zxingcpp is None:
        raise ValidationError(
            _("Membaca QR dari foto belum tersedia di server ini. Tempel teks payload QRIS."),
            code="no_reader",
        )
    photo = photo_clean(upload)
    with PILImage.open(io.BytesIO(photo.content)) as image:
        image.load()
        gray = image.convert("L")
    found = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)
    return [barcode.text for barcode in found if barcode.text]


def qris_from_photo(upload) -> str:
    """The QRIS payload of a sticker photo, or a ValidationError the seller can act on."""
    texts = qr_texts_from_photo(upload)
    if not texts:
        raise ValidationError(
            _(
                "Tidak ada kode QR yang terbaca di foto ini. Foto stiker dari dekat, lurus, "
                "terang dan tidak buram, atau tempel teks payload-nya."
            ),
            code="no_qr",
        )
    # A sticker may carry other codes (a link, a barcode): prefer the one that looks like QRIS.
    texts.sort(key=lambda text: not text.strip().startswith("000201"))
    return texts[0].strip()


class QrisSetupForm(forms.Form):
    """Step 1: the seller pastes the payload or uploads a photo of the sticker."""

    payload = forms.CharField(
        label=_("Teks payload QRIS"),
        required=False,
        max_length=600,
        strip=True,
        widget=forms.Textarea(
            attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false", "class": "mono"}
        ),
        help_text=_("Diawali 000201…, dari aplikasi bank atau dari hasil pindai stiker."),
    )
    photo = forms.FileField(
        label=_("atau foto stiker QRIS"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG atau WebP, maksimal 10 MB. Foto dari dekat dan lurus."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not QR_PHOTO_AVAILABLE:
            del self.fields["photo"]

    def clean(self):
        data = super().clean()
        payload, photo = data.get("payload"), data.get("photo")
        if self.errors:
            return data
        if payload and photo:
            raise ValidationError(_("Pilih salah satu: tempel teks payload atau unggah foto."))
        if not payload and not photo:
            raise ValidationError(_("Tempel teks payload QRIS atau unggah foto stikernya."))
        field = "payload"
        if photo:
            field = "photo"
            try:
                payload = qris_from_photo(photo)
            except ValidationError as exc:
                self.add_error("photo", exc)
                return data
        try:
            data["parsed"] = merchant_qris_check(payload)
        except qris.QrisError as exc:
            prefix = _("QR di foto terbaca, tetapi: ") if photo else ""
            self.add_error(field, f"{prefix}{exc}")
            return data
        data["payload"] = payload.strip()
        return data


class QrisConfirmForm(forms.Form):
    """Step 2: the seller saw the decoded name, city and NMID and confirms. The payload comes
    back from the page, so it is checked again."""

    payload = forms.CharField(widget=forms.HiddenInput, max_length=600)

    def clean_payload(self):
        payload = self.cleaned_data["payload"].strip()
        try:
            self.parsed = merchant_qris_check(payload)
        except qris.QrisError as exc:
            raise ValidationError(str(exc)) from exc
        return payload


class ProofForm(forms.Form):
    proof = forms.FileField(
        label=_("Foto bukti transfer"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("Foto atau tangkapan layar struk transfer: JPEG, PNG atau WebP, maks. 10 MB."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Pembeli membaca alasan ini, misalnya: nominal tidak sesuai."),
    )
