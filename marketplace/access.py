"""Who may touch a shop's private data. Everything under /seller/ goes through these: a
stranger or another seller gets 404, never the data (and never a hint that it exists)."""

from django.http import Http404

from marketplace.models import Shop, ShopMember, ShopRole, User


def seller_membership(user: User, shop_slug: str, *, owner_only: bool = False) -> ShopMember:
    if not user.is_authenticated:
        raise Http404
    membership = (
        ShopMember.objects.select_related("shop", "shop__category", "shop__kecamatan")
        .filter(user=user, shop__slug=shop_slug)
        .first()
    )
    if membership is None or (owner_only and membership.role != ShopRole.OWNER):
        raise Http404
    return membership


def seller_shop(user: User, shop_slug: str, *, owner_only: bool = False) -> Shop:
    return seller_membership(user, shop_slug, owner_only=owner_only).shop


# Diskominfo in the Wagtail admin: Wagtail's Editors and Moderators groups and the CMS's editor
# and head-of-office groups. The search reports, the cashless reports and campaign reach read
# this one rule (by group name, so the groups need no new rows).
DISKOMINFO_GROUPS = ("Editors", "Moderators", "Editor Diskominfo", "Kepala Dinas")


def is_diskominfo(user) -> bool:
    """An active admin user in one of Diskominfo's groups (superusers count too)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (
        user.has_perm("wagtailadmin.access_admin")
        and user.groups.filter(name__in=DISKOMINFO_GROUPS).exists()
    )
