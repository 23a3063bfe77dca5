"""{% shop_methods_for shop groups as methods %}: how `shop` can be paid (a ShopMethods), read
for all the page's shop groups at once (marketplace/payment_methods.py)."""

from __future__ import annotations

from django import template

from marketplace.payment_methods import ShopMethods, shop_payment_methods

register = template.Library()

# Where the page's answer is kept: on the Context object itself, which every non-isolated
# {% include %} of one page render shares (render_context is fresh per included template), so
# the include of each shop group reads the methods of all of them once, in one query.
_MEMO = "_pasar_shop_methods"


@register.simple_tag(takes_context=True)
def shop_methods_for(context, shop, groups=()) -> ShopMethods:
    memo = getattr(context, _MEMO, None)
    if memo is None or shop.pk not in memo:
        ids = {group.shop.pk for group in groups or ()} | {shop.pk}
        memo = {**(memo or {}), **shop_payment_methods(ids)}
        setattr(context, _MEMO, memo)
    return memo.get(shop.pk, ShopMethods())
