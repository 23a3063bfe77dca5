"""The seller's payments, under /seller/<shop_slug>/payments/. Every view signs the user in
(anonymous → the login page) and asks marketplace.access.seller_shop for the shop, so a stranger
or another shop's seller gets 404 and changes nothing.

    payment_list    the shop's payments: flagged first, then those waiting, then the newest
    payment_confirm "Pembayaran diterima" for a pending QRIS or transfer payment
    payment_reject  refuse a transfer proof, with a reason the buyer reads
    payment_refund  give the money back (owner only)
    qris_setup      the shop's static QRIS: paste or photo → preview → confirm (owner only)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.access import seller_shop
from marketplace.models import Shop, ShopMember, ShopRole
from payments import selectors
from payments.forms import QR_PHOTO_AVAILABLE, QrisConfirmForm, QrisSetupForm, RejectForm
from payments.models import MerchantQris, Payment, PaymentStatus, Provider
from payments.qris import QrisError
from payments.reports import charts
from payments.reports.selectors import Scope
from payments.reports.selectors import shop_figures as figures_of
from payments.services import (
    SELLER_CONFIRMS,
    PaymentRefused,
    merchant_qris_set,
    payment_confirm_by_seller,
    payment_refund,
    payment_reject_by_seller,
)

PAGE_SIZE = 25
# What the seller reads for a refusal, by its code; the rules themselves are the services'.
REFUSALS = {
    "not_confirmable": gettext_lazy("Pembayaran ini tidak dapat dikonfirmasi penjual."),
    "not_rejectable": gettext_lazy("Hanya bukti transfer yang menunggu yang dapat ditolak."),
    "not_owner": gettext_lazy("Hanya pemilik toko yang dapat mengembalikan dana."),
}
PENDING_REFUSALS = {
    "confirm": gettext_lazy("Pembayaran ini tidak dapat dikonfirmasi penjual."),
    "reject": gettext_lazy("Hanya bukti transfer yang menunggu yang dapat ditolak."),
}


def _refusal(exc: PaymentRefused, action: str = "") -> str:
    if exc.code == "not_pending" and action in PENDING_REFUSALS:
        return str(PENDING_REFUSALS[action])
    return str(REFUSALS.get(exc.code, exc))


def seller_payments_view(*, owner_only: bool = False):
    """Sign-in first, then the shop of this member (404 otherwise); the view gets the shop."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, shop_slug: str, **kwargs) -> HttpResponse:
            shop = seller_shop(request.user, shop_slug, owner_only=owner_only)
            return view(request, shop, **kwargs)

        return wrapper

    return decorate


def _is_owner(shop: Shop, user) -> bool:
    return ShopMember.objects.filter(shop=shop, user=user, role=ShopRole.OWNER).exists()


def _render(
    request: HttpRequest, template: str, shop: Shop, context: dict, *, status: int = 200
) -> HttpResponse:
    # The seller dashboard's layout (templates/marketplace/seller/_layout.html) reads these.
    return render(
        request,
        template,
        {"shop": shop, "is_owner": _is_owner(shop, request.user), "section": "payments", **context},
        status=status,
    )


def _payment(shop: Shop, reference: str) -> Payment:
    try:
        return selectors.seller_payment(shop, reference)
    except Payment.DoesNotExist as exc:
        raise Http404 from exc


def _back(request: HttpRequest, shop: Shop) -> HttpResponseRedirect:
    default = reverse("seller_payments:list", args=[shop.slug])
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


# The list ------------------------------------------------------------------------------------


@seller_payments_view()
@require_http_methods(["GET", "HEAD"])
def payment_list(request: HttpRequest, shop: Shop) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in selectors.SELLER_FILTERS:
        status = ""
    method = request.GET.get("method", "")
    if method not in Provider.values:
        method = ""
    page = Paginator(selectors.seller_payments(shop, status, method), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "payments/seller_payments.html",
        shop,
        {
            "page": page,
            "status": status,
            "method": method,
            "filters": [
                ("", _("Perlu dilihat")),
                ("pending", _("Menunggu")),
                ("attention", _("Perlu ditinjau")),
                ("succeeded", _("Berhasil")),
                ("closed", _("Gagal, kedaluwarsa, dikembalikan")),
                ("all", _("Semua")),
            ],
            "counts": selectors.seller_payment_counts(shop),
            "merchant_qris": MerchantQris.objects.filter(shop=shop).first(),
            "seller_confirms": [p.value for p in SELLER_CONFIRMS],
            "reject_form": RejectForm(),
        },
    )


# Actions -------------------------------------------------------------------------------------


@seller_payments_view()
@require_POST
def payment_confirm(request: HttpRequest, shop: Shop, reference: str) -> HttpResponse:
    payment = _payment(shop, reference)
    try:
        payment = payment_confirm_by_seller(payment=payment, by=request.user)
    except PaymentRefused as exc:
        messages.error(request, _refusal(exc, "confirm"))
    else:
        messages.success(
            request,
            _("Pembayaran %(ref)s untuk pesanan %(n)s diterima.")
            % {"ref": payment.reference, "n": payment.order.number},
        )
    return _back(request, shop)


@seller_payments_view()
@require_POST
def payment_reject(request: HttpRequest, shop: Shop, reference: str) -> HttpResponse:
    payment = _payment(shop, reference)
    form = RejectForm(request.POST)
    try:
        payment_reject_by_seller(
            payment=payment,
            by=request.user,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except PaymentRefused as exc:
        messages.error(request, _refusal(exc, "reject"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Bukti transfer %(ref)s ditolak. Pembeli dapat mencoba lagi.")
            % {"ref": payment.reference},
        )
    return _back(request, shop)


@seller_payments_view(owner_only=True)
@require_POST
def payment_refund_view(request: HttpRequest, shop: Shop, reference: str) -> HttpResponse:
    payment = _payment(shop, reference)
    try:
        payment = payment_refund(payment=payment, by=request.user)
    except PaymentRefused as exc:
        messages.error(request, _refusal(exc))
    else:
        if payment.provider != Provider.STRIPE:
            text = _("Pembayaran %(ref)s ditandai dikembalikan.")
        elif payment.status == PaymentStatus.REFUNDED:
            text = _("Dana %(ref)s dikembalikan lewat Stripe.")
        else:  # the call is retried by payments.reconcile
            text = _("Pengembalian dana %(ref)s sedang diproses Stripe.")
        messages.success(request, text % {"ref": payment.reference})
    return _back(request, shop)


# QRIS set-up ---------------------------------------------------------------------------------


def _issuers(parsed) -> list[str]:
    """The payment networks a QRIS names (template 26-50, sub-field 00: ID.CO.BANKTOBA.WWW...),
    without QRIS's own national template 51."""
    return [
        account["00"]
        for tag, account in sorted(parsed.merchant_accounts.items())
        if tag != "51" and account.get("00")
    ]


@seller_payments_view(owner_only=True)
@require_http_methods(["GET", "HEAD", "POST"])
def qris_setup(request: HttpRequest, shop: Shop) -> HttpResponse:
    current = MerchantQris.objects.filter(shop=shop).select_related("confirmed_by").first()
    form, preview, confirm_form, status = QrisSetupForm(), None, None, 200
    if request.method == "POST" and request.POST.get("step") == "confirm":
        confirm_form = QrisConfirmForm(request.POST)
        if confirm_form.is_valid():
            try:
                merchant = merchant_qris_set(
                    shop=shop, payload=confirm_form.cleaned_data["payload"], by=request.user
                )
            except (PaymentRefused, QrisError) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "QRIS %(name)s (NMID %(nmid)s) dipasang. Pembeli kini bisa membayar "
                        "dengan QRIS."
                    )
                    % {"name": merchant.merchant_name, "nmid": merchant.nmid or "-"},
                )
                return HttpResponseRedirect(reverse("seller_payments:qris", args=[shop.slug]))
        else:
            for error in confirm_form.errors.get("payload", []):
                messages.error(request, error)
        status = 400
    elif request.method == "POST":
        form = QrisSetupForm(request.POST, request.FILES)
        if form.is_valid():
            preview = form.cleaned_data["parsed"]
            confirm_form = QrisConfirmForm(initial={"payload": form.cleaned_data["payload"]})
        else:
            status = 400
    return _render(
        request,
        "payments/seller_qris.html",
        shop,
        {
            "current": current,
            "form": form,
            "preview": preview,
            "confirm_form": confirm_form if preview else None,
            "preview_issuers": _issuers(preview) if preview else [],
            "photo_available": QR_PHOTO_AVAILABLE,
        },
        status=status,
    )


# The shop's own figures ----------------------------------------------------------------------


@seller_payments_view()
@require_http_methods(["GET", "HEAD"])
def shop_figures(request: HttpRequest, shop: Shop) -> HttpResponse:
    """The seller's sales by month and method, best products and cashless buyers, over the
    last twelve months (or ?tahun=YYYY): only this shop's."""
    today = timezone.localdate()
    year = request.GET.get("tahun", "")
    if year.isdigit() and 2020 <= int(year) <= today.year:
        scope = Scope(dt.date(int(year), 1, 1), min(dt.date(int(year), 12, 31), today))
    else:
        year = ""
        scope = Scope(today - dt.timedelta(days=364), today)
    figures = figures_of(shop.pk, scope)
    return _render(
        request,
        "payments/seller_figures.html",
        shop,
        {
            "figures": figures,
            "scope": scope,
            "year": year,
            "years": range(today.year, today.year - 4, -1),
            "chart": charts.bar_chart(
                figures["months"],
                label="name",
                value="net",
                title=str(_("Penjualan bersih per bulan")),
                money=True,
                chart_id="shop-months",
            ),
        },
    )
