"""What a shop offers at checkout and the seller sets in the dashboard: pickup, a local delivery
fee, courier rates by destination kabupaten, and vouchers.

`services.checkout` reads these rows (`delivery_fee`, `_voucher_apply`); the rules that keep them
usable there live here: a shop always offers at least one way to get the goods, a destination
has one courier rate (compared without regard to case, as checkout compares it), a voucher code
is unique in its shop (also without regard to case), a percentage is at most 100, a voucher ends
after it starts, and its quota never drops below what was already used.

Only goods travel (`kind_ships`): an experience is met at its meeting point and a stay is checked
into, so an order of nothing but those is never offered delivery nor charged for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.models import (
    CourierRate,
    ProductKind,
    Shop,
    ShopDelivery,
    Voucher,
    VoucherKind,
)

VOUCHER_CODE = re.compile(r"^[A-Z0-9-]{3,30}$")

# What is sent to the buyer. Experiences and stays are not: the buyer goes to them.
SHIPPED_KINDS = frozenset({ProductKind.GOODS})


# What travels -------------------------------------------------------------------------------


def kind_ships(kind: str) -> bool:
    """Is a product of this kind delivered (and weighed for the courier)?"""
    return kind in SHIPPED_KINDS


def order_ships(kinds: Iterable[str]) -> bool:
    """Does an order of products of these kinds need delivering? Only when it holds goods: a
    shop's order of experiences and stays alone has no delivery choice and no fee (its
    method is stored as pickup: the buyer comes)."""
    return any(kind_ships(kind) for kind in kinds)


def courier_fee(*, first_kg: int, next_kg: int, weight_grams: int) -> int:
    """A courier rate for a parcel: the first kilogram, then each further started kilogram."""
    kilograms = max(1, math.ceil(weight_grams / 1000))
    return first_kg + next_kg * (kilograms - 1)


def _offers_something(*, pickup: bool, local_fee: int | None, courier_rates: int) -> bool:
    return pickup or local_fee is not None or courier_rates > 0


def _nothing_offered_error() -> ValidationError:
    return ValidationError(
        _(
            "Pembeli harus bisa menerima pesanan: tawarkan ambil sendiri, antar lokal, "
            "atau setidaknya satu tarif kurir."
        )
    )


# Delivery options ---------------------------------------------------------------------------


@transaction.atomic
def shop_delivery_set(
    *, shop: Shop, offers_pickup: bool, local_delivery_fee: int | None
) -> ShopDelivery:
    """Pickup on or off, and the local delivery fee (None: no local delivery)."""
    options, _created = ShopDelivery.objects.select_for_update().get_or_create(shop=shop)
    if local_delivery_fee is not None and local_delivery_fee < 0:
        raise ValidationError({"local_delivery_fee": _("Ongkos antar lokal tidak boleh negatif.")})
    rates = CourierRate.objects.filter(shop=shop).count()
    if not _offers_something(
        pickup=offers_pickup, local_fee=local_delivery_fee, courier_rates=rates
    ):
        raise _nothing_offered_error()
    options.offers_pickup = offers_pickup
    options.local_delivery_fee = local_delivery_fee
    options.full_clean()
    options.save()
    return options


@transaction.atomic
def courier_rate_save(
    *,
    shop: Shop,
    destination_kabupaten: str,
    first_kg: int,
    next_kg: int,
    rate: CourierRate | None = None,
) -> CourierRate:
    """Add a courier rate (rate=None) or change one of this shop's."""
    if rate is not None and rate.shop_id != shop.pk:
        raise ValidationError(_("Tarif kurir ini bukan milik toko tersebut."))
    destination = " ".join(destination_kabupaten.split())
    errors: dict[str, str] = {}
    if not destination:
        errors["destination_kabupaten"] = _("Isi kabupaten/kota tujuan.")
    if first_kg < 0:
        errors["first_kg"] = _("Ongkos kg pertama tidak boleh negatif.")
    if next_kg < 0:
        errors["next_kg"] = _("Ongkos kg berikutnya tidak boleh negatif.")
    if errors:
        raise ValidationError(errors)
    taken = CourierRate.objects.filter(shop=shop, destination_kabupaten__iexact=destination)
    if rate is not None:
        taken = taken.exclude(pk=rate.pk)
    if taken.exists():
        raise ValidationError(
            {
                "destination_kabupaten": _("Tarif ke %(kab)s sudah ada; ubah baris yang itu saja.")
                % {"kab": destination}
            }
        )
    rate = rate or CourierRate(shop=shop)
    rate.destination_kabupaten, rate.first_kg, rate.next_kg = destination, first_kg, next_kg
    rate.full_clean()
    rate.save()
    return rate


@transaction.atomic
def courier_rate_delete(*, rate: CourierRate) -> None:
    """Remove a courier rate, unless it is the only way left for buyers to get the goods."""
    options = ShopDelivery.objects.select_for_update().filter(shop_id=rate.shop_id).first()
    options = options or ShopDelivery(shop_id=rate.shop_id)
    others = CourierRate.objects.filter(shop_id=rate.shop_id).exclude(pk=rate.pk).count()
    if not _offers_something(
        pickup=options.offers_pickup, local_fee=options.local_delivery_fee, courier_rates=others
    ):
        raise _nothing_offered_error()
    rate.delete()


# Vouchers -----------------------------------------------------------------------------------


def voucher_code_normalize(code: str) -> str:
    """How codes are stored: upper case, without spaces ("lebaran 10" → "LEBARAN10")."""
    return "".join(code.split()).upper()


@transaction.atomic
def voucher_save(
    *,
    shop: Shop,
    code: str,
    kind: str,
    value: int,
    quota: int,
    valid_from: datetime,
    valid_until: datetime,
    min_purchase: int = 0,
    voucher: Voucher | None = None,
) -> Voucher:
    """Create a voucher (voucher=None) or change one of this shop's. Its `used` count belongs to
    checkout and is never written here: the row is locked and `used` is read fresh."""
    if voucher is not None:
        if voucher.shop_id != shop.pk:
            raise ValidationError(_("Voucher ini bukan milik toko tersebut."))
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    code = voucher_code_normalize(code)
    errors: dict[str, str] = {}
    if not VOUCHER_CODE.match(code):
        errors["code"] = _("Kode voucher 3–30 karakter: huruf, angka atau tanda hubung (-).")
    elif (
        Voucher.objects.filter(shop=shop, code__iexact=code)
        .exclude(pk=voucher.pk if voucher else None)
        .exists()
    ):
        errors["code"] = _("Kode %(code)s sudah dipakai voucher lain di toko ini.") % {"code": code}
    if kind not in VoucherKind.values:
        errors["kind"] = _("Pilih jenis voucher: potongan tetap atau persen.")
    if value < 1:
        errors["value"] = _("Nilai voucher paling sedikit 1.")
    elif kind == VoucherKind.PERCENT and value > 100:
        errors["value"] = _("Potongan persen paling banyak 100.")
    if min_purchase < 0:
        errors["min_purchase"] = _("Minimal belanja tidak boleh negatif.")
    used = voucher.used if voucher else 0
    if quota < 1:
        errors["quota"] = _("Kuota paling sedikit 1.")
    elif quota < used:
        errors["quota"] = _(
            "Voucher ini sudah terpakai %(used)s kali; kuota tidak boleh kurang dari itu."
        ) % {"used": used}
    if valid_until <= valid_from:
        errors["valid_until"] = _("Tanggal berakhir harus sesudah tanggal mulai.")
    if errors:
        raise ValidationError(errors)
    voucher = voucher or Voucher(shop=shop)
    voucher.code, voucher.kind, voucher.value = code, kind, value
    voucher.min_purchase, voucher.quota = min_purchase, quota
    voucher.valid_from, voucher.valid_until = valid_from, valid_until
    voucher.full_clean()
    if voucher.pk:
        voucher.save(
            update_fields=[
                "code",
                "kind",
                "value",
                "min_purchase",
                "quota",
                "valid_from",
                "valid_until",
            ]
        )
    else:
        voucher.save()
    return voucher


@transaction.atomic
def voucher_delete(*, voucher: Voucher) -> None:
    """Delete a voucher nobody used yet. A used one stays, so that its orders keep their code:
    end it instead (set its end date to now)."""
    locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if locked.used:
        raise ValidationError(
            _(
                "Voucher %(code)s sudah dipakai %(used)s kali dan tidak bisa dihapus; "
                "ubah tanggal berakhirnya agar tidak berlaku lagi."
            )
            % {"code": locked.code, "used": locked.used}
        )
    locked.delete()
