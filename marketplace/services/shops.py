from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace import events
from marketplace.models import Shop, ShopMember, ShopRole, ShopStatus, User
from marketplace.phone import normalize_indonesian_mobile


class IllegalShopTransition(ValidationError):
    pass


# Words that are paths of their own under /seller/ and /shops/, never a slug.
RESERVED_SLUGS = {"new", "baru", "import", "payments"}


def unique_slug(model, text: str, *, field: str = "slug", max_length: int = 140) -> str:
    base = slugify(text)[: max_length - 8] or "toko"
    slug, n = base, 2
    if slug in RESERVED_SLUGS:
        slug = f"{base}-{n}"
    while model.objects.filter(**{field: slug}).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def shop_register(*, owner: User, name: str, category, kecamatan, **fields) -> Shop:
    """A seller opens a shop: it starts as a draft, with the seller as its owner."""
    if fields.get("whatsapp"):
        fields["whatsapp"] = normalize_indonesian_mobile(fields["whatsapp"])
    shop = Shop(
        name=name, slug=unique_slug(Shop, name), category=category, kecamatan=kecamatan, **fields
    )
    shop.full_clean()
    shop.save()
    ShopMember.objects.create(shop=shop, user=owner, role=ShopRole.OWNER)
    events.shop_event(events.SHOP_REGISTERED, shop, owner_id=owner.pk)
    return shop


def _move(shop: Shop, *, allowed_from: set[str], to: str) -> None:
    if shop.status not in allowed_from:
        raise IllegalShopTransition(
            _("Toko berstatus %(status)s tidak dapat diubah menjadi %(to)s.")
            % {"status": shop.get_status_display(), "to": ShopStatus(to).label}
        )
    shop.status = to


@transaction.atomic
def shop_submit(*, shop: Shop) -> Shop:
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    _move(shop, allowed_from={ShopStatus.DRAFT, ShopStatus.REJECTED}, to=ShopStatus.PENDING)
    shop.submitted_at = timezone.now()
    shop.status_reason = ""
    shop.save(update_fields=["status", "submitted_at", "status_reason", "updated_at"])
    events.shop_event(events.SHOP_SUBMITTED, shop)
    return shop


@transaction.atomic
def shop_verify(*, shop: Shop, by: User) -> Shop:
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    _move(shop, allowed_from={ShopStatus.PENDING, ShopStatus.SUSPENDED}, to=ShopStatus.VERIFIED)
    shop.verified_at = timezone.now()
    shop.verified_by = by
    shop.status_reason = ""
    shop.save(update_fields=["status", "verified_at", "verified_by", "status_reason", "updated_at"])
    events.shop_event(events.SHOP_VERIFIED, shop, verified_by=by.pk)
    return shop


@transaction.atomic
def shop_reject(*, shop: Shop, by: User, reason: str) -> Shop:
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan penolakan agar penjual dapat memperbaikinya."))
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    _move(shop, allowed_from={ShopStatus.PENDING}, to=ShopStatus.REJECTED)
    shop.status_reason = reason.strip()
    shop.save(update_fields=["status", "status_reason", "updated_at"])
    events.shop_event(events.SHOP_REJECTED, shop, reason=shop.status_reason, by=by.pk)
    return shop


@transaction.atomic
def shop_suspend(*, shop: Shop, by: User, reason: str) -> Shop:
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan penangguhan."))
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    _move(shop, allowed_from={ShopStatus.VERIFIED}, to=ShopStatus.SUSPENDED)
    shop.status_reason = reason.strip()
    shop.save(update_fields=["status", "status_reason", "updated_at"])
    events.shop_event(events.SHOP_SUSPENDED, shop, reason=shop.status_reason, by=by.pk)
    return shop


# What a shop's owner may change from the profile page (in the order the form shows them),
# besides the logo; status, slug and verification move only through their own services.
SHOP_PROFILE_FIELDS = (
    "name",
    "category",
    "kecamatan",
    "desa",
    "address",
    "latitude",
    "longitude",
    "whatsapp",
    "nib",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
    "story",
    "story_en",
)


@transaction.atomic
def shop_update_profile(*, shop: Shop, fields: dict[str, object]) -> Shop:
    """Change the named profile fields (SHOP_PROFILE_FIELDS and the logo), and only those."""
    unknown = set(fields) - {*SHOP_PROFILE_FIELDS, "logo"}
    if unknown:
        raise ValueError(f"shop_update_profile cannot set {sorted(unknown)}")
    fields = dict(fields)
    if fields.get("whatsapp"):
        fields["whatsapp"] = normalize_indonesian_mobile(fields["whatsapp"])
    replaced_logo = shop.logo if "logo" in fields and fields["logo"] != shop.logo else None
    for name, value in fields.items():
        setattr(shop, name, value)
    shop.full_clean()
    shop.save(update_fields=[*fields, "updated_at"])
    if replaced_logo is not None:
        replaced_logo.delete()  # not kept in the image library for nothing
    return shop


def member_role(*, shop: Shop, user: User) -> str | None:
    if not user.is_authenticated:
        return None
    return ShopMember.objects.filter(shop=shop, user=user).values_list("role", flat=True).first()


@transaction.atomic
def member_add(*, shop: Shop, by: User, email: str, role: str = ShopRole.STAFF) -> ShopMember:
    """An owner adds a staff member (who must already have an account)."""
    if member_role(shop=shop, user=by) != ShopRole.OWNER:
        raise PermissionDenied(_("Hanya pemilik toko yang dapat menambah anggota."))
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            _("Belum ada akun dengan email %(email)s. Minta dia mendaftar dulu.") % {"email": email}
        )
    member, created = ShopMember.objects.get_or_create(
        shop=shop, user=user, defaults={"role": role}
    )
    if not created:
        raise ValidationError(_("%(email)s sudah menjadi anggota toko ini.") % {"email": email})
    return member


@transaction.atomic
def member_remove(*, shop: Shop, by: User, member: ShopMember) -> None:
    if member_role(shop=shop, user=by) != ShopRole.OWNER or member.shop_id != shop.pk:
        raise PermissionDenied(_("Hanya pemilik toko yang dapat menghapus anggota."))
    if member.role == ShopRole.OWNER:
        raise ValidationError(_("Pemilik toko tidak dapat dihapus."))
    member.delete()
