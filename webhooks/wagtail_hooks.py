"""Outbound webhooks in the Wagtail admin (Pengaturan → Webhook keluar): subscribers, for
superusers and whoever holds the webhooks permissions (webhooks.change_subscriber and its
kin, given to a group in Wagtail's group editor). A subscriber's page shows why it was paused,
its recent attempts, and the resume button."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from webhooks.forms import SubscriberForm
from webhooks.models import Subscriber
from webhooks.views import SubscriberInspectView, SubscriberResumeView

register_permission_policy(Subscriber, ModelPermissionPolicy(Subscriber))


def subscriber_state(subscriber: Subscriber) -> str:
    if not subscriber.is_active:
        return _("nonaktif")
    return _("dijeda") if subscriber.is_paused else _("aktif")


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "link-external"
    menu_label = _("Webhook keluar")
    name = "webhooks"
    add_to_settings_menu = True
    list_display = [
        "name",
        "url",
        StatusTagColumn(
            "state",
            label=_("status"),
            accessor=subscriber_state,
            primary=lambda s: s.is_active and not s.is_paused,
        ),
        Column("paused_reason", label=_("alasan jeda")),
    ]
    list_filter = ["is_active", "personal_data"]
    search_fields = ["name", "url"]
    ordering = ["name"]
    inspect_view_enabled = True
    inspect_view_class = SubscriberInspectView
    inspect_view_fields = [
        "name",
        "url",
        "secret",
        "events",
        "personal_data",
        "shop",
        "is_active",
        "paused_at",
        "paused_reason",
        "created_at",
    ]

    def get_form_class(self, for_update=False):
        return SubscriberForm

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            resume_url_name=self.get_url_name("resume"), **kwargs
        )

    @property
    def resume_view(self):
        return self.construct_view(
            SubscriberResumeView, inspect_url_name=self.get_url_name("inspect")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resume/<int:pk>/", self.resume_view, name="resume"),
        ]


subscriber_viewset = SubscriberViewSet()


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return subscriber_viewset
