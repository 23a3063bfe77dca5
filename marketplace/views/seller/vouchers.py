"""The shop's vouchers: the list with how much of each quota is used, creating, editing and
deleting. Owner only. Checkout (`services.checkout._voucher_apply`) is what applies them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from marketplace.forms.seller import add_service_error
from marketplace.forms.seller_orders import VoucherForm
from marketplace.models import ShopMember, Voucher
from marketplace.selectors.seller_orders import shop_voucher, shop_vouchers
from marketplace.services.delivery import voucher_delete, voucher_save

from .common import posted, seller_render, seller_view

VOUCHER_FIELDS = [
    "code",
    "kind",
    "value",
    "min_purchase",
    "quota",
    "valid_from",
    "valid_until",
]


def _render(
    request: HttpRequest,
    membership: ShopMember,
    form: VoucherForm,
    *,
    editing: Voucher | None = None,
) -> HttpResponse:
    """vouchers.html lists the vouchers with the new-voucher form, or (editing) shows one."""
    return seller_render(
        request,
        "vouchers.html",
        membership,
        {
            "form": form,
            "editing": editing,
            "vouchers": [] if editing else shop_vouchers(membership.shop),
        },
        section="vouchers",
    )


@seller_view(owner_only=True)
def voucher_list(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    """The list; its form (POST here) makes a new voucher."""
    form = VoucherForm(*posted(request)[:1], initial={"kind": "fixed", "quota": 100})
    if request.method == "POST" and form.is_valid():
        try:
            voucher = voucher_save(shop=membership.shop, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Voucher %(code)s dibuat.") % {"code": voucher.code})
            return redirect("seller:vouchers", shop_slug=membership.shop.slug)
    return _render(request, membership, form)


@seller_view(owner_only=True)
def voucher_edit(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    voucher = shop_voucher(membership.shop, pk)
    form = VoucherForm(
        *posted(request)[:1],
        initial={name: getattr(voucher, name) for name in VOUCHER_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            voucher = voucher_save(shop=membership.shop, voucher=voucher, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Voucher %(code)s disimpan.") % {"code": voucher.code})
            return redirect("seller:vouchers", shop_slug=membership.shop.slug)
    return _render(request, membership, form, editing=voucher)


@seller_view(owner_only=True, methods=("POST",))
def voucher_remove(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    voucher = shop_voucher(membership.shop, pk)
    try:
        voucher_delete(voucher=voucher)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Voucher %(code)s dihapus.") % {"code": voucher.code})
    return redirect("seller:vouchers", shop_slug=membership.shop.slug)
