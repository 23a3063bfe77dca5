"""Forms of the seller dashboard. They check input and show errors next to the fields; the
views hand `cleaned_data` to the services, which do the writing (no form here is saved)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.models import (
    Category,
    Kecamatan,
    Product,
    ProductKind,
    ProductStatus,
    Shop,
    Variant,
)
from marketplace.phone import normalize_indonesian_mobile
from marketplace.selectors.seller import desa_choices
from marketplace.services.catalog import KIND_FACTS, PRODUCT_FACTS
from marketplace.services.shops import SHOP_PROFILE_FIELDS

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"
MAX_CSV_BYTES = 2 * 1024 * 1024

# The English texts a seller may give besides the Indonesian ones: shown on the English site
# (/en/), which falls back to the Indonesian when they are empty.
ENGLISH_LABELS = {
    "title_en": _("Nama produk (Inggris)"),
    "description_en": _("Deskripsi (Inggris)"),
    "story_en": _("Cerita toko (Inggris)"),
}
ENGLISH_HELP = {
    "title_en": _(
        "Opsional. Wisatawan di situs berbahasa Inggris melihat nama ini; "
        "bila kosong, nama Indonesia yang tampil."
    ),
    "description_en": _(
        "Opsional. Wisatawan di situs berbahasa Inggris melihat deskripsi ini; "
        "bila kosong, deskripsi Indonesia yang tampil."
    ),
    "story_en": _(
        "Opsional. Wisatawan di situs berbahasa Inggris melihat cerita ini; "
        "bila kosong, cerita Indonesia yang tampil."
    ),
}


def add_service_error(form: forms.Form, error: ValidationError, field: str | None = None) -> None:
    """Put a service's ValidationError on the form: per field where the service named one the
    form has, otherwise on `field` (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else field
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(field, error)


class RupiahField(forms.IntegerField):
    """Whole rupiah, typed as sellers write them: 125000, 125.000 or Rp 125.000."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(inputmode="numeric", placeholder="125000")
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?i)^\s*rp\.?", "", value).replace(".", "").replace(" ", "")
        return super().to_python(value)


class NumberInput(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", **(attrs or {})})


# Shops ------------------------------------------------------------------------------------


class ShopForm(forms.ModelForm):
    """Open a shop or edit its profile. `logo` is a file, stored by marketplace.images."""

    # Longer than the stored +62... form, so that "+62 812-3456-7890" can be typed.
    whatsapp = forms.CharField(
        label=_("Nomor WhatsApp"),
        max_length=32,
        help_text=_("Pembeli menghubungi Anda lewat nomor ini, misalnya 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    logo = forms.FileField(
        label=_("Logo (opsional)"),
        required=False,
        help_text=_("Foto JPEG, PNG atau WebP, maksimal 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    class Meta:
        model = Shop
        fields = list(SHOP_PROFILE_FIELDS)
        labels = {
            "story_en": ENGLISH_LABELS["story_en"],
            "desa": _("Desa/kelurahan (opsional)"),
            "latitude": _("Lintang (opsional)"),
            "longitude": _("Bujur (opsional)"),
            "nib": _("NIB (opsional)"),
        }
        help_texts = {
            "nib": _("Nomor Induk Berusaha dari OSS, 13 angka."),
            "latitude": _("Contoh: 2.333400 (dari Google Maps)."),
            "longitude": _("Contoh: 99.063900."),
            "bank_name": _(
                "Untuk pembeli yang membayar dengan transfer. Kosongkan ketiganya bila tidak perlu."
            ),
            "story": _("Ceritakan usaha Anda: siapa pembuatnya, dari mana bahannya."),
            "story_en": ENGLISH_HELP["story_en"],
        }
        widgets = {
            "story": forms.Textarea(attrs={"rows": 4}),
            "story_en": forms.Textarea(attrs={"rows": 4, "lang": "en"}),
            "nib": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 13}),
            "bank_account_number": forms.TextInput(attrs={"inputmode": "numeric"}),
            "latitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("position", "name")
        self.fields["kecamatan"].queryset = Kecamatan.objects.order_by("name")
        self.fields["desa"].queryset = desa_choices()
        self.fields["address"].required = True

    def clean_whatsapp(self) -> str:
        return normalize_indonesian_mobile(self.cleaned_data["whatsapp"])

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean(self):
        data = super().clean()
        desa, kecamatan = data.get("desa"), data.get("kecamatan")
        if desa and kecamatan and desa.kecamatan_id != kecamatan.pk:
            self.add_error(
                "desa",
                _("Desa %(desa)s tidak berada di Kecamatan %(kecamatan)s.")
                % {"desa": desa.name, "kecamatan": kecamatan.name},
            )
        has_lat, has_lng = data.get("latitude") is not None, data.get("longitude") is not None
        coordinates_ok = not (self.has_error("latitude") or self.has_error("longitude"))
        if has_lat != has_lng and coordinates_ok:
            self.add_error(
                "longitude" if has_lat else "latitude",
                _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."),
            )
        bank = ["bank_name", "bank_account_number", "bank_account_name"]
        given = [name for name in bank if data.get(name)]
        if given and len(given) < len(bank):
            for name in bank:
                if not data.get(name) and not self.has_error(name):
                    self.add_error(name, _("Lengkapi data rekening: bank, nomor dan atas nama."))
        return data

    def profile_fields(self) -> dict:
        """What the services take: every field but the logo upload."""
        return {name: value for name, value in self.cleaned_data.items() if name != "logo"}


# Products ---------------------------------------------------------------------------------


class ProductCreateForm(forms.ModelForm):
    price = RupiahField(
        label=_("Harga (Rp)"),
        help_text=_("Untuk pengalaman: per orang. Untuk penginapan: per malam."),
    )
    on_hand = forms.IntegerField(
        label=_("Stok awal"),
        required=False,
        min_value=0,
        initial=0,
        help_text=_("Hanya untuk barang."),
        widget=NumberInput(),
    )

    class Meta:
        model = Product
        fields = [
            "kind",
            "title",
            "title_en",
            "category",
            "price",
            "description",
            "description_en",
            "weight_grams",
            "low_stock_threshold",
        ]
        labels = {name: ENGLISH_LABELS[name] for name in ("title_en", "description_en")}
        widgets = {
            "kind": forms.RadioSelect,
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
            "weight_grams": NumberInput(),
            "low_stock_threshold": NumberInput(),
        }
        help_texts = {
            "title_en": ENGLISH_HELP["title_en"],
            "description_en": ENGLISH_HELP["description_en"],
            "weight_grams": _("Untuk ongkos kirim barang; isi 0 bila tidak dikirim."),
            "low_stock_threshold": _("Anda diberi tahu bila stok sama dengan atau di bawah ini."),
        }

    field_order = [
        "kind",
        "title",
        "title_en",
        "category",
        "price",
        "on_hand",
        "description",
        "description_en",
        "weight_grams",
        "low_stock_threshold",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("position", "name")
        self.fields["kind"].choices = ProductKind.choices  # no empty "---------" choice

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean(self):
        data = super().clean()
        if data.get("kind") == ProductKind.GOODS:
            data["on_hand"] = data.get("on_hand") or 0
        else:
            data["on_hand"] = None
        return data


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ProductEditForm(forms.ModelForm):
    """Edit a product. The kind never changes; a goods price follows its cheapest variant.
    Only the facts of the product's kind are shown (services.catalog.PRODUCT_FACTS); the
    service checks them together (a map position needs both numbers, check-out before
    check-in)."""

    price = RupiahField(label=_("Harga (Rp)"))

    class Meta:
        model = Product
        fields = [
            "title",
            "title_en",
            "category",
            "price",
            "description",
            "description_en",
            "weight_grams",
            "low_stock_threshold",
            *PRODUCT_FACTS[ProductKind.EXPERIENCE],
            *PRODUCT_FACTS[ProductKind.STAY],
        ]
        labels = {
            "title_en": ENGLISH_LABELS["title_en"],
            "description_en": ENGLISH_LABELS["description_en"],
            "weight_grams": _("Berat (gram)"),
            "duration_minutes": _("Durasi (menit)"),
            "meeting_point": _("Titik kumpul"),
            "meeting_latitude": _("Lintang titik kumpul (opsional)"),
            "meeting_longitude": _("Bujur titik kumpul (opsional)"),
            "included": _("Sudah termasuk"),
            "guide_languages": _("Bahasa pemandu"),
            "group_size_max": _("Ukuran grup maksimum (orang)"),
            "cancellation_terms": _("Ketentuan pembatalan"),
            "guests_per_room": _("Tamu per kamar"),
            "check_in_time": _("Jam check-in"),
            "check_out_time": _("Jam check-out"),
        }
        help_texts = {
            "title_en": ENGLISH_HELP["title_en"],
            "description_en": ENGLISH_HELP["description_en"],
            "weight_grams": _("Untuk ongkos kirim: berat satu barang dengan kemasannya."),
            "duration_minutes": _("Contoh: 180 untuk tiga jam."),
            "meeting_point": _("Tempat pembeli menemui Anda, misalnya Dermaga Tigaraja, Parapat."),
            "meeting_latitude": _("Contoh: 2.663500 (dari peta)."),
            "meeting_longitude": _("Contoh: 98.935100."),
            "included": _("Satu per baris, misalnya: perahu, pemandu, makan siang."),
            "guide_languages": _("Contoh: Indonesia, Inggris, Batak Toba."),
            "cancellation_terms": _(
                "Contoh: batal sampai 24 jam sebelum mulai, uang kembali penuh."
            ),
            "check_out_time": _(
                "Paling lambat jam check-in, agar kamar siap untuk tamu berikutnya."
            ),
        }
        widgets = {
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6, "lang": "en"}),
            "weight_grams": NumberInput(),
            "low_stock_threshold": NumberInput(),
            "duration_minutes": NumberInput(),
            "meeting_latitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "meeting_longitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "included": forms.Textarea(attrs={"rows": 3}),
            "group_size_max": NumberInput(),
            "cancellation_terms": forms.Textarea(attrs={"rows": 3}),
            "guests_per_room": NumberInput(),
            "check_in_time": TimeInput(),
            "check_out_time": TimeInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("position", "name")
        kind = self.instance.kind
        if kind == ProductKind.GOODS:
            del self.fields["price"]  # set per variant on the stock page
        else:
            del self.fields["low_stock_threshold"]
        own = PRODUCT_FACTS.get(kind, ())
        for name in KIND_FACTS - set(own):
            del self.fields[name]

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def fact_fields(self) -> list[forms.BoundField]:
        """The facts of this product's kind, shown apart from the general fields."""
        return [self[name] for name in self.fields if name in KIND_FACTS]

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in KIND_FACTS]


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama produk"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *ProductStatus.choices],
    )
    kind = forms.ChoiceField(
        label=_("Jenis"),
        required=False,
        choices=[("", _("Semua jenis")), *ProductKind.choices],
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"q": "", "status": "", "kind": ""}
        return {
            "q": self.cleaned_data["q"].strip(),
            "status": self.cleaned_data["status"],
            "kind": self.cleaned_data["kind"],
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; cleaned to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple) and data:
            return [clean_one(item, initial) for item in data]
        single = clean_one(data or None, initial)  # none given: "required" speaks here
        return [single] if single else []


class PhotoUploadForm(forms.Form):
    photos = MultipleFileField(
        label=_("Tambah foto"),
        help_text=_(
            "Pilih satu atau beberapa foto JPEG, PNG atau WebP, masing-masing maks. 10 MB."
        ),
    )


# Stock, slots, nights ---------------------------------------------------------------------


class VariantForm(forms.ModelForm):
    price = RupiahField(label=_("Harga (Rp)"))

    class Meta:
        model = Variant
        fields = ["name", "sku", "price", "on_hand"]
        labels = {"sku": _("SKU (opsional)"), "on_hand": _("Stok di tangan")}
        help_texts = {"on_hand": _("Jumlah yang ada di rak, termasuk yang sedang dipesan.")}
        widgets = {"on_hand": NumberInput()}


class StockForm(forms.Form):
    on_hand = forms.IntegerField(label=_("Stok di tangan"), min_value=0, widget=NumberInput())


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Tanggal dan jam mulai"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    capacity = forms.IntegerField(
        label=_("Kapasitas (orang)"), min_value=1, max_value=10_000, widget=NumberInput()
    )


class SlotCapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Kapasitas"), min_value=0, max_value=10_000, widget=NumberInput()
    )


class NightsForm(forms.Form):
    start = forms.DateField(
        label=_("Dari malam"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Sampai malam"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Termasuk malam ini."),
    )
    rooms = forms.IntegerField(
        label=_("Jumlah kamar"),
        min_value=0,
        max_value=1000,
        widget=NumberInput(),
        help_text=_("Semua kamar malam itu, termasuk yang sudah dipesan."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Tanggal akhir harus sesudah tanggal awal."))
            elif (end - start).days > 366:
                self.add_error("end", _("Paling banyak satu tahun sekaligus."))
        return data


# CSV import, members ----------------------------------------------------------------------


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV"),
        help_text=_("Paling banyak 1000 baris. Produk baru disimpan sebagai draf."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError(_("Berkas terlalu besar (maksimal 2 MB)."))
        return upload


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email staf"),
        help_text=_("Orang itu harus sudah punya akun Pasar Kreatif."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
