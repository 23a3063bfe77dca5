"""State changes of payments. Notifications are stored first, then applied in a task; applying
survives duplicates and any order of arrival:

- a notification already stored (same provider event id) is not stored or applied again;
- `succeeded` is final except for `refunded`: a late `pending`, `failed` or `expired` never
  un-pays a payment;
- money that arrives after our own expiry still counts (the payment succeeds) and is flagged
  `needs_attention` for the seller: the order may have expired and its stock gone;
- the amount must match the payment's, or the notification is refused and changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.images import photo_clean
from marketplace.models import Order, OrderStatus, Shop, ShopMember, ShopRole, User
from payments import events, qris
from payments.models import MerchantQris, Payment, PaymentStatus, Provider, ProviderEvent
from payments.providers import Notice, ProviderError, provider_for
from payments.storage import private_storage, proof_upload_to

logger = logging.getLogger(__name__)
P = PaymentStatus

# Which arrivals may move a payment from each status.
MOVES: dict[str, set[str]] = {
    P.PENDING: {P.SUCCEEDED, P.FAILED, P.EXPIRED},
    P.FAILED: {P.SUCCEEDED},  # a retried card, a late settlement: the money is real
    P.EXPIRED: {P.SUCCEEDED},
    P.SUCCEEDED: {P.REFUNDED},
    P.REFUNDED: set(),
}
EVENT_FOR = {
    P.SUCCEEDED: events.PAYMENT_SUCCEEDED,
    P.FAILED: events.PAYMENT_FAILED,
    P.EXPIRED: events.PAYMENT_EXPIRED,
    P.REFUNDED: events.PAYMENT_REFUNDED,
}


class PaymentRefused(Exception):
    """The payment cannot be started or changed; the message is for the buyer or seller."""


def payment_start(*, order: Order, provider: str) -> Payment:
    """Start paying an order. A pending payment of the same provider is handed back as it is."""
    if provider not in Provider.values:
        raise PaymentRefused(_("Metode pembayaran tidak dikenal."))
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("shop").get(pk=order.pk)
        if order.status != OrderStatus.AWAITING_PAYMENT or order.expires_at <= timezone.now():
            raise PaymentRefused(
                _("Pesanan %(n)s tidak menunggu pembayaran.") % {"n": order.number}
            )
        existing = order.payments.filter(provider=provider, status=P.PENDING).first()
        if existing:
            return existing
        payment = Payment(
            order=order, provider=provider, amount=order.total, expires_at=order.expires_at
        )
        try:
            provider_for(provider).start(payment)
        except ProviderError as exc:
            raise PaymentRefused(str(exc)) from exc
        payment.save()
        events.payment_event(events.PAYMENT_STARTED, payment)
    return payment


def notices_store(*, provider: str, notices: list[Notice], payload: dict) -> list[int]:
    """Keep each notice verbatim; a notice already kept is skipped. Returns the new rows' ids,
    to be applied by the task `payments.provider_event_apply` after commit."""
    new_ids = []
    for notice in notices:
        try:
            with transaction.atomic():
                row = ProviderEvent.objects.create(
                    provider=provider,
                    event_id=notice.event_id,
                    payment_reference=notice.reference,
                    status=notice.status,
                    amount=notice.amount,
                    provider_reference=notice.provider_reference,
                    payload=payload,
                )
        except IntegrityError:
            logger.info("duplicate %s notification %s ignored", provider, notice.event_id)
            continue
        new_ids.append(row.pk)
    return new_ids


def provider_event_apply(*, provider_event_id: int) -> str:
    """Apply one stored notification, once. Returns what happened (kept on the row)."""
    with transaction.atomic():
        row = ProviderEvent.objects.select_for_update().get(pk=provider_event_id)
        if row.processed_at:
            return row.outcome
        payment = (
            Payment.objects.select_for_update()
            .select_related("order")
            .filter(reference=row.payment_reference, provider=row.provider)
            .first()
        )
        if payment is None:
            outcome = "unknown payment"
        elif row.amount is not None and row.amount != payment.amount and row.status == P.SUCCEEDED:
            outcome = f"refused: amount {row.amount} is not {payment.amount}"
        else:
            outcome = _apply(payment, row.status, provider_reference=row.provider_reference)
        row.processed_at = timezone.now()
        row.outcome = outcome[:200]
        row.save(update_fields=["processed_at", "outcome"])
    if outcome.startswith("refused") or outcome == "unknown payment":
        logger.warning("%s notification %s: %s", row.provider, row.event_id, outcome)
    return outcome


def _apply(
    payment: Payment,
    status: str,
    *,
    provider_reference: str = "",
    by: User | None = None,
    note: str = "",
) -> str:
    """Move a locked payment to `status` if that is a legal move; otherwise leave it."""
    if status == payment.status:
        return "unchanged"
    if status not in MOVES[payment.status]:
        return f"ignored: {status} after {payment.status}"
    if status == P.SUCCEEDED:
        other = payment.order.payments.filter(status=P.SUCCEEDED).exclude(pk=payment.pk).first()
        if other:
            # The order is paid already by another method: this money must go back.
            payment.needs_attention = True
            payment.note = _("Pesanan sudah dibayar lewat %(ref)s; kembalikan dana ini.") % {
                "ref": other.reference
            }
            payment.save(update_fields=["needs_attention", "note", "updated_at"])
            return "flagged: order already paid"
        payment.succeeded_at = timezone.now()
        order_status = Order.objects.filter(pk=payment.order_id).values_list("status", flat=True)[0]
        if order_status != OrderStatus.AWAITING_PAYMENT:
            payment.needs_attention = True
            payment.note = _(
                "Dana masuk setelah pesanan %(status)s; periksa stok lalu proses atau kembalikan."
            ) % {"status": OrderStatus(order_status).label.lower()}
    payment.status = status
    if provider_reference:
        payment.provider_reference = provider_reference
    if by is not None:
        payment.confirmed_by = by
    if note:
        payment.note = note
    payment.save()
    events.payment_event(EVENT_FOR[status], payment)
    return f"{status}"


def _seller_may_act(payment: Payment, user: User) -> None:
    if not ShopMember.objects.filter(shop_id=payment.order.shop_id, user=user).exists():
        raise PaymentRefused(_("Hanya penjual toko ini yang dapat mengonfirmasi pembayaran."))


def payment_confirm_by_seller(*, payment: Payment, by: User, note: str = "") -> Payment:
    """The seller saw the money arrive (QRIS to their own account, or a transfer proof)."""
    _seller_may_act(payment, by)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        outcome = _apply(
            payment,
            P.SUCCEEDED,
            by=by,
            note=note or _("Dikonfirmasi penjual %(who)s.") % {"who": by.email},
        )
        if outcome.startswith("ignored"):
            raise PaymentRefused(_("Pembayaran ini tidak dapat dikonfirmasi lagi."))
    return payment


def payment_reject_by_seller(*, payment: Payment, by: User, reason: str) -> Payment:
    """The transfer proof does not match: the payment fails, the buyer may try again."""
    _seller_may_act(payment, by)
    if not reason.strip():
        raise ValidationError(_("Tuliskan alasan penolakan bukti transfer."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        if _apply(payment, P.FAILED, by=by, note=reason.strip()).startswith("ignored"):
            raise PaymentRefused(_("Pembayaran ini sudah tidak menunggu."))
    return payment


def payment_attach_proof(*, payment: Payment, name: str) -> Payment:
    """Set a file already in the private storage as the proof of a locked pending transfer
    payment. The proof it replaces is deleted once this commits."""
    if payment.provider != Provider.TRANSFER or payment.status != P.PENDING:
        raise PaymentRefused(_("Bukti transfer hanya untuk pembayaran transfer yang menunggu."))
    replaced = payment.proof_file.name
    payment.proof_file.name = name
    payment.save(update_fields=["proof_file", "updated_at"])
    if replaced and replaced != name:
        storage = payment.proof_file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return payment


def payments_expire_due(*, now: datetime | None = None) -> int:
    """Pending payments past their deadline expire (a late settlement can still succeed)."""
    now = now or timezone.now()
    count = 0
    for payment_id in Payment.objects.filter(status=P.PENDING, expires_at__lte=now).values_list(
        "pk", flat=True
    )[:500]:
        with transaction.atomic():
            payment = Payment.objects.select_for_update().select_related("order").get(pk=payment_id)
            if payment.status == P.PENDING and _apply(payment, P.EXPIRED) == P.EXPIRED:
                count += 1
    return count


def payment_refund(*, payment: Payment, by: User) -> Payment:
    _seller_may_act(payment, by)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        if payment.status != P.SUCCEEDED:
            raise PaymentRefused(_("Hanya pembayaran yang berhasil yang dapat dikembalikan."))
        try:
            provider_for(payment.provider).refund(payment)
        except ProviderError as exc:
            raise PaymentRefused(str(exc)) from exc
        _apply(payment, P.REFUNDED, by=by)
    return payment


def provider_events_unapplied() -> list[int]:
    """Stored notifications not yet applied (a task lost with its worker): for the sweep."""
    return list(
        ProviderEvent.objects.filter(processed_at__isnull=True).values_list("pk", flat=True)[:500]
    )


# Added for the buyer's and the seller's payment pages -----------------------------------------


def payment_proof_upload(*, payment: Payment, upload) -> Payment:
    """The buyer's photo of their transfer, a bank document: checked and cleaned like a seller's
    photo (marketplace.images.photo_clean: type, size, pixels; EXIF and GPS gone, re-encoded,
    at most 2000 px; a bad file raises its ValidationError with a code), kept in the private
    storage (never a Wagtail image), attached to the pending transfer payment."""
    if payment.provider != Provider.TRANSFER or payment.status != P.PENDING:
        raise PaymentRefused(_("Bukti transfer hanya untuk pembayaran transfer yang menunggu."))
    photo = photo_clean(upload)
    storage = private_storage()
    # Written before the row lock is taken; removed again if the payment refuses it.
    name = storage.save(
        proof_upload_to(payment, f"proof.{photo.extension}"), ContentFile(photo.content)
    )
    try:
        with transaction.atomic():
            payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
            return payment_attach_proof(payment=payment, name=name)
    except BaseException:
        storage.delete(name)
        raise


def merchant_qris_check(payload: str) -> qris.QrisPayload:
    """A shop's static QRIS as its bank sticker holds it. Raises qris.QrisError with a message
    the seller can act on: unreadable, bad CRC, not for rupiah, or a dynamic (one-time) code."""
    parsed = qris.parse(payload)  # refuses bad structure, bad CRC and a currency other than IDR
    if parsed.is_dynamic:
        raise qris.QrisError(
            _(
                "Ini QRIS dinamis (sekali pakai, sudah berisi nominal). Pakai QRIS statis dari "
                "stiker toko Anda: QRIS yang dipakai untuk semua pembeli."
            )
        )
    if parsed.get("53") != qris.IDR:  # parse() already refuses it; kept as the rule's home
        raise qris.QrisError(_("QRIS ini bukan untuk Rupiah (mata uang 360)."))
    return parsed


def merchant_qris_set(*, shop: Shop, payload: str, by: User) -> MerchantQris:
    """The shop's owner confirms the static QRIS from which each order's QR is made. Raises
    PaymentRefused for anyone but an owner of the shop, qris.QrisError for a bad payload."""
    if not ShopMember.objects.filter(shop=shop, user=by, role=ShopRole.OWNER).exists():
        raise PaymentRefused(_("Hanya pemilik toko yang dapat memasang QRIS."))
    parsed = merchant_qris_check(payload)
    merchant, _created = MerchantQris.objects.update_or_create(
        shop=shop,
        defaults={
            "payload": payload.strip(),
            "merchant_name": parsed.merchant_name[:100],
            "merchant_city": parsed.merchant_city[:60],
            "nmid": parsed.nmid[:50],
            "confirmed_by": by,
        },
    )
    return merchant
