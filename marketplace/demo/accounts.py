from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission

from marketplace.models import User


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    full_name: str
    role: str


ADMIN = DemoAccount("admin@pasar.test", "demo-admin-123", "Admin Platform", "platform admin")
EDITOR = DemoAccount(
    "editor@pasar.test", "demo-editor-123", "Editor Diskominfo", "Diskominfo editor"
)
HEAD = DemoAccount(
    "kepala@pasar.test", "demo-kepala-123", "Kepala Dinas Kominfo", "approves CMS pages"
)
SELLER_1 = DemoAccount("penjual1@pasar.test", "demo-seller-123", "Rosmawati Siahaan", "seller")
SELLER_2 = DemoAccount("penjual2@pasar.test", "demo-seller-123", "Togar Manurung", "seller")
ACCOUNTS = (ADMIN, EDITOR, HEAD, SELLER_1, SELLER_2)

# Wagtail's migrations make "Editors" (which verifies shops here, below); the CMS's make
# "Editor Diskominfo", who write and submit promotion pages, and "Kepala Dinas", who approve
# and publish them. Group names only: the marketplace imports nothing of the CMS.
EDITOR_GROUPS = ("Editors", "Editor Diskominfo")
HEAD_GROUPS = ("Kepala Dinas",)

# What Diskominfo's editors may do in the marketplace: verify shops (change_shop) and keep the
# lists of categories, kecamatan and desa (Wagtail snippets).
EDITOR_PERMISSIONS = {
    "marketplace": (
        "view_shop",
        "change_shop",
        *(
            f"{action}_{model}"
            for model in ("category", "kecamatan", "desa")
            for action in ("add", "change", "delete", "view")
        ),
    ),
}


def grant_editor_permissions() -> None:
    group = Group.objects.filter(name="Editors").first()
    if group is None:
        return
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def seed_accounts() -> dict[str, User]:
    grant_editor_permissions()
    users: dict[str, User] = {}
    for account in ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                account.email, account.password, full_name=account.full_name
            )
        if account is ADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if account is EDITOR:
            user.groups.add(*Group.objects.filter(name__in=EDITOR_GROUPS))
        if account is HEAD:
            user.groups.add(*Group.objects.filter(name__in=HEAD_GROUPS))
        users[account.email] = user
    return users
