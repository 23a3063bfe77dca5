"""Facets without text on PostgreSQL: a covering B-tree of every column the facet GROUP BY
reads, so a search with no words (`?category=kopi&in_stock=1`: 99,000 rows of 100,000) counts
its facets from an index-only scan of 9 MB instead of the 131 MB table (103 ms to 58 ms). It
needs the visibility map current: search_reindex VACUUMs after a rebuild, autovacuum after."""

from django.db import migrations

INDEX = "search_entry_facets"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry"
        " (category_slug, kecamatan_slug, kind, price, in_stock)"
        " INCLUDE (category_label, category_label_en, kecamatan_label)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_more_synonyms")]

    operations = [migrations.RunPython(forward, backward)]
