"""A shop's orders: the list (status and date filters, pages), one order with what may be done
next, the actions (each a POST to `services.orders`), and a printable packing slip.

Owners and staff alike may act. An action the state machine does not allow, or input the
service refuses, changes nothing and comes back as a message on the order's page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from marketplace.forms.seller_orders import CancelForm, OrderFilterForm, ShipForm
from marketplace.models import Order, ShopMember
from marketplace.selectors.seller_orders import (
    ORDERS_PER_PAGE,
    allowed_actions,
    order_history,
    shop_order,
    shop_order_counts,
    shop_order_for_update,
    shop_orders,
)
from marketplace.services.orders import (
    IllegalTransition,
    order_cancel,
    order_complete,
    order_process,
    order_ready_for_pickup,
    order_ship,
)
from marketplace.templatetags.buying import whatsapp_url

from .common import seller_render, seller_view


@seller_view(methods=("GET",))
def order_list(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    shop = membership.shop
    filter_form = OrderFilterForm(request.GET)
    filters = filter_form.filters()
    page = Paginator(shop_orders(shop, **filters), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return seller_render(
        request,
        "orders.html",
        membership,
        {
            "filter_form": filter_form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(filters.values()),
            "counts": shop_order_counts(shop),
        },
        section="orders",
    )


def _buyer_message(order: Order) -> str:
    return _(
        "Halo %(name)s, kami dari %(shop)s di Pasar Kreatif, tentang pesanan Anda %(number)s."
    ) % {"name": order.checkout.contact_name, "shop": order.shop.name, "number": order.number}


@seller_view(methods=("GET",))
def order_detail(request: HttpRequest, membership: ShopMember, number: str) -> HttpResponse:
    order = shop_order(membership.shop, number)
    return seller_render(
        request,
        "order_detail.html",
        membership,
        {
            "order": order,
            "history": order_history(order),
            "actions": allowed_actions(order),
            "ship_form": ShipForm(),
            "cancel_form": CancelForm(),
            "whatsapp_url": whatsapp_url(order.checkout.contact_phone, _buyer_message(order)),
        },
        section="orders",
    )


@seller_view(methods=("GET",))
def packing_slip(request: HttpRequest, membership: ShopMember, number: str) -> HttpResponse:
    order = shop_order(membership.shop, number)
    return seller_render(
        request, "packing_slip.html", membership, {"order": order}, section="orders"
    )


# Actions ------------------------------------------------------------------------------------


def _process(request: HttpRequest, order: Order) -> Order:
    return order_process(order=order, by=request.user)


def _ship(request: HttpRequest, order: Order) -> Order:
    form = ShipForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["tracking_number"])
    return order_ship(
        order=order, by=request.user, tracking_number=form.cleaned_data["tracking_number"]
    )


def _ready(request: HttpRequest, order: Order) -> Order:
    return order_ready_for_pickup(order=order, by=request.user)


def _complete(request: HttpRequest, order: Order) -> Order:
    return order_complete(order=order, by=request.user)


def _cancel(request: HttpRequest, order: Order) -> Order:
    form = CancelForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["reason"])
    return order_cancel(order=order, by=request.user, reason=form.cleaned_data["reason"])


ACTIONS: dict[str, Callable[[HttpRequest, Order], Order]] = {
    "process": _process,
    "ship": _ship,
    "ready": _ready,
    "complete": _complete,
    "cancel": _cancel,
}


@seller_view(methods=("POST",))
def order_action(
    request: HttpRequest, membership: ShopMember, number: str, action: str
) -> HttpResponse:
    """One of ACTIONS on this shop's order; the URL names the action."""
    order = shop_order_for_update(membership.shop, number)
    try:
        order = ACTIONS[action](request, order)
    except IllegalTransition as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Pesanan %(number)s sekarang: %(status)s.")
            % {"number": order.number, "status": order.get_status_display()},
        )
    return redirect("seller:order_detail", shop_slug=membership.shop.slug, number=number)
