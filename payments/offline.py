"""payment.confirm for the seller dashboard's offline queue (marketplace.offline, wired in
settings.OFFLINE_CHANGE_APPLIERS): a QRIS or transfer payment the seller saw arrive while
offline, confirmed through the same service as online."""

from __future__ import annotations

from django.utils.translation import gettext as _

from marketplace.models import Shop, User
from marketplace.offline import Change, ChangeRefused
from payments import services
from payments.models import Payment


def apply_payment_confirm(*, shop: Shop, user: User, change: Change) -> tuple[str, dict]:
    payment = (
        Payment.objects.select_related("order")
        .filter(reference=change.target, order__shop=shop)
        .first()
    )
    if payment is None:
        raise ChangeRefused(_("Pembayaran ini tidak ada di toko Anda."), "not_found")
    try:
        payment = services.payment_confirm_by_seller(payment=payment, by=user)
    except services.PaymentRefused as exc:
        payment.refresh_from_db()
        raise ChangeRefused(
            str(exc), exc.code, {"status": payment.status, "seen_status": change.version}
        ) from exc
    return (
        _("Pembayaran %(reference)s dikonfirmasi.") % {"reference": payment.reference},
        {"status": payment.status, "order_status": payment.order.status},
    )
