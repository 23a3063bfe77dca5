"""How the shop delivers, as checkout offers it: pickup, a local delivery fee, and courier rates
by destination kabupaten. Owner only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from marketplace.forms.seller import add_service_error
from marketplace.forms.seller_orders import CourierRateForm, DeliveryForm
from marketplace.models import CourierRate, ShopMember
from marketplace.selectors.seller_orders import (
    shop_courier_rate,
    shop_courier_rates,
    shop_delivery,
)
from marketplace.services.delivery import (
    courier_rate_delete,
    courier_rate_save,
    shop_delivery_set,
)

from .common import seller_render, seller_view


def render_delivery(
    request: HttpRequest,
    membership: ShopMember,
    *,
    form: DeliveryForm | None = None,
    new_rate_form: CourierRateForm | None = None,
    rate_form: CourierRateForm | None = None,
    rate_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page; a form that came back with errors replaces its unbound twin (`rate_pk` names
    the rate row a bound `rate_form` belongs to)."""
    shop = membership.shop
    options = shop_delivery(shop)
    rates = shop_courier_rates(shop)
    return seller_render(
        request,
        "delivery.html",
        membership,
        {
            "form": form
            or DeliveryForm(
                initial={
                    "offers_pickup": options.offers_pickup,
                    "local_delivery_fee": options.local_delivery_fee,
                }
            ),
            "rows": [
                (
                    rate,
                    rate_form
                    if rate_form is not None and rate.pk == rate_pk
                    else CourierRateForm(instance=rate, prefix=f"r{rate.pk}"),
                )
                for rate in rates
            ],
            "new_rate_form": new_rate_form or CourierRateForm(prefix="new"),
        },
        section="delivery",
        status=status,
    )


def _back(membership: ShopMember) -> HttpResponse:
    return redirect("seller:delivery", shop_slug=membership.shop.slug)


@seller_view(owner_only=True)
def delivery(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    if request.method != "POST":
        return render_delivery(request, membership)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            shop_delivery_set(shop=membership.shop, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Pengaturan pengiriman disimpan."))
            return _back(membership)
    return render_delivery(request, membership, form=form)


@seller_view(owner_only=True, methods=("POST",))
def courier_rate_add(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    form = CourierRateForm(request.POST, prefix="new", instance=CourierRate(shop=membership.shop))
    if form.is_valid():
        try:
            rate = courier_rate_save(shop=membership.shop, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Tarif kurir ke %(kab)s ditambahkan.") % {"kab": rate.destination_kabupaten},
            )
            return _back(membership)
    return render_delivery(request, membership, new_rate_form=form)


@seller_view(owner_only=True, methods=("POST",))
def courier_rate_edit(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    rate = shop_courier_rate(membership.shop, pk)
    form = CourierRateForm(
        request.POST, prefix=f"r{rate.pk}", instance=CourierRate(shop=membership.shop)
    )
    if form.is_valid():
        try:
            rate = courier_rate_save(shop=membership.shop, rate=rate, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Tarif kurir ke %(kab)s disimpan.") % {"kab": rate.destination_kabupaten},
            )
            return _back(membership)
    return render_delivery(request, membership, rate_form=form, rate_pk=rate.pk)


@seller_view(owner_only=True, methods=("POST",))
def courier_rate_remove(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    rate = shop_courier_rate(membership.shop, pk)
    try:
        courier_rate_delete(rate=rate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Tarif kurir ke %(kab)s dihapus.") % {"kab": rate.destination_kabupaten},
        )
    return _back(membership)
