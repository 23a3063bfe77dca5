"""Forms of the seller's orders, delivery options and vouchers. As in `forms.seller`, they check
input and show errors; the services (`services.orders`, `services.delivery`) judge and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.forms.seller import NumberInput, RupiahField
from marketplace.models import CourierRate, OrderStatus, VoucherKind

DATE_INPUT = {"type": "date"}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def placeholders(form: forms.Form, **examples: str) -> None:
    """Examples that fit each field (RupiahField's own placeholder is a product price)."""
    for name, example in examples.items():
        form.fields[name].widget.attrs["placeholder"] = example


# Orders -------------------------------------------------------------------------------------


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *OrderStatus.choices],
    )
    date_from = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Tanggal akhir harus sama dengan atau sesudah awal."))
        return data

    def filters(self) -> dict:
        """The filters for `selectors.seller_orders.shop_orders`; none when the input is bad
        (the form then shows why)."""
        if not self.is_valid():
            return {"status": "", "date_from": None, "date_to": None}
        return {
            "status": self.cleaned_data["status"],
            "date_from": self.cleaned_data["date_from"],
            "date_to": self.cleaned_data["date_to"],
        }


class ShipForm(forms.Form):
    # Not required here: `services.orders.order_ship` refuses an empty number with its own
    # message, so there is one rule in one place. The browser still asks for it.
    tracking_number = forms.CharField(
        label=_("Nomor resi"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"required": True, "autocomplete": "off"}),
        help_text=_("Untuk antar lokal: tulis nama pengantar atau nomor HP-nya."),
    )


class CancelForm(forms.Form):
    # Required by `services.orders.order_cancel`, which explains it to the seller.
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
        help_text=_("Pembeli membaca alasan ini. Stok yang dipesan dikembalikan."),
    )


# Delivery -----------------------------------------------------------------------------------


class DeliveryForm(forms.Form):
    offers_pickup = forms.BooleanField(
        label=_("Pembeli bisa ambil sendiri di toko"), required=False
    )
    local_delivery_fee = RupiahField(
        label=_("Ongkos antar lokal (Rp)"),
        required=False,
        min_value=0,
        help_text=_("Kosongkan bila tidak melayani antar lokal. Isi 0 untuk antar gratis."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholders(self, local_delivery_fee="10000")


class CourierRateForm(forms.ModelForm):
    first_kg = RupiahField(label=_("Kg pertama (Rp)"), min_value=0)
    next_kg = RupiahField(label=_("Kg berikutnya (Rp)"), min_value=0)

    class Meta:
        model = CourierRate
        fields = ["destination_kabupaten", "first_kg", "next_kg"]
        labels = {"destination_kabupaten": _("Kabupaten/kota tujuan")}
        widgets = {
            "destination_kabupaten": forms.TextInput(attrs={"placeholder": "Kota Medan"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholders(self, first_kg="20000", next_kg="8000")

    def validate_unique(self):
        """Uniqueness is the service's to judge (without regard to case)."""


# Vouchers -----------------------------------------------------------------------------------


class VoucherForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=30,
        help_text=_("Huruf dan angka, misalnya TOBA10. Pembeli mengetiknya saat checkout."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Jenis"), choices=VoucherKind.choices, widget=forms.RadioSelect
    )
    value = RupiahField(
        label=_("Nilai"),
        help_text=_("Rupiah untuk potongan tetap, atau persen (1–100)."),
    )
    min_purchase = RupiahField(
        label=_("Minimal belanja (Rp)"),
        required=False,
        min_value=0,
        help_text=_("Kosongkan bila tanpa minimal."),
    )
    quota = forms.IntegerField(
        label=_("Kuota"),
        min_value=1,
        help_text=_("Berapa kali voucher ini boleh dipakai."),
        widget=NumberInput(),
    )
    valid_from = forms.DateTimeField(
        label=_("Berlaku mulai"), input_formats=DATETIME_FORMATS, widget=_datetime_input()
    )
    valid_until = forms.DateTimeField(
        label=_("Berlaku sampai"), input_formats=DATETIME_FORMATS, widget=_datetime_input()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholders(self, value="10000", min_purchase="100000")

    def clean(self):
        data = super().clean()
        if data.get("min_purchase") is None:
            data["min_purchase"] = 0
        if (
            data.get("kind") == VoucherKind.PERCENT
            and data.get("value") is not None
            and data["value"] > 100
        ):
            self.add_error("value", _("Potongan persen paling banyak 100."))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("Tanggal berakhir harus sesudah tanggal mulai."))
        return data
