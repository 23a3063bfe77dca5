"""Who runs the shop with the owner: staff manage products and stock, not the profile or
the members. Owner only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from marketplace.forms.seller import MemberAddForm, add_service_error
from marketplace.models import ShopMember, ShopRole
from marketplace.selectors.seller import shop_member, shop_members
from marketplace.services.shops import member_add, member_remove

from .common import posted, seller_render, seller_view


@seller_view(owner_only=True)
def members(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    shop = membership.shop
    form = MemberAddForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            added = member_add(
                shop=shop, by=request.user, email=form.cleaned_data["email"], role=ShopRole.STAFF
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                exc = ValidationError(str(exc))
            add_service_error(form, exc, "email")
        else:
            messages.success(
                request, _("%(email)s ditambahkan sebagai staf.") % {"email": added.user.email}
            )
            return redirect("seller:members", shop_slug=shop.slug)
    return seller_render(
        request,
        "members.html",
        membership,
        {"members": list(shop_members(shop)), "form": form},
        section="members",
    )


@seller_view(owner_only=True, methods=("POST",))
def member_delete(request: HttpRequest, membership: ShopMember, member_pk: int) -> HttpResponse:
    shop = membership.shop
    member = shop_member(shop, member_pk)
    try:
        member_remove(shop=shop, by=request.user, member=member)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(
            request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        )
    else:
        messages.success(request, _("%(email)s dihapus dari toko.") % {"email": member.user.email})
    return redirect("seller:members", shop_slug=shop.slug)
