"""POST /orders/<code>/<number>/review/: a review of one product of a completed order."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.forms.buying import ReviewForm
from marketplace.models import Order
from marketplace.selectors.buying import order_by_number
from marketplace.services.reviews import review_create


@require_POST
def review_add(request: HttpRequest, code: str, number: str) -> HttpResponse:
    try:
        order = order_by_number(code, number)
    except Order.DoesNotExist as exc:
        raise Http404 from exc
    back = reverse("buying:checkout_detail", args=[code]) + f"#order-{order.number}"
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(back)
    line = next(
        (line for line in order.lines.all() if line.product_id == form.cleaned_data["product"]),
        None,
    )
    if line is None:
        messages.error(
            request,
            _("Produk ini tidak ada dalam pesanan %(number)s.") % {"number": order.number},
        )
        return redirect(back)
    try:
        review_create(
            order=order,
            product=line.product,
            author_name=order.checkout.contact_name,
            rating=form.cleaned_data["rating"],
            body=form.cleaned_data["body"],
            author=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Terima kasih! Ulasan Anda sudah tayang."))
    return redirect(back)
