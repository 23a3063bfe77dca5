"""/orders/<code>/: the buyer's checkout (the unguessable code is the key) and its receipts."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from marketplace.forms.buying import ReviewForm
from marketplace.models import Checkout, Order
from marketplace.selectors.buying import checkout_page, order_by_number


@never_cache
@require_GET
def checkout_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        page = checkout_page(code)
    except Checkout.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "marketplace/buying/checkout_detail.html",
        {"page": page, "checkout": page.checkout, "review_form": ReviewForm()},
    )


@never_cache
@require_GET
def order_receipt(request: HttpRequest, code: str, number: str) -> HttpResponse:
    try:
        order = order_by_number(code, number)
    except Order.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "marketplace/buying/receipt.html",
        {"order": order, "checkout": order.checkout, "lines": list(order.lines.all())},
    )
