"""What the marketplace does when events arrive (wired in config/events.py).

Handlers run inside the transaction that records them as handled, so mail goes out on commit:
a handler that fails and is retried never sends twice.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.models import Product, Shop, ShopMember, ShopRole, Variant
from marketplace.outbox import Event


def _mail_shop(shop: Shop, subject: str, body: str, *, owners_only: bool = True) -> None:
    members = ShopMember.objects.filter(shop=shop).select_related("user")
    if owners_only:
        members = members.filter(role=ShopRole.OWNER)
    recipients = [m.user.email for m in members if not m.user.email.endswith(".invalid")]
    if recipients:
        transaction.on_commit(
            partial(send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        )


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


def notify_low_stock(event: Event) -> None:
    """Tell everyone who runs the shop that a variant is running out."""
    variant = (
        Variant.objects.select_related("product__shop")
        .filter(pk=event.payload["variant_id"])
        .first()
    )
    if variant is None or variant.stock > variant.product.low_stock_threshold:
        return  # restocked since: nothing to say
    product: Product = variant.product
    _mail_shop(
        product.shop,
        _("Stok menipis: %(product)s") % {"product": product.title},
        _("Stok %(product)s (%(variant)s) tinggal %(stock)s.")
        % {"product": product.title, "variant": variant.name, "stock": variant.stock},
        owners_only=False,
    )
