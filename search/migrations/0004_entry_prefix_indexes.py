"""As-you-type on PostgreSQL: B-tree indexes on the lowered names in byte order ("C"), so
`lower(title) COLLATE "C" LIKE 'ul%' ORDER BY ...` is a short range scan (search.backends.database
suggest). SQLite needs none at the embedded scale."""

from django.db import migrations

COLUMNS = ("title", "shop_name", "kecamatan_label")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS search_entry_{column}_prefix"
            f' ON search_searchentry ((lower({column}) COLLATE "C"))'
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_{column}_prefix")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_entry_text_search")]

    operations = [migrations.RunPython(forward, backward)]
