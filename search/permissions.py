"""Who may read what tourists search for and edit the synonym list in the Wagtail admin.

Diskominfo (marketplace.access.is_diskominfo: its groups, with admin access), or anyone given
the model's own permission (superusers have them all)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from marketplace.access import DISKOMINFO_GROUPS, is_diskominfo

is_search_editor = is_diskominfo


class SearchEditorPolicy(ModelPermissionPolicy):
    """The model's permissions, plus every action for the search editors."""

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) or is_search_editor(user)

    def users_with_any_permission(self, actions):
        permitted = super().users_with_any_permission(actions).values("pk")
        return (
            get_user_model()
            .objects.filter(
                Q(pk__in=permitted) | Q(is_active=True, groups__name__in=DISKOMINFO_GROUPS)
            )
            .distinct()
        )
