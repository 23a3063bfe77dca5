"""The "Bayar semua" flow: /pay/<code>/ walks the buyer through a checkout's orders (one per
shop), one pay page after the other. Each pay page shows how far they got ("1 dari 2 dibayar")
and, once its order is paid, leads on to the next (payments/_pay_progress.html, _pay_next.html).

    checkout_pay    GET: to the first order still awaiting payment; none left: the summary
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from marketplace.models import Order
from payments import selectors


@never_cache
@require_GET
def checkout_pay(request: HttpRequest, code: str) -> HttpResponse:
    try:
        progress = selectors.checkout_progress(code)
    except Order.DoesNotExist as exc:
        raise Http404 from exc
    if progress.unpaid:
        return redirect("pay:order", code, progress.unpaid[0].number)
    return render(request, "payments/pay_checkout.html", {"progress": progress, "code": code})
