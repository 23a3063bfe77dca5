"""The seller's shops: the list, opening a shop, a shop's dashboard, its profile and
submitting it for verification."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.forms.seller import ShopForm, add_service_error
from marketplace.images import photo_store
from marketplace.models import Shop, ShopMember, ShopStatus, User
from marketplace.selectors.seller import member_shops, shop_overview
from marketplace.selectors.seller_orders import shop_order_counts, shop_payment_counts
from marketplace.services.shops import shop_register, shop_submit, shop_update_profile

from .common import posted, seller_render, seller_view


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """A seller with one shop goes straight to its dashboard (what needs doing now); with
    several, or none yet, the list of their shops."""
    memberships = list(member_shops(request.user))
    if len(memberships) == 1:
        return redirect("seller:dashboard", shop_slug=memberships[0].shop.slug)
    return render(request, "marketplace/seller/home.html", {"memberships": memberships})


def _logo_fields(form: ShopForm, user: User, title: str) -> dict | None:
    """The logo upload, cleaned and stored; None (with the error on the form) when refused."""
    upload = form.cleaned_data.get("logo")
    if not upload:
        return {}
    try:
        return {"logo": photo_store(upload, title=title, uploaded_by=user)}
    except ValidationError as exc:
        form.add_error("logo", exc)
        return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def shop_create(request: HttpRequest) -> HttpResponse:
    form = ShopForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        shop = None
        with transaction.atomic():
            fields = form.profile_fields()
            logo = _logo_fields(form, request.user, fields["name"])
            if logo is not None:
                try:
                    shop = shop_register(owner=request.user, **fields, **logo)
                except ValidationError as exc:
                    add_service_error(form, exc)
                    transaction.set_rollback(True)
        if shop is not None:
            messages.success(
                request,
                _("Toko %(name)s dibuat sebagai draf. Tambahkan produk, lalu ajukan verifikasi.")
                % {"name": shop.name},
            )
            return redirect("seller:dashboard", shop_slug=shop.slug)
    return render(request, "marketplace/seller/shop_form.html", {"form": form, "creating": True})


@seller_view(methods=("GET",))
def dashboard(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    shop = membership.shop
    return seller_render(
        request,
        "dashboard.html",
        membership,
        {
            "overview": shop_overview(shop),
            "orders": shop_order_counts(shop),
            "payments": shop_payment_counts(shop),
            "can_submit": shop.status in {ShopStatus.DRAFT, ShopStatus.REJECTED},
        },
        section="dashboard",
    )


@seller_view(owner_only=True, methods=("POST",))
def submit(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    try:
        shop_submit(shop=membership.shop)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Toko diajukan untuk verifikasi. Diskominfo akan memeriksanya segera."),
        )
    return redirect("seller:dashboard", shop_slug=membership.shop.slug)


@seller_view(owner_only=True)
def profile(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    shop: Shop = membership.shop
    # The form works on a copy, so a refused edit never shows in the page around it.
    form = ShopForm(*posted(request), instance=copy.copy(shop))
    if request.method == "POST" and form.is_valid():
        saved = False
        with transaction.atomic():
            fields = form.profile_fields()
            logo = _logo_fields(form, request.user, fields["name"])
            if logo is not None:
                try:
                    shop_update_profile(shop=shop, fields={**fields, **logo})
                    saved = True
                except ValidationError as exc:
                    add_service_error(form, exc)
                    transaction.set_rollback(True)
        if saved:
            messages.success(request, _("Profil toko disimpan."))
            return redirect("seller:dashboard", shop_slug=shop.slug)
        shop.refresh_from_db()
    return seller_render(
        request, "shop_form.html", membership, {"form": form, "creating": False}, section="profile"
    )
