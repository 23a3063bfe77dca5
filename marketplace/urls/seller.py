"""The seller dashboard, at /seller/ (and /en/seller/)."""

from django.urls import path

from marketplace.views.seller import (
    delivery,
    imports,
    members,
    offline,
    orders,
    photos,
    products,
    pwa,
    shop,
    slots,
    stock,
    vouchers,
)

app_name = "seller"

urlpatterns = [
    path("", shop.home, name="home"),
    # Before "<shop_slug>/", so that "new" is never read as a shop.
    path("new/", shop.shop_create, name="shop_create"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("<slug:shop_slug>/", shop.dashboard, name="dashboard"),
    path("<slug:shop_slug>/submit/", shop.submit, name="shop_submit"),
    path("<slug:shop_slug>/profile/", shop.profile, name="profile"),
    # The dashboard's offline queue sends what the seller changed without a connection.
    path("<slug:shop_slug>/sync/", offline.sync, name="sync"),
    # Products
    path("<slug:shop_slug>/products/", products.product_list, name="products"),
    path("<slug:shop_slug>/products/new/", products.product_new, name="product_create"),
    path("<slug:shop_slug>/products/import/", imports.product_import, name="product_import"),
    path(
        "<slug:shop_slug>/products/import/template.csv",
        imports.import_template,
        name="product_import_template",
    ),
    path("<slug:shop_slug>/products/<int:pk>/", products.product_edit, name="product_edit"),
    path(
        "<slug:shop_slug>/products/<int:pk>/publish/",
        products.product_publish_view,
        name="product_publish",
    ),
    path(
        "<slug:shop_slug>/products/<int:pk>/archive/",
        products.product_archive_view,
        name="product_archive",
    ),
    # Photos
    path("<slug:shop_slug>/products/<int:pk>/photos/", photos.photo_upload, name="photo_add"),
    path(
        "<slug:shop_slug>/products/<int:pk>/photos/<int:photo_pk>/remove/",
        photos.photo_delete,
        name="photo_remove",
    ),
    path(
        "<slug:shop_slug>/products/<int:pk>/photos/<int:photo_pk>/first/",
        photos.photo_first,
        name="photo_first",
    ),
    # Stock, slots, nights
    path("<slug:shop_slug>/products/<int:pk>/stock/", stock.product_stock, name="product_stock"),
    path(
        "<slug:shop_slug>/products/<int:pk>/variants/new/",
        stock.variant_new,
        name="variant_add",
    ),
    path(
        "<slug:shop_slug>/products/<int:pk>/variants/<int:variant_pk>/",
        stock.variant_edit,
        name="variant_edit",
    ),
    path(
        "<slug:shop_slug>/products/<int:pk>/variants/<int:variant_pk>/delete/",
        stock.variant_remove,
        name="variant_delete",
    ),
    path(
        "<slug:shop_slug>/variants/<int:variant_pk>/stock/",
        stock.variant_stock,
        name="stock_set",
    ),
    path("<slug:shop_slug>/products/<int:pk>/slots/new/", stock.slot_new, name="slot_add"),
    path(
        "<slug:shop_slug>/products/<int:pk>/slots/<int:slot_pk>/capacity/",
        stock.slot_capacity,
        name="slot_capacity",
    ),
    path(
        "<slug:shop_slug>/products/<int:pk>/slots/schedule/",
        slots.slot_schedule,
        name="slot_schedule",
    ),
    path(
        "<slug:shop_slug>/products/<int:pk>/slots/day/<str:day>/",
        slots.slot_day,
        name="slot_day",
    ),
    path("<slug:shop_slug>/products/<int:pk>/nights/", stock.nights_set, name="nights_set"),
    path("<slug:shop_slug>/low-stock/", stock.low_stock, name="low_stock"),
    # Orders (owners and staff)
    path("<slug:shop_slug>/orders/", orders.order_list, name="orders"),
    path("<slug:shop_slug>/orders/<str:number>/", orders.order_detail, name="order_detail"),
    path(
        "<slug:shop_slug>/orders/<str:number>/packing-slip/",
        orders.packing_slip,
        name="order_packing_slip",
    ),
    *[
        path(
            f"<slug:shop_slug>/orders/<str:number>/{action}/",
            orders.order_action,
            {"action": action},
            name=f"order_{action}",
        )
        for action in orders.ACTIONS
    ],
    # Delivery options and vouchers (owner only)
    path("<slug:shop_slug>/delivery/", delivery.delivery, name="delivery"),
    path(
        "<slug:shop_slug>/delivery/courier/new/",
        delivery.courier_rate_add,
        name="courier_rate_add",
    ),
    path(
        "<slug:shop_slug>/delivery/courier/<int:pk>/",
        delivery.courier_rate_edit,
        name="courier_rate_edit",
    ),
    path(
        "<slug:shop_slug>/delivery/courier/<int:pk>/delete/",
        delivery.courier_rate_remove,
        name="courier_rate_delete",
    ),
    path("<slug:shop_slug>/vouchers/", vouchers.voucher_list, name="vouchers"),
    path("<slug:shop_slug>/vouchers/<int:pk>/", vouchers.voucher_edit, name="voucher_edit"),
    path(
        "<slug:shop_slug>/vouchers/<int:pk>/delete/",
        vouchers.voucher_remove,
        name="voucher_delete",
    ),
    # Members (owner only)
    path("<slug:shop_slug>/members/", members.members, name="members"),
    path(
        "<slug:shop_slug>/members/<int:member_pk>/remove/",
        members.member_delete,
        name="member_remove",
    ),
]
