"""Words the relevance set found missing (tests/search/relevance_set.json): "weaving class",
"coffee farm tour" and "lake tour" found nothing or the wrong things. Added only where an
editor has not already written the group."""

from django.db import migrations

GROUPS = (
    "tur, tour",
    "kelas, class, workshop, kursus",
    "menenun, weaving",
    "kebun, farm, plantation",
)


def add(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms in GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms)


def remove(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.filter(terms__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0006_entry_document_generated")]

    operations = [migrations.RunPython(add, remove)]
