from dataclasses import dataclass

from django.contrib.auth.models import Group

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
SELLER_1 = DemoAccount("penjual1@pasar.test", "demo-seller-123", "Rosmawati Siahaan", "seller")
SELLER_2 = DemoAccount("penjual2@pasar.test", "demo-seller-123", "Togar Manurung", "seller")
ACCOUNTS = (ADMIN, EDITOR, SELLER_1, SELLER_2)

# Wagtail's own migrations make these groups; editors moderate and publish promotion pages.
EDITOR_GROUPS = ("Editors", "Moderators")


def seed_accounts() -> dict[str, User]:
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
        users[account.email] = user
    return users
