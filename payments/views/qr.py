"""The QR image a buyer scans: made with segno from the payment's dynamic QRIS payload."""

import io

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control

from payments.models import Payment, PaymentStatus, Provider


@cache_control(private=True, max_age=300)
def payment_qr_svg(request: HttpRequest, reference: str) -> HttpResponse:
    payment = (
        Payment.objects.filter(
            reference=reference, provider=Provider.QRIS, status=PaymentStatus.PENDING
        )
        .only("qr_payload")
        .first()
    )
    if payment is None or not payment.qr_payload:
        raise Http404
    out = io.BytesIO()
    segno.make(payment.qr_payload, error="m").save(
        out, kind="svg", scale=6, border=2, xmldecl=False
    )
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
