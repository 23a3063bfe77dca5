"""Two PostgreSQL indexes for searches without text over many entries: the "newest" page is a
short index scan (published_at DESC NULLS LAST, as the backend orders), and the count with the
facets is an index-only scan of a small covering index instead of the whole table (vectors and
descriptions included). Raw SQL: Django's model layer has no portable NULLS LAST or INCLUDE."""

from django.db import migrations

STATEMENTS = (
    (
        "CREATE INDEX IF NOT EXISTS search_entry_newest"
        " ON search_searchentry (published_at DESC NULLS LAST, product_id DESC)",
        "DROP INDEX IF EXISTS search_entry_newest",
    ),
    (
        "CREATE INDEX IF NOT EXISTS search_entry_facets"
        " ON search_searchentry (category_slug, kecamatan_slug, kind, price)"
        " INCLUDE (product_id, category_label, category_label_en, kecamatan_label)",
        "DROP INDEX IF EXISTS search_entry_facets",
    ),
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for create, _ in STATEMENTS:
            schema_editor.execute(create)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _, drop in STATEMENTS:
            schema_editor.execute(drop)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_entry_prefix_indexes")]

    operations = [migrations.RunPython(forward, backward)]
