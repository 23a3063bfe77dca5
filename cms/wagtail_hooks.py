"""The page editor's catalog choosers (products, experiences, shops)."""

from __future__ import annotations

from wagtail import hooks

from cms.choosers import experience_chooser, product_chooser, shop_chooser


@hooks.register("register_admin_viewset")
def register_catalog_choosers():
    return [product_chooser, experience_chooser, shop_chooser]
