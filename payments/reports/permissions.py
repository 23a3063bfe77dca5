"""Who reads the cashless reports: Diskominfo (the Wagtail groups its editors and the head of
office are in) and superusers; anyone else, a seller included, gets 403 (a stranger the login
page). By group name, as search.permissions does, so the groups need no new rows."""

from __future__ import annotations

REPORT_GROUPS = ("Editors", "Moderators", "Editor Diskominfo", "Kepala Dinas")


def may_read_reports(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.has_perm("wagtailadmin.access_admin") and (
        user.groups.filter(name__in=REPORT_GROUPS).exists()
    )
