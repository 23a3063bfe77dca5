"""The English locale beside the Indonesian one, so editors can translate pages and snippets."""

from django.db import migrations


def forward(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [("cms", "0004_promotion_pages"), ("wagtailcore", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
