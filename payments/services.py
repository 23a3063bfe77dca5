"""State changes of payments. Notifications are stored first, then applied in a task; applying
survives duplicates and any order of arrival:

- a notification already stored (same provider event id) is not stored or applied again;
- `succeeded` is final except for `refunded`: a late `pending`, `failed` or `expired` never
  un-pays a payment;
- money that arrives after its order expired or was cancelled still counts (the payment
  succeeds) and is decided here: the order is revived as paid when its stock, places or rooms
  can still be allocated; otherwise the payment is flagged (`needs_attention`, `attention`) and
  its money goes back: Stripe refunds it, QRIS and transfers are "refund due" for the seller;
- the amount must match the payment's, or the notification is refused and changes nothing;
- a refund notice carries the amount refunded so far: the payment is refunded only when all of
  it is, and an older or repeated notice never counts twice.

Providers are called outside any transaction or row lock: the call is recorded first as the
payment's `intent` (its reference makes the idempotency key), the outcome in a new transaction.
A process that dies in between leaves the intent, which `payment_intents_retry` (the task
payments.reconcile) finishes with the same key; a refund is recorded only once the provider
said it happened.

PaymentRefused carries a `code` for views and the API: unknown_provider, provider_unavailable,
not_awaiting_payment, provider_error, not_member, not_owner, not_confirmable, not_rejectable,
not_pending, not_refundable.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.images import photo_clean
from marketplace.models import Order, OrderStatus, Shop, ShopMember, ShopRole, User
from marketplace.money import format_rupiah
from marketplace.services.orders import IllegalTransition, order_revive
from marketplace.services.stock import NotEnoughStock
from payments import events, qris
from payments.models import (
    Attention,
    Intent,
    MerchantQris,
    Payment,
    PaymentStatus,
    Provider,
    ProviderEvent,
)
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


# An intent older than this is taken for a crashed call and finished by payments.reconcile: well
# past a provider call's own time-out (Stripe's: 80 s, retried twice), so it never races one.
INTENT_RETRY_AFTER = timedelta(minutes=10)
# The order the pay page offers the providers in.
METHODS = [Provider.QRIS, Provider.TRANSFER, Provider.STRIPE]
# The seller can see QRIS and transfer money arrive in their own account; cards only Stripe.
SELLER_CONFIRMS = frozenset({Provider.QRIS, Provider.TRANSFER})
REFUND_ATTENTION = frozenset({Attention.REFUND_DUE, Attention.REFUNDING, Attention.REFUND_FAILED})


class PaymentRefused(Exception):
    """The payment cannot be started or changed. The message is for the buyer or seller; `code`
    (listed in this module's docstring) is what views and the API decide on."""

    def __init__(self, message: str, *, code: str = "refused"):
        super().__init__(message)
        self.code = code


def payment_methods(*, shop: Shop) -> list[str]:
    """The ways this shop takes money: QRIS once it set up its sticker's QRIS, a transfer once it
    filled in its bank account, cards once Stripe is configured. No query when the shop was
    loaded with select_related("qris")."""
    return [name for name in METHODS if not provider_for(name).unavailable(shop)]


def payment_start(*, order: Order, provider: str) -> Payment:
    """Start paying an order; a pending payment of the same provider is handed back. The payment
    is recorded with the intent `start` under the order's lock, the provider is called after
    that commits, and its answer (QR, client secret) recorded in a new transaction."""
    if provider not in Provider.values:
        raise PaymentRefused(_("Metode pembayaran tidak dikenal."), code="unknown_provider")
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("shop", "shop__qris")
            .get(pk=order.pk)
        )
        if order.status != OrderStatus.AWAITING_PAYMENT or order.expires_at <= timezone.now():
            raise PaymentRefused(
                _("Pesanan %(n)s tidak menunggu pembayaran.") % {"n": order.number},
                code="not_awaiting_payment",
            )
        refusal = provider_for(provider).unavailable(order.shop)
        if refusal:
            raise PaymentRefused(refusal, code="provider_unavailable")
        payment = order.payments.filter(provider=provider, status=P.PENDING).first()
        if payment is None:
            payment = Payment.objects.create(
                order=order,
                provider=provider,
                amount=order.total,
                expires_at=order.expires_at,
                intent=Intent.START,
                intent_at=timezone.now(),
            )
    if payment.intent == Intent.START:
        # Also when another request recorded it and is still calling: the same idempotency key
        # gets the same answer from the provider.
        payment = _start_finish(payment)
    return payment


def _start_finish(payment: Payment) -> Payment:
    """Ask the provider for what the buyer needs (no transaction open), then record it."""
    answered = Payment.objects.select_related("order", "order__shop").get(pk=payment.pk)
    try:
        provider_for(answered.provider).start(answered)
    except ProviderError as exc:
        if not exc.retryable:
            with transaction.atomic():
                locked = Payment.objects.select_for_update().get(pk=payment.pk)
                if locked.intent == Intent.START:
                    # Never offered to the buyer, so no event: the buyer picks again.
                    locked.status, locked.note = P.FAILED, str(exc)[:500]
                    locked.intent, locked.intent_at = "", None
                    locked.save(
                        update_fields=["status", "note", "intent", "intent_at", "updated_at"]
                    )
        raise PaymentRefused(str(exc), code="provider_error") from exc
    with transaction.atomic():
        locked = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        if locked.intent != Intent.START:
            return locked  # recorded by a concurrent call with the same answer
        locked.qr_payload = answered.qr_payload
        locked.client_secret = answered.client_secret
        locked.provider_reference = answered.provider_reference or locked.provider_reference
        locked.intent, locked.intent_at = "", None
        locked.save()
        events.payment_event(events.PAYMENT_STARTED, locked)
    return locked


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
            outcome = _apply(
                payment, row.status, provider_reference=row.provider_reference, amount=row.amount
            )
        row.processed_at = timezone.now()
        row.outcome = outcome[:200]
        row.save(update_fields=["processed_at", "outcome"])
    if outcome.startswith("refused") or outcome == "unknown payment":
        logger.warning("%s notification %s: %s", row.provider, row.event_id, outcome)
    if outcome == REFUND_REQUESTED:
        _refund_after_commit(payment.pk)
    return outcome


REFUND_REQUESTED = "refund requested"


def _apply(
    payment: Payment,
    status: str,
    *,
    provider_reference: str = "",
    by: User | None = None,
    note: str = "",
    amount: int | None = None,
) -> str:
    """Move a locked payment to `status` if that is a legal move; otherwise leave it. For a
    refund, `amount` is what the provider says is refunded so far (None: all of it)."""
    if status == P.REFUNDED and payment.status == P.SUCCEEDED:
        return _refund_reported(payment, amount, provider_reference=provider_reference)
    if status == payment.status:
        return "unchanged"
    if status not in MOVES[payment.status]:
        return f"ignored: {status} after {payment.status}"
    if status == P.SUCCEEDED:
        # Locked before its status is read: an expiry or cancellation of the order waits for
        # this transaction and then finds the money in (payments.handlers), or came first and
        # is seen here. Either way the money is decided, never dropped.
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        others = payment.order.payments.exclude(pk=payment.pk)
        other = others.filter(status=P.SUCCEEDED).first()
        if other:
            # The order is paid already by another method: this money must go back.
            payment.needs_attention = True
            payment.attention = Attention.PAID_TWICE
            payment.note = _("Pesanan sudah dibayar lewat %(ref)s; kembalikan dana ini.") % {
                "ref": other.reference
            }
            payment.save(update_fields=["needs_attention", "attention", "note", "updated_at"])
            return "flagged: order already paid"
        payment.succeeded_at = timezone.now()
        if order.status != OrderStatus.AWAITING_PAYMENT:
            # An order paid once and then cancelled stays cancelled, whatever arrives later.
            revive = not others.filter(succeeded_at__isnull=False).exists()
            outcome = _settle_ended(payment, order, revive=revive)
            _move(payment, status, provider_reference=provider_reference, by=by)
            return outcome
    return _move(payment, status, provider_reference=provider_reference, by=by, note=note)


def _move(
    payment: Payment,
    status: str,
    *,
    provider_reference: str = "",
    by: User | None = None,
    note: str = "",
) -> str:
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


def _settle_ended(payment: Payment, order: Order, *, revive: bool) -> str:
    """Money is in for an order that expired or was cancelled (both locked, the payment not yet
    saved): revive the order as paid if `revive` and its lines can be allocated again,
    otherwise flag the payment for its money to go back. No provider call here."""
    ended = order.get_status_display().lower()
    if revive:
        try:
            with transaction.atomic():
                order_revive(
                    order=order,
                    note=_("Pembayaran %(ref)s masuk setelah pesanan %(status)s.")
                    % {"ref": payment.reference, "status": ended},
                )
        except NotEnoughStock as exc:
            why = _(
                "Dana masuk setelah pesanan %(status)s dan tidak dapat dibuka lagi: %(why)s"
            ) % {
                "status": ended,
                "why": exc,
            }
        except IllegalTransition:
            why = _("Dana masuk setelah pesanan %(status)s.") % {"status": ended}
        else:
            payment.needs_attention, payment.attention = False, ""
            payment.note = _(
                "Dana masuk setelah pesanan %(status)s; stok masih ada, jadi pesanan dibuka lagi "
                "dan sudah dibayar."
            ) % {"status": ended}
            return "succeeded: order revived"
    else:
        why = _("Pesanan %(status)s setelah dibayar.") % {"status": ended}
    return _refund_flag(payment, why=why)


def _refund_flag(payment: Payment, *, why: str) -> str:
    """The money of a locked payment must go back (not saved here). A provider that refunds by
    itself gets a refund intent, called after commit; otherwise it is "refund due" for the
    seller, whose own account holds the money."""
    payment.needs_attention = True
    remaining = format_rupiah(payment.amount - payment.refunded_amount)
    if provider_for(payment.provider).refunds_automatically:
        payment.attention = Attention.REFUNDING
        payment.intent, payment.intent_at = Intent.REFUND, timezone.now()
        payment.note = f"{why} " + _("%(amount)s dikembalikan otomatis ke kartu pembeli.") % {
            "amount": remaining
        }
        return REFUND_REQUESTED
    payment.attention = Attention.REFUND_DUE
    payment.note = f"{why} " + _(
        "Kembalikan %(amount)s ke pembeli, lalu tekan “Dana sudah saya kembalikan”."
    ) % {"amount": remaining}
    return "refund due"


def _refund_reported(payment: Payment, amount: int | None, *, provider_reference: str) -> str:
    """The provider says `amount` of a succeeded payment is refunded so far (cumulative)."""
    total = payment.amount if amount is None else min(amount, payment.amount)
    if total <= payment.refunded_amount:
        return "unchanged"  # a repeat, or an older figure arriving late
    payment.refunded_amount = total
    if total < payment.amount:
        payment.save(update_fields=["refunded_amount", "updated_at"])
        events.payment_event(events.PAYMENT_PARTLY_REFUNDED, payment)
        return f"partly refunded: {total} of {payment.amount}"
    return _record_refunded(payment, provider_reference=provider_reference)


def _record_refunded(
    payment: Payment, *, by: User | None = None, provider_reference: str = ""
) -> str:
    """All of a locked payment went back: it is refunded, and what waited on it is done."""
    payment.refunded_amount = payment.amount
    payment.intent, payment.intent_at = "", None
    if payment.attention in REFUND_ATTENTION or payment.attention == "":
        payment.attention, payment.needs_attention = "", False
    return _move(payment, P.REFUNDED, by=by, provider_reference=provider_reference)


def _lock(payment_id: int) -> Payment:
    return Payment.objects.select_for_update().select_related("order").get(pk=payment_id)


def _member_only(payment: Payment, user: User, *, owner: bool = False) -> None:
    members = ShopMember.objects.filter(shop_id=payment.order.shop_id, user=user)
    if not members.exists():
        raise PaymentRefused(
            _("Hanya penjual toko ini yang dapat mengurus pembayarannya."), code="not_member"
        )
    if owner and not members.filter(role=ShopRole.OWNER).exists():
        raise PaymentRefused(
            _("Hanya pemilik toko yang dapat mengembalikan dana."), code="not_owner"
        )


def payment_confirm_by_seller(*, payment: Payment, by: User, note: str = "") -> Payment:
    """The seller saw the money of a pending QRIS or transfer payment arrive in their own
    account. A card payment is confirmed by Stripe only (code not_confirmable)."""
    _member_only(payment, by)
    if payment.provider not in SELLER_CONFIRMS:
        raise PaymentRefused(
            _("Pembayaran kartu dikonfirmasi oleh Stripe, bukan oleh penjual."),
            code="not_confirmable",
        )
    with transaction.atomic():
        payment = _lock(payment.pk)
        if payment.status != P.PENDING:
            raise PaymentRefused(
                _("Pembayaran ini sudah tidak menunggu, jadi tidak dapat dikonfirmasi lagi."),
                code="not_pending",
            )
        _apply(
            payment,
            P.SUCCEEDED,
            by=by,
            note=note or _("Dikonfirmasi penjual %(who)s.") % {"who": by.email},
        )
    return payment


def payment_reject_by_seller(*, payment: Payment, by: User, reason: str) -> Payment:
    """The transfer proof does not match: the payment fails, the buyer may try again. Only a
    pending transfer can be rejected (codes not_rejectable, not_pending)."""
    _member_only(payment, by)
    if payment.provider != Provider.TRANSFER:
        raise PaymentRefused(
            _("Hanya pembayaran transfer yang dapat ditolak."), code="not_rejectable"
        )
    if not reason.strip():
        raise ValidationError(
            _("Tuliskan alasan penolakan bukti transfer."), code="reason_required"
        )
    with transaction.atomic():
        payment = _lock(payment.pk)
        if payment.status != P.PENDING:
            raise PaymentRefused(_("Pembayaran ini sudah tidak menunggu."), code="not_pending")
        _apply(payment, P.FAILED, by=by, note=reason.strip())
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
    """An owner of the shop gives a succeeded payment's money back (codes not_member,
    not_owner, not_refundable). Stripe: the refund intent is recorded, Stripe called with no
    transaction open, the outcome recorded after (payment_refund_resume). QRIS and transfer:
    the seller sent the money back from their own account, and this records it."""
    _member_only(payment, by, owner=True)
    automatic = provider_for(payment.provider).refunds_automatically
    with transaction.atomic():
        payment = _lock(payment.pk)
        if payment.status != P.SUCCEEDED:
            raise PaymentRefused(
                _("Hanya pembayaran yang berhasil yang dapat dikembalikan."),
                code="not_refundable",
            )
        if not automatic:
            _record_refunded(payment, by=by)
            return payment
        if payment.intent != Intent.REFUND:
            payment.intent, payment.intent_at = Intent.REFUND, timezone.now()
            payment.confirmed_by = by
            payment.save(update_fields=["intent", "intent_at", "confirmed_by", "updated_at"])
    return payment_refund_resume(payment=payment)


def payment_refund_resume(*, payment: Payment) -> Payment:
    """Make the provider call a recorded refund intent asks for, then record its outcome. Safe
    to repeat (the idempotency key refund-<reference> makes Stripe answer with the first
    refund). A retryable failure keeps the intent for payments.reconcile; a refusal flags the
    payment `refund_failed` for the seller. Raises PaymentRefused (code provider_error) on
    either, with the provider's message."""
    payment = Payment.objects.select_related("order").get(pk=payment.pk)
    if payment.intent != Intent.REFUND:
        return payment
    try:
        provider_for(payment.provider).refund(payment)
    except ProviderError as exc:
        if not exc.retryable:
            with transaction.atomic():
                locked = _lock(payment.pk)
                if locked.intent == Intent.REFUND:
                    locked.intent, locked.intent_at = "", None
                    locked.needs_attention, locked.attention = True, Attention.REFUND_FAILED
                    locked.note = str(exc)[:500]
                    locked.save()
        raise PaymentRefused(str(exc), code="provider_error") from exc
    with transaction.atomic():
        locked = _lock(payment.pk)
        if locked.intent != Intent.REFUND:
            return locked  # recorded meanwhile (a concurrent call, or reconcile)
        if locked.status == P.SUCCEEDED:
            _record_refunded(locked, by=locked.confirmed_by)
        else:  # Stripe's charge.refunded was applied first
            locked.intent, locked.intent_at = "", None
            locked.save(update_fields=["intent", "intent_at", "updated_at"])
    return locked


def _refund_quietly(payment_id: int) -> None:
    try:
        payment_refund_resume(payment=Payment(pk=payment_id))
    except PaymentRefused as exc:
        logger.warning("refund of payment %s not done yet: %s", payment_id, exc)


def _refund_after_commit(payment_id: int) -> None:
    """Call the provider for a refund intent once the transaction that recorded it commits (at
    once when none is open). A failure or a lost process leaves the intent to reconcile."""
    transaction.on_commit(partial(_refund_quietly, payment_id), robust=True)


def payments_order_ended(*, order_id: int) -> list[str]:
    """An order was cancelled or expired (payments.handlers): money already in for it is never
    kept silently. Cancelled: it goes back (Stripe refunds it; QRIS and transfers become
    "refund due" for the seller). Expired (the money came in time, the expiry won the race to
    the order): the order is revived when it can be, else the money goes back. A payment
    already decided, and an order revived meanwhile, are left alone, so a repeat changes
    nothing."""
    outcomes = []
    with transaction.atomic():
        for payment in (
            Payment.objects.select_for_update()
            .select_related("order")
            .filter(order_id=order_id, status=P.SUCCEEDED)
            .order_by("pk")
        ):
            order = Order.objects.select_for_update().get(pk=order_id)
            if order.status not in {OrderStatus.CANCELLED, OrderStatus.EXPIRED}:
                break  # revived meanwhile
            if payment.attention in REFUND_ATTENTION or payment.intent == Intent.REFUND:
                continue
            outcome = _settle_ended(payment, order, revive=order.status == OrderStatus.EXPIRED)
            payment.save()
            if outcome == REFUND_REQUESTED:
                _refund_after_commit(payment.pk)
            outcomes.append(outcome)
    return outcomes


def payment_intents_retry(*, older_than: timedelta = INTENT_RETRY_AFTER) -> int:
    """Finish provider calls whose outcome was never recorded (the process died, the provider
    could not be reached): the same call again, with the same idempotency key, so a refund
    that did happen is not made twice and one that did not is made now. Returns how many."""
    due = Payment.objects.exclude(intent="").filter(intent_at__lte=timezone.now() - older_than)
    count = 0
    for payment in due.order_by("intent_at")[:100]:
        try:
            if payment.intent == Intent.REFUND:
                payment_refund_resume(payment=payment)
            elif payment.status == P.PENDING:
                _start_finish(payment)
            else:  # expired or settled meanwhile: the buyer no longer needs the answer
                Payment.objects.filter(pk=payment.pk, intent=Intent.START).update(
                    intent="", intent_at=None
                )
        except PaymentRefused as exc:
            logger.warning("intent %s of %s not finished: %s", payment.intent, payment, exc)
            continue
        count += 1
    return count


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
