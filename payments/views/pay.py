"""The buyer pays one order: /pay/<code>/<number>/ (the checkout's unguessable code and the
order's number must match). A guest needs no account: the code is the key, as on /orders/<code>/.

    order_pay       GET: total, deadline, the shop's ways to pay; POST method=...: start one
    payment_detail  GET: the QR to scan, the bank account and proof upload, or the card form;
                    follows the payment by itself (status_json every 3 s) until it is paid
    payment_proof   POST: the photo of a transfer (kept private: payments.views.proofs serves it)
    status_json     {"order_status", "payment_status"} for the page's polling

In a checkout of several shops both pages show the "Bayar semua" progress (pay_all.py).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.models import Order, OrderStatus
from payments import qris, selectors
from payments.forms import ProofForm
from payments.models import Payment, PaymentStatus, Provider
from payments.services import PaymentRefused, payment_proof_upload, payment_start

POLL_SECONDS = 3
# What the buyer reads for a refusal of payment_start, by its code (others: the service's text).
START_REFUSALS = {
    "not_awaiting_payment": gettext_lazy("Pesanan ini tidak menunggu pembayaran."),
    "provider_unavailable": gettext_lazy("Cara bayar ini tidak tersedia untuk toko ini."),
    "unknown_provider": gettext_lazy("Cara bayar ini tidak tersedia untuk toko ini."),
}


def _order(code: str, number: str) -> Order:
    try:
        return selectors.pay_order(code, number)
    except Order.DoesNotExist as exc:
        raise Http404 from exc


def _payment(order: Order, reference: str) -> Payment:
    try:
        return selectors.order_payment(order, reference)
    except Payment.DoesNotExist as exc:
        raise Http404 from exc


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def order_pay(request: HttpRequest, code: str, number: str) -> HttpResponse:
    order = _order(code, number)
    payable = selectors.order_payable(order)
    methods = selectors.pay_methods(order) if payable else []
    if request.method == "POST":
        # The rules (payable, which methods this shop offers) are payment_start's.
        try:
            payment = payment_start(order=order, provider=request.POST.get("method", ""))
        except PaymentRefused as exc:
            messages.error(request, str(START_REFUSALS.get(exc.code, exc)))
        else:
            return redirect("pay:payment", code, number, payment.reference)
        return redirect("pay:order", code, number)
    progress = selectors.checkout_progress(code)
    return render(
        request,
        "payments/pay_order.html",
        {
            "order": order,
            "checkout": order.checkout,
            "payable": payable,
            "methods": methods,
            "pending": selectors.order_pending_payments(order) if payable else [],
            "paid": order.status in selectors.ORDER_PAID,
            "timed_out": order.status == OrderStatus.AWAITING_PAYMENT and not payable,
            "money_back": [] if payable else selectors.order_money_back(order),
            # A checkout of several shops: how far "Bayar semua" got, and, once this order is
            # no longer to pay, the next one that is.
            "progress": progress,
            "next_order": None if payable else progress.next_after(number),
        },
    )


def _render_payment(
    request: HttpRequest, order: Order, payment: Payment, proof_form: ProofForm, status: int = 200
) -> HttpResponse:
    money_back = selectors.payment_money_back(payment)
    paid = order.status in selectors.ORDER_PAID or (
        payment.status == PaymentStatus.SUCCEEDED and not money_back
    )
    progress = selectors.checkout_progress(order.checkout.code)
    context = {
        "order": order,
        "checkout": order.checkout,
        "payment": payment,
        "pending": payment.status == PaymentStatus.PENDING,
        # Money that goes back (it came after the order ended) is not "paid" for the buyer.
        "paid": paid,
        "money_back": money_back,
        "proof_form": proof_form,
        "poll_seconds": POLL_SECONDS,
        "progress": progress,
        "next_order": progress.next_after(order.number) if paid else None,
    }
    if payment.provider == Provider.QRIS and payment.qr_payload:
        # What the buyer's app will show after scanning: read from the QR itself.
        encoded = qris.parse(payment.qr_payload)
        context["merchant_name"] = encoded.merchant_name
        context["merchant_city"] = encoded.merchant_city
        context["nmid"] = encoded.nmid
    if payment.provider == Provider.STRIPE:
        # Public by design; the secret key never reaches a template.
        context["stripe_publishable_key"] = getattr(settings, "STRIPE_PUBLISHABLE_KEY", "")
    return render(request, "payments/pay_payment.html", context, status=status)


@never_cache
@require_GET
def payment_detail(request: HttpRequest, code: str, number: str, reference: str) -> HttpResponse:
    order = _order(code, number)
    return _render_payment(request, order, _payment(order, reference), ProofForm())


@never_cache
@require_POST
def payment_proof(request: HttpRequest, code: str, number: str, reference: str) -> HttpResponse:
    order = _order(code, number)
    payment = _payment(order, reference)
    form = ProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            payment_proof_upload(payment=payment, upload=form.cleaned_data["proof"])
        except ValidationError as exc:
            form.add_error("proof", exc)
        except PaymentRefused as exc:
            messages.error(request, str(exc))
            return redirect("pay:payment", code, number, reference)
        else:
            messages.success(
                request, _("Bukti transfer terkirim. Sekarang menunggu konfirmasi penjual.")
            )
            return redirect("pay:payment", code, number, reference)
    return _render_payment(request, order, payment, form, status=400)


@never_cache
@require_GET
def status_json(request: HttpRequest, code: str, number: str) -> JsonResponse:
    try:
        status = selectors.pay_status(code, number, request.GET.get("payment", "")[:30])
    except Order.DoesNotExist as exc:
        raise Http404 from exc
    return JsonResponse(status.as_dict())
