"""Diskominfo's editors (Wagtail's "Editors" group) verify shops and keep the lists of
categories, kecamatan and desa. Given in a migration so that production has it, not only the
demo data."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_shop", "change_shop"] + [
    f"{action}_{model}"
    for model in ("category", "kecamatan", "desa")
    for action in ("add", "change", "delete", "view")
]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make ours now so they can be given.
    config = apps.get_app_config("marketplace")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="marketplace", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0004_cart"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
