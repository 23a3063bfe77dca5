"""How each shop of the cart can be paid, said before checkout: a tourist whose bank app scans
QRIS should learn on the cart page, not after placing the order, that a shop takes only bank
transfers. The marketplace imports nothing of payments: the reader is a dotted path in
settings.SHOP_PAYMENT_METHODS_READER (payments.summaries.payment_methods_for_shops), called
once for all the page's shops."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

TRANSFER = "transfer"  # the method code payments gives a bank transfer


@dataclass(frozen=True)
class ShopMethods:
    """The method codes one shop takes; `known` is False when no reader is configured, and
    then nothing is said (rather than a wrong "cannot pay online")."""

    methods: tuple[str, ...] = ()
    known: bool = False

    @property
    def transfer_only(self) -> bool:
        return self.known and self.methods == (TRANSFER,)

    @property
    def none_online(self) -> bool:
        return self.known and not self.methods


def shop_payment_methods(shop_ids: Iterable[int]) -> dict[int, ShopMethods]:
    """Shop id → how it can be paid, for all these shops in one call of the reader."""
    path = getattr(settings, "SHOP_PAYMENT_METHODS_READER", "")
    ids = sorted(set(shop_ids))
    if not path or not ids:
        return {}
    found = import_string(path)(ids)
    return {pk: ShopMethods(methods=tuple(found.get(pk, ())), known=True) for pk in ids}
