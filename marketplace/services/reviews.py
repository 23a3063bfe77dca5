"""Reviews: only the buyer of a completed order may review what that order held, once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.models import Order, OrderStatus, Product, Review, User
from marketplace.selectors.buying import review_author_name, reviewed_products

MAX_BODY = 2000


@transaction.atomic
def review_create(
    *,
    order: Order,
    product: Product,
    author_name: str,
    rating: int,
    body: str = "",
    author: User | None = None,
) -> Review:
    """Write a review of `product` for `order`, or raise ValidationError and write nothing.

    Refused when the order is not completed, the product is not in the order, or the order
    already has a review of that product (a unique constraint holds that too)."""
    # The order's row lock makes two submissions of the same form queue: the second sees the
    # first's review and is refused.
    order = Order.objects.select_for_update().select_related("checkout").get(pk=order.pk)
    if order.status != OrderStatus.COMPLETED:
        raise ValidationError(_("Ulasan hanya bisa ditulis untuk pesanan yang sudah selesai."))
    if not order.lines.filter(product=product).exists():
        raise ValidationError(
            _("Produk ini tidak ada dalam pesanan %(number)s.") % {"number": order.number}
        )
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Beri nilai 1 sampai 5.")})
    body = (body or "").strip()
    if len(body) > MAX_BODY:
        raise ValidationError({"body": _("Ulasan paling panjang %(n)s huruf.") % {"n": MAX_BODY}})
    name = review_author_name(author_name)
    if not name:
        raise ValidationError({"author_name": _("Isi nama Anda.")})
    if product.pk in reviewed_products(order.checkout, [order]).get(order.pk, set()):
        raise ValidationError(
            _("Anda sudah mengulas %(product)s untuk pesanan ini.") % {"product": product.title}
        )
    return Review.objects.create(
        order=order,
        product=product,
        author=author if author is not None and author.is_authenticated else None,
        author_name=name,
        rating=rating,
        body=body,
    )
