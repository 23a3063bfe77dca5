"""What the marketplace does when events arrive (wired in config/events.py).

Handlers run inside the transaction that records them as handled (marketplace.outbox
event_handle). Mail is sent there, before that transaction commits: a send that fails (the SMTP
server is down, refuses the message) raises, so the handler leaves no "handled" mark and Celery
retries it with back-off, then the outbox sweep. The price is at-least-once mail: should the
commit fail after the server took the message, the retry sends it again. A lost mail cannot be
noticed; a rare second copy can. Each handler sends at most one message, so a retry never
repeats a mail that went out before another one failed.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from marketplace.languages import site_language
from marketplace.models import (
    Order,
    OrderStatus,
    Product,
    Shop,
    ShopMember,
    ShopRole,
    Variant,
)
from marketplace.money import format_rupiah
from marketplace.outbox import Event
from marketplace.services.orders import TRANSITIONS, order_mark_paid, order_transition


def _mail_shop(shop: Shop, subject: str, body: str, *, owners_only: bool = True) -> None:
    """Mail the shop's people. Their mails are in Indonesian (see `in_indonesian`)."""
    members = ShopMember.objects.filter(shop=shop).select_related("user")
    if owners_only:
        members = members.filter(role=ShopRole.OWNER)
    recipients = [m.user.email for m in members if not m.user.email.endswith(".invalid")]
    if recipients:
        _send(subject, body, recipients)


def _send(subject: str, body: str, recipients: list[str]) -> None:
    """Send now, inside the handler's transaction; a failure raises and fails the handler."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


def in_indonesian(handler):
    """Sellers read Indonesian: the mail does not follow whatever language was active."""

    @functools.wraps(handler)
    def wrapped(event: Event) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            handler(event)

    return wrapped


@in_indonesian
def notify_shop_status(event: Event) -> None:
    """Tell the owners when Diskominfo verifies, rejects or suspends their shop."""
    shop = Shop.objects.filter(pk=event.payload["shop_id"]).first()
    if shop is None:
        return
    reason = event.payload.get("reason", "")
    texts = {
        "shop.verified": (
            _("Toko %(shop)s sudah terverifikasi"),
            _("Selamat! Toko %(shop)s sudah terverifikasi dan tampil di Pasar Kreatif."),
        ),
        "shop.rejected": (
            _("Verifikasi toko %(shop)s ditolak"),
            _(
                "Verifikasi toko %(shop)s ditolak. Alasan: %(reason)s\n"
                "Perbaiki data toko lalu ajukan verifikasi lagi dari dasbor penjual."
            ),
        ),
        "shop.suspended": (
            _("Toko %(shop)s ditangguhkan"),
            _("Toko %(shop)s ditangguhkan dan tidak tampil untuk pembeli. Alasan: %(reason)s"),
        ),
    }
    subject, body = texts[event.name]
    values = {"shop": shop.name, "reason": reason}
    _mail_shop(shop, subject % values, body % values)


@in_indonesian
def notify_low_stock(event: Event) -> None:
    """Tell everyone who runs the shop that a variant is running out."""
    variant = (
        Variant.objects.select_related("product__shop")
        .filter(pk=event.payload["variant_id"])
        .first()
    )
    if variant is None or variant.free > variant.product.low_stock_threshold:
        return  # restocked since: nothing to say
    product: Product = variant.product
    _mail_shop(
        product.shop,
        _("Stok menipis: %(product)s") % {"product": product.title},
        _("Stok %(product)s (%(variant)s) tinggal %(stock)s.")
        % {"product": product.title, "variant": variant.name, "stock": variant.free},
        owners_only=False,
    )


def order_mark_paid_on_payment(event: Event) -> None:
    """payment.succeeded → the order is paid. Payload: order_number, reference, amount.

    Only an order still awaiting payment moves; one already paid stays as it is (a repeated
    payment event changes nothing). One that expired or was cancelled before its money came is
    decided by the payments app, which owns the money: revived as paid (order_revive) when its
    lines can be allocated again, otherwise refunded or flagged "refund due" for the seller.
    """
    order = Order.objects.filter(number=event.payload["order_number"]).first()
    if order is None or order.status != OrderStatus.AWAITING_PAYMENT:
        return
    order_mark_paid(
        order=order,
        note=_(OUR_NOTES[0]) % {"ref": event.payload.get("reference", "")},
    )


ORDER_MAIL_SUBJECTS = {  # lazy: read in the language of the moment
    "order.placed": gettext_lazy("Pesanan %(number)s dibuat"),
    "order.paid": gettext_lazy("Pesanan %(number)s sudah dibayar"),
    "order.processing": gettext_lazy("Pesanan %(number)s sedang diproses"),
    "order.shipped": gettext_lazy("Pesanan %(number)s dikirim"),
    "order.ready_for_pickup": gettext_lazy("Pesanan %(number)s siap diambil"),
    "order.completed": gettext_lazy("Pesanan %(number)s selesai"),
    "order.cancelled": gettext_lazy("Pesanan %(number)s dibatalkan"),
    "order.expired": gettext_lazy("Pesanan %(number)s kedaluwarsa"),
    "order.refunded": gettext_lazy("Dana pesanan %(number)s dikembalikan"),
}


# Notes these handlers write on orders, so that a buyer's mail can say them in their language.
OUR_NOTES = [
    gettext_noop("Pembayaran %(ref)s diterima."),
    gettext_noop("Dana %(ref)s dikembalikan."),
]
_OUR_NOTE_PATTERNS = [
    (note, re.compile("^" + re.escape(note).replace(re.escape("%(ref)s"), "(?P<ref>.*)") + "$"))
    for note in OUR_NOTES
]


def _note_for_buyer(note: str) -> str:
    """A note is stored in Indonesian. One of ours, fixed (a msgid) or filled in (OUR_NOTES),
    reads in the active language; a seller's own words stay as written."""
    if not note:
        return ""
    for template, pattern in _OUR_NOTE_PATTERNS:
        found = pattern.match(note)
        if found:
            return _(template) % found.groupdict()
    return _(note)


def notify_order_buyer(event: Event) -> None:
    """Mail the buyer on every change of their order, with the link to follow it, in the
    language they checked out in: subject, body, dates, money and the link (/en/... for English).
    """
    order = (
        Order.objects.select_related("checkout", "shop")
        .filter(pk=event.payload["order_id"])
        .first()
    )
    if order is None:
        return
    checkout = order.checkout
    with translation.override(site_language(checkout.language)):
        # Reversed inside the override, so i18n_patterns give the /en/ page to English buyers.
        link = settings.WAGTAILADMIN_BASE_URL + reverse(
            "buying:checkout_detail", kwargs={"code": checkout.code}
        )
        note = event.payload.get("note") or ""
        status = event.payload["status"]
        body = render_to_string(
            "marketplace/mail/order_buyer.txt",
            {
                "checkout": checkout,
                "order": order,
                "lines": order.lines.all(),
                "status": OrderStatus(status).label,
                "note": _note_for_buyer(note),
                "awaiting_payment": status == OrderStatus.AWAITING_PAYMENT,
                "link": link,
            },
        )
        subject = str(ORDER_MAIL_SUBJECTS[event.name]) % {"number": order.number}
    _send(subject, body, [checkout.contact_email])


@in_indonesian
def notify_order_seller(event: Event) -> None:
    """Mail everyone who runs the shop when an order arrives, is paid, or ends unpaid."""
    order = Order.objects.select_related("shop").filter(pk=event.payload["order_id"]).first()
    if order is None:
        return
    subject = str(ORDER_MAIL_SUBJECTS[event.name]) % {"number": order.number}
    body = _("Pesanan %(number)s (%(total)s): %(status)s.\nBuka dasbor penjual: %(link)s") % {
        "number": order.number,
        "total": format_rupiah(order.total),
        "status": OrderStatus(event.payload["status"]).label,
        "link": settings.WAGTAILADMIN_BASE_URL + reverse("seller:home"),
    }
    _mail_shop(order.shop, subject, body, owners_only=False)


def order_refund_on_payment(event: Event) -> None:
    """payment.refunded → the order is refunded, when its state allows it (a repeat is a no-op).
    payment.refunded comes only once all of the payment went back: a partial refund leaves the
    order as it is; a cancelled or expired order stays so."""
    order = Order.objects.filter(number=event.payload["order_number"]).first()
    if order is None or OrderStatus.REFUNDED not in TRANSITIONS[order.status]:
        return
    order_transition(
        order=order,
        to=OrderStatus.REFUNDED,
        note=_(OUR_NOTES[1]) % {"ref": event.payload.get("reference", "")},
    )
