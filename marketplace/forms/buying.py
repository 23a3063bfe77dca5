"""The buyer's forms: add to cart, change a cart line, contact and per-shop choices at checkout,
and a review."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.models import DeliveryMethod, User
from marketplace.money import format_rupiah
from marketplace.phone import normalize_phone
from marketplace.selectors.buying import DeliveryOptions, parse_line_key
from marketplace.services.checkout import MAX_QUANTITY, ShopChoice
from marketplace.services.reviews import MAX_BODY


class AddToCartForm(forms.Form):
    product = forms.SlugField(max_length=170)
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=1, max_value=MAX_QUANTITY, initial=1)
    variant = forms.IntegerField(label=_("Varian"), required=False, min_value=1)
    slot = forms.IntegerField(label=_("Jadwal"), required=False, min_value=1)
    check_in = forms.DateField(label=_("Check-in"), required=False)
    check_out = forms.DateField(label=_("Check-out"), required=False)
    next = forms.CharField(required=False, max_length=500)


class CartLineForm(forms.Form):
    """Which cart line (its key, see selectors.buying.line_key) and its new quantity."""

    key = forms.CharField(max_length=300)
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=0, max_value=MAX_QUANTITY)

    def clean_key(self) -> tuple:
        key = parse_line_key(self.cleaned_data["key"])
        if key is None:
            raise ValidationError(_("Baris keranjang tidak dikenal."))
        return key


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=120)
    phone = forms.CharField(
        label=_("Nomor HP (WhatsApp)"),
        max_length=25,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_(
            "Penjual menghubungi Anda lewat nomor ini. Nomor luar negeri: tulis dengan kode "
            "negaranya, misalnya +44 7911 123456."
        ),
    )
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, user: User | None = None, **kwargs):
        if user is not None and user.is_authenticated and "initial" not in kwargs:
            kwargs["initial"] = {"name": user.full_name, "phone": user.phone, "email": user.email}
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Isi nama pemesan."))
        return name

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


METHOD_LABELS = {
    DeliveryMethod.PICKUP: _("Ambil sendiri di toko (gratis)"),
    DeliveryMethod.LOCAL: _("Antar lokal"),
    DeliveryMethod.COURIER: _("Kurir"),
}


class ShopChoiceForm(forms.Form):
    """One shop's delivery, note and voucher. Its prefix is the shop's slug."""

    delivery = forms.ChoiceField(label=_("Pengiriman"), widget=forms.RadioSelect)
    kabupaten = forms.ChoiceField(label=_("Kabupaten/kota tujuan"), required=False)
    address = forms.CharField(
        label=_("Alamat pengiriman"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )
    note = forms.CharField(
        label=_("Catatan untuk penjual"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    voucher = forms.CharField(label=_("Kode voucher"), required=False, max_length=30)

    def __init__(self, *args, options: DeliveryOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        choices = []
        for method in options.methods:
            label = str(METHOD_LABELS[method])
            if method == DeliveryMethod.LOCAL:
                label = f"{label} · {format_rupiah(options.local_fee)}"
            elif method == DeliveryMethod.COURIER:
                cheapest = min(option.fee for option in options.courier)
                label = f"{label} · {_('mulai')} {format_rupiah(cheapest)}"
            choices.append((method, label))
        self.fields["delivery"].choices = choices
        if choices:
            self.fields["delivery"].initial = choices[0][0]
        self.fields["kabupaten"].choices = [("", _("Pilih tujuan"))] + [
            (option.kabupaten, f"{option.kabupaten} · {format_rupiah(option.fee)}")
            for option in options.courier
        ]

    def clean(self):
        data = super().clean()
        method = data.get("delivery")
        if (
            method in (DeliveryMethod.LOCAL, DeliveryMethod.COURIER)
            and not (data.get("address") or "").strip()
        ):
            self.add_error("address", _("Isi alamat pengiriman."))
        if method == DeliveryMethod.COURIER and not data.get("kabupaten"):
            self.add_error("kabupaten", _("Pilih kabupaten/kota tujuan."))
        return data

    def to_choice(self) -> ShopChoice:
        data = self.cleaned_data
        method = data["delivery"]
        return ShopChoice(
            delivery=method,
            kabupaten=data.get("kabupaten", "") if method == DeliveryMethod.COURIER else "",
            address=data.get("address", "") if method != DeliveryMethod.PICKUP else "",
            note=data.get("note", ""),
            voucher=data.get("voucher", "").strip(),
        )


RATINGS = [(n, str(n)) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("Nilai"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    body = forms.CharField(
        label=_("Ulasan"),
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
