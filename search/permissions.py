"""Who may read what tourists search for and edit the synonym list in the Wagtail admin.

Diskominfo's editors: the Wagtail groups "Editors" and "Moderators" and the CMS's "Editor
Diskominfo" and "Kepala Dinas" (with admin access), or anyone given the model's own permission
(superusers have them all). Granted by this check, not
a data migration, so the groups need no new rows."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

EDITOR_GROUPS = ("Editors", "Moderators", "Editor Diskominfo", "Kepala Dinas")
ADMIN_ACCESS = "wagtailadmin.access_admin"


def is_search_editor(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(ADMIN_ACCESS)
        and user.groups.filter(name__in=EDITOR_GROUPS).exists()
    )


class SearchEditorPolicy(ModelPermissionPolicy):
    """The model's permissions, plus every action for the search editors."""

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) or is_search_editor(user)

    def users_with_any_permission(self, actions):
        permitted = super().users_with_any_permission(actions).values("pk")
        return (
            get_user_model()
            .objects.filter(Q(pk__in=permitted) | Q(is_active=True, groups__name__in=EDITOR_GROUPS))
            .distinct()
        )
