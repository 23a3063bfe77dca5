"""The marketplace in the Wagtail admin: shop verification for Diskominfo, and the lists editors
keep (categories, kecamatan, desa) as snippets."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from marketplace.models import Category, Desa, Kecamatan
from marketplace.selectors.verification import shops_waiting_verification
from marketplace.views import verification


class ShopVerificationMenuItem(MenuItem):
    def is_shown(self, request):
        return verification.can_verify(request.user)


@hooks.register("register_admin_urls")
def register_shop_verification_urls():
    urls = [
        path("", verification.ShopIndexView.as_view(), name="index"),
        path("<int:pk>/", verification.ShopDetailView.as_view(), name="detail"),
        path("<int:pk>/verify/", verification.ShopVerifyView.as_view(), name="verify"),
        path("<int:pk>/reject/", verification.ShopRejectView.as_view(), name="reject"),
        path("<int:pk>/suspend/", verification.ShopSuspendView.as_view(), name="suspend"),
    ]
    return [
        path(
            "verifikasi-toko/",
            include((urls, verification.URL_NAMESPACE), namespace=verification.URL_NAMESPACE),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_shop_verification_menu_item():
    return ShopVerificationMenuItem(
        _("Verifikasi toko"),
        reverse(f"{verification.URL_NAMESPACE}:index"),
        name="shop-verification",
        icon_name="tick-inverse",
        order=250,
    )


class WaitingShopsPanel(Component):
    """On the admin home: how many shops wait for verification, and the oldest few."""

    name = "waiting_shops"
    template_name = "marketplace/admin/waiting_shops_panel.html"
    order = 50  # before Wagtail's own panels (100 and up): it is the work to do

    def get_context_data(self, parent_context):
        return {"waiting": shops_waiting_verification(limit=5)}


@hooks.register("construct_homepage_panels")
def add_waiting_shops_panel(request, panels):
    if verification.can_verify(request.user):
        panels.append(WaitingShopsPanel())


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Kategori")
    list_display = ["name", "name_en", "slug", "position"]
    search_fields = ["name", "name_en"]
    ordering = ["position", "name"]
    form_fields = ["name", "name_en", "slug", "position"]


class KecamatanViewSet(SnippetViewSet):
    model = Kecamatan
    icon = "site"
    menu_label = _("Kecamatan")
    list_display = ["name", "kabupaten", "slug"]
    search_fields = ["name"]
    form_fields = ["kabupaten", "name", "slug"]


class DesaViewSet(SnippetViewSet):
    model = Desa
    icon = "site"
    menu_label = _("Desa")
    list_display = ["name", "kecamatan", "slug"]
    list_filter = ["kecamatan"]
    search_fields = ["name"]
    form_fields = ["kecamatan", "name", "slug"]


register_snippet(CategoryViewSet)
register_snippet(KecamatanViewSet)
register_snippet(DesaViewSet)
