"""Choosers for the catalog in the page editor (Wagtail's ChooserViewSet): products,
experiences and shops that are public now. Registered in cms/wagtail_hooks.py; their block
classes are in cms/blocks.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


def name_search_form(field: str) -> type[BaseFilterForm]:
    """A search box over one name column: the catalog is not in Wagtail's own search index."""

    class NameSearchForm(BaseFilterForm):
        q = forms.CharField(
            label=_("Cari"),
            required=False,
            widget=forms.TextInput(attrs={"placeholder": _("Cari nama")}),
        )

        def filter(self, objects):
            objects = super().filter(objects)
            text = (self.cleaned_data.get("q") or "").strip()
            if text:
                self.is_searching, self.search_query = True, text
                objects = objects.filter(**{f"{field}__icontains": text})
            return objects

    return NameSearchForm


def choose_views(field: str) -> tuple[type[ChooseView], type[ChooseResultsView]]:
    form = name_search_form(field)
    return (
        type("ChooseView", (ChooseView,), {"filter_form_class": form}),
        type("ChooseResultsView", (ChooseResultsView,), {"filter_form_class": form}),
    )


class ProductChooserViewSet(ChooserViewSet):
    model = "marketplace.Product"
    icon = "tag"
    choose_one_text = _("Pilih produk")
    choose_another_text = _("Pilih produk lain")
    edit_item_text = _("Ubah produk")
    per_page = 20
    choose_view_class, choose_results_view_class = choose_views("title")

    def get_object_list(self):
        from marketplace.selectors import public_products

        return public_products().select_related("shop").order_by("title")


class ExperienceChooserViewSet(ProductChooserViewSet):
    choose_one_text = _("Pilih pengalaman")
    choose_another_text = _("Pilih pengalaman lain")

    def get_object_list(self):
        return super().get_object_list().filter(kind="experience")


class ShopChooserViewSet(ChooserViewSet):
    model = "marketplace.Shop"
    icon = "home"
    choose_one_text = _("Pilih toko")
    choose_another_text = _("Pilih toko lain")
    edit_item_text = _("Ubah toko")
    per_page = 20
    choose_view_class, choose_results_view_class = choose_views("name")

    def get_object_list(self):
        from marketplace.models import Shop

        return Shop.objects.filter(status="verified").order_by("name")


product_chooser = ProductChooserViewSet("product_chooser")
experience_chooser = ExperienceChooserViewSet("experience_chooser")
shop_chooser = ShopChooserViewSet("shop_chooser")
