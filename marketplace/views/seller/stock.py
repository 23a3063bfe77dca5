"""What a product has to sell: variants with stock on hand, allocated and free (goods), dated
slots (experiences), rooms per night (stays); and the shop's low-stock list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.forms.seller import (
    NightsForm,
    SlotCapacityForm,
    SlotForm,
    StockForm,
    VariantForm,
    add_service_error,
)
from marketplace.models import Product, ProductKind, ShopMember, Variant
from marketplace.selectors.seller import (
    low_stock_variants,
    product_slot,
    product_variant,
    product_variants,
    shop_product,
    shop_variant,
    stay_calendar,
    variant_holders,
)
from marketplace.services.catalog import (
    slot_add,
    slot_set_capacity,
    stay_nights_set,
    stock_set,
    variant_delete,
    variant_save,
)

from .common import redirect_back, seller_render, seller_view
from .slots import slots_context, week_url


def _stock_url(membership: ShopMember, product: Product) -> str:
    return reverse(
        "seller:product_stock", kwargs={"shop_slug": membership.shop.slug, "pk": product.pk}
    )


def render_stock(
    request: HttpRequest,
    membership: ShopMember,
    product: Product,
    *,
    bound: dict | None = None,
    bound_pk: int | None = None,
) -> HttpResponse:
    """The stock page for the product's kind. `bound` holds a form that came back with errors
    (keyed like the unbound ones); `bound_pk` names the variant or slot its row belongs to."""
    bound = bound or {}
    context: dict = {"product": product}
    if product.kind == ProductKind.GOODS:
        holders = variant_holders(product)
        context["rows"] = [
            (
                variant,
                bound["variant_form"]
                if variant.pk == bound_pk and "variant_form" in bound
                else VariantForm(instance=variant, prefix=f"v{variant.pk}"),
                holders.get(variant.pk, []),
            )
            for variant in product_variants(product)
        ]
        context["new_variant_form"] = bound.get("new_variant_form") or VariantForm(prefix="new")
    elif product.kind == ProductKind.EXPERIENCE:
        context.update(slots_context(request, product, bound=bound, bound_pk=bound_pk))
    else:
        context["nights"] = stay_calendar(product)
        context["nights_form"] = bound.get("nights_form") or NightsForm(
            initial={"start": timezone.localdate()}
        )
    return seller_render(request, "product_stock.html", membership, context, section="products")


@seller_view(methods=("GET",))
def product_stock(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    return render_stock(request, membership, shop_product(membership.shop, pk))


# Goods: variants and stock ----------------------------------------------------------------


@seller_view(methods=("POST",))
def variant_new(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    product = shop_product(membership.shop, pk, kind=ProductKind.GOODS)
    form = VariantForm(request.POST, instance=Variant(product=product), prefix="new")
    if form.is_valid():
        try:
            variant_save(product=product, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Varian ditambahkan."))
            return redirect(_stock_url(membership, product))
    return render_stock(request, membership, product, bound={"new_variant_form": form})


@seller_view(methods=("POST",))
def variant_edit(request: HttpRequest, membership: ShopMember, pk: int, variant_pk: int):
    product = shop_product(membership.shop, pk, kind=ProductKind.GOODS)
    variant = product_variant(product, variant_pk)
    form = VariantForm(request.POST, instance=Variant(product=product), prefix=f"v{variant.pk}")
    if form.is_valid():
        try:
            variant_save(product=product, variant=variant, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Varian %(name)s disimpan.") % {"name": variant.name})
            return redirect(_stock_url(membership, product))
    return render_stock(
        request, membership, product, bound={"variant_form": form}, bound_pk=variant.pk
    )


@seller_view(methods=("POST",))
def variant_remove(request: HttpRequest, membership: ShopMember, pk: int, variant_pk: int):
    product = shop_product(membership.shop, pk, kind=ProductKind.GOODS)
    variant = product_variant(product, variant_pk)
    try:
        variant_delete(variant=variant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Varian %(name)s dihapus.") % {"name": variant.name})
    return redirect(_stock_url(membership, product))


@seller_view(methods=("POST",))
def variant_stock(request: HttpRequest, membership: ShopMember, variant_pk: int) -> HttpResponse:
    """Set one variant's stock (from the low-stock list), then go back there."""
    variant = shop_variant(membership.shop, variant_pk)
    form = StockForm(request.POST)
    if form.is_valid():
        try:
            stock_set(variant=variant, on_hand=form.cleaned_data["on_hand"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Stok %(product)s – %(variant)s sekarang %(stock)s.")
                % {
                    "product": variant.product.title,
                    "variant": variant.name,
                    "stock": form.cleaned_data["on_hand"],
                },
            )
    else:
        messages.error(
            request,
            _("Stok %(variant)s tidak diubah: %(error)s")
            % {"variant": variant.name, "error": " ".join(form.errors.get("on_hand", []))},
        )
    return redirect_back(request, reverse("seller:low_stock", args=[membership.shop.slug]))


@seller_view(methods=("GET",))
def low_stock(request: HttpRequest, membership: ShopMember) -> HttpResponse:
    return seller_render(
        request,
        "low_stock.html",
        membership,
        {"variants": list(low_stock_variants(membership.shop))},
        section="low_stock",
    )


# Experiences: slots -----------------------------------------------------------------------


@seller_view(methods=("POST",))
def slot_new(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    product = shop_product(membership.shop, pk, kind=ProductKind.EXPERIENCE)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            slot = slot_add(product=product, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc, "starts_at")
        else:
            messages.success(
                request,
                _("Jadwal %(when)s ditambahkan.")
                % {"when": formats.date_format(slot.starts_at, "DATETIME_FORMAT")},
            )
            return redirect(week_url(membership, product, slot.starts_at))
    return render_stock(request, membership, product, bound={"slot_form": form})


@seller_view(methods=("POST",))
def slot_capacity(request: HttpRequest, membership: ShopMember, pk: int, slot_pk: int):
    product = shop_product(membership.shop, pk, kind=ProductKind.EXPERIENCE)
    slot = product_slot(product, slot_pk)
    form = SlotCapacityForm(request.POST, prefix=f"s{slot.pk}")
    if form.is_valid():
        try:
            slot_set_capacity(slot=slot, capacity=form.cleaned_data["capacity"])
        except ValidationError as exc:
            add_service_error(form, exc, "capacity")
        else:
            messages.success(request, _("Kapasitas disimpan."))
            return redirect(week_url(membership, product, slot.starts_at))
    return render_stock(
        request, membership, product, bound={"capacity_form": form, "slot": slot}, bound_pk=slot.pk
    )


# Stays: free rooms per night --------------------------------------------------------------


@seller_view(methods=("POST",))
def nights_set(request: HttpRequest, membership: ShopMember, pk: int) -> HttpResponse:
    product = shop_product(membership.shop, pk, kind=ProductKind.STAY)
    form = NightsForm(request.POST)
    if form.is_valid():
        try:
            n = stay_nights_set(product=product, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Ketersediaan %(n)s malam disimpan.", "Ketersediaan %(n)s malam disimpan.", n
                )
                % {"n": n},
            )
            return redirect(_stock_url(membership, product))
    return render_stock(request, membership, product, bound={"nights_form": form})
