"""Transfer proofs, the buyers' bank documents, served from the private storage to those who
may see them, and to nobody else (404 for everyone else, so as not to tell that it exists):

    buyer_proof   /pay/<code>/<number>/<reference>/proof/file/: whoever holds the checkout code
    seller_proof  /seller/<shop_slug>/payments/<reference>/proof/: the shop's members
                  (owner and staff) and superusers; not editors, not other sellers, not anonymous
"""

from __future__ import annotations

import os

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from marketplace.models import ShopMember
from payments.models import Payment

# The stored file is re-encoded by marketplace.images.photo_clean, so its extension is its type.
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


def proof_response(payment: Payment | None) -> HttpResponse:
    if payment is None or not payment.proof_file:
        raise Http404
    extension = os.path.splitext(payment.proof_file.name)[1].lstrip(".").lower()
    try:
        handle = payment.proof_file.open("rb")
    except OSError as exc:  # the row outlived its file
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        filename=f"bukti-{payment.reference}.{extension}",
    )
    # A bank document: kept by no shared cache nor the browser's; never sniffed into HTML.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def buyer_proof(request: HttpRequest, code: str, number: str, reference: str) -> HttpResponse:
    payment = Payment.objects.filter(
        reference=reference, order__number=number, order__checkout__code=code
    ).first()
    return proof_response(payment)


@require_GET
def seller_proof(request: HttpRequest, shop_slug: str, reference: str) -> HttpResponse:
    # No login redirect: an anonymous visitor learns no more than a stranger (404).
    user = request.user
    if not user.is_authenticated:
        raise Http404
    payment = (
        Payment.objects.filter(reference=reference, order__shop__slug=shop_slug)
        .select_related("order")
        .first()
    )
    if payment is None:
        raise Http404
    if not user.is_superuser and not (
        ShopMember.objects.filter(shop_id=payment.order.shop_id, user=user).exists()
    ):
        raise Http404
    return proof_response(payment)
