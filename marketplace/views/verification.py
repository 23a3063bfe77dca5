"""Diskominfo verifies shops in the Wagtail admin (/cms-admin/verifikasi-toko/).

Wagtail wraps these views in its admin-access check (anonymous people go to the login page,
people without admin access are turned away); here each view also needs the Django permission
`marketplace.change_shop`. State changes go through marketplace.services.shops.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from marketplace.models import Shop, ShopMember, ShopStatus
from marketplace.services import shops as shop_services

PERMISSION = "marketplace.change_shop"
URL_NAMESPACE = "shop_verification"
PER_PAGE = 50

# Pending shops are the work to do, so they come first; then the ones that need a second look.
STATUS_ORDER = [
    ShopStatus.PENDING,
    ShopStatus.SUSPENDED,
    ShopStatus.REJECTED,
    ShopStatus.VERIFIED,
    ShopStatus.DRAFT,
]

# Which actions each status allows (the services enforce the same; this only picks buttons).
ACTIONS_BY_STATUS = {
    ShopStatus.PENDING: ("verify", "reject"),
    ShopStatus.SUSPENDED: ("verify",),
    ShopStatus.VERIFIED: ("suspend",),
    ShopStatus.DRAFT: (),
    ShopStatus.REJECTED: (),
}


def can_verify(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan (dibaca penjual)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class VerifierRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_verify(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ShopIndexView(VerifierRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "marketplace/admin/shop_verification_index.html"
    page_title = gettext_lazy("Verifikasi toko")
    header_icon = "tick-inverse"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    @cached_property
    def status(self) -> str:
        status = self.request.GET.get("status", "")
        return status if status in ShopStatus.values else ""

    @cached_property
    def query(self) -> str:
        return self.request.GET.get("q", "").strip()[:100]

    def get_queryset(self):
        shops = Shop.objects.select_related("category", "kecamatan").prefetch_related(
            Prefetch(
                "memberships",
                queryset=ShopMember.objects.filter(role="owner").select_related("user"),
                to_attr="owner_memberships",
            )
        )
        if self.status:
            shops = shops.filter(status=self.status)
        if self.query:
            shops = shops.filter(
                Q(name__icontains=self.query) | Q(kecamatan__name__icontains=self.query)
            )
        status_rank = Case(
            *[When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)],
            default=Value(len(STATUS_ORDER)),
            output_field=IntegerField(),
        )
        return shops.annotate(status_rank=status_rank).order_by(
            "status_rank", "submitted_at", "name"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            Shop.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        tabs = [
            {
                "value": "",
                "label": _("Semua"),
                "count": sum(counts.values()),
                "active": not self.status,
            }
        ]
        tabs += [
            {
                "value": status.value,
                "label": status.label,
                "count": counts.get(status.value, 0),
                "active": self.status == status.value,
            }
            for status in STATUS_ORDER
        ]
        page = Paginator(self.get_queryset(), PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(
            tabs=tabs,
            page=page,
            shops=page.object_list,
            status=self.status,
            query=self.query,
            pending_count=counts.get(ShopStatus.PENDING, 0),
        )
        return context


class ShopDetailView(VerifierRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "marketplace/admin/shop_verification_detail.html"
    header_icon = "tick-inverse"
    index_url = reverse_lazy(f"{URL_NAMESPACE}:index")

    @cached_property
    def shop(self) -> Shop:
        return get_object_or_404(
            Shop.objects.select_related("category", "kecamatan", "desa", "logo", "verified_by"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return self.shop.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.index_url, "label": _("Verifikasi toko")},
            {"url": "", "label": self.shop.name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shop = self.shop
        actions = ACTIONS_BY_STATUS.get(shop.status, ())
        context.update(
            shop=shop,
            members=shop.memberships.select_related("user").order_by("role", "added_at"),
            product_counts=dict(
                shop.products.values_list("status")
                .annotate(n=Count("pk"))
                .values_list("status", "n")
            ),
            actions=actions,
            reject_form=kwargs.get("reject_form") or ReasonForm(prefix="reject"),
            suspend_form=kwargs.get("suspend_form") or ReasonForm(prefix="suspend"),
            index_url=self.index_url,
        )
        return context


class ShopActionView(VerifierRequiredMixin, View):
    """POST only: one state change, then back to the shop's page with a message."""

    http_method_names = ["post"]
    action = ""

    def post(self, request, pk):
        shop = get_object_or_404(Shop, pk=pk)
        try:
            self.perform(shop)
        except ValidationError as exc:
            # An illegal transition (or a missing reason): say why; nothing has changed.
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.success_message(shop))
        return redirect(reverse(f"{URL_NAMESPACE}:detail", args=[shop.pk]))

    def perform(self, shop: Shop) -> None:
        raise NotImplementedError

    def success_message(self, shop: Shop) -> str:
        raise NotImplementedError


class ShopVerifyView(ShopActionView):
    def perform(self, shop):
        shop_services.shop_verify(shop=shop, by=self.request.user)

    def success_message(self, shop):
        return _("Toko “%(name)s” terverifikasi dan kini tampil untuk pembeli.") % {
            "name": shop.name
        }


class ShopReasonActionView(ShopActionView):
    prefix = ""
    form_context_name = ""

    def post(self, request, pk):
        form = ReasonForm(request.POST, prefix=self.prefix)
        if not form.is_valid():
            messages.error(request, self.reason_missing_message())
            # Show the page again with the form's errors and what was typed.
            page = ShopDetailView()
            page.setup(request, pk=pk)
            return page.render_to_response(
                page.get_context_data(pk=pk, **{self.form_context_name: form})
            )
        self.reason = form.cleaned_data["reason"]
        return super().post(request, pk)

    def reason_missing_message(self) -> str:
        raise NotImplementedError


class ShopRejectView(ShopReasonActionView):
    prefix = "reject"
    form_context_name = "reject_form"

    def perform(self, shop):
        shop_services.shop_reject(shop=shop, by=self.request.user, reason=self.reason)

    def reason_missing_message(self):
        return _("Tuliskan alasan penolakan agar penjual dapat memperbaikinya.")

    def success_message(self, shop):
        return _("Toko “%(name)s” ditolak. Penjual dapat membaca alasannya.") % {"name": shop.name}


class ShopSuspendView(ShopReasonActionView):
    prefix = "suspend"
    form_context_name = "suspend_form"

    def perform(self, shop):
        shop_services.shop_suspend(shop=shop, by=self.request.user, reason=self.reason)

    def reason_missing_message(self):
        return _("Tuliskan alasan penangguhan.")

    def success_message(self, shop):
        return _("Toko “%(name)s” ditangguhkan dan tidak lagi tampil untuk pembeli.") % {
            "name": shop.name
        }
