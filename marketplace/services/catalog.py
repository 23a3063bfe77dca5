from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from marketplace import events
from marketplace.images import photo_store
from marketplace.models import (
    Category,
    ExperienceSlot,
    Product,
    ProductKind,
    ProductPhoto,
    ProductStatus,
    Shop,
    StayNight,
    User,
    Variant,
)
from marketplace.services.shops import unique_slug

MAX_PHOTOS = 8


def _announce_change(product: Product) -> None:
    """Active products are public: search and caches must hear of every change."""
    if product.status == ProductStatus.ACTIVE:
        events.product_event(events.PRODUCT_CHANGED, product)


@transaction.atomic
def product_create(
    *,
    shop: Shop,
    kind: str,
    title: str,
    category: Category,
    price: int,
    description: str = "",
    title_en: str = "",
    description_en: str = "",
    weight_grams: int = 0,
    on_hand: int | None = None,
    low_stock_threshold: int = 3,
) -> Product:
    """A new product starts as a draft. Goods get a first variant carrying price and the stock
    on hand."""
    product = Product(
        shop=shop,
        kind=kind,
        title=title,
        slug=unique_slug(Product, title, max_length=170),
        category=category,
        price=price,
        description=description,
        title_en=title_en,
        description_en=description_en,
        weight_grams=weight_grams,
        low_stock_threshold=low_stock_threshold,
    )
    product.full_clean()
    product.save()
    if kind == ProductKind.GOODS:
        Variant.objects.create(
            product=product, name=_("Standar"), price=price, on_hand=on_hand or 0
        )
    return product


class StockRefused(ValidationError):
    """A stock change the service will not make; `code` says which rule refused it."""


# The facts a buyer asks about before buying, by kind: only a product of that kind has them.
PRODUCT_FACTS: dict[str, tuple[str, ...]] = {
    ProductKind.GOODS: ("weight_grams",),
    ProductKind.EXPERIENCE: (
        "duration_minutes",
        "meeting_point",
        "meeting_latitude",
        "meeting_longitude",
        "included",
        "guide_languages",
        "group_size_max",
        "cancellation_terms",
    ),
    ProductKind.STAY: ("guests_per_room", "check_in_time", "check_out_time"),
}
KIND_FACTS = frozenset(name for names in PRODUCT_FACTS.values() for name in names)

# What a seller may change on a product; status moves only through publish / unpublish and the
# shop, slug and kind never change.
PRODUCT_EDITABLE = frozenset(
    {
        "title",
        "title_en",
        "category",
        "price",
        "description",
        "description_en",
        "low_stock_threshold",
        *KIND_FACTS,
    }
)

MAX_DURATION_MINUTES = 14 * 24 * 60  # two weeks: longer is a typing slip
MAX_GROUP_SIZE = 500
MAX_GUESTS_PER_ROOM = 50


def _facts_refused(product: Product, fields: dict[str, object]) -> dict[str, ValidationError]:
    """The refusals of a product's facts, by field, each with a code: facts of another kind,
    numbers out of range, half a map position, a check-out later than the check-in."""
    errors: dict[str, ValidationError] = {}
    own = PRODUCT_FACTS.get(product.kind, ())
    for name in fields:
        # Weight is the goods' fact, but older non-goods rows carry one; other kinds' facts
        # must stay empty so that a page never shows them.
        foreign = name in KIND_FACTS and name not in own and name != "weight_grams"
        if foreign and fields[name] not in (None, ""):
            errors[name] = ValidationError(
                _("Isian ini bukan untuk %(kind)s.") % {"kind": product.get_kind_display()},
                code="fact_wrong_kind",
            )
    ranges = {
        "duration_minutes": (MAX_DURATION_MINUTES, _("Durasi 1 sampai %(max)s menit.")),
        "group_size_max": (MAX_GROUP_SIZE, _("Ukuran grup 1 sampai %(max)s orang.")),
        "guests_per_room": (MAX_GUESTS_PER_ROOM, _("Tamu per kamar 1 sampai %(max)s orang.")),
    }
    for name, (most, message) in ranges.items():
        value = getattr(product, name)
        if value is not None and not 1 <= value <= most:
            errors[name] = ValidationError(message % {"max": most}, code=f"{name}_out_of_range")
    has_lat = product.meeting_latitude is not None
    has_lng = product.meeting_longitude is not None
    if has_lat != has_lng:
        errors["meeting_longitude" if has_lat else "meeting_latitude"] = ValidationError(
            _("Isi lintang dan bujur titik kumpul bersama-sama, atau kosongkan keduanya."),
            code="meeting_position_incomplete",
        )
    elif has_lat and not product.meeting_point:
        errors["meeting_point"] = ValidationError(
            _("Beri nama titik kumpul yang ditandai di peta."), code="meeting_point_required"
        )
    check_in, check_out = product.check_in_time, product.check_out_time
    if check_in is not None and check_out is not None and check_out > check_in:
        # The room must be free before the next guest arrives on the same day.
        errors["check_out_time"] = ValidationError(
            _("Jam check-out tidak boleh lebih dari jam check-in (%(check_in)s).")
            % {"check_in": formats.time_format(check_in, "TIME_FORMAT")},
            code="check_out_after_check_in",
        )
    return errors


@transaction.atomic
def product_update(*, product: Product, fields: dict[str, object]) -> Product:
    """Change the named fields of a product, and only those (listed in PRODUCT_EDITABLE).

    Facts (PRODUCT_FACTS) belong to their kind; a refused one raises ValidationError keyed by
    field, each error with a code (`fact_wrong_kind`, `duration_minutes_out_of_range`,
    `meeting_position_incomplete`, `check_out_after_check_in`, ...)."""
    unknown = set(fields) - PRODUCT_EDITABLE
    if unknown:
        raise ValueError(f"product_update cannot set {sorted(unknown)}")
    product = Product.objects.select_for_update().get(pk=product.pk)
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(product, name, value)
    refused = _facts_refused(product, fields)
    if refused:
        raise ValidationError(refused)
    product.full_clean()
    product.save(update_fields=[*fields, "updated_at"])
    _announce_change(product)
    return product


@transaction.atomic
def product_publish(*, product: Product) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.status == ProductStatus.ACTIVE:
        return product
    if product.kind == ProductKind.GOODS and not product.variants.exists():
        raise ValidationError(_("Tambahkan setidaknya satu varian sebelum menampilkan produk."))
    product.status = ProductStatus.ACTIVE
    product.published_at = product.published_at or timezone.now()
    product.save(update_fields=["status", "published_at", "updated_at"])
    events.product_event(events.PRODUCT_PUBLISHED, product)
    return product


@transaction.atomic
def product_unpublish(*, product: Product, to: str = ProductStatus.ARCHIVED) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    was_active = product.status == ProductStatus.ACTIVE
    product.status = to
    product.save(update_fields=["status", "updated_at"])
    if was_active:
        events.product_event(events.PRODUCT_UNPUBLISHED, product)
    return product


def _sync_goods_price(product: Product) -> None:
    lowest = product.variants.aggregate(lowest=Min("price"))["lowest"]
    if lowest is not None and lowest != product.price:
        Product.objects.filter(pk=product.pk).update(price=lowest)
        product.price = lowest


def _refuse_below_allocated(variant: Variant, on_hand: int) -> None:
    if on_hand < variant.allocated:
        raise StockRefused(
            _(
                "%(n)s unit sedang dipesan oleh pesanan yang belum selesai; stok di tangan tidak "
                "bisa di bawah itu."
            )
            % {"n": variant.allocated},
            code="below_allocated",
        )


@transaction.atomic
def variant_save(
    *,
    product: Product,
    name: str,
    price: int,
    on_hand: int,
    sku: str = "",
    variant: Variant | None = None,
) -> Variant:
    """Create a variant, or change an existing one. An existing row is locked and only the
    fields that differ are written, so a checkout or a second tab at the same moment keeps its
    change (its `allocated`, say)."""
    if product.kind != ProductKind.GOODS:
        raise ValidationError(_("Hanya barang yang memiliki varian."), code="not_goods")
    if variant is not None and variant.pk:
        variant = Variant.objects.select_for_update().get(pk=variant.pk)
    else:
        variant = Variant(product=product)
    if variant.product_id != product.pk:
        raise ValidationError(_("Varian ini bukan milik produk tersebut."), code="wrong_product")
    if on_hand < 0:
        raise StockRefused(_("Stok tidak boleh negatif."), code="negative")
    _refuse_below_allocated(variant, on_hand)
    wanted = {"name": name, "price": price, "on_hand": on_hand, "sku": sku}
    changed = [attr for attr, value in wanted.items() if getattr(variant, attr) != value]
    for attr in changed:
        setattr(variant, attr, wanted[attr])
    variant.full_clean()
    if variant.pk is None:
        variant.save()
    elif changed:
        variant.save(update_fields=changed)
    _sync_goods_price(product)
    _announce_change(product)
    _warn_if_low(variant)
    return variant


@transaction.atomic
def variant_delete(*, variant: Variant) -> None:
    variant = Variant.objects.select_for_update().select_related("product").get(pk=variant.pk)
    product = variant.product
    if product.variants.count() <= 1:
        raise ValidationError(
            _("Barang harus memiliki setidaknya satu varian."), code="last_variant"
        )
    if variant.allocated:
        raise StockRefused(
            _("Varian ini sedang dipesan; selesaikan atau batalkan pesanannya dulu."),
            code="allocated",
        )
    variant.delete()
    _sync_goods_price(product)
    _announce_change(product)


@transaction.atomic
def stock_set(*, variant: Variant, on_hand: int) -> Variant:
    """The seller counted the shelf: set what is on hand. What orders hold stays allocated, so
    on hand can never go below it."""
    if on_hand < 0:
        raise StockRefused(_("Stok tidak boleh negatif."), code="negative")
    variant = Variant.objects.select_for_update().select_related("product").get(pk=variant.pk)
    _refuse_below_allocated(variant, on_hand)
    variant.on_hand = on_hand
    variant.save(update_fields=["on_hand"])
    _announce_change(variant.product)
    _warn_if_low(variant)
    return variant


def _warn_if_low(variant: Variant) -> None:
    if variant.free <= variant.product.low_stock_threshold:
        events.stock_low(variant)


@transaction.atomic
def slot_add(*, product: Product, starts_at: datetime, capacity: int) -> ExperienceSlot:
    if product.kind != ProductKind.EXPERIENCE:
        raise ValidationError(_("Jadwal hanya untuk pengalaman wisata."))
    if starts_at <= timezone.now():
        raise ValidationError(_("Jadwal harus di masa depan."))
    if ExperienceSlot.objects.filter(product=product, starts_at=starts_at).exists():
        raise ValidationError(_("Jadwal pada waktu itu sudah ada."))
    slot = ExperienceSlot(product=product, starts_at=starts_at, capacity=capacity)
    slot.full_clean()
    slot.save()
    _announce_change(product)
    return slot


@transaction.atomic
def slot_set_capacity(*, slot: ExperienceSlot, capacity: int) -> ExperienceSlot:
    slot = ExperienceSlot.objects.select_for_update().get(pk=slot.pk)
    if capacity < slot.booked:
        raise ValidationError(
            _("Sudah ada %(booked)s peserta terpesan; kapasitas tidak bisa di bawah itu.")
            % {"booked": slot.booked}
        )
    slot.capacity = capacity
    slot.save(update_fields=["capacity"])
    _announce_change(slot.product)
    return slot


@transaction.atomic
def stay_nights_set(*, product: Product, start: date, end: date, rooms: int) -> int:
    """Set how many rooms the stay has on each night from `start` up to and including `end`.
    Rooms that orders hold stay booked; a night cannot have fewer rooms than are booked."""
    if product.kind != ProductKind.STAY:
        raise ValidationError(_("Ketersediaan malam hanya untuk penginapan."), code="not_stay")
    if end < start:
        raise ValidationError(_("Tanggal akhir harus sesudah tanggal awal."), code="bad_range")
    if (end - start).days > 366:
        raise ValidationError(_("Paling banyak satu tahun sekaligus."), code="bad_range")
    if rooms < 0:
        raise StockRefused(_("Jumlah kamar tidak boleh negatif."), code="negative")
    nights = [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]
    existing = {
        row.night: row
        for row in StayNight.objects.select_for_update()
        .filter(product=product, night__gte=start, night__lte=end)
        .order_by("pk")
    }
    too_few = sorted(night for night, row in existing.items() if row.booked > rooms)
    if too_few:
        raise StockRefused(
            _("Malam %(night)s sudah terpesan %(n)s kamar; jumlah kamar tidak bisa di bawah itu.")
            % {"night": too_few[0].isoformat(), "n": existing[too_few[0]].booked},
            code="below_booked",
        )
    StayNight.objects.filter(pk__in=[row.pk for row in existing.values()]).update(rooms=rooms)
    StayNight.objects.bulk_create(
        [
            StayNight(product=product, night=night, rooms=rooms)
            for night in nights
            if night not in existing
        ]
    )
    _announce_change(product)
    return len(nights)


@transaction.atomic
def photo_add(*, product: Product, upload, by: User | None = None) -> ProductPhoto:
    if product.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("Paling banyak %(n)s foto per produk.") % {"n": MAX_PHOTOS})
    image = photo_store(upload, title=product.title, uploaded_by=by)
    position = (
        product.photos.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    photo = ProductPhoto.objects.create(product=product, image=image, position=position)
    _announce_change(product)
    return photo


@transaction.atomic
def photo_remove(*, photo: ProductPhoto) -> None:
    product, image = photo.product, photo.image
    photo.delete()
    image.delete()
    _announce_change(product)


@transaction.atomic
def photo_move_first(*, photo: ProductPhoto) -> None:
    ProductPhoto.objects.filter(product=photo.product_id).update(position=F("position") + 1)
    ProductPhoto.objects.filter(pk=photo.pk).update(position=0)
    _announce_change(photo.product)


# CSV import --------------------------------------------------------------------------------

CSV_COLUMNS = ["jenis", "nama", "kategori", "harga", "stok", "berat_gram", "deskripsi"]
KIND_WORDS = {
    "barang": ProductKind.GOODS,
    "goods": ProductKind.GOODS,
    "pengalaman": ProductKind.EXPERIENCE,
    "experience": ProductKind.EXPERIENCE,
    "penginapan": ProductKind.STAY,
    "stay": ProductKind.STAY,
}


@dataclass
class ImportReport:
    created: list[Product] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _whole_number(text: str, label: str, errors: list[str], *, minimum: int = 0) -> int:
    cleaned = text.strip().replace(".", "").replace("Rp", "").replace(" ", "")
    if not cleaned.isdigit() or int(cleaned) < minimum:
        errors.append(
            _("%(label)s harus bilangan bulat ≥ %(min)s, bukan “%(value)s”")
            % {"label": label, "min": minimum, "value": text}
        )
        return 0
    return int(cleaned)


def products_import_csv(*, shop: Shop, data: bytes, max_rows: int = 1000) -> ImportReport:
    """Import products from CSV: every row is checked first; if any row is wrong, nothing is
    imported and the report lists each wrong row with what to fix."""
    report = ImportReport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append((0, _("Berkas harus CSV ber-encoding UTF-8.")))
        return report
    reader = csv.DictReader(
        io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","
    )
    missing = [c for c in CSV_COLUMNS[:4] if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(
            (
                1,
                _("Kolom wajib tidak ada: %(cols)s. Kolom: %(all)s")
                % {"cols": ", ".join(missing), "all": ", ".join(CSV_COLUMNS)},
            )
        )
        return report
    categories = {c.slug: c for c in Category.objects.all()}
    categories.update({c.name.lower(): c for c in categories.values()})
    rows = []
    for line, row in enumerate(reader, start=2):
        if line - 1 > max_rows:
            report.errors.append(
                (line, _("Paling banyak %(n)s baris sekaligus.") % {"n": max_rows})
            )
            break
        problems: list[str] = []
        kind = KIND_WORDS.get((row.get("jenis") or "").strip().lower())
        if kind is None:
            problems.append(_("jenis harus barang, pengalaman atau penginapan"))
        title = (row.get("nama") or "").strip()
        if not title:
            problems.append(_("nama wajib diisi"))
        elif len(title) > 150:
            problems.append(_("nama paling panjang 150 huruf"))
        category = categories.get((row.get("kategori") or "").strip().lower())
        if category is None:
            problems.append(
                _("kategori “%(value)s” tidak dikenal") % {"value": row.get("kategori")}
            )
        price = _whole_number(row.get("harga") or "", "harga", problems, minimum=1)
        on_hand = _whole_number(row.get("stok") or "0", "stok", problems)
        weight = _whole_number(row.get("berat_gram") or "0", "berat_gram", problems)
        if problems:
            report.errors.append((line, "; ".join(problems)))
        else:
            rows.append(
                (
                    kind,
                    title,
                    category,
                    price,
                    on_hand,
                    weight,
                    (row.get("deskripsi") or "").strip(),
                )
            )
    if not rows and not report.errors:
        report.errors.append((0, _("Berkas tidak berisi baris produk.")))
    if report.errors:
        return report
    with transaction.atomic():
        for kind, title, category, price, on_hand, weight, description in rows:
            report.created.append(
                product_create(
                    shop=shop,
                    kind=kind,
                    title=title,
                    category=category,
                    price=price,
                    on_hand=on_hand,
                    weight_grams=weight,
                    description=description,
                )
            )
    return report
